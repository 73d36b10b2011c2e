/**
 * Client mistakes no SDK would make, sent as raw HTTP: each gets AWS's error for its wire protocol
 * (status, code, `__type` / `<ErrorResponse>`, `x-amzn-query-error`, request id), never a 500 or a
 * stack trace, and leaves stored data as it was. Texts: ../shared/reference/sqs.md §2, §3.16,
 * notes/sqs-error-texts.md §14–16, and LocalStack's AWS-validated TestSqsQueryApi.
 */
import * as sdk from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { client, uniqueName } from "./clients";
import {
  expectError,
  expectJsonError,
  expectNoInternals,
  expectQueryError,
  form,
  jsonCall,
  pathOf,
  queryCall,
  type RawResponse,
} from "./raw";

const CORAL = "com.amazon.coral.service#";
const SERIALIZATION = { status: 400, code: "SerializationException", type: `${CORAL}SerializationException` } as const;
const missing = (parameter: string) => ({
  status: 400,
  code: "MissingParameter",
  type: `${CORAL}MissingRequiredParameterException`,
  message: `The request must contain the parameter ${parameter}.`,
});
const invalidValue = (message: string | RegExp) => ({
  status: 400,
  code: "InvalidParameterValue",
  type: `${CORAL}InvalidParameterValueException`,
  message,
});

const sqs = () => client(sdk);

/** A queue with one message and non-default attributes that every bad request below must leave alone. */
let queueUrl: string;
let before: Record<string, string>;
const BODY = "keep me";

async function attributes(url = queueUrl): Promise<Record<string, string>> {
  const { Attributes } = await sqs().send(new sdk.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
  return Attributes ?? {};
}

async function expectUntouched(): Promise<void> {
  expect(await attributes()).toEqual(before);
}

beforeAll(async () => {
  ({ QueueUrl: queueUrl } = (await sqs().send(
    new sdk.CreateQueueCommand({
      QueueName: uniqueName("bad-input"),
      Attributes: { VisibilityTimeout: "45", DelaySeconds: "0", MaximumMessageSize: "2048" },
    }),
  )) as { QueueUrl: string });
  await sqs().send(new sdk.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: BODY }));
  before = await attributes();
  expect(before.ApproximateNumberOfMessages).toBe("1");
});

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));

describe("JSON 1.0: malformed bodies", () => {
  it.each([
    ["truncated JSON", '{"QueueUrl": '],
    ["trailing garbage", '{"QueueUrl": "x"} }'],
    ["single quotes", "{'QueueUrl': 'x'}"],
    ["not JSON at all", "QueueUrl=x&MessageBody=y"],
  ])("%s → SerializationException", async (_, body) => {
    const res = await jsonCall("SendMessage", body);
    const error = expectJsonError(res, SERIALIZATION);
    expect(typeof error.message).toBe("string");
    await expectUntouched();
  });

  it.each([
    ["an array", "[]"],
    ["a string", '"hello"'],
    ["a number", "42"],
    ["a boolean", "true"],
  ])("a body that is %s, not an object → SerializationException", async (_, body) => {
    expectJsonError(await jsonCall("SendMessage", body), SERIALIZATION);
  });

  it("invalid UTF-8 bytes → SerializationException, nothing sent", async () => {
    const body = bytes(`{"QueueUrl":"${queueUrl}","MessageBody":"`, [0xff, 0xfe, 0xc3, 0x28], '"}');
    expectJsonError(await jsonCall("SendMessage", body), SERIALIZATION);
    await expectUntouched();
  });

  it("a lone UTF-8 continuation byte in a key → SerializationException", async () => {
    const body = bytes('{"Queue', [0x80], `Url":"${queueUrl}"}`);
    expectJsonError(await jsonCall("GetQueueAttributes", body), SERIALIZATION);
  });

  it("an empty body is an empty input: MissingParameter", async () => {
    expectJsonError(await jsonCall("SendMessage", ""), missing("QueueUrl"));
  });
});

describe("JSON 1.0: unknown operations", () => {
  it.each(["FooBar", "sendmessage", "", "SendMessage.Extra"])(
    "X-Amz-Target AmazonSQS.%s → UnknownOperationException",
    async (op) => {
      const res = await jsonCall(op, {});
      expectJsonError(res, { status: 400, code: "UnknownOperationException", type: `${CORAL}UnknownOperationException` });
    },
  );

  it("an unknown target prefix → UnknownOperationException", async () => {
    const res = await jsonCall(
      "SendMessage",
      { QueueUrl: queueUrl, MessageBody: "x" },
      { "x-amz-target": "AmazonFoo_2020.SendMessage" },
    );
    expectJsonError(res, { status: 400, code: "UnknownOperationException", type: `${CORAL}UnknownOperationException` });
    await expectUntouched();
  });
});

describe("JSON 1.0: wrong member types", () => {
  it("a string where an Integer is expected", async () => {
    const res = await jsonCall("SendMessage", { QueueUrl: queueUrl, MessageBody: "x", DelaySeconds: "5" });
    expectJsonError(res, { ...SERIALIZATION, message: "STRING_VALUE can not be converted to an Integer" });
    const res2 = await jsonCall("ReceiveMessage", { QueueUrl: queueUrl, VisibilityTimeout: "30" });
    expectJsonError(res2, { ...SERIALIZATION, message: "STRING_VALUE can not be converted to an Integer" });
    await expectUntouched();
  });

  it("an object where a scalar is expected", async () => {
    const res = await jsonCall("SendMessage", { QueueUrl: queueUrl, MessageBody: { text: "x" } });
    expectJsonError(res, { ...SERIALIZATION, message: "Start of structure or map found where not expected." });
    const res2 = await jsonCall("SendMessage", { QueueUrl: { url: queueUrl }, MessageBody: "x" });
    expectJsonError(res2, { ...SERIALIZATION, message: "Start of structure or map found where not expected." });
    await expectUntouched();
  });

  it("an array where a scalar is expected", async () => {
    const res = await jsonCall("SendMessage", { QueueUrl: queueUrl, MessageBody: ["x"] });
    expectJsonError(res, { ...SERIALIZATION, message: "Start of list found where not expected" });
    const res2 = await jsonCall("ReceiveMessage", { QueueUrl: queueUrl, MaxNumberOfMessages: [1] });
    expectJsonError(res2, { ...SERIALIZATION, message: "Start of list found where not expected" });
    await expectUntouched();
  });

  it("an object as a queue attribute value", async () => {
    const res = await jsonCall("SetQueueAttributes", { QueueUrl: queueUrl, Attributes: { VisibilityTimeout: { v: 1 } } });
    expectJsonError(res, { ...SERIALIZATION, message: "Start of structure or map found where not expected." });
    await expectUntouched();
  });

  it("a scalar where a list or map is expected → 400, never a 500", async () => {
    for (const body of [
      { QueueUrl: queueUrl, AttributeNames: "All" },
      { QueueUrl: queueUrl, Attributes: "VisibilityTimeout=5" },
    ]) {
      const res = await jsonCall(body.Attributes ? "SetQueueAttributes" : "GetQueueAttributes", body);
      expectJsonError(res, SERIALIZATION);
    }
    await expectUntouched();
  });
});

describe("JSON 1.0: out-of-range numbers", () => {
  it("DelaySeconds -1 and 1000", async () => {
    for (const delay of [-1, 1000]) {
      const res = await jsonCall("SendMessage", { QueueUrl: queueUrl, MessageBody: "x", DelaySeconds: delay });
      expectJsonError(
        res,
        invalidValue(`Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`),
      );
    }
    await expectUntouched();
  });

  it("MaxNumberOfMessages 11 and WaitTimeSeconds 21", async () => {
    const res = await jsonCall("ReceiveMessage", { QueueUrl: queueUrl, MaxNumberOfMessages: 11 });
    expectJsonError(
      res,
      invalidValue("Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."),
    );
    const res2 = await jsonCall("ReceiveMessage", { QueueUrl: queueUrl, WaitTimeSeconds: 21 });
    expectJsonError(
      res2,
      invalidValue("Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."),
    );
    await expectUntouched();
  });

  it("numbers far outside any integer range → 400, never a 500", async () => {
    for (const value of ["1e400", "99999999999999999999999", "-99999999999999999999999", "1.5"]) {
      const res = await jsonCall("ReceiveMessage", `{"QueueUrl":"${queueUrl}","MaxNumberOfMessages":${value}}`);
      expect(res.status, res.text).toBe(400);
      const code = res.headers.get("x-amzn-query-error")?.split(";")[0];
      expect(["SerializationException", "InvalidParameterValue"]).toContain(code);
      expectJsonError(res, { status: 400, code: code! });
    }
    await expectUntouched();
  });

  it("queue attribute out of range → InvalidAttributeValue, no attribute changed", async () => {
    const res = await jsonCall("SetQueueAttributes", {
      QueueUrl: queueUrl,
      Attributes: { DelaySeconds: "10", VisibilityTimeout: "50000" },
    });
    expectJsonError(res, {
      status: 400,
      code: "InvalidAttributeValue",
      type: "com.amazonaws.sqs#InvalidAttributeValue",
      message: "Invalid value for the parameter VisibilityTimeout.",
    });
    await expectUntouched();
  });
});

describe.each(["json", "query"] as const)("%s: shared checks", (protocol) => {
  const call = (operation: string, input: Record<string, string>): Promise<RawResponse> =>
    protocol === "json" ? jsonCall(operation, input) : queryCall(form({ Action: operation, ...input }));

  it("missing QueueUrl → MissingParameter", async () => {
    expectError(protocol, await call("SendMessage", { MessageBody: "x" }), missing("QueueUrl"));
    expectError(protocol, await call("GetQueueAttributes", {}), missing("QueueUrl"));
  });

  it("missing MessageBody / ReceiptHandle → MissingParameter", async () => {
    expectError(protocol, await call("SendMessage", { QueueUrl: queueUrl }), missing("MessageBody"));
    expectError(protocol, await call("DeleteMessage", { QueueUrl: queueUrl }), missing("ReceiptHandle"));
    await expectUntouched();
  });

  it("missing QueueName → MissingParameter, no queue created", async () => {
    expectError(protocol, await call("CreateQueue", {}), missing("QueueName"));
  });

  it.each(["garbage", "AQEB" + "x".repeat(300), 'a"<b>&c', "MTE~abc"])(
    "garbage receipt handle %s → ReceiptHandleIsInvalid 404",
    async (handle) => {
      const res = await call("DeleteMessage", { QueueUrl: queueUrl, ReceiptHandle: handle });
      expectError(protocol, res, {
        status: 404,
        code: "ReceiptHandleIsInvalid",
        type: "com.amazonaws.sqs#ReceiptHandleIsInvalid",
        message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
      });
      await expectUntouched();
    },
  );

  it("a garbage handle fails alone in DeleteMessageBatch", async () => {
    const url = (await sqs().send(new sdk.CreateQueueCommand({ QueueName: uniqueName("bad-batch") }))).QueueUrl!;
    await sqs().send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "a" }));
    const { Messages } = await sqs().send(new sdk.ReceiveMessageCommand({ QueueUrl: url }));
    const good = Messages![0]!.ReceiptHandle!;
    const entries =
      protocol === "json"
        ? jsonCall("DeleteMessageBatch", {
            QueueUrl: url,
            Entries: [
              { Id: "bad", ReceiptHandle: "garbage" },
              { Id: "good", ReceiptHandle: good },
            ],
          } as unknown as Record<string, string>)
        : queryCall(
            form({
              Action: "DeleteMessageBatch",
              QueueUrl: url,
              "DeleteMessageBatchRequestEntry.1.Id": "bad",
              "DeleteMessageBatchRequestEntry.1.ReceiptHandle": "garbage",
              "DeleteMessageBatchRequestEntry.2.Id": "good",
              "DeleteMessageBatchRequestEntry.2.ReceiptHandle": good,
            }),
          );
    const res = await entries;
    expect(res.status, res.text).toBe(200);
    if (protocol === "json") {
      const body = JSON.parse(res.text) as {
        Successful: { Id: string }[];
        Failed: { Id: string; Code: string; SenderFault: boolean }[];
      };
      expect(body.Successful.map((s) => s.Id)).toEqual(["good"]);
      expect(body.Failed).toHaveLength(1);
      expect(body.Failed[0]).toMatchObject({ Id: "bad", Code: "ReceiptHandleIsInvalid", SenderFault: true });
    } else {
      expect(res.text).toMatch(/<DeleteMessageBatchResultEntry><Id>good<\/Id><\/DeleteMessageBatchResultEntry>/);
      expect(res.text).toMatch(/<BatchResultErrorEntry>.*<Id>bad<\/Id>.*<\/BatchResultErrorEntry>/);
      expect(res.text).toMatch(/<Code>ReceiptHandleIsInvalid<\/Code>/);
      expect(res.text).toMatch(/<SenderFault>true<\/SenderFault>/);
    }
    expect((await attributes(url)).ApproximateNumberOfMessagesNotVisible).toBe("0");
  });

  it("a forbidden character in a message body → InvalidMessageContents, nothing sent", async () => {
    const res = await call("SendMessage", { QueueUrl: queueUrl, MessageBody: "a\u0001b" });
    expectError(protocol, res, {
      status: 400,
      code: "InvalidMessageContents",
      type: "com.amazonaws.sqs#InvalidMessageContents",
      message:
        "Invalid binary character '#x1' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].",
    });
    await expectUntouched();
  });

  it("a non-numeric queue attribute → InvalidAttributeValue, attributes unchanged", async () => {
    const input =
      protocol === "json"
        ? ({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: "abc" } } as unknown as Record<string, string>)
        : { QueueUrl: queueUrl, "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "abc" };
    const res = await call("SetQueueAttributes", input);
    expectError(protocol, res, {
      status: 400,
      code: "InvalidAttributeValue",
      type: "com.amazonaws.sqs#InvalidAttributeValue",
      message: "Invalid value for the parameter VisibilityTimeout.",
    });
    await expectUntouched();
  });

  it("an oversized body (> 16 MiB) → 413", async () => {
    const huge = "x".repeat(16 * 1024 * 1024 + 10);
    const res =
      protocol === "json"
        ? await jsonCall("SendMessage", { QueueUrl: queueUrl, MessageBody: huge })
        : await queryCall(form({ Action: "SendMessage", QueueUrl: queueUrl, MessageBody: huge }));
    expect(res.status).toBe(413);
    const code =
      protocol === "json" ? res.headers.get("x-amzn-query-error")?.split(";")[0] : /<Code>([^<]*)</.exec(res.text)?.[1];
    expect(code).toBeTruthy();
    expectError(protocol, res, { status: 413, code: code! });
    await expectUntouched();
  });

  it("an oversized body without Content-Length (chunked) → 413", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x78);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 17) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const headers: Record<string, string> =
      protocol === "json"
        ? { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" }
        : { "content-type": "application/x-www-form-urlencoded" };
    const response = await fetch(`${new URL(queueUrl).origin}/`, {
      method: "POST",
      headers,
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = { status: response.status, headers: response.headers, text: await response.text() };
    expect(res.status, res.text.slice(0, 300)).toBe(413);
    expectNoInternals(res.text);
    expect(res.headers.get("x-amzn-requestid")).toBeTruthy();
    await expectUntouched();
  });
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
