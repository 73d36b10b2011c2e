/**
 * The stream's shard map as pure functions: even hash ranges over 2^128, shard ids, ListShards
 * filters, and reshard plans (split, merge, UNIFORM_SCALING within AWS's bounds).
 */
import { describe, expect, it } from "vitest";
import { planReshard, planShards } from "../../src/domain/kinesis/reshard-plan";
import {
  evenHashRanges,
  filterShards,
  initialShards,
  MAX_HASH_KEY,
  newShard,
  resolveShardIndex,
  shardsAfter,
} from "../../src/domain/kinesis/shard-map";
import type { ShardInfo, StreamState } from "../../src/domain/kinesis/contract";

const state: StreamState = {
  account: "123456789012",
  region: "us-east-1",
  name: "s",
  arn: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
  createdAt: 1_700_000_000_000,
  status: "ACTIVE",
  mode: "PROVISIONED",
  retentionHours: 24,
  maxRecordSizeKiB: 1024,
  encryptionType: "NONE",
  shardLevelMetrics: [],
};

describe("hash ranges", () => {
  it.each([1, 2, 3, 4, 7, 100])("splits the key space evenly and completely into %i ranges", (n) => {
    const ranges = evenHashRanges(n);
    expect(ranges).toHaveLength(n);
    expect(ranges[0]!.start).toBe(0n);
    expect(ranges[n - 1]!.end).toBe(MAX_HASH_KEY);
    ranges.slice(1).forEach((r, i) => expect(r.start).toBe(ranges[i]!.end + 1n));
    ranges.forEach((r, i) => expect(r.start).toBe((BigInt(i) * 2n ** 128n) / BigInt(n)));
  });

  it("names shards shardId-000000000000… with AWS-layout starting sequence numbers", () => {
    const shards = initialShards(2, state.createdAt);
    expect(shards.map((s) => s.shardId)).toEqual(["shardId-000000000000", "shardId-000000000001"]);
    expect(shards[1]!.startingHashKey).toBe(String(2n ** 127n));
    expect(BigInt(shards[1]!.startingSequenceNumber).toString(16)).toMatch(/^2[0-9a-f]{9}1[0-9a-f]{16}00[0-9a-f]{9}000000012$/);
  });

  it("reads shard ids in their long and short forms", () => {
    expect(resolveShardIndex("shardId-000000000007")).toBe(7);
    expect(resolveShardIndex("shardId-7")).toBe(7);
    expect(resolveShardIndex("7")).toBe(7);
    expect(resolveShardIndex("shard-7")).toBeUndefined();
    expect(shardsAfter(initialShards(3, 0), "shardId-1").map((s) => s.shardId)).toEqual(["shardId-000000000002"]);
  });
});

describe("ListShards filters", () => {
  const t0 = state.createdAt;
  const parent: ShardInfo = {
    ...newShard(0, { start: 0n, end: MAX_HASH_KEY }, t0),
    endingSequenceNumber: "1",
    closedAt: t0 + 1000,
  };
  const left = newShard(1, { start: 0n, end: 2n ** 127n - 1n }, t0 + 1000, { parent: 0 });
  const right = newShard(2, { start: 2n ** 127n, end: MAX_HASH_KEY }, t0 + 1000, { parent: 0 });
  const shards = [parent, left, right];
  const ctx = { now: t0 + 5000, retentionHours: 24, streamCreatedAt: t0 };
  const ids = (f: Parameters<typeof filterShards>[1], c = ctx) => filterShards(shards, f, c).map((s) => s.shardId.slice(-1));

  it("selects open, readable, and time-bounded shards", () => {
    expect(ids({ type: "AT_LATEST" })).toEqual(["1", "2"]);
    expect(ids({ type: "AT_TRIM_HORIZON" })).toEqual(["0", "1", "2"]);
    expect(ids({ type: "FROM_TRIM_HORIZON" })).toEqual(["0", "1", "2"]);
    expect(ids({ type: "AFTER_SHARD_ID", shardId: "shardId-000000000001" })).toEqual(["2"]);
    expect(ids({ type: "AT_TIMESTAMP", timestamp: t0 + 500 })).toEqual(["0"]);
    expect(ids({ type: "AT_TIMESTAMP", timestamp: t0 + 2000 })).toEqual(["1", "2"]);
    expect(ids({ type: "AT_TIMESTAMP", timestamp: t0 - 1000 })).toEqual(["0"]);
    expect(ids({ type: "FROM_TIMESTAMP", timestamp: t0 + 500 })).toEqual(["0", "1", "2"]);
    expect(ids({ type: "FROM_TIMESTAMP", timestamp: t0 + 2000 })).toEqual(["1", "2"]);
  });

  it("drops closed shards whose records have all expired from the trim horizon", () => {
    const later = { ...ctx, now: t0 + 1000 + 24 * 3_600_000 + 1 };
    expect(ids({ type: "AT_TRIM_HORIZON" }, later)).toEqual(["1", "2"]);
  });
});

describe("reshard plans", () => {
  const shards = initialShards(4, state.createdAt);
  const limits = { shardLimit: 500, now: state.createdAt + 10_000 };

  it("splits at the new starting hash key, both children naming the parent", () => {
    const plan = planShards(
      state,
      shards,
      { kind: "split", shardToSplit: "shardId-000000000001", newStartingHashKey: String(2n ** 126n + 10n) },
      500,
    );
    expect(plan.ok && plan.value).toEqual({
      close: [1],
      create: [
        { parent: 1, startingHashKey: String(2n ** 126n), endingHashKey: String(2n ** 126n + 9n) },
        { parent: 1, startingHashKey: String(2n ** 126n + 10n), endingHashKey: String(2n ** 127n - 1n) },
      ],
    });
  });

  it("merges adjacent shards in either order and refuses others", () => {
    const plan = planShards(state, shards, { kind: "merge", shardToMerge: "2", adjacentShardToMerge: "1" }, 500);
    expect(plan.ok && plan.value.create).toEqual([
      { parent: 2, adjacentParent: 1, startingHashKey: String(2n ** 126n), endingHashKey: String(2n ** 127n + 2n ** 126n - 1n) },
    ]);
    const bad = planShards(state, shards, { kind: "merge", shardToMerge: "0", adjacentShardToMerge: "2" }, 500);
    expect(!bad.ok && bad.error.code).toBe("InvalidArgumentException");
  });

  it.each([
    [4, 8],
    [4, 5],
    [4, 2],
    [4, 3],
    [5, 3],
  ])("scales %i → %i open shards covering the key space (lineage: kinesis-uniform-scaling.test.ts)", (from, to) => {
    const plan = planShards(state, initialShards(from, 0), { kind: "scale", targetShardCount: to }, 500);
    if (!plan.ok) throw new Error(plan.error.message);
    // Children are numbered on from `from`; the plan closes some of its own (split, then merged).
    const closed = new Set(plan.value.close);
    const open = [
      ...initialShards(from, 0).map((s) => [BigInt(s.startingHashKey), BigInt(s.endingHashKey)] as const),
      ...plan.value.create.map((c) => [BigInt(c.startingHashKey), BigInt(c.endingHashKey)] as const),
    ]
      .filter((_, i) => !closed.has(i))
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(open).toHaveLength(to);
    expect(open[0]![0]).toBe(0n);
    open.slice(1).forEach(([start], i) => expect(start).toBe(open[i]![1] + 1n));
    expect(open[open.length - 1]![1]).toBe(MAX_HASH_KEY);
  });

  it("refuses scaling beyond double or below half, on-demand streams, and streams not ACTIVE", () => {
    const up = planShards(state, shards, { kind: "scale", targetShardCount: 9 }, 500);
    expect(!up.ok && up.error.message).toBe(
      "UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 4, Target shard count: 9",
    );
    const onDemand = planReshard({ ...state, mode: "ON_DEMAND" }, shards, { kind: "scale", targetShardCount: 5 }, limits);
    expect(!onDemand.ok && onDemand.error.code).toBe("ValidationException");
    const updating = planReshard({ ...state, status: "UPDATING" }, shards, { kind: "scale", targetShardCount: 5 }, limits);
    expect(!updating.ok && updating.error.message).toBe(
      "Stream s under account 123456789012 not ACTIVE, instead in state UPDATING",
    );
    const busy = planReshard(
      { ...state, scalingHistory: Array(10).fill(limits.now - 1000) },
      shards,
      { kind: "scale", targetShardCount: 5 },
      limits,
    );
    expect(!busy.ok && busy.error.code).toBe("LimitExceededException");
    const dayLater = planReshard(
      { ...state, scalingHistory: Array(10).fill(limits.now - 86_400_001) },
      shards,
      { kind: "scale", targetShardCount: 5 },
      limits,
    );
    expect(dayLater.ok && dayLater.value.scalingHistory).toEqual([limits.now]);
  });
});
