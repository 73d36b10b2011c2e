import { describe, expect, it } from "vitest";
import {
  parseSequenceNumber,
  sequenceNumber,
  sequenceNumberRun,
  shardIdOf,
  shardIndexOf,
} from "../../src/domain/kinesis/sequence-numbers";

const created = Date.UTC(2026, 0, 2, 3, 4, 5);

describe("sequence numbers", () => {
  it("have AWS's layout: 56 digits, hex 2·created·nibble·seq·00·time·shard·2", () => {
    const n = sequenceNumber({ shardCreatedAt: created, shardIndex: 3, seq: 7, recordAt: created + 2000 });
    expect(n).toMatch(/^\d{56}$/);
    const hex = BigInt(n).toString(16);
    // The pattern kinesalite's tests assert against AWS for shard 3.
    expect(hex).toMatch(/^20[0-9a-f]{8}3[0-9a-f]{16}000[0-9a-f]{8}000000032$/);
    expect(hex.slice(1, 10)).toBe((created / 1000).toString(16).padStart(9, "0"));
    expect(hex.slice(11, 27)).toBe("0000000000000007");
  });

  it("round-trip through the parser (times to whole seconds)", () => {
    const parts = { shardCreatedAt: created, shardIndex: 12345, seq: 2 ** 40 + 3, recordAt: created + 61_000 };
    expect(parseSequenceNumber(sequenceNumber(parts))).toEqual(parts);
    expect(parseSequenceNumber(sequenceNumber({ ...parts, recordAt: created + 61_999 }))?.recordAt).toBe(created + 61_000);
  });

  it("increase strictly with the per-shard counter, whatever the arrival time", () => {
    const a = BigInt(sequenceNumber({ shardCreatedAt: created, shardIndex: 0, seq: 1, recordAt: created + 9_000_000 }));
    const b = BigInt(sequenceNumber({ shardCreatedAt: created, shardIndex: 0, seq: 2, recordAt: created }));
    const start = BigInt(sequenceNumber({ shardCreatedAt: created, shardIndex: 0, seq: 0, recordAt: created }));
    expect(start < a && a < b).toBe(true);
  });

  it("of records stored together are those of consecutive counters at the same arrival time", () => {
    const first = { shardCreatedAt: created, shardIndex: 17, seq: 2 ** 32 - 2, recordAt: created + 5_500 };
    const run = sequenceNumberRun(first, 5);
    expect(run).toEqual([0, 1, 2, 3, 4].map((i) => sequenceNumber({ ...first, seq: first.seq + i })));
    expect(sequenceNumberRun(first, 0)).toEqual([]);
    const high = { ...first, seq: 2 ** 53 - 3 };
    expect(sequenceNumberRun(high, 2).map((n) => parseSequenceNumber(n)?.seq)).toEqual([2 ** 53 - 3, 2 ** 53 - 2]);
  });

  it("reject numbers this service could not have issued", () => {
    for (const bad of [
      "0",
      "1",
      "12345678901234567890",
      "49546986683135544286507457936321625675700192471156785155",
      "x",
      "",
      "0123",
    ])
      expect(parseSequenceNumber(bad)).toBeUndefined();
  });

  it("shard ids", () => {
    expect(shardIdOf(7)).toBe("shardId-000000000007");
    expect(shardIndexOf("shardId-000000000042")).toBe(42);
    expect(shardIndexOf("shardId-42")).toBeUndefined();
  });
});
