/**
 * The AWS JSON 1.0 codec with the real SQS shapes: request bodies in (blobs, maps, nested batch
 * entries), SQS's wording for missing members, wrong types and malformed bodies, and output JSON.
 */
import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import type { Result } from "../../src/domain/errors";
import { decodeJsonInput, encodeJsonOutput, parseJsonBody } from "../../src/protocol/json";
import { sqsModel } from "../../src/services/sqs/shapes/model";
import { sqsCodecErrors } from "../../src/services/sqs/wire";
import { failure, value } from "./results";

const QUEUE_URL = "http://localhost:4566/000000000000/q";
const SERIALIZATION = { code: "SerializationException", type: "com.amazon.coral.service#SerializationException", status: 400 };

/** Body bytes → decoded input of the operation, as the dispatcher does it. */
function decodeResult(operation: string, body: string | Uint8Array): Result<Record<string, unknown>> {
  const errors = sqsCodecErrors(operation, "json");
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const parsed = parseJsonBody(bytes, errors);
  return parsed.ok ? decodeJsonInput(sqsModel.operations[operation]!.input, parsed.value, errors) : parsed;
}

const decode = (operation: string, body: string | Uint8Array) => value(decodeResult(operation, body));

const json = (value: unknown) => JSON.stringify(value);

describe("JSON input", () => {
  it("SendMessageBatch entries with message attributes, base64 binaries and system attributes", () => {
    const input = decode(
      "SendMessageBatch",
      json({
        QueueUrl: QUEUE_URL,
        Entries: [
          {
            Id: "a",
            MessageBody: "hello",
            DelaySeconds: 3,
            MessageAttributes: {
              s: { DataType: "String", StringValue: "v" },
              b: { DataType: "Binary", BinaryValue: "AAH/" },
              n: { DataType: "Number.int", StringValue: "42" },
            },
            MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-abc" } },
          },
          { Id: "b", MessageBody: "second", MessageGroupId: "g", MessageDeduplicationId: "d" },
        ],
      }),
    );
    expect(input).toEqual({
      QueueUrl: QUEUE_URL,
      Entries: [
        {
          Id: "a",
          MessageBody: "hello",
          DelaySeconds: 3,
          MessageAttributes: {
            s: { DataType: "String", StringValue: "v" },
            b: { DataType: "Binary", BinaryValue: Uint8Array.of(0x00, 0x01, 0xff) },
            n: { DataType: "Number.int", StringValue: "42" },
          },
          MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-abc" } },
        },
        { Id: "b", MessageBody: "second", MessageGroupId: "g", MessageDeduplicationId: "d" },
      ],
    });
  });

  it("CreateQueue attributes and tags (the lower-case `tags` member) as maps", () => {
    expect(decode("CreateQueue", json({ QueueName: "q", Attributes: { DelaySeconds: "5" }, tags: { team: "core" } }))).toEqual({
      QueueName: "q",
      Attributes: { DelaySeconds: "5" },
      tags: { team: "core" },
    });
  });

  it("ReceiveMessage name lists and integers", () => {
    expect(
      decode(
        "ReceiveMessage",
        json({
          QueueUrl: QUEUE_URL,
          AttributeNames: ["All"],
          MessageSystemAttributeNames: ["SenderId"],
          MessageAttributeNames: [".*"],
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
        }),
      ),
    ).toEqual({
      QueueUrl: QUEUE_URL,
      AttributeNames: ["All"],
      MessageSystemAttributeNames: ["SenderId"],
      MessageAttributeNames: [".*"],
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
    });
  });

  it("treats null members as absent and ignores unknown members", () => {
    expect(decode("SendMessage", json({ QueueUrl: QUEUE_URL, MessageBody: "x", DelaySeconds: null, Unknown: 1 }))).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: "x",
    });
  });

  it("keeps an empty Entries list (the batch rules then answer EmptyBatchRequest)", () => {
    expect(decode("DeleteMessageBatch", json({ QueueUrl: QUEUE_URL, Entries: [] }))).toEqual({
      QueueUrl: QUEUE_URL,
      Entries: [],
    });
  });

  it("accepts a UTF-8 body with non-ASCII text", () => {
    expect(decode("SendMessage", json({ QueueUrl: QUEUE_URL, MessageBody: "€ 😀 日本" })).MessageBody).toBe("€ 😀 日本");
  });
});

describe("JSON input errors (SQS wording)", () => {
  it.each([
    ["SendMessage", { QueueUrl: QUEUE_URL }, "MessageBody"],
    ["SendMessage", { MessageBody: "x" }, "QueueUrl"],
    ["GetQueueUrl", {}, "QueueName"],
    ["ChangeMessageVisibility", { QueueUrl: QUEUE_URL, ReceiptHandle: "rh" }, "VisibilityTimeout"],
  ])("%s %j: MissingParameter naming the member", (operation, body, member) => {
    expect(failure(decodeResult(operation, json(body)))).toMatchObject({
      code: "MissingParameter",
      type: "com.amazon.coral.service#MissingRequiredParameterException",
      status: 400,
      message: `The request must contain the parameter ${member}.`,
    });
  });

  it("an empty body is an empty input: the first required member is missing", () => {
    expect(failure(decodeResult("SendMessage", ""))).toMatchObject({ code: "MissingParameter" });
  });

  it.each([
    ["SendMessageBatch", "SendMessageBatchRequestEntry"],
    ["DeleteMessageBatch", "DeleteMessageBatchRequestEntry"],
    ["ChangeMessageVisibilityBatch", "ChangeMessageVisibilityBatchRequestEntry"],
  ])("%s without Entries: EmptyBatchRequest", (operation, entryShape) => {
    expect(failure(decodeResult(operation, json({ QueueUrl: QUEUE_URL })))).toMatchObject({
      code: "AWS.SimpleQueueService.EmptyBatchRequest",
      type: "com.amazonaws.sqs#EmptyBatchRequest",
      message: `There should be at least one ${entryShape} in the request.`,
    });
  });

  // Coral's deserializer messages (notes §15; "STRING_VALUE … an Integer" seen from real SQS, async-aws/aws#1667).
  it.each<[string, string, Record<string, unknown>, string]>([
    [
      "a string for an Integer",
      "ReceiveMessage",
      { QueueUrl: QUEUE_URL, VisibilityTimeout: "30" },
      "STRING_VALUE can not be converted to an Integer",
    ],
    [
      "a string for DelaySeconds",
      "SendMessage",
      { QueueUrl: QUEUE_URL, MessageBody: "x", DelaySeconds: "invalid" },
      "STRING_VALUE can not be converted to an Integer",
    ],
    [
      "an object for a scalar",
      "ReceiveMessage",
      { QueueUrl: QUEUE_URL, MaxNumberOfMessages: { n: 1 } },
      "Start of structure or map found where not expected.",
    ],
    [
      "an array for a scalar",
      "ReceiveMessage",
      { QueueUrl: QUEUE_URL, MaxNumberOfMessages: [1] },
      "Start of list found where not expected",
    ],
    [
      "an object for an attribute value",
      "CreateQueue",
      { QueueName: "q", Attributes: { DelaySeconds: { v: 1 } } },
      "Start of structure or map found where not expected.",
    ],
    [
      "a number for a String (as Coral words it: NUMBER_VALUE)",
      "SendMessage",
      { QueueUrl: QUEUE_URL, MessageBody: 5 },
      "NUMBER_VALUE can not be converted to a String",
    ],
  ])("%s: SerializationException", (_, operation, body, message) => {
    expect(failure(decodeResult(operation, json(body)))).toMatchObject({ ...SERIALIZATION, message });
  });

  it("a BinaryValue that is not base64 is a SerializationException", () => {
    const body = { QueueUrl: QUEUE_URL, MessageBody: "x", MessageAttributes: { b: { DataType: "Binary", BinaryValue: "***" } } };
    expect(failure(decodeResult("SendMessage", json(body)))).toMatchObject(SERIALIZATION);
  });

  it("a fractional number for an Integer is a SerializationException", () => {
    expect(failure(decodeResult("ReceiveMessage", json({ QueueUrl: QUEUE_URL, WaitTimeSeconds: 1.5 })))).toMatchObject(
      SERIALIZATION,
    );
  });

  it.each([
    ["truncated JSON", '{"QueueUrl": "q"'],
    ["a trailing comma", '{"QueueUrl": "q",}'],
    ["single quotes", "{'QueueUrl': 'q'}"],
    ["not JSON at all", "Action=SendMessage"],
    ["a JSON array", "[]"],
    ["a JSON string", '"q"'],
    ["JSON null", "null"],
  ])("a malformed body (%s) is a SerializationException, not a 500", (_, body) => {
    expect(failure(decodeResult("SendMessage", body))).toMatchObject(SERIALIZATION);
  });

  it.each([
    ["an invalid byte", Uint8Array.of(0x7b, 0x22, 0xff, 0x22, 0x7d)],
    ["a truncated sequence", new Uint8Array([...new TextEncoder().encode('{"MessageBody":"'), 0xe2, 0x82, 0x22, 0x7d])],
    ["an encoded surrogate", new Uint8Array([...new TextEncoder().encode('{"MessageBody":"'), 0xed, 0xa0, 0x80, 0x22, 0x7d])],
  ])("invalid UTF-8 (%s) is a SerializationException", (_, bytes) => {
    expect(failure(decodeResult("SendMessage", bytes))).toMatchObject(SERIALIZATION);
  });
});

describe("JSON output", () => {
  const out = (operation: string, value: Record<string, unknown>) =>
    encodeJsonOutput(sqsModel.operations[operation]!.output, value);

  it("encodes binaries as base64 and keeps maps and lists", () => {
    expect(
      out("ReceiveMessage", {
        Messages: [
          {
            MessageId: "m",
            Body: "b",
            Attributes: { SenderId: "000000000000" },
            MessageAttributes: { b: { DataType: "Binary", BinaryValue: Uint8Array.of(0, 1, 255) } },
          },
        ],
      }),
    ).toEqual({
      Messages: [
        {
          MessageId: "m",
          Body: "b",
          Attributes: { SenderId: "000000000000" },
          MessageAttributes: { b: { DataType: "Binary", BinaryValue: Buffer.from([0, 1, 255]).toString("base64") } },
        },
      ],
    });
  });

  it("drops absent members and anything the shape does not name", () => {
    expect(out("SendMessage", { MessageId: "m", MD5OfMessageBody: "d", MD5OfMessageAttributes: undefined, internal: 1 })).toEqual(
      {
        MessageId: "m",
        MD5OfMessageBody: "d",
      },
    );
    expect(out("DeleteMessage", {})).toEqual({});
  });

  it("keeps batch results with booleans", () => {
    expect(
      out("DeleteMessageBatch", {
        Successful: [],
        Failed: [{ Id: "a", SenderFault: true, Code: "ReceiptHandleIsInvalid", Message: "m" }],
      }),
    ).toEqual({ Successful: [], Failed: [{ Id: "a", SenderFault: true, Code: "ReceiptHandleIsInvalid", Message: "m" }] });
  });

  it("round-trips special characters unchanged (JSON needs no XML escaping)", () => {
    const body = "a & b < c > d \" e ' f\r\n";
    expect(JSON.parse(JSON.stringify(out("ReceiveMessage", { Messages: [{ MessageId: "m", Body: body }] })))).toEqual({
      Messages: [{ MessageId: "m", Body: body }],
    });
  });
});
