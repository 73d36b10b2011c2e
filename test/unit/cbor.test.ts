/**
 * The AWS CBOR 1.1 codec with the real Kinesis shapes: byte-string blobs, tag-1 millisecond timestamps
 * (as the Java SDK writes them), Jackson's indefinite-length maps, Kinesis's wording for wrong types,
 * missing members and malformed bodies, and CBOR output and error bodies. Kinesis's JSON wording too.
 */
import { decode as cborDecode, encode as cborEncode, Token, Type } from "cborg";
import { describe, expect, it } from "vitest";
import { decodeCborInput, encodeCbor, encodeCborOutput, parseCborBody } from "../../src/protocol/cbor";
import type { ErrorInfo, Result } from "../../src/domain/errors";
import { unknownOperationError } from "../../src/domain/coral-errors";
import { coralCodecErrors, coralInternalError } from "../../src/protocol/coral";
import { decodeJsonInput, parseJsonBody } from "../../src/protocol/json";
import { errorResponse } from "../../src/protocol/responses";
import { kinesisModel } from "../../src/services/kinesis/shapes/model";
import { failure, value as valueOf } from "./results";

const errors = coralCodecErrors;
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const utf8 = (s: string) => Buffer.from(s, "utf8").toString("hex");

function decodeResult(operation: string, body: Uint8Array): Result<Record<string, unknown>> {
  const parsed = parseCborBody(body, errors);
  return parsed.ok ? decodeCborInput(kinesisModel.operations[operation]!.input, parsed.value, errors) : parsed;
}

const decode = (operation: string, body: Uint8Array) => valueOf(decodeResult(operation, body));
const decodeValue = (operation: string, value: unknown) => decode(operation, cborEncode(value));
const decodeValueResult = (operation: string, value: unknown) => decodeResult(operation, cborEncode(value));
const KINESIS_JSON = {
  jsonContentType: "application/x-amz-json-1.1",
  xmlNamespace: "",
  queryCompatible: false,
  errorDetail: false,
};

/** What a client reads from an error response: its status and decoded body. */
async function cborError(error: ErrorInfo) {
  const response = errorResponse(error, "req-1", { ...KINESIS_JSON, protocol: "cbor" });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: cborDecode(new Uint8Array(await response.arrayBuffer())),
  };
}

describe("CBOR input", () => {
  it("PutRecord with a byte-string Data", () => {
    const data = Uint8Array.from([0, 1, 2, 0xff, 0xfe]);
    const input = decodeValue("PutRecord", { StreamName: "s", PartitionKey: "pk", Data: data });
    expect(input).toEqual({ StreamName: "s", PartitionKey: "pk", Data: data });
    expect(input.Data).toBeInstanceOf(Uint8Array);
  });

  it("chunked strings longer than Jackson's 3,996-character limit, inside an indefinite map", () => {
    const policy = "x".repeat(5000);
    const chunk = (text: string) => `79 ${text.length.toString(16).padStart(4, "0")} ${utf8(text)}`;
    const body = hex(
      `bf 6b ${utf8("ResourceARN")} 61 ${utf8("a")} 66 ${utf8("Policy")} 7f ${chunk(policy.slice(0, 3996))} ${chunk(policy.slice(3996))} ff ff`,
    );
    expect(decode("PutResourcePolicy", body)).toEqual({ ResourceARN: "a", Policy: policy });
  });

  it("reads Jackson's indefinite-length maps and strings", () => {
    // {_ "StreamName": (_ "my-", "stream"), "Limit": 3} as the Java SDK's generator may stream it.
    const body = hex(`bf 6a ${utf8("StreamName")} 7f 63 ${utf8("my-")} 66 ${utf8("stream")} ff 65 ${utf8("Limit")} 03 ff`);
    expect(decode("ListShards", body)).toEqual({ StreamName: "my-stream" });
    expect(decode("GetRecords", hex(`bf 6d ${utf8("ShardIterator")} 61 ${utf8("i")} 65 ${utf8("Limit")} 03 ff`))).toEqual({
      ShardIterator: "i",
      Limit: 3,
    });
  });

  it("AT_TIMESTAMP as the Java SDK sends it: tag 1 over epoch milliseconds", () => {
    // Captured from an unmodified KinesisClient (floci-io/floci#2368): c1 1b 000001a013accc38.
    const body = hex(
      `a4 67 ${utf8("ShardId")} 64 ${utf8("s-01")} 71 ${utf8("ShardIteratorType")} 6c ${utf8("AT_TIMESTAMP")}` +
        ` 6a ${utf8("StreamName")} 61 ${utf8("s")} 69 ${utf8("Timestamp")} c1 1b 000001a013accc38`,
    );
    const input = decode("GetShardIterator", body);
    expect(input.Timestamp).toEqual(new Date(1787036486712));
  });

  it("timestamps as plain numbers (milliseconds) and as tagged floats", () => {
    const base = { ShardId: "s", ShardIteratorType: "AT_TIMESTAMP" };
    expect(decodeValue("GetShardIterator", { ...base, Timestamp: 1700000000123 }).Timestamp).toEqual(new Date(1700000000123));
    const tagged = cborEncode(
      { ...base, Timestamp: 0 },
      {
        typeEncoders: {
          number: (n: number) => (n === 0 ? [new Token(Type.tag, 1), new Token(Type.float, 1700000000123.5)] : null),
        },
      },
    );
    // A Date keeps whole milliseconds.
    expect((decode("GetShardIterator", tagged).Timestamp as Date).getTime()).toBe(1700000000123);
  });

  it("a base64 text string is accepted for a blob; integers from floats and 64-bit values", () => {
    expect(decodeValue("PutRecord", { Data: "AAH/", PartitionKey: "p" }).Data).toEqual(Uint8Array.from([0, 1, 0xff]));
    expect(decodeValue("GetRecords", { ShardIterator: "i", Limit: 2.9 }).Limit).toBe(2);
    expect(decode("GetRecords", hex(`a2 6d ${utf8("ShardIterator")} 61 69 65 ${utf8("Limit")} 1b 0000000000000007`)).Limit).toBe(
      7,
    );
  });

  it("nested lists of structures (PutRecords)", () => {
    const input = decodeValue("PutRecords", {
      StreamName: "s",
      Records: [
        { Data: Uint8Array.of(1), PartitionKey: "a" },
        { Data: Uint8Array.of(2), PartitionKey: "b", ExplicitHashKey: "5" },
      ],
    });
    expect(input.Records).toEqual([
      { Data: Uint8Array.of(1), PartitionKey: "a" },
      { Data: Uint8Array.of(2), PartitionKey: "b", ExplicitHashKey: "5" },
    ]);
  });

  it("null and undefined members are absent", () => {
    expect(decodeValue("ListStreams", { Limit: null, NextToken: undefined })).toEqual({});
  });
});

describe("CBOR input errors", () => {
  it("every absent required member in one ValidationException", () => {
    const error = failure(decodeValueResult("GetShardIterator", { StreamName: "s" }));
    expect(error.code).toBe("ValidationException");
    expect(error.message).toBe(
      "2 validation errors detected: Value null at 'shardId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null",
    );
    const nested = failure(decodeValueResult("PutRecords", { StreamName: "s", Records: [{ PartitionKey: "a" }, {}] }));
    expect(nested.message).toBe(
      "2 validation errors detected: Value null at 'records.1.member.data' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'records.2.member.data' failed to satisfy constraint: Member must not be null",
    );
  });

  it("at most 10 of them, as Coral lists them", () => {
    const error = failure(
      decodeValueResult("PutRecords", { Records: Array.from({ length: 12 }, () => ({ PartitionKey: "a" })) }),
    );
    expect(error.message).toMatch(/^10 validation errors detected: /);
    expect(error.message.split("; ")).toHaveLength(10);
  });

  it("wrong types are SerializationExceptions with Coral's wording under `Message`", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["DescribeStreamSummary", { StreamName: 12 }, "NUMBER_VALUE can not be converted to a String"],
      ["DescribeStreamSummary", { StreamName: true }, "TRUE_VALUE can not be converted to a String"],
      ["DescribeStreamSummary", { StreamName: [] }, "Start of list found where not expected"],
      ["DescribeStreamSummary", { StreamName: {} }, "Start of structure or map found where not expected."],
      ["GetRecords", { ShardIterator: "i", Limit: "5" }, "STRING_VALUE can not be converted to a Long"],
      ["PutRecord", { PartitionKey: "p", Data: 23 }, "NUMBER_VALUE can not be converted to a Blob"],
      [
        "PutRecord",
        { PartitionKey: "p", Data: "23456" },
        "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5",
      ],
      ["PutRecords", { Records: "x" }, "Expected list or null"],
      ["PutRecords", { Records: {} }, "Start of structure or map found where not expected."],
      ["CreateStream", { StreamName: "s", Tags: [] }, "Start of list found where not expected"],
      ["CreateStream", { StreamName: "s", Tags: 1 }, "Expected map or null"],
      ["CreateStream", { StreamName: "s", StreamModeDetails: "x" }, "Expected null"],
      [
        "GetShardIterator",
        { ShardId: "s", ShardIteratorType: "T", Timestamp: "2020" },
        "STRING_VALUE can not be converted to milliseconds since epoch",
      ],
      ["DescribeStreamSummary", { StreamName: Uint8Array.of(1) }, "VALUE_EMBEDDED_OBJECT can not be converted to a String"],
    ];
    for (const [operation, value, message] of cases) {
      const error = failure(decodeValueResult(operation, value));
      expect([error.code, error.message]).toEqual(["SerializationException", message]);
      expect((await cborError(error)).body).toEqual({ __type: "SerializationException", Message: message });
    }
  });

  it("malformed CBOR is a SerializationException without a message", async () => {
    const bodies = [
      hex("ff"), // a lone break
      hex(`a1 6a ${utf8("StreamName")}`), // map missing its value
      hex("a0 a0"), // trailing data
      hex("a1 01 02"), // non-string key
      hex(`a1 6a ${utf8("StreamName")} d8 63 61 78`), // unknown tag 99
      hex("7f 61"), // unterminated indefinite string
      hex(`a1 6a ${utf8("StreamName")} 7f 61 61`), // chunked string without its break
      hex(`a1 6a ${utf8("StreamName")} 7f 41 00 ff`), // a byte-string chunk inside a text string
      hex(`a1 6a ${utf8("StreamName")} 7f 7f ff ff`), // a chunk that is itself indefinite
      hex(`a1 6a ${utf8("StreamName")} 7f 79 00 05 61 ff`), // a chunk longer than the body
    ];
    for (const body of bodies) {
      const error = failure(decodeResult("DescribeStreamSummary", body));
      expect(error.code).toBe("SerializationException");
      expect(await cborError(error)).toEqual({
        status: 400,
        type: "application/x-amz-cbor-1.1",
        body: { __type: "SerializationException" },
      });
    }
    expect(failure(decodeResult("DescribeStreamSummary", hex("83 01 02 03"))).code).toBe("SerializationException");
    expect(failure(decodeResult("DescribeStreamSummary", hex("f5"))).code).toBe("SerializationException");
  });
});

describe("CBOR output", () => {
  it("GetRecords: byte-string Data, tag-1 millisecond timestamps, integers", () => {
    const arrival = new Date(1700000000123);
    const output = {
      Records: [{ SequenceNumber: "1", Data: Uint8Array.of(0, 0xff), ApproximateArrivalTimestamp: arrival, PartitionKey: "p" }],
      NextShardIterator: "next",
      MillisBehindLatest: 0,
      Unmodelled: "dropped",
    };
    const bytes = encodeCbor(encodeCborOutput(kinesisModel.operations.GetRecords!.output, output));
    // c1 1b <8-byte big-endian millis>: the Java SDK reads the number as epoch milliseconds.
    expect(Buffer.from(bytes).toString("hex")).toContain("c11b0000018bcfe5687b");
    const seen: unknown[] = [];
    const decoded = cborDecode(bytes, { tags: { 1: (inner) => (seen.push(inner()), new Date(seen.at(-1) as number)) } });
    expect(decoded).toEqual({
      Records: [{ SequenceNumber: "1", Data: Uint8Array.of(0, 0xff), ApproximateArrivalTimestamp: arrival, PartitionKey: "p" }],
      NextShardIterator: "next",
      MillisBehindLatest: 0,
    });
    expect(seen).toEqual([1700000000123]);
  });

  it("a timestamp given as epoch seconds (the JSON form) is written in milliseconds", () => {
    const shape = kinesisModel.operations.GetRecords!.output.members.Records!;
    const [record] = encodeCborOutput(shape, [
      { SequenceNumber: "1", Data: new Uint8Array(), ApproximateArrivalTimestamp: 1.5 },
    ]) as [Record<string, unknown>];
    expect(record.ApproximateArrivalTimestamp).toEqual(new Date(1500));
  });

  it("error bodies: {__type, message}; UnknownOperationException alone", async () => {
    const notFound: ErrorInfo = {
      code: "ResourceNotFoundException",
      message: "Stream wrong-stream-name under account 111111111111 not found.",
    };
    expect(await cborError(notFound)).toEqual({
      status: 400,
      type: "application/x-amz-cbor-1.1",
      body: { __type: "ResourceNotFoundException", message: "Stream wrong-stream-name under account 111111111111 not found." },
    });
    expect((await cborError(unknownOperationError())).body).toEqual({ __type: "UnknownOperationException" });
    const internal = coralInternalError({ code: "InternalError", type: "InternalFailure", status: 500, message: "m" });
    expect(await cborError(internal)).toEqual({
      status: 500,
      type: "application/x-amz-cbor-1.1",
      body: { __type: "InternalFailure" },
    });
    // The CBOR bytes kinesalite's connection tests expect from AWS, in definite-length form.
    const bytes = new Uint8Array(
      await errorResponse(unknownOperationError(), "r", { ...KINESIS_JSON, protocol: "cbor" }).arrayBuffer(),
    );
    expect(Buffer.from(bytes).toString("hex")).toBe(`a166${utf8("__type")}7819${utf8("UnknownOperationException")}`);
  });
});

describe("Kinesis JSON 1.1 wording", () => {
  const json = (operation: string, value: unknown) =>
    decodeJsonInput(
      kinesisModel.operations[operation]!.input,
      valueOf(parseJsonBody(new TextEncoder().encode(JSON.stringify(value)), errors)),
      errors,
    );

  it("invalid base64 blobs, as AWS's decoder words them", () => {
    const cases: [string, string][] = [
      ["23456", "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5"],
      ["=+/=", "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='"],
      // Not checked: AWS also rejects "+/+=" (non-zero bits after the last character), which the shared
      // base64 check accepts.
    ];
    for (const [data, message] of cases) {
      expect(failure(json("PutRecord", { PartitionKey: "p", Data: data })).message).toBe(message);
    }
  });

  it("missing members together; wrong types with `Message`; unparsable bodies with no message", async () => {
    expect(failure(json("GetShardIterator", {})).message).toMatch(/^2 validation errors detected: Value null at 'shardId'/);
    const wrong = failure(json("DescribeStreamSummary", { StreamName: 1 }));
    const response = errorResponse(wrong, "r", { ...KINESIS_JSON, protocol: "json" });
    expect(await response.json()).toEqual({
      __type: "SerializationException",
      Message: "NUMBER_VALUE can not be converted to a String",
    });
    const malformed = failure(parseJsonBody(new TextEncoder().encode("{"), errors));
    const body = await errorResponse(malformed, "r", { ...KINESIS_JSON, jsonContentType: "x", protocol: "json" }).json();
    expect(body).toEqual({ __type: "SerializationException" });
  });

  it("the error crosses RPC with its message field (plain, structured-cloneable data)", () => {
    const result = json("DescribeStreamSummary", { StreamName: 1 });
    expect(structuredClone(result)).toEqual(result);
    expect(failure(structuredClone(result)).messageField).toBe("Message");
    expect(structuredClone({ code: "X", message: "m" } satisfies ErrorInfo)).not.toHaveProperty("messageField");
  });
});
