import { describe, expect, it } from "vitest";
import type { Problem } from "../../src/domain/errors";
import {
  validateGetRecords,
  validateGetShardIterator,
  validatePutRecord,
  validatePutRecords,
} from "../../src/domain/kinesis/record-validation";

/** The ValidationException's message, or "" when the input passes. */
const message = (problem: Problem): string => {
  if (!problem) return "";
  expect(problem.code).toBe("ValidationException");
  return problem.message;
};

describe("data-plane validation (Coral's wording and order)", () => {
  it("PutRecord: sequence number, partition key, hash key, data, stream", () => {
    expect(
      message(
        validatePutRecord({
          SequenceNumberForOrdering: "01",
          PartitionKey: "",
          ExplicitHashKey: "x",
          Data: new Uint8Array(10 * 1024 * 1024 + 1),
          StreamName: "a b",
        }),
      ),
    ).toBe(
      "5 validation errors detected: " +
        "Value '01' at 'sequenceNumberForOrdering' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128}); " +
        "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'x' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); " +
        "Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 10485760; " +
        "Value 'a b' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
    expect(message(validatePutRecord({ Data: new Uint8Array(1), StreamName: "s" }))).toBe(
      "1 validation error detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be null",
    );
  });

  it("PutRecords: at most 10 violations, records member by member", () => {
    const records = Array.from({ length: 12 }, () => ({ PartitionKey: "", Data: new Uint8Array(1) }));
    const text = message(validatePutRecords({ Records: records, StreamName: "s" }));
    expect(text.startsWith("10 validation errors detected: Value '' at 'records.1.member.partitionKey'")).toBe(true);
    expect(text.split("; ")).toHaveLength(10);
    expect(text).toContain("'records.10.member.partitionKey'");
  });

  it("PutRecords: valid records between faulty ones add nothing; each fault names its record", () => {
    const ok = (i: number) => ({ PartitionKey: `k${i}`, Data: new Uint8Array(1) });
    const records: { PartitionKey?: string; ExplicitHashKey?: string; Data?: Uint8Array }[] = Array.from({ length: 40 }, (_, i) =>
      ok(i),
    );
    records[2] = { Data: new Uint8Array(1) };
    records[9] = { PartitionKey: "p".repeat(257), Data: new Uint8Array(1) };
    records[20] = { PartitionKey: "p", ExplicitHashKey: "01", Data: new Uint8Array(1) };
    records[33] = { PartitionKey: "p", ExplicitHashKey: "340282366920938463463374607431768211455", Data: new Uint8Array(1) };
    records[39] = { PartitionKey: "é".repeat(256), Data: new Uint8Array(10 * 1024 * 1024 + 1) };
    expect(message(validatePutRecords({ Records: records, StreamName: "s" }))).toBe(
      "4 validation errors detected: " +
        "Value null at 'records.3.member.partitionKey' failed to satisfy constraint: Member must not be null; " +
        `Value '${"p".repeat(257)}' at 'records.10.member.partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256; ` +
        "Value '01' at 'records.21.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); " +
        "Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]' at 'records.40.member.data' failed to satisfy constraint: Member must have length less than or equal to 10485760",
    );
    expect(message(validatePutRecords({ Records: Array.from({ length: 500 }, (_, i) => ok(i)), StreamName: "s" }))).toBe("");
  });

  it("GetShardIterator and GetRecords", () => {
    expect(message(validateGetShardIterator({ ShardId: "", ShardIteratorType: "LATEST", StreamName: "s" }))).toBe(
      "2 validation errors detected: Value '' at 'shardId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value '' at 'shardId' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(message(validateGetRecords({ ShardIterator: "x".repeat(513), Limit: 5 }))).toBe(
      `1 validation error detected: Value '${"x".repeat(513)}' at 'shardIterator' failed to satisfy constraint: Member must have length less than or equal to 512`,
    );
    expect(message(validateGetRecords({ ShardIterator: "x", Limit: 10 }))).toBe("");
  });
});
