/**
 * SplitShard, MergeShards, UpdateShardCount with the real @aws-sdk/client-kinesis: UPDATING → ACTIVE,
 * parents closed with an EndingSequenceNumber, children with ParentShardId/AdjacentParentShardId
 * and the right hash ranges, ListShards filters over closed shards, AWS's limits and texts.
 */
import {
  DescribeLimitsCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
  type KinesisClient,
  type Shard,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { isolatedKinesis } from "./kinesis-clients";
import { createActiveStream, expectKinesisError, notActive, waitForStatus } from "./kinesis-stream-helpers";

const TWO_128 = 2n ** 128n;
const shardId = (i: number) => `shardId-${String(i).padStart(12, "0")}`;

async function shardsOf(kinesis: KinesisClient, StreamName: string, ShardFilter?: object): Promise<Shard[]> {
  return (await kinesis.send(new ListShardsCommand({ StreamName, ShardFilter: ShardFilter as never }))).Shards!;
}

const open = (shards: Shard[]) => shards.filter((s) => !s.SequenceNumberRange!.EndingSequenceNumber);

/** The open shards cover the whole key space, in order, without gaps. */
function expectFullCoverage(shards: Shard[]) {
  const ranges = open(shards)
    .map((s) => [BigInt(s.HashKeyRange!.StartingHashKey!), BigInt(s.HashKeyRange!.EndingHashKey!)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  expect(ranges[0]![0]).toBe(0n);
  ranges.slice(1).forEach(([start], i) => expect(start).toBe(ranges[i]![1] + 1n));
  expect(ranges[ranges.length - 1]![1]).toBe(TWO_128 - 1n);
}

describe("SplitShard and MergeShards", () => {
  it("splits a shard through UPDATING into two children; merges them back", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    const half = String(TWO_128 / 2n);
    await kinesis.send(new SplitShardCommand({ StreamName: name, ShardToSplit: shardId(0), NewStartingHashKey: half }));
    const status = async () =>
      (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!;
    expect((await status()).StreamStatus).toBe("UPDATING");
    await expectKinesisError(
      kinesis.send(new SplitShardCommand({ StreamName: name, ShardToSplit: shardId(0), NewStartingHashKey: "12345" })),
      "ResourceInUseException",
      notActive(name, account, "UPDATING"),
    );
    await waitForStatus(kinesis, name, "ACTIVE");
    const shards = await shardsOf(kinesis, name);
    expect(shards.map((s) => s.ShardId)).toEqual([shardId(0), shardId(1), shardId(2)]);
    expect(shards[0]!.SequenceNumberRange!.EndingSequenceNumber).toMatch(/^\d+$/);
    expect(shards[1]).toMatchObject({
      ParentShardId: shardId(0),
      HashKeyRange: { StartingHashKey: "0", EndingHashKey: String(TWO_128 / 2n - 1n) },
    });
    expect(shards[2]).toMatchObject({
      ParentShardId: shardId(0),
      HashKeyRange: { StartingHashKey: half, EndingHashKey: String(TWO_128 - 1n) },
    });
    expect(BigInt(shards[1]!.SequenceNumberRange!.StartingSequenceNumber!)).toBeGreaterThan(
      BigInt(shards[0]!.SequenceNumberRange!.StartingSequenceNumber!),
    );
    expect((await status()).OpenShardCount).toBe(2);
    expect((await kinesis.send(new DescribeLimitsCommand({}))).OpenShardCount).toBe(2);

    // ListShards filters now tell open from closed shards.
    expect((await shardsOf(kinesis, name, { Type: "AT_LATEST" })).map((s) => s.ShardId)).toEqual([shardId(1), shardId(2)]);
    expect((await shardsOf(kinesis, name, { Type: "AT_TRIM_HORIZON" })).map((s) => s.ShardId)).toHaveLength(3);
    expect(
      (await shardsOf(kinesis, name, { Type: "FROM_TIMESTAMP", Timestamp: new Date(Date.now() + 60_000) })).map((s) => s.ShardId),
    ).toEqual([shardId(1), shardId(2)]);

    await expectKinesisError(
      kinesis.send(new SplitShardCommand({ StreamName: name, ShardToSplit: shardId(0), NewStartingHashKey: "12345" })),
      "InvalidArgumentException",
      `Shard ${shardId(0)} in stream ${name} under account ${account} has already been merged or split, and thus is not eligible for merging or splitting.`,
    );
    await kinesis.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: shardId(1), AdjacentShardToMerge: shardId(2) }));
    await waitForStatus(kinesis, name, "ACTIVE");
    const merged = await shardsOf(kinesis, name);
    expect(merged[3]).toMatchObject({
      ShardId: shardId(3),
      ParentShardId: shardId(1),
      AdjacentParentShardId: shardId(2),
      HashKeyRange: { StartingHashKey: "0", EndingHashKey: String(TWO_128 - 1n) },
    });
    expect(open(merged).map((s) => s.ShardId)).toEqual([shardId(3)]);
  });

  it("refuses bad splits and merges with AWS's texts", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, { ShardCount: 3 });
    const shards = await shardsOf(kinesis, name);
    const start = shards[1]!.HashKeyRange!.StartingHashKey!;
    const end = shards[1]!.HashKeyRange!.EndingHashKey!;
    await expectKinesisError(
      kinesis.send(new SplitShardCommand({ StreamName: name, ShardToSplit: shardId(1), NewStartingHashKey: start })),
      "InvalidArgumentException",
      `NewStartingHashKey ${start} used in SplitShard() on shard ${shardId(1)} in stream ${name} under account ${account} ` +
        `is not both greater than one plus the shard's StartingHashKey ${start} and less than the shard's EndingHashKey ${end}.`,
    );
    await expectKinesisError(
      kinesis.send(new SplitShardCommand({ StreamName: name, ShardToSplit: shardId(9), NewStartingHashKey: "5" })),
      "ResourceNotFoundException",
      `Could not find shard ${shardId(9)} in stream ${name} under account ${account}.`,
    );
    await expectKinesisError(
      kinesis.send(new SplitShardCommand({ StreamName: name, ShardToSplit: shardId(0), NewStartingHashKey: "01" })),
      "ValidationException",
      "1 validation error detected: Value '01' at 'newStartingHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
    );
    await expectKinesisError(
      kinesis.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: shardId(0), AdjacentShardToMerge: shardId(2) })),
      "InvalidArgumentException",
      `Shards ${shardId(0)} and ${shardId(2)} in stream ${name} under account ${account} are not an adjacent pair of shards eligible for merging`,
    );
  });
});

/** The open shards' ranges are AWS's uniform ones: range i of n is [⌊i·2^128/n⌋, ⌊(i+1)·2^128/n⌋ − 1]. */
function expectUniform(shards: Shard[], n: number) {
  const ranges = open(shards)
    .map((s) => [BigInt(s.HashKeyRange!.StartingHashKey!), BigInt(s.HashKeyRange!.EndingHashKey!)])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  const boundary = (i: number) => (BigInt(i) * TWO_128) / BigInt(n);
  expect(ranges).toEqual(Array.from({ length: n }, (_, i) => [boundary(i), boundary(i + 1) - 1n]));
}

/**
 * Reads the whole stream as KCL does: a shard once all its parents are read to their end, closed
 * shards until GetRecords ends them (no NextShardIterator, ChildShards instead), open shards until
 * they have nothing more. Returns each shard's record texts, and the ChildShards each closed shard named.
 */
async function readByLineage(kinesis: KinesisClient, StreamName: string, shards: Shard[]) {
  const texts = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  const parentsOf = (s: Shard) => [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => !!p);
  while (texts.size < shards.length) {
    const ready = shards.filter((s) => !texts.has(s.ShardId!) && parentsOf(s).every((p) => texts.has(p)));
    expect(ready.length, "a shard whose parents can all be read").toBeGreaterThan(0);
    for (const shard of ready) {
      const got: string[] = [];
      let iterator = (
        await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }))
      ).ShardIterator;
      while (iterator) {
        const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
        got.push(...(out.Records ?? []).map((r) => new TextDecoder().decode(r.Data)));
        if (out.ChildShards)
          children.set(
            shard.ShardId!,
            out.ChildShards.map((c) => c.ShardId!),
          );
        iterator = out.NextShardIterator && out.Records?.length ? out.NextShardIterator : undefined;
      }
      texts.set(shard.ShardId!, got);
    }
  }
  return { texts, children };
}

describe("UpdateShardCount", () => {
  it("2 → 3 ends with uniform open shards through splits and a merge; records before and after all readable", async () => {
    const { kinesis } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, { ShardCount: 2 });
    // Six hash keys, one in each twelfth-odd slot: two per final shard, one per intermediate piece.
    const keys = [1n, 3n, 5n, 7n, 9n, 11n].map((k) => String((k * TWO_128) / 12n));
    const put = async (label: string) => {
      for (const [i, ExplicitHashKey] of keys.entries())
        await kinesis.send(
          new PutRecordCommand({
            StreamName: name,
            PartitionKey: "k",
            ExplicitHashKey,
            Data: new TextEncoder().encode(`${label}-${i}`),
          }),
        );
    };
    await put("before");
    await kinesis.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 3, ScalingType: "UNIFORM_SCALING" }));
    await waitForStatus(kinesis, name, "ACTIVE");
    await put("after");

    const shards = await shardsOf(kinesis, name);
    expectUniform(shards, 3);
    expectFullCoverage(shards);
    // Shards 0 and 1 split at the thirds (2, 3 and 4, 5); the middle pieces 3 and 4 merge into 6.
    expect(
      shards.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId, !s.SequenceNumberRange!.EndingSequenceNumber]),
    ).toEqual([
      [shardId(0), undefined, undefined, false],
      [shardId(1), undefined, undefined, false],
      [shardId(2), shardId(0), undefined, true],
      [shardId(3), shardId(0), undefined, false],
      [shardId(4), shardId(1), undefined, false],
      [shardId(5), shardId(1), undefined, true],
      [shardId(6), shardId(3), shardId(4), true],
    ]);
    expect(
      (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.OpenShardCount,
    ).toBe(3);
    expect((await kinesis.send(new DescribeLimitsCommand({}))).OpenShardCount).toBe(3);

    const { texts, children } = await readByLineage(kinesis, name, shards);
    expect(Object.fromEntries(texts)).toEqual({
      [shardId(0)]: ["before-0", "before-1", "before-2"],
      [shardId(1)]: ["before-3", "before-4", "before-5"],
      [shardId(2)]: ["after-0", "after-1"],
      [shardId(3)]: [],
      [shardId(4)]: [],
      [shardId(5)]: ["after-4", "after-5"],
      [shardId(6)]: ["after-2", "after-3"],
    });
    expect(Object.fromEntries(children)).toEqual({
      [shardId(0)]: [shardId(2), shardId(3)],
      [shardId(1)]: [shardId(4), shardId(5)],
      [shardId(3)]: [shardId(6)],
      [shardId(4)]: [shardId(6)],
    });
  });

  it("scales up to double and down to half, keeping the key space covered", async () => {
    const { kinesis, account, region } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, { ShardCount: 2 });
    const up = await kinesis.send(
      new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 3, ScalingType: "UNIFORM_SCALING" }),
    );
    expect(up).toMatchObject({
      StreamName: name,
      StreamARN: `arn:aws:kinesis:${region}:${account}:stream/${name}`,
      CurrentShardCount: 2,
      TargetShardCount: 3,
    });
    await waitForStatus(kinesis, name, "ACTIVE");
    let shards = await shardsOf(kinesis, name);
    expect(open(shards)).toHaveLength(3);
    expectFullCoverage(shards);
    for (const child of open(shards).filter((s) => s.ParentShardId))
      expect(shards.map((s) => s.ShardId)).toContain(child.ParentShardId);

    await expectKinesisError(
      kinesis.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 7, ScalingType: "UNIFORM_SCALING" })),
      "LimitExceededException",
      "UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 3, Target shard count: 7",
    );
    await expectKinesisError(
      kinesis.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 1, ScalingType: "UNIFORM_SCALING" })),
      "LimitExceededException",
      "UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: 3, Target shard count: 1",
    );
    await kinesis.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 2, ScalingType: "UNIFORM_SCALING" }));
    await waitForStatus(kinesis, name, "ACTIVE");
    shards = await shardsOf(kinesis, name);
    expect(open(shards)).toHaveLength(2);
    expectFullCoverage(shards);
    expectUniform(shards, 2);
    expect((await kinesis.send(new DescribeLimitsCommand({}))).OpenShardCount).toBe(2);
  });

  it("is refused on on-demand streams", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, { StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    await expectKinesisError(
      kinesis.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 5, ScalingType: "UNIFORM_SCALING" })),
      "ValidationException",
      `Request is invalid. Stream ${name} under account ${account} is in On-Demand mode.`,
    );
  });
});
