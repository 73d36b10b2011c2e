import { describe, expect, it } from "vitest";
import { batchData, batchEntry, batchLength, packPutBatch, type PutRecordEntry } from "../../src/domain/kinesis/put-batch";
import { storedSequenceNumbers } from "../../src/domain/kinesis/shard-contract";
import { sequenceNumber } from "../../src/domain/kinesis/sequence-numbers";

const utf8 = new TextEncoder();
const record = (text: string, partitionKey: string, explicitHashKey?: string): PutRecordEntry =>
  explicitHashKey === undefined
    ? { data: utf8.encode(text), partitionKey }
    : { data: utf8.encode(text), partitionKey, explicitHashKey };

describe("put batches", () => {
  it("pack the chosen records in the given order: data back to back, end offsets, keys", () => {
    const records = [record("aa", "k0"), record("", "k1"), record("cccc", "k2"), record("d", "k3")];
    const batch = packPutBatch(records, [2, 0, 1]);
    expect(batchLength(batch)).toBe(3);
    expect(new TextDecoder().decode(batch.data)).toBe("ccccaa");
    expect([...batch.ends]).toEqual([4, 6, 6]);
    expect(batch.partitionKeys).toEqual(["k2", "k0", "k1"]);
    expect(batch.explicitHashKeys).toBeUndefined();
    expect([0, 1, 2].map((i) => batchEntry(batch, i))).toEqual([records[2], records[0], records[1]]);
  });

  it("carry explicit hash keys only when a record has one, null for the others", () => {
    const records = [record("a", "k0"), record("b", "k1", "12345"), record("c", "k2")];
    const batch = packPutBatch(records);
    expect(batch.explicitHashKeys).toEqual([null, "12345", null]);
    expect(batchEntry(batch, 1)).toEqual(records[1]);
    expect(batchEntry(batch, 2)).toEqual(records[2]);
  });

  it("copy the data into one fresh buffer, never sharing a larger one (a view of a request body)", () => {
    const body = utf8.encode("xxxxHELLOyyyy");
    const batch = packPutBatch([{ data: body.subarray(4, 9), partitionKey: "p" }]);
    expect(batch.data.buffer.byteLength).toBe(5);
    expect(new TextDecoder().decode(batchData(batch, 0))).toBe("HELLO");
    body[4] = 0;
    expect(new TextDecoder().decode(batchData(batch, 0))).toBe("HELLO");
  });

  it("an empty selection packs nothing", () => {
    const batch = packPutBatch([record("a", "k")], []);
    expect([batchLength(batch), batch.data.length]).toEqual([0, 0]);
  });
});

describe("a stored put's sequence numbers", () => {
  const first = { shardCreatedAt: Date.UTC(2026, 0, 1), shardIndex: 5, seq: 41, recordAt: Date.UTC(2026, 0, 1, 1) };
  const at = (seq: number) => sequenceNumber({ ...first, seq });

  it("are consecutive counters from the first, in entry order", () => {
    expect(storedSequenceNumbers({ status: "stored", first }, 3)).toEqual([at(41), at(42), at(43)]);
  });

  it("skip the refused entries, which get null", () => {
    expect(storedSequenceNumbers({ status: "stored", first, refused: [1, 3] }, 5)).toEqual([at(41), null, at(42), null, at(43)]);
    expect(storedSequenceNumbers({ status: "stored", first, refused: [0, 1] }, 2)).toEqual([null, null]);
  });
});
