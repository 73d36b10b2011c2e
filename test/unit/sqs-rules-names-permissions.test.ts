/**
 * Queue names, URLs and ARNs (src/services/sqs/queue-names.ts) and the Policy document AddPermission /
 * RemovePermission write (src/services/sqs/permissions.ts), checked against the AWS recording
 * test_sqs_permission_lifecycle and ../shared/reference/sqs.md §3.15, §3.17.
 */
import { describe, expect, it } from "vitest";
import { fail, ok } from "../../src/domain/errors";
import { addPermission, removePermission, validatePermission } from "../../src/domain/sqs/permissions";
import {
  isFifoName,
  parseQueueArn,
  parseQueueUrl,
  queueArn,
  queueUrl,
  validateQueueName,
} from "../../src/domain/sqs/queue-names";
import { value } from "./results";

const invalidParameterValue = (message: string) => ({
  code: "InvalidParameterValue",
  type: "com.amazon.coral.service#InvalidParameterValueException",
  message,
});

describe("queue names", () => {
  const STANDARD = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
  const FIFO =
    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.";

  it.each(["q", "My_Queue-1", "a".repeat(80)])("standard %s is valid", (name) => {
    expect(validateQueueName(name, false)).toBeUndefined();
  });

  it.each(["", "a".repeat(81), "invalid/name", "in.fo", "sp ace", "ümlaut", "q.fifo"])(
    "standard %j is invalid (Ballerina, real AWS)",
    (name) => {
      expect(validateQueueName(name, false)).toEqual(invalidParameterValue(STANDARD));
    },
  );

  it.each(["q.fifo", `${"a".repeat(75)}.fifo`, "My_Queue-1.fifo"])("FIFO %s is valid", (name) => {
    expect(validateQueueName(name, true)).toBeUndefined();
  });

  it.each(["q", ".fifo", `${"a".repeat(76)}.fifo`, "q.FIFO", "in.fo.fifo", "q.fifo.fifo"])("FIFO %j is invalid", (name) => {
    expect(validateQueueName(name, true)).toEqual(invalidParameterValue(FIFO));
  });

  it("recognises the .fifo suffix", () => {
    expect(isFifoName("q.fifo")).toBe(true);
    expect(isFifoName("q")).toBe(false);
  });
});

describe("queue URLs", () => {
  it.each([
    ["http://host/123456789012/q", { account: "123456789012", name: "q" }],
    ["http://localhost:4566/000000000000/orders.fifo", { account: "000000000000", name: "orders.fifo" }],
    ["http://localhost:4566/000000000000/q/", { account: "000000000000", name: "q" }],
    ["https://sqs.eu-west-1.amazonaws.com/123456789012/q", { account: "123456789012", name: "q", region: "eu-west-1" }],
    ["https://eu-west-2.queue.amazonaws.com/123456789012/q", { account: "123456789012", name: "q", region: "eu-west-2" }],
    ["https://queue.amazonaws.com/123456789012/q", { account: "123456789012", name: "q" }],
    [
      "http://sqs.us-east-1.localhost.localstack.cloud:4566/123456789012/q",
      { account: "123456789012", name: "q", region: "us-east-1" },
    ],
    ["http://localhost:4566/queue/us-east-1/123456789012/q", { account: "123456789012", name: "q", region: "us-east-1" }],
    ["/queue/us-east-1/123456789012/q", { account: "123456789012", name: "q", region: "us-east-1" }],
    ["/123456789012/q", { account: "123456789012", name: "q" }],
  ])("%s", (url, ref) => {
    const parsed = parseQueueUrl(url);
    expect(parsed).toMatchObject(ref);
    if (!("region" in ref)) expect(parsed?.region).toBeUndefined();
  });

  it.each([
    "",
    "q",
    "http://host/q",
    "http://host/12345/q",
    "http://host/1234567890123/q",
    "http://host/123456789012/",
    "http://host/123456789012/q/extra",
    "http://host/123456789012/in valid",
    `http://host/123456789012/${"a".repeat(81)}`,
    "http://[bad/123456789012/q",
    // WHATWG URL parsing would strip these and find the queue `q` (issue 9).
    "http://host/123456789012/q\u0000",
    "http://host/123456789012/q ",
    "http://host/123456789012/q\u001f",
    " http://host/123456789012/q",
    "http://host/123456789012/a\tb",
    "http://host/123456789012/a\nb",
    "http://host/123456789012/a\rb",
    "http://ho\tst/123456789012/q",
    "/123456789012/q\n",
  ])("%j is not a queue URL", (url) => {
    expect(parseQueueUrl(url)).toBeUndefined();
  });

  it("builds URLs on the request's origin and parses them back", () => {
    const url = queueUrl("http://localhost:4566", { account: "000000000000", name: "q" });
    expect(url).toBe("http://localhost:4566/000000000000/q");
    expect(parseQueueUrl(url)).toMatchObject({ account: "000000000000", name: "q" });
  });
});

describe("queue ARNs", () => {
  it("builds arn:aws:sqs:<region>:<account>:<name> and parses it back", () => {
    const ref = { account: "123456789012", region: "eu-central-1", name: "q.fifo" };
    expect(queueArn(ref)).toBe("arn:aws:sqs:eu-central-1:123456789012:q.fifo");
    expect(parseQueueArn(queueArn(ref))).toEqual(ref);
  });

  it.each(["arn:aws-cn:sqs:cn-north-1:123456789012:q", "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q"])(
    "accepts other partitions: %s",
    (arn) => {
      expect(parseQueueArn(arn)).toMatchObject({ account: "123456789012", name: "q" });
    },
  );

  it.each([
    "dummy",
    "",
    "arn:aws:sns:us-east-1:123456789012:topic",
    "arn:aws:sqs:us-east-1:12345:q",
    "arn:aws:sqs:us-east-1:123456789012",
    "arn:aws:sqs:us-east-1:123456789012:",
    "arn:aws:sqs:us-east-1:123456789012:bad/name",
    "arn:other:sqs:us-east-1:123456789012:q",
  ])("rejects %j", (arn) => {
    expect(parseQueueArn(arn)).toBeUndefined();
  });
});

describe("permissions: the Policy document as AWS writes it (test_sqs_permission_lifecycle)", () => {
  const ARN = "arn:aws:sqs:us-east-1:111111111111:q";
  const statement = (sid: string, principal: string | string[]) => ({
    Sid: sid,
    Effect: "Allow",
    Principal: { AWS: principal },
    Action: "SQS:ReceiveMessage",
    Resource: ARN,
  });
  const policy = (...statements: object[]) => ({ Version: "2008-10-17", Id: `${ARN}/SQSDefaultPolicy`, Statement: statements });
  const grant = (label: string, accountIds: string[], actions = ["ReceiveMessage"]) => ({ label, accountIds, actions });

  it("first permission with two accounts: a principal list, in key order Version, Id, Statement", () => {
    const json = value(addPermission(undefined, ARN, grant("crossaccountpermission", ["668614515564", "111111111111"])));
    expect(json).toBe(
      JSON.stringify(
        policy(statement("crossaccountpermission", ["arn:aws:iam::668614515564:root", "arn:aws:iam::111111111111:root"])),
      ),
    );
  });

  it("one account: a single principal string; removing the last statement removes the policy", () => {
    const one = value(addPermission(undefined, ARN, grant("crossaccountpermission", ["111111111111"])));
    expect(JSON.parse(one)).toEqual(policy(statement("crossaccountpermission", "arn:aws:iam::111111111111:root")));
    expect(removePermission(one, "crossaccountpermission")).toEqual(ok(""));
  });

  it("a second label appends; the same label is 'Already exists.'; removal keeps the rest", () => {
    const first = value(addPermission(undefined, ARN, grant("crossaccountpermission", ["111111111111"])));
    expect(addPermission(first, ARN, grant("crossaccountpermission", ["222222222222"]))).toEqual(
      fail(invalidParameterValue("Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.")),
    );
    const both = value(addPermission(first, ARN, grant("crossaccountpermission2", ["111111111111"])));
    expect(JSON.parse(both)).toEqual(
      policy(
        statement("crossaccountpermission", "arn:aws:iam::111111111111:root"),
        statement("crossaccountpermission2", "arn:aws:iam::111111111111:root"),
      ),
    );
    const second = value(removePermission(both, "crossaccountpermission"));
    expect(JSON.parse(second)).toEqual(policy(statement("crossaccountpermission2", "arn:aws:iam::111111111111:root")));
    expect(removePermission(second, "crossaccountpermission2")).toEqual(ok(""));
  });

  it("removing an unknown label: 'can't find label.'", () => {
    const message = "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.";
    expect(removePermission(undefined, "crossaccountpermission2")).toEqual(fail(invalidParameterValue(message)));
    const one = value(addPermission(undefined, ARN, grant("crossaccountpermission", ["111111111111"])));
    expect(removePermission(one, "crossaccountpermission2")).toEqual(fail(invalidParameterValue(message)));
  });

  it("several actions become a list of SQS:<Action>", () => {
    const json = value(addPermission(undefined, ARN, grant("l", ["111111111111"], ["SendMessage", "DeleteMessage"])));
    expect(JSON.parse(json).Statement[0].Action).toEqual(["SQS:SendMessage", "SQS:DeleteMessage"]);
  });

  it("a 21st statement is OverLimit", () => {
    let json: string | undefined;
    for (let i = 1; i <= 20; i++) json = value(addPermission(json, ARN, grant(`l${i}`, ["111111111111"])));
    expect(addPermission(json, ARN, grant("l21", ["111111111111"]))).toMatchObject({
      ok: false,
      error: { code: "OverLimit", status: 403, message: "21 Statements were found, maximum allowed is 20." },
    });
  });

  describe("request checks", () => {
    it("accepts grantable actions, including '*'", () => {
      expect(validatePermission(grant("label_1-x", ["111111111111"], ["*"]))).toBeUndefined();
      expect(
        validatePermission(
          grant("l", ["111111111111"], ["SendMessage", "ReceiveMessage", "ChangeMessageVisibility", "GetQueueUrl"]),
        ),
      ).toBeUndefined();
    });

    it.each([
      [{ accountIds: ["1"], actions: ["SendMessage"] }, "Label"],
      [{ label: "", accountIds: ["1"], actions: ["SendMessage"] }, "Label"],
      [{ label: "l", actions: ["SendMessage"] }, "AWSAccountIds"],
      [{ label: "l", accountIds: [], actions: ["SendMessage"] }, "AWSAccountIds"],
      [{ label: "l", accountIds: ["1"] }, "ActionName"],
      [{ label: "l", accountIds: ["1"], actions: [] }, "ActionName"],
    ])("%j: MissingParameter %s", (request, parameter) => {
      expect(validatePermission(request)).toMatchObject({
        code: "MissingParameter",
        message: `The request must contain the parameter ${parameter}.`,
      });
    });

    it.each(["SendMessageBatch", "Foo"])("invalid action %s", (action) => {
      expect(validatePermission(grant("l", ["1"], [action]))).toEqual(
        invalidParameterValue(
          `Value SQS:${action} for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.`,
        ),
      );
    });

    it.each(["CreateQueue", "DeleteQueue", "SetQueueAttributes", "AddPermission"])("owner-only action %s", (action) => {
      expect(validatePermission(grant("l", ["1"], [action]))).toEqual(
        invalidParameterValue(
          `Value SQS:${action} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.`,
        ),
      );
    });

    it("more than 7 actions is OverLimit (403)", () => {
      const actions = [
        "SendMessage",
        "ReceiveMessage",
        "DeleteMessage",
        "ChangeMessageVisibility",
        "GetQueueAttributes",
        "GetQueueUrl",
        "PurgeQueue",
        "ListQueueTags",
      ];
      expect(validatePermission(grant("l", ["1"], actions))).toMatchObject({
        code: "OverLimit",
        status: 403,
        message: "8 Actions were found, maximum allowed is 7.",
      });
    });
  });
});
