/**
 * Client mistakes no SDK would make, sent as raw HTTP (AWS JSON 1.0): each gets AWS's error for its wire
 * protocol (status, code, `__type` / `<ErrorResponse>`, `x-amzn-query-error`, request id), never a 500
 * or a stack trace, and leaves stored data as it was. Texts: ../shared/reference/sqs.md §2, §3.16,
 * notes/sqs-error-texts.md §14–16, and LocalStack's AWS-validated TestSqsQueryApi.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CORAL, bytes, guardedQueue, invalidValue, missing, SERIALIZATION, type GuardedQueue } from "./bad-input-fixture";
import { expectJsonError, jsonCall } from "./raw";

let guarded: GuardedQueue;
let queueUrl: string;
const expectUntouched = () => guarded.expectUntouched();

beforeAll(async () => {
  guarded = await guardedQueue();
  queueUrl = guarded.url;
});

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
