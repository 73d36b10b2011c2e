/**
 * The Kinesis source's shard planning: where new shards start, parents before children, page caps.
 */
import { describe, expect, it } from "vitest";
import {
  byArrival,
  fittingCount,
  iteratorStart,
  newShards,
  readableShards,
  rotated,
  type SourceShard,
} from "../../src/domain/firehose/kinesis-source";
import type { ShardInfo } from "../../src/domain/kinesis/contract";

const shard = (shardId: string, extra: Partial<ShardInfo> = {}): ShardInfo => ({
  shardId,
  startingHashKey: "0",
  endingHashKey: "1",
  startingSequenceNumber: "0",
  createdAt: 1000,
  ...extra,
});

const row = (shardId: string, finished: boolean, parents: string[] = []): SourceShard => ({
  shardId,
  parents,
  start: "TRIM_HORIZON",
  seq: null,
  finished,
});

describe("newShards", () => {
  it("starts the shards that exist at the first poll at the delivery stream's start time", () => {
    const out = newShards(new Set(), [shard("s0"), shard("s1")], true, 5000);
    expect(out).toEqual([
      { shardId: "s0", parents: [], start: "AT_TIMESTAMP", seq: null, finished: false },
      { shardId: "s1", parents: [], start: "AT_TIMESTAMP", seq: null, finished: false },
    ]);
  });

  it("starts shards that appear later (children) at their beginning, with their parents", () => {
    const shards = [
      shard("s0", { closedAt: 9000, endingSequenceNumber: "5" }),
      shard("s1", { parentShardId: "s0" }),
      shard("s2", { parentShardId: "s0", adjacentParentShardId: "s9" }),
    ];
    expect(newShards(new Set(["s0"]), shards, false, 5000)).toEqual([
      { shardId: "s1", parents: ["s0"], start: "TRIM_HORIZON", seq: null, finished: false },
      { shardId: "s2", parents: ["s0", "s9"], start: "TRIM_HORIZON", seq: null, finished: false },
    ]);
  });

  it("finishes at once a shard closed before the start (it holds nothing to deliver)", () => {
    const shards = [shard("old", { closedAt: 4000 }), shard("edge", { closedAt: 5000 }), shard("open", { parentShardId: "old" })];
    const out = newShards(new Set(), shards, true, 5000);
    expect(out.map((s) => [s.shardId, s.finished])).toEqual([
      ["old", true],
      ["edge", false],
      ["open", false],
    ]);
  });
});

describe("readableShards", () => {
  it("reads parents before children: a child waits until all its parents are finished", () => {
    const shards = [
      row("p", false),
      row("q", true),
      row("c1", false, ["p"]),
      row("c2", false, ["p", "q"]),
      row("m", false, ["q"]),
    ];
    expect(readableShards(shards).map((s) => s.shardId)).toEqual(["p", "m"]);
    const after = shards.map((s) => (s.shardId === "p" ? { ...s, finished: true } : s));
    expect(readableShards(after).map((s) => s.shardId)).toEqual(["c1", "c2", "m"]);
  });

  it("a parent it does not track (expired from the stream) does not hold a child back", () => {
    expect(readableShards([row("c", false, ["gone"])]).map((s) => s.shardId)).toEqual(["c"]);
  });

  it("finished shards are not read", () => {
    expect(readableShards([row("a", true)])).toEqual([]);
  });
});

describe("page caps and grouping", () => {
  it("fittingCount keeps records within the byte cap, at least one", () => {
    expect(fittingCount([3, 3, 3], 6)).toBe(2);
    expect(fittingCount([3, 3, 3], 9)).toBe(3);
    expect(fittingCount([10, 1], 4)).toBe(1);
    expect(fittingCount([], 4)).toBe(0);
  });

  it("byArrival groups consecutive records of one arrival time", () => {
    const records = [{ arrivedAt: 1 }, { arrivedAt: 1 }, { arrivedAt: 2 }, { arrivedAt: 1 }];
    expect(byArrival(records).map((g) => [g.arrival, g.records.length])).toEqual([
      [1, 2],
      [2, 1],
      [1, 1],
    ]);
  });

  it("rotated begins at the offset, wrapping", () => {
    expect(rotated([1, 2, 3], 1)).toEqual([2, 3, 1]);
    expect(rotated([1, 2, 3], 7)).toEqual([2, 3, 1]);
    expect(rotated([], 3)).toEqual([]);
  });
});

describe("iteratorStart", () => {
  it("reads from the delivery stream's start, or from a child's beginning", () => {
    expect(iteratorStart("AT_TIMESTAMP", 5000)).toEqual({ type: "AT_TIMESTAMP", at: 5000 });
    expect(iteratorStart("TRIM_HORIZON", 5000)).toEqual({ type: "TRIM_HORIZON" });
  });
});
