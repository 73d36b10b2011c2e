/**
 * UpdateShardCount (UNIFORM_SCALING) plans: whatever the open shards, the stream ends with the key
 * space split evenly over the target count, reached through splits and merges whose lineage a
 * client can follow (every child with one or two parents, each parent closed exactly once).
 */
import { describe, expect, it } from "vitest";
import { planShards } from "../../src/domain/kinesis/reshard-plan";
import { HASH_KEY_SPACE, indexOf, initialShards, isOpen, MAX_HASH_KEY, newShard } from "../../src/domain/kinesis/shard-map";
import type { ReshardPlan, ShardInfo, StreamState } from "../../src/domain/kinesis/contract";
import { planUniformScaling, uniformHashRanges } from "../../src/domain/kinesis/uniform-scaling";

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

const range = (s: ShardInfo) => [BigInt(s.startingHashKey), BigInt(s.endingHashKey)] as const;
const openRanges = (shards: ShardInfo[]) =>
  shards
    .filter(isOpen)
    .map(range)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
const uniform = (n: number) => uniformHashRanges(n).map((r) => [r.start, r.end] as const);

function plan(shards: ShardInfo[], target: number): ReshardPlan {
  const planned = planShards(state, shards, { kind: "scale", targetShardCount: target }, 10_000);
  if (!planned.ok) throw new Error(planned.error.message);
  return planned.value;
}

/**
 * Applies a plan as StreamObject does (children numbered from the next index, parents then closed),
 * checking its lineage on the way: every parent exists before its child, is closed by the plan
 * exactly once and was open; a split's two children partition their parent; a merge's parents are
 * adjacent and its child spans both; nothing else is closed.
 */
function apply(shards: ShardInfo[], p: ReshardPlan): ShardInfo[] {
  const next = Math.max(...shards.map(indexOf)) + 1;
  expect(p.firstIndex ?? next).toBe(next);
  const all = new Map(shards.map((s) => [indexOf(s), { ...s }]));
  const children = new Map<number, number[]>();
  p.create.forEach((c, i) => {
    const index = next + i;
    const parents = [c.parent, ...(c.adjacentParent === undefined ? [] : [c.adjacentParent])];
    for (const parent of parents) {
      expect(all.get(parent), `parent ${parent} of ${index}`).toBeDefined();
      expect(isOpen(all.get(parent)!), `parent ${parent} of ${index} still open`).toBe(true);
      children.set(parent, [...(children.get(parent) ?? []), index]);
    }
    all.set(index, newShard(index, { start: c.startingHashKey, end: c.endingHashKey }, 1, c));
    // A parent closes once all its children exist: a split's second child, a merge's only child.
    for (const parent of parents) {
      const kids = children.get(parent)!;
      if (c.adjacentParent !== undefined || kids.length === 2) all.get(parent)!.endingSequenceNumber = "1";
    }
  });
  expect([...p.close].sort((a, b) => a - b)).toEqual([...children.keys()].sort((a, b) => a - b));
  expect(new Set(p.close).size).toBe(p.close.length);
  for (const [parent, kids] of children) {
    const [start, end] = range(all.get(parent)!);
    const ranges = kids.map((k) => range(all.get(k)!));
    const merge = p.create[kids[0]! - next]!;
    if (merge.adjacentParent !== undefined) {
      expect(kids).toHaveLength(1);
      const [low, high] = [range(all.get(merge.parent)!), range(all.get(merge.adjacentParent)!)];
      expect(low[1] + 1n).toBe(high[0]);
      expect(ranges[0]).toEqual([low[0], high[1]]);
    } else {
      expect(kids).toHaveLength(2);
      expect(ranges).toEqual([
        [start, ranges[0]![1]],
        [ranges[0]![1] + 1n, end],
      ]);
      expect(ranges[0]![1]).toBeGreaterThanOrEqual(start);
      expect(ranges[0]![1]).toBeLessThan(end);
    }
  }
  return [...all.values()].sort((a, b) => indexOf(a) - indexOf(b));
}

describe("uniform hash ranges", () => {
  it.each([1, 2, 3, 5, 6, 7, 100, 9999])("cuts 2^128 into %i ranges at ⌊i·2^128/n⌋", (n) => {
    const ranges = uniformHashRanges(n);
    expect(ranges).toHaveLength(n);
    ranges.forEach((r, i) => expect(r.start).toBe((BigInt(i) * HASH_KEY_SPACE) / BigInt(n)));
    ranges.slice(1).forEach((r, i) => expect(r.start).toBe(ranges[i]!.end + 1n));
    expect(ranges[n - 1]!.end).toBe(MAX_HASH_KEY);
  });
});

describe("UpdateShardCount plans", () => {
  it.each([
    [2, 3],
    [3, 2],
    [4, 8],
    [8, 4],
    [5, 3],
    [3, 5],
    [1, 2],
    [2, 1],
    [6, 7],
    [4, 3],
    [4, 5],
    [6, 3],
    [7, 13],
    [10, 5],
  ])("scales %i → %i to uniform open ranges covering 0..2^128−1, with valid lineage", (from, to) => {
    const shards = initialShards(from, 0);
    const after = apply(shards, plan(shards, to));
    expect(openRanges(after)).toEqual(uniform(to));
    // Within AWS's bounds a target range is made of at most three pieces: two merges.
    expect(after.filter((s) => s.adjacentParentShardId).length).toBeLessThanOrEqual(2 * to);
  });

  it("2 → 3: splits both shards at the thirds, merges the middle pieces", () => {
    const [third, twoThirds] = [HASH_KEY_SPACE / 3n, (2n * HASH_KEY_SPACE) / 3n];
    const half = HASH_KEY_SPACE / 2n;
    const r = (start: bigint, end: bigint) => ({ startingHashKey: String(start), endingHashKey: String(end) });
    expect(plan(initialShards(2, 0), 3)).toEqual({
      firstIndex: 2,
      close: [0, 1, 3, 4],
      create: [
        { parent: 0, ...r(0n, third - 1n) }, // 2: open
        { parent: 0, ...r(third, half - 1n) }, // 3
        { parent: 1, ...r(half, twoThirds - 1n) }, // 4
        { parent: 1, ...r(twoThirds, MAX_HASH_KEY) }, // 5: open
        { parent: 3, adjacentParent: 4, ...r(third, twoThirds - 1n) }, // 6: open
      ],
    });
  });

  it("numbers children as AWS does: 4 → 3 leaves shards 6, 9 and 10 open", () => {
    const after = apply(initialShards(4, 0), plan(initialShards(4, 0), 3));
    expect(after.filter(isOpen).map(indexOf)).toEqual([6, 9, 10]);
    expect(after.find((s) => indexOf(s) === 6)).toMatchObject({
      parentShardId: "shardId-000000000000",
      adjacentParentShardId: "shardId-000000000004",
    });
    expect(after.find((s) => indexOf(s) === 10)).toMatchObject({
      parentShardId: "shardId-000000000008",
      adjacentParentShardId: "shardId-000000000003",
    });
    expect(after).toHaveLength(11);
  });

  it("evens out uneven shards (after SplitShard) and keeps lineage valid over successive scalings", () => {
    // 0 split at 1, 2 and near the top: four open shards, three of them a key or two wide.
    let shards = initialShards(1, 0);
    const split = (index: number, at: bigint) => {
      const p = planShards(state, shards, { kind: "split", shardToSplit: String(index), newStartingHashKey: String(at) }, 10_000);
      if (!p.ok) throw new Error(p.error.message);
      shards = apply(shards, p.value);
    };
    split(0, 2n);
    split(2, MAX_HASH_KEY - 5n);
    split(3, 5n);
    expect(openRanges(shards)).toHaveLength(4);
    for (const target of [2, 3, 5, 9, 17, 12, 6, 4, 7, 7, 14, 8, 4, 2, 1, 2]) {
      shards = apply(shards, plan(shards, target));
      expect(openRanges(shards), `→ ${target}`).toEqual(uniform(target));
    }
    expect(openRanges(shards)).toEqual(uniform(2));
  });

  it("leaves uniform shards alone at the same count", () => {
    expect(plan(initialShards(4, 0), 4)).toEqual({ close: [], create: [] });
    const shards = apply(initialShards(2, 0), plan(initialShards(2, 0), 3));
    expect(planUniformScaling(shards, 3).create).toEqual([]);
  });

  it("plans 5,000 → 10,000 shards quickly", () => {
    const shards = initialShards(5000, 0);
    const started = Date.now();
    const p = planUniformScaling(shards, 10_000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(openRanges(apply(shards, p))).toEqual(uniform(10_000));
  });
});
