/**
 * GetShardIterator (every iterator type, AWS's errors for bad shards and sequence numbers) and
 * GetRecords (Limit, NextShardIterator chains, MillisBehindLatest, bad and expired iterators, the
 * end of a closed shard) with the real @aws-sdk/client-kinesis.
 */
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
  type GetShardIteratorCommandInput,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { sleep } from "./helpers";
import { encodeIterator } from "../../src/domain/kinesis/iterators";
import { isolatedKinesis } from "./kinesis-clients";
import { createActiveStream, expectKinesisError, waitForStatus } from "./kinesis-stream-helpers";

const utf8 = new TextEncoder();
const text = (data: Uint8Array | undefined) => new TextDecoder().decode(data);
let n = 0;
const streamName = (base: string) => `${base}-${Date.now().toString(36)}-${n++}`;
const SHARD0 = "shardId-000000000000";

async function iterator(kinesis: KinesisClient, input: Omit<GetShardIteratorCommandInput, "ShardId"> & { ShardId?: string }) {
  const out = await kinesis.send(new GetShardIteratorCommand({ ShardId: SHARD0, ...input } as GetShardIteratorCommandInput));
  return out.ShardIterator!;
}

/** PutRecord into the shard that starts at hash key 0 (shard 0 of a new stream). */
async function put(kinesis: KinesisClient, StreamName: string, ...texts: string[]) {
  const out = [];
  for (const t of texts)
    out.push(
      (await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: "k", ExplicitHashKey: "0", Data: utf8.encode(t) })))
        .SequenceNumber!,
    );
  return out;
}

/** On-demand streams have no per-shard read limit (5 GetRecords/s): tests read as fast as they like. */
const ON_DEMAND = { StreamModeDetails: { StreamMode: "ON_DEMAND" as const } };

const read = async (kinesis: KinesisClient, ShardIterator: string, Limit?: number) => {
  const out = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit }));
  return { ...out, texts: (out.Records ?? []).map((r) => text(r.Data)) };
};

describe.concurrent("GetShardIterator", () => {
  it("starts at TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER and AT_TIMESTAMP", async () => {
    const { kinesis } = isolatedKinesis();
    const name = streamName("types");
    await createActiveStream(kinesis, name, ON_DEMAND);
    const [s1, s2] = await put(kinesis, name, "one", "two");
    const latest = await iterator(kinesis, { StreamName: name, ShardIteratorType: "LATEST" });
    await sleep(1100); // arrival times apart, for AT_TIMESTAMP
    const between = new Date();
    await put(kinesis, name, "three");
    expect((await read(kinesis, await iterator(kinesis, { StreamName: name, ShardIteratorType: "TRIM_HORIZON" }))).texts).toEqual(
      ["one", "two", "three"],
    );
    expect((await read(kinesis, latest)).texts).toEqual(["three"]);
    const at = await iterator(kinesis, { StreamName: name, ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: s2 });
    expect((await read(kinesis, at)).texts).toEqual(["two", "three"]);
    const after = await iterator(kinesis, {
      StreamName: name,
      ShardIteratorType: "AFTER_SEQUENCE_NUMBER",
      StartingSequenceNumber: s1,
    });
    expect((await read(kinesis, after)).texts).toEqual(["two", "three"]);
    const ts = await iterator(kinesis, { StreamName: name, ShardIteratorType: "AT_TIMESTAMP", Timestamp: between });
    expect((await read(kinesis, ts)).texts).toEqual(["three"]);
    // Short shard ids are accepted, as on AWS.
    expect(
      (await read(kinesis, await iterator(kinesis, { StreamName: name, ShardId: "0", ShardIteratorType: "TRIM_HORIZON" }))).texts,
    ).toHaveLength(3);
  });

  it("answers bad shards, types and sequence numbers with AWS's errors", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = streamName("badit");
    await createActiveStream(kinesis, name, { ShardCount: 2 });
    const [seq0] = await put(kinesis, name, "x");
    const get = (input: Partial<GetShardIteratorCommandInput>) =>
      kinesis.send(
        new GetShardIteratorCommand({ StreamName: name, ShardId: SHARD0, ShardIteratorType: "TRIM_HORIZON", ...input } as never),
      );
    await expectKinesisError(
      get({ ShardId: "shardId-000000000005" }),
      "ResourceNotFoundException",
      `Shard shardId-000000000005 in stream ${name} under account ${account} does not exist`,
    );
    await expectKinesisError(
      get({ ShardId: "abc" }),
      "ResourceNotFoundException",
      `Could not find shard abc in stream ${name} under account ${account}.`,
    );
    await expectKinesisError(
      get({ StreamName: `${name}-x` }),
      "ResourceNotFoundException",
      `Shard ${SHARD0} in stream ${name}-x under account ${account} does not exist`,
    );
    await expectKinesisError(
      get({ ShardIteratorType: "SOMEWHERE" as never }),
      "ValidationException",
      "1 validation error detected: Value 'SOMEWHERE' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]",
    );
    const either =
      "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ";
    await expectKinesisError(
      get({ StartingSequenceNumber: seq0 }),
      "InvalidArgumentException",
      `${either}Request specified TRIM_HORIZON and also a StartingSequenceNumber.`,
    );
    await expectKinesisError(
      get({ ShardIteratorType: "AT_SEQUENCE_NUMBER" }),
      "InvalidArgumentException",
      `${either}Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.`,
    );
    await expectKinesisError(
      get({ ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: "12345" }),
      "InvalidArgumentException",
      `StartingSequenceNumber 12345 used in GetShardIterator on shard ${SHARD0} in stream ${name} under account ${account} is invalid.`,
    );
    const other = (
      await kinesis.send(
        new PutRecordCommand({
          StreamName: name,
          PartitionKey: "a",
          ExplicitHashKey: (2n ** 127n).toString(),
          Data: utf8.encode("y"),
        }),
      )
    ).SequenceNumber;
    await expectKinesisError(
      get({ ShardIteratorType: "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber: other }),
      "InvalidArgumentException",
      `Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with ${SHARD0}`,
    );
    await expectKinesisError(
      get({ ShardIteratorType: "AT_TIMESTAMP" }),
      "InvalidArgumentException",
      "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.",
    );
    await expectKinesisError(
      get({ ShardIteratorType: "AT_TIMESTAMP", Timestamp: new Date(Date.now() + 3_600_000) }),
      "InvalidArgumentException",
      /^The timestampInMillis parameter cannot be greater than the currentTimestampInMillis\. timestampInMillis: \d+, currentTimestampInMillis: \d+$/,
    );
  });
});

describe.concurrent("GetRecords", () => {
  it("pages with Limit and NextShardIterator, reporting MillisBehindLatest", async () => {
    const { kinesis } = isolatedKinesis();
    const name = streamName("page");
    await createActiveStream(kinesis, name, ON_DEMAND);
    const Records = Array.from({ length: 25 }, (_, i) => ({
      PartitionKey: "k",
      ExplicitHashKey: "0",
      Data: utf8.encode(`r${i}`),
    }));
    await kinesis.send(new PutRecordsCommand({ StreamName: name, Records }));
    let it = await iterator(kinesis, { StreamName: name, ShardIteratorType: "TRIM_HORIZON" });
    const seen: string[] = [];
    for (let page = 0; page < 3; page++) {
      const out = await read(kinesis, it, 10);
      seen.push(...out.texts);
      expect(out.MillisBehindLatest).toBeGreaterThanOrEqual(0);
      it = out.NextShardIterator!;
    }
    expect(seen).toEqual(Records.map((r) => text(r.Data)));
    const empty = await read(kinesis, it);
    expect([empty.texts, empty.MillisBehindLatest]).toEqual([[], 0]);
    expect(empty.NextShardIterator).toBeTruthy();
    await put(kinesis, name, "later");
    expect((await read(kinesis, empty.NextShardIterator!)).texts).toEqual(["later"]);
  });

  it("answers bad, expired and out-of-range input with AWS's errors", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = streamName("badget");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    const good = await iterator(kinesis, { StreamName: name, ShardIteratorType: "TRIM_HORIZON" });
    const get = (ShardIterator: string, Limit?: number) => kinesis.send(new GetRecordsCommand({ ShardIterator, Limit }));
    for (const bad of ["abc", `${good.slice(0, -8)}AAAAAAAA`, good.slice(0, 40)])
      await expectKinesisError(get(bad), "InvalidArgumentException", "Invalid ShardIterator.");
    await expectKinesisError(
      get(good, 0),
      "ValidationException",
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectKinesisError(
      get(good, 10001),
      "ValidationException",
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    );
    // An iterator issued six minutes ago (built like the service's own, for this very shard).
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    const old = encodeIterator({
      issuedAt: Date.now() - 360_000,
      account,
      region: "us-east-1",
      stream: name,
      streamCreatedAt: summary.StreamDescriptionSummary!.StreamCreationTimestamp!.getTime(),
      shardId: SHARD0,
      seq: 1,
    });
    await expectKinesisError(
      get(old),
      "ExpiredIteratorException",
      /^Iterator expired\. The iterator was created at time \w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4} while right now it is \w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4} which is further in the future than the tolerated delay of 300000 milliseconds\.$/,
    );
    expect((await read(kinesis, good)).texts).toEqual([]);
  });

  it("reads a closed shard to its end: no NextShardIterator, its ChildShards instead", async () => {
    const { kinesis } = isolatedKinesis();
    const name = streamName("closed");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    await put(kinesis, name, "before");
    const it = await iterator(kinesis, { StreamName: name, ShardIteratorType: "TRIM_HORIZON" });
    await kinesis.send(
      new SplitShardCommand({ StreamName: name, ShardToSplit: SHARD0, NewStartingHashKey: (2n ** 127n).toString() }),
    );
    await waitForStatus(kinesis, name, "ACTIVE");
    const after = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: "k", Data: utf8.encode("after") }));
    expect(after.ShardId).not.toBe(SHARD0);
    const out = await read(kinesis, it);
    expect(out.texts).toEqual(["before"]);
    expect(out.NextShardIterator).toBeUndefined();
    expect(out.ChildShards?.map((c) => [c.ShardId, c.ParentShards])).toEqual([
      ["shardId-000000000001", [SHARD0]],
      ["shardId-000000000002", [SHARD0]],
    ]);
    // A closed shard still hands out iterators.
    const again = await iterator(kinesis, { StreamName: name, ShardIteratorType: "LATEST" });
    const end = await read(kinesis, again);
    expect([end.texts, end.NextShardIterator]).toEqual([[], undefined]);
  });
});
