/**
 * Kinesis stream control plane with the real @aws-sdk/client-kinesis: CreateStream (shard counts,
 * hash ranges, modes, status CREATING → ACTIVE), DeleteStream (DELETING → gone, consumers),
 * DescribeStream paging, DescribeStreamSummary, ListStreams paging, DescribeLimits, shard quota.
 * ListShards and settings: kinesis-shards-settings.test.ts; tags and policies: kinesis-tags-policies.test.ts.
 */
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeLimitsCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  ListStreamsCommand,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { isolatedKinesis } from "./kinesis-clients";
import { createActiveStream, expectKinesisError, notActive, notFound, waitForStatus } from "./kinesis-stream-helpers";

const TWO_128 = 2n ** 128n;

describe("CreateStream", () => {
  it("creates a stream CREATING, then ACTIVE with even hash ranges and AWS-shaped sequence numbers", async () => {
    const { kinesis, account, region } = isolatedKinesis();
    const name = uniqueName("s");
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 3 }));
    const creating = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    expect(creating.StreamDescription).toMatchObject({ StreamStatus: "CREATING", Shards: [] });
    await waitForStatus(kinesis, name, "ACTIVE");
    const { StreamDescription: d } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    expect(d).toMatchObject({
      StreamName: name,
      StreamARN: `arn:aws:kinesis:${region}:${account}:stream/${name}`,
      StreamStatus: "ACTIVE",
      StreamModeDetails: { StreamMode: "PROVISIONED" },
      HasMoreShards: false,
      RetentionPeriodHours: 24,
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      EncryptionType: "NONE",
    });
    expect(d!.StreamCreationTimestamp).toBeInstanceOf(Date);
    expect(Math.abs(d!.StreamCreationTimestamp!.getTime() - Date.now())).toBeLessThan(10_000);
    const third = TWO_128 / 3n;
    expect(d!.Shards!.map((s) => [s.ShardId, s.HashKeyRange!.StartingHashKey, s.HashKeyRange!.EndingHashKey])).toEqual([
      ["shardId-000000000000", "0", String(third - 1n)],
      ["shardId-000000000001", String(third), String(2n * third - 1n)],
      ["shardId-000000000002", String(2n * third), String(TWO_128 - 1n)],
    ]);
    d!.Shards!.forEach((s, i) => {
      const seq = s.SequenceNumberRange!.StartingSequenceNumber!;
      expect(seq).toMatch(/^\d{56}$/);
      expect(BigInt(seq).toString(16)).toMatch(new RegExp(`^20[0-9a-f]{8}${i}[0-9a-f]{16}00[0-9a-f]{9}0000000${i}2$`));
      expect(s.SequenceNumberRange!.EndingSequenceNumber).toBeUndefined();
    });
  });

  it("creates 4 shards without ShardCount (test_create_stream_without_shard_count), and on-demand streams", async () => {
    const { kinesis } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, {});
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    expect(StreamDescription!.Shards).toHaveLength(4);
    const onDemand = uniqueName("od");
    await createActiveStream(kinesis, onDemand, { StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: onDemand }));
    expect(summary.StreamDescriptionSummary).toMatchObject({
      StreamModeDetails: { StreamMode: "ON_DEMAND" },
      OpenShardCount: 4,
      ConsumerCount: 0,
      MaxRecordSizeInKiB: 1024,
    });
    const limits = await kinesis.send(new DescribeLimitsCommand({}));
    expect(limits).toMatchObject({ ShardLimit: 500, OpenShardCount: 8, OnDemandStreamCount: 1, OnDemandStreamCountLimit: 50 });
  });

  it("refuses a name in use, and bad parameters with AWS's validation texts", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = uniqueName("s");
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await expectKinesisError(
      kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 })),
      "ResourceInUseException",
      `Stream ${name} under account ${account} already exists.`,
    );
    await expectKinesisError(
      kinesis.send(new CreateStreamCommand({ StreamName: "a/b", ShardCount: 0 })),
      "ValidationException",
      "2 validation errors detected: Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value 'a/b' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
    await expectKinesisError(
      kinesis.send(new CreateStreamCommand({ StreamName: "x".repeat(129), ShardCount: 100001 })),
      "ValidationException",
      `2 validation errors detected: Value '100001' at 'shardCount' failed to satisfy constraint: Member must have value less than or equal to 100000; ` +
        `Value '${"x".repeat(129)}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    await expectKinesisError(
      kinesis.send(new CreateStreamCommand({ StreamName: uniqueName("s"), MaxRecordSizeInKiB: 100 })),
      "ValidationException",
      "1 validation error detected: Value '100' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value greater than or equal to 1024",
    );
    await expectKinesisError(
      kinesis.send(new CreateStreamCommand({ StreamName: uniqueName("s"), StreamModeDetails: { StreamMode: "FAST" as never } })),
      "ValidationException",
      "1 validation error detected: Value 'FAST' at 'streamModeDetails.streamMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]",
    );
  });

  it("allows at most 5 streams CREATING at once in an account", async () => {
    const { kinesis } = isolatedKinesis();
    const create = (i: number) =>
      kinesis.send(new CreateStreamCommand({ StreamName: `c${i}-${uniqueName("s")}`, ShardCount: 1 }));
    for (let i = 0; i < 5; i++) await create(i);
    await expectKinesisError(create(5), "LimitExceededException", /streams in the CREATING state/);
  });

  it("enforces the account's shard quota with AWS's LimitExceededException text (200 outside the large regions)", async () => {
    const { kinesis, account, region } = isolatedKinesis("ap-south-1");
    const text = (current: number, additional: number) =>
      `This request would exceed the shard limit for the account ${account} in ${region}. Current shard count for the account: ${current}. ` +
      `Limit: 200. Number of additional shards that would have resulted from this request: ${additional}. Refer to the AWS Service Limits page ` +
      "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.";
    await expectKinesisError(
      kinesis.send(new CreateStreamCommand({ StreamName: uniqueName("big"), ShardCount: 201 })),
      "LimitExceededException",
      text(0, 201),
    );
    await kinesis.send(new CreateStreamCommand({ StreamName: uniqueName("one"), ShardCount: 2 }));
    await expectKinesisError(
      kinesis.send(new CreateStreamCommand({ StreamName: uniqueName("more"), ShardCount: 199 })),
      "LimitExceededException",
      text(2, 199),
    );
    expect(await kinesis.send(new DescribeLimitsCommand({}))).toMatchObject({ ShardLimit: 200, OpenShardCount: 2 });
  });
});

describe("DeleteStream", () => {
  it("goes DELETING, then the stream is gone; allowed while CREATING; the name can be reused", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = uniqueName("s");
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    expect(StreamDescriptionSummary!.StreamStatus).toBe("DELETING");
    await waitForStatus(kinesis, name, "GONE");
    await expectKinesisError(
      kinesis.send(new DescribeStreamCommand({ StreamName: name })),
      "ResourceNotFoundException",
      notFound(name, account),
    );
    await expectKinesisError(
      kinesis.send(new DeleteStreamCommand({ StreamName: name })),
      "ResourceNotFoundException",
      notFound(name, account),
    );
    expect((await kinesis.send(new DescribeLimitsCommand({}))).OpenShardCount).toBe(0);
    await createActiveStream(kinesis, name, { ShardCount: 1 });
  });

  it("accepts the stream's ARN, and checks StreamName/StreamARN", async () => {
    const { kinesis, account, region } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    const arn = `arn:aws:kinesis:${region}:${account}:stream/${name}`;
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: arn }));
    expect(summary.StreamDescriptionSummary!.StreamName).toBe(name);
    await expectKinesisError(
      kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: "arn:aws:sqs:x" })),
      "ValidationException",
      "1 validation error detected: Value 'arn:aws:sqs:x' at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+",
    );
    await kinesis.send(new DeleteStreamCommand({ StreamARN: arn }));
    await waitForStatus(kinesis, name, "GONE");
  });
});

describe("DescribeStream and ListStreams paging", () => {
  it("pages shards with Limit and ExclusiveStartShardId", async () => {
    const { kinesis } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, { ShardCount: 5 });
    const first = await kinesis.send(new DescribeStreamCommand({ StreamName: name, Limit: 2 }));
    expect(first.StreamDescription!.Shards!.map((s) => s.ShardId)).toEqual(["shardId-000000000000", "shardId-000000000001"]);
    expect(first.StreamDescription!.HasMoreShards).toBe(true);
    const rest = await kinesis.send(
      new DescribeStreamCommand({ StreamName: name, ExclusiveStartShardId: "shardId-000000000001", Limit: 10 }),
    );
    expect(rest.StreamDescription!.Shards!.map((s) => s.ShardId)).toEqual([
      "shardId-000000000002",
      "shardId-000000000003",
      "shardId-000000000004",
    ]);
    expect(rest.StreamDescription!.HasMoreShards).toBe(false);
    await expectKinesisError(
      kinesis.send(new DescribeStreamCommand({ StreamName: name, Limit: 0 })),
      "ValidationException",
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it("lists streams in name order with StreamSummaries, Limit, ExclusiveStartStreamName and NextToken", async () => {
    const { kinesis, account, region } = isolatedKinesis();
    const names = ["c", "a", "b"].map((p) => `${p}-${uniqueName("s")}`);
    await Promise.all(names.map((n) => kinesis.send(new CreateStreamCommand({ StreamName: n, ShardCount: 1 }))));
    const sorted = [...names].sort();
    const all = await kinesis.send(new ListStreamsCommand({}));
    expect(all.StreamNames).toEqual(sorted);
    expect(all.HasMoreStreams).toBe(false);
    expect(all.NextToken).toBeUndefined();
    expect(all.StreamSummaries![0]).toMatchObject({
      StreamName: sorted[0],
      StreamARN: `arn:aws:kinesis:${region}:${account}:stream/${sorted[0]}`,
      StreamModeDetails: { StreamMode: "PROVISIONED" },
    });
    expect(["CREATING", "ACTIVE"]).toContain(all.StreamSummaries![0]!.StreamStatus);
    const page = await kinesis.send(new ListStreamsCommand({ Limit: 2 }));
    expect(page.StreamNames).toEqual(sorted.slice(0, 2));
    expect(page.HasMoreStreams).toBe(true);
    const next = await kinesis.send(new ListStreamsCommand({ NextToken: page.NextToken }));
    expect(next.StreamNames).toEqual(sorted.slice(2));
    const after = await kinesis.send(new ListStreamsCommand({ ExclusiveStartStreamName: sorted[0] }));
    expect(after.StreamNames).toEqual(sorted.slice(1));
  });
});

describe("status", () => {
  it("refuses changes while CREATING with AWS's ResourceInUseException", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = uniqueName("s");
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const { IncreaseStreamRetentionPeriodCommand } = await import("@aws-sdk/client-kinesis");
    await expectKinesisError(
      kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 })),
      "ResourceInUseException",
      notActive(name, account, "CREATING"),
    );
  });
});
