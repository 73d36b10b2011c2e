/**
 * The AWS query protocol codec with the real SQS shapes: form parameters in, by the key names the query
 * SDKs send, and SQS's errors for missing members, wrong types and malformed forms (XML out: query-xml.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { Result } from "../../src/domain/errors";
import { decodeQueryInput, parseForm } from "../../src/protocol/query";
import { sqsModel } from "../../src/services/sqs/shapes/model";
import { sqsCodecErrors } from "../../src/services/sqs/wire";
import { failure, value } from "./results";

const QUEUE_URL = "http://localhost:4566/000000000000/q";

/** Form text → decoded input of the operation, as the dispatcher does it. */
function decodeResult(operation: string, form: string | Record<string, string>): Result<Record<string, unknown>> {
  const errors = sqsCodecErrors(operation, "query");
  const text = typeof form === "string" ? form : new URLSearchParams(form).toString();
  const params = parseForm(text, new Map(), errors);
  return params.ok ? decodeQueryInput(sqsModel.operations[operation]!.input, params.value, errors) : params;
}

const decode = (operation: string, form: string | Record<string, string>) => value(decodeResult(operation, form));

describe("query input: lists, maps and nested structures by their query names", () => {
  it("SendMessageBatch entries with string, number and binary message attributes and a system attribute", () => {
    const input = decode("SendMessageBatch", {
      QueueUrl: QUEUE_URL,
      "SendMessageBatchRequestEntry.1.Id": "a",
      "SendMessageBatchRequestEntry.1.MessageBody": "first & <body>",
      "SendMessageBatchRequestEntry.1.DelaySeconds": "5",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name": "colour",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType": "String",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue": "blue",
      "SendMessageBatchRequestEntry.1.MessageAttribute.2.Name": "blob",
      "SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.DataType": "Binary",
      "SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.BinaryValue": "AAH/",
      "SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Name": "AWSTraceHeader",
      "SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Value.DataType": "String",
      "SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Value.StringValue": "Root=1-abc",
      "SendMessageBatchRequestEntry.2.Id": "b",
      "SendMessageBatchRequestEntry.2.MessageBody": "second",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name": "n",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType": "Number",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue": "-1.5e3",
      "SendMessageBatchRequestEntry.2.MessageGroupId": "g",
      "SendMessageBatchRequestEntry.2.MessageDeduplicationId": "d",
    });
    expect(input).toEqual({
      QueueUrl: QUEUE_URL,
      Entries: [
        {
          Id: "a",
          MessageBody: "first & <body>",
          DelaySeconds: 5,
          MessageAttributes: {
            colour: { DataType: "String", StringValue: "blue" },
            blob: { DataType: "Binary", BinaryValue: Uint8Array.of(0x00, 0x01, 0xff) },
          },
          MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-abc" } },
        },
        {
          Id: "b",
          MessageBody: "second",
          MessageAttributes: { n: { DataType: "Number", StringValue: "-1.5e3" } },
          MessageGroupId: "g",
          MessageDeduplicationId: "d",
        },
      ],
    });
  });

  it("CreateQueue Attribute.N.Name/Value and Tag.N.Key/Value", () => {
    const input = decode("CreateQueue", {
      QueueName: "q.fifo",
      "Attribute.1.Name": "FifoQueue",
      "Attribute.1.Value": "true",
      "Attribute.2.Name": "RedrivePolicy",
      "Attribute.2.Value": '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq.fifo","maxReceiveCount":"3"}',
      "Tag.1.Key": "team",
      "Tag.1.Value": "core",
      "Tag.2.Key": "empty",
      "Tag.2.Value": "",
    });
    expect(input).toEqual({
      QueueName: "q.fifo",
      Attributes: {
        FifoQueue: "true",
        RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq.fifo","maxReceiveCount":"3"}',
      },
      tags: { team: "core", empty: "" },
    });
  });

  it("ReceiveMessage AttributeName.N, MessageAttributeName.N, MessageSystemAttributeName.N and integers", () => {
    const input = decode("ReceiveMessage", {
      QueueUrl: QUEUE_URL,
      "AttributeName.1": "SenderId",
      "AttributeName.2": "SentTimestamp",
      "MessageAttributeName.1": "All",
      "MessageSystemAttributeName.1": "ApproximateReceiveCount",
      "MessageSystemAttributeName.2": "AWSTraceHeader",
      MaxNumberOfMessages: "10",
      VisibilityTimeout: "0",
      WaitTimeSeconds: "20",
    });
    expect(input).toEqual({
      QueueUrl: QUEUE_URL,
      AttributeNames: ["SenderId", "SentTimestamp"],
      MessageAttributeNames: ["All"],
      MessageSystemAttributeNames: ["ApproximateReceiveCount", "AWSTraceHeader"],
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 20,
    });
  });

  it("reads list items in numeric order, not key order", () => {
    const input = decode(
      "GetQueueAttributes",
      `QueueUrl=q&AttributeName.2=B&AttributeName.10=J&AttributeName.1=A${Array.from(
        { length: 7 },
        (_, i) => `&AttributeName.${i + 3}=${String.fromCharCode(67 + i)}`,
      ).join("")}`,
    );
    expect(input.AttributeNames).toEqual(["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]);
  });

  it("AddPermission AWSAccountId.N and ActionName.N; UntagQueue TagKey.N; TagQueue Tag.N", () => {
    expect(
      decode("AddPermission", {
        QueueUrl: QUEUE_URL,
        Label: "l",
        "AWSAccountId.1": "111111111111",
        "AWSAccountId.2": "222222222222",
        "ActionName.1": "SendMessage",
      }),
    ).toEqual({ QueueUrl: QUEUE_URL, Label: "l", AWSAccountIds: ["111111111111", "222222222222"], Actions: ["SendMessage"] });
    expect(decode("UntagQueue", { QueueUrl: QUEUE_URL, "TagKey.1": "a", "TagKey.2": "b" })).toEqual({
      QueueUrl: QUEUE_URL,
      TagKeys: ["a", "b"],
    });
    expect(decode("TagQueue", { QueueUrl: QUEUE_URL, "Tag.1.Key": "k", "Tag.1.Value": "v" })).toEqual({
      QueueUrl: QUEUE_URL,
      Tags: { k: "v" },
    });
  });

  it("DeleteMessageBatch and ChangeMessageVisibilityBatch entries", () => {
    expect(
      decode("DeleteMessageBatch", {
        QueueUrl: QUEUE_URL,
        "DeleteMessageBatchRequestEntry.1.Id": "x",
        "DeleteMessageBatchRequestEntry.1.ReceiptHandle": "rh",
      }),
    ).toEqual({ QueueUrl: QUEUE_URL, Entries: [{ Id: "x", ReceiptHandle: "rh" }] });
    expect(
      decode("ChangeMessageVisibilityBatch", {
        QueueUrl: QUEUE_URL,
        "ChangeMessageVisibilityBatchRequestEntry.1.Id": "x",
        "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle": "rh",
        "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout": "60",
      }),
    ).toEqual({ QueueUrl: QUEUE_URL, Entries: [{ Id: "x", ReceiptHandle: "rh", VisibilityTimeout: 60 }] });
  });

  it("decodes percent-escapes and '+' in keys and values as UTF-8", () => {
    const input = decode("SendMessage", "QueueUrl=http%3A%2F%2Fh%2F000000000000%2Fq&MessageBody=a+b%2Bc%20%E2%82%AC%F0%9F%98%80");
    expect(input).toEqual({ QueueUrl: "http://h/000000000000/q", MessageBody: "a b+c €😀" });
  });
});

describe("query input errors (SQS wording)", () => {
  it.each([
    ["SendMessage", { QueueUrl: QUEUE_URL }, "MessageBody"],
    ["SendMessage", { MessageBody: "x" }, "QueueUrl"],
    ["ChangeMessageVisibility", { QueueUrl: QUEUE_URL, ReceiptHandle: "rh" }, "VisibilityTimeout"],
    ["CreateQueue", {}, "QueueName"],
  ])("%s without %j: MissingParameter", (operation, form, missing) => {
    const error = failure(decodeResult(operation, form));
    expect(error).toMatchObject({
      code: "MissingParameter",
      status: 400,
      message: `The request must contain the parameter ${missing}.`,
    });
  });

  it.each([
    ["SendMessageBatch", "SendMessageBatchRequestEntry"],
    ["DeleteMessageBatch", "DeleteMessageBatchRequestEntry"],
    ["ChangeMessageVisibilityBatch", "ChangeMessageVisibilityBatchRequestEntry"],
  ])("%s without entries: EmptyBatchRequest", (operation, entryShape) => {
    const error = failure(decodeResult(operation, { QueueUrl: QUEUE_URL }));
    expect(error).toMatchObject({
      code: "AWS.SimpleQueueService.EmptyBatchRequest",
      status: 400,
      message: `There should be at least one ${entryShape} in the request.`,
    });
  });

  it.each([
    ["MaxNumberOfMessages", "ten"],
    ["MaxNumberOfMessages", "1.5"],
    ["WaitTimeSeconds", ""],
    ["VisibilityTimeout", "99999999999999999999"],
  ])("a non-integer %s=%j is InvalidParameterValue naming the value and parameter", (name, value) => {
    const error = failure(decodeResult("ReceiveMessage", { QueueUrl: QUEUE_URL, [name]: value }));
    expect(error.code).toBe("InvalidParameterValue");
    expect(error.status).toBe(400);
    expect(error.message.startsWith(`Value ${value} for parameter ${name} is invalid.`)).toBe(true);
  });

  it("a BinaryValue that is not base64 is InvalidParameterValue", () => {
    const error = failure(
      decodeResult("SendMessage", {
        QueueUrl: QUEUE_URL,
        MessageBody: "x",
        "MessageAttribute.1.Name": "b",
        "MessageAttribute.1.Value.DataType": "Binary",
        "MessageAttribute.1.Value.BinaryValue": "not base64!",
      }),
    );
    expect(error.code).toBe("InvalidParameterValue");
  });

  it.each([
    ["a bad hex pair", "Action=SendMessage&MessageBody=%zz"],
    ["a truncated escape", "Action=SendMessage&MessageBody=abc%E"],
    ["a lone percent", "Action=SendMessage&MessageBody=100%"],
    ["a bad escape in a key", "Action=SendMessage&Message%GGBody=x"],
  ])("%s is MalformedQueryString (404)", (_, form) => {
    const error = failure(parseForm(form, new Map(), sqsCodecErrors("", "query")));
    expect(error).toMatchObject({ code: "MalformedQueryString", status: 404 });
  });

  it.each([
    ["an invalid byte", "MessageBody=%FF"],
    ["a truncated sequence", "MessageBody=%E2%82"],
    ["an overlong encoding", "MessageBody=%C0%AF"],
    ["an encoded surrogate (CESU-8)", "MessageBody=%ED%A0%80"],
  ])("invalid UTF-8 (%s) is MalformedQueryString, not U+FFFD", (_, form) => {
    const error = failure(parseForm(form, new Map(), sqsCodecErrors("", "query")));
    expect(error).toMatchObject({ code: "MalformedQueryString", status: 404 });
  });
});
