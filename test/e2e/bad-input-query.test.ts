/**
 * Client mistakes no SDK would make, sent as raw HTTP (AWS query protocol): each gets AWS's error for its wire
 * protocol (status, code, `__type` / `<ErrorResponse>`, `x-amzn-query-error`, request id), never a 500
 * or a stack trace, and leaves stored data as it was. Texts: ../shared/reference/sqs.md §2, §3.16,
 * notes/sqs-error-texts.md §14–16, and LocalStack's AWS-validated TestSqsQueryApi.
 */
import * as sdk from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { BODY, bytes, guardedQueue, sqs, type GuardedQueue } from "./bad-input-fixture";
import { expectNoInternals, expectQueryError, form, pathOf, queryCall } from "./raw";

let guarded: GuardedQueue;
let queueUrl: string;
const attributes = (url?: string) => guarded.attributes(url);
const expectUntouched = () => guarded.expectUntouched();

beforeAll(async () => {
  guarded = await guardedQueue();
  queueUrl = guarded.url;
});

describe("query: malformed form bodies", () => {
  // Documented (CommonErrors): MalformedQueryString, 404.
  const malformed = { status: 404, code: "MalformedQueryString" };

  it.each([
    ["a bad percent-escape", "%ZZ"],
    ["a truncated percent-escape", "abc%4"],
    ["a lone percent sign", "100%"],
  ])("%s in a value", async (_, value) => {
    const body = `Action=SendMessage&Version=2012-11-05&QueueUrl=${encodeURIComponent(queueUrl)}&MessageBody=${value}`;
    expectQueryError(await queryCall(body), malformed);
    await expectUntouched();
  });

  it("a bad percent-escape in the query string", async () => {
    const res = await queryCall(`Action=SendMessage&QueueUrl=${encodeURIComponent(queueUrl)}&MessageBody=%G1`, { method: "GET" });
    expectQueryError(res, malformed);
    await expectUntouched();
  });

  it("percent-escaped invalid UTF-8", async () => {
    const body = `Action=SendMessage&Version=2012-11-05&QueueUrl=${encodeURIComponent(queueUrl)}&MessageBody=%FF%FE%C3%28`;
    expectQueryError(await queryCall(body), malformed);
    await expectUntouched();
  });

  it("raw invalid UTF-8 bytes in the form body", async () => {
    const body = bytes(
      `Action=SendMessage&Version=2012-11-05&QueueUrl=${encodeURIComponent(queueUrl)}&MessageBody=`,
      [0xff, 0xfe, 0x80],
    );
    expectQueryError(await queryCall(body), malformed);
    await expectUntouched();
  });
});

describe("query: actions", () => {
  it("unknown Action → InvalidAction (recorded)", async () => {
    for (const res of [
      await queryCall(form({ Action: "FooBar" })),
      await queryCall(form({ Action: "FooBar" }), { method: "GET", path: pathOf(queueUrl) }),
    ]) {
      expectQueryError(res, { status: 400, code: "InvalidAction", message: "The action FooBar is not valid for this endpoint." });
    }
  });

  it("no Action at all → MissingAction", async () => {
    expectQueryError(await queryCall(form({ QueueName: "x" })), { status: 400, code: "MissingAction" });
    expectQueryError(await queryCall(""), { status: 400, code: "MissingAction" });
  });

  it.each(["CreateQueue", "ListQueues"])("%s sent to a queue URL → InvalidAction (recorded)", async (action) => {
    const name = uniqueName("never-created");
    const res = await queryCall({ Action: action, QueueName: name }, { method: "GET", path: pathOf(queueUrl) });
    expectQueryError(res, {
      status: 400,
      code: "InvalidAction",
      message: `The action ${action} is not valid for this endpoint.`,
    });
    const listed = await sqs().send(new sdk.ListQueuesCommand({ QueueNamePrefix: name }));
    expect(listed.QueueUrls ?? []).toEqual([]);
  });

  it("GET on a queue URL without a query → 404 UnknownOperationException (recorded)", async () => {
    for (const headers of [{}, { accept: "application/json" }] as Record<string, string>[]) {
      const res = await queryCall("", { method: "GET", path: pathOf(queueUrl), headers });
      expect(res.status).toBe(404);
      expect(res.text).toContain("<UnknownOperationException");
      expect(res.headers.get("x-amzn-requestid")).toBeTruthy();
      expectNoInternals(res.text);
    }
    await expectUntouched();
  });
});

describe("query: wrong types and ranges", () => {
  it("a string where an integer is expected → InvalidParameterValue", async () => {
    const res = await queryCall(form({ Action: "SendMessage", QueueUrl: queueUrl, MessageBody: "x", DelaySeconds: "abc" }));
    expectQueryError(res, {
      status: 400,
      code: "InvalidParameterValue",
      message: /^Value abc for parameter DelaySeconds is invalid\./,
    });
    const res2 = await queryCall(form({ Action: "ReceiveMessage", QueueUrl: queueUrl, MaxNumberOfMessages: "ten" }));
    expectQueryError(res2, {
      status: 400,
      code: "InvalidParameterValue",
      message: /^Value ten for parameter MaxNumberOfMessages is invalid\./,
    });
    await expectUntouched();
  });

  it("a huge or fractional integer → InvalidParameterValue", async () => {
    for (const value of ["99999999999999999999999", "1.5", "1e3"]) {
      const res = await queryCall(form({ Action: "ReceiveMessage", QueueUrl: queueUrl, MaxNumberOfMessages: value }));
      expectQueryError(res, {
        status: 400,
        code: "InvalidParameterValue",
        message: new RegExp(`^Value ${value.replace(".", "\\.")} for parameter MaxNumberOfMessages is invalid\\.`),
      });
    }
    await expectUntouched();
  });

  it("out-of-range numbers → the recorded texts", async () => {
    const res = await queryCall(form({ Action: "ReceiveMessage", QueueUrl: queueUrl, MaxNumberOfMessages: "11" }));
    expectQueryError(res, {
      status: 400,
      code: "InvalidParameterValue",
      message: "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
    });
    const res2 = await queryCall(form({ Action: "SendMessage", QueueUrl: queueUrl, MessageBody: "x", DelaySeconds: "-1" }));
    expectQueryError(res2, {
      status: 400,
      code: "InvalidParameterValue",
      message: "Value -1 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.",
    });
    await expectUntouched();
  });
});

describe("query: requests sent to a queue URL path", () => {
  it("SendMessage and ReceiveMessage take the queue from the path (recorded)", async () => {
    const a = (await sqs().send(new sdk.CreateQueueCommand({ QueueName: uniqueName("path-a") }))).QueueUrl!;
    const b = (await sqs().send(new sdk.CreateQueueCommand({ QueueName: uniqueName("path-b") }))).QueueUrl!;
    const sent = await queryCall({ Action: "SendMessage", MessageBody: "foobar" }, { method: "GET", path: pathOf(a) });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.text).toContain("<SendMessageResponse");
    expect(sent.text).toContain("<MD5OfMessageBody>3858f62230ac3c915f300c664312c63f</MD5OfMessageBody>");

    const none = await queryCall({ Action: "ReceiveMessage" }, { method: "GET", path: pathOf(b) });
    expect(none.status, none.text).toBe(200);
    expect(none.text).not.toContain("foobar");
    expect(none.text.replace(" />", "/>")).toMatch(/<ReceiveMessageResult\/>|<ReceiveMessageResult><\/ReceiveMessageResult>/);

    const got = await queryCall({ Action: "ReceiveMessage" }, { method: "GET", path: pathOf(a) });
    expect(got.status, got.text).toBe(200);
    expect(got.text).toContain("<Body>foobar</Body>");
    expect(got.text).toContain("<MD5OfBody>");
  });

  it("POST with a form body to the path works as well", async () => {
    const a = (await sqs().send(new sdk.CreateQueueCommand({ QueueName: uniqueName("path-post") }))).QueueUrl!;
    const sent = await queryCall(form({ Action: "SendMessage", MessageBody: "posted" }), { path: pathOf(a) });
    expect(sent.status, sent.text).toBe(200);
    const { Messages } = await sqs().send(new sdk.ReceiveMessageCommand({ QueueUrl: a }));
    expect(Messages?.[0]?.Body).toBe("posted");
  });

  it("a QueueUrl parameter wins over the path (recorded)", async () => {
    const a = (await sqs().send(new sdk.CreateQueueCommand({ QueueName: uniqueName("path-a") }))).QueueUrl!;
    const b = (await sqs().send(new sdk.CreateQueueCommand({ QueueName: uniqueName("path-b") }))).QueueUrl!;
    const attrs = await queryCall(
      { Action: "GetQueueAttributes", QueueUrl: b, "AttributeName.1": "QueueArn" },
      { method: "GET", path: pathOf(a) },
    );
    expect(attrs.status, attrs.text).toBe(200);
    expect(attrs.text).toContain("<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:");
    expect(attrs.text).toContain(b.split("/").pop()!);
    expect(attrs.text).not.toContain(a.split("/").pop()!);

    const sent = await queryCall({ Action: "SendMessage", QueueUrl: b, MessageBody: "to-b" }, { method: "GET", path: pathOf(a) });
    expect(sent.status, sent.text).toBe(200);
    expect((await attributes(a)).ApproximateNumberOfMessages).toBe("0");
    const { Messages } = await sqs().send(new sdk.ReceiveMessageCommand({ QueueUrl: b }));
    expect(Messages?.[0]?.Body).toBe("to-b");
  });

  it("GetQueueUrl works at a queue URL, for that queue or another (recorded)", async () => {
    const a = (await sqs().send(new sdk.CreateQueueCommand({ QueueName: uniqueName("path-a") }))).QueueUrl!;
    const b = (await sqs().send(new sdk.CreateQueueCommand({ QueueName: uniqueName("path-b") }))).QueueUrl!;
    for (const url of [a, b]) {
      const res = await queryCall(
        { Action: "GetQueueUrl", QueueName: url.split("/").pop()! },
        { method: "GET", path: pathOf(a) },
      );
      expect(res.status, res.text).toBe(200);
      expect(res.text).toContain(`<QueueUrl>${url}</QueueUrl>`);
    }
  });

  it("a missing queue named by the path → NonExistentQueue", async () => {
    const path = `${pathOf(queueUrl).split("/").slice(0, 2).join("/")}/${uniqueName("nope")}`;
    const res = await queryCall({ Action: "GetQueueAttributes", "AttributeName.1": "QueueArn" }, { method: "GET", path });
    expectQueryError(res, {
      status: 400,
      code: "AWS.SimpleQueueService.NonExistentQueue",
      message: "The specified queue does not exist for this wsdl version.",
    });
  });
});

describe("after all of the above", () => {
  it("the queue still has its one message, unchanged, and its attributes", async () => {
    await expectUntouched();
    const { Messages } = await sqs().send(new sdk.ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((m) => m.Body)).toEqual([BODY]);
  });
});
