/**
 * ListShards (paging, NextToken rules, filters on an unsharded stream) and a stream's settings:
 * retention, capacity mode, record size, warm throughput, enhanced monitoring, encryption, account
 * settings. With the real @aws-sdk/client-kinesis; filters over closed shards: kinesis-resharding.test.ts.
 */
import {
  DecreaseStreamRetentionPeriodCommand,
  DescribeAccountSettingsCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  DisableEnhancedMonitoringCommand,
  EnableEnhancedMonitoringCommand,
  IncreaseStreamRetentionPeriodCommand,
  ListShardsCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  UpdateAccountSettingsCommand,
  UpdateMaxRecordSizeCommand,
  UpdateStreamModeCommand,
  UpdateStreamWarmThroughputCommand,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { isolatedKinesis } from "./kinesis-clients";
import { createActiveStream, expectKinesisError, notActive, notFound, waitForStatus } from "./kinesis-stream-helpers";

const ids = (shards: { ShardId?: string }[] | undefined) => (shards ?? []).map((s) => s.ShardId);
const shardId = (i: number) => `shardId-${String(i).padStart(12, "0")}`;

describe("ListShards", () => {
  it("pages with MaxResults and NextToken; ExclusiveStartShardId; StreamCreationTimestamp", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, { ShardCount: 5 });
    const all = await kinesis.send(new ListShardsCommand({ StreamName: name }));
    expect(ids(all.Shards)).toEqual([0, 1, 2, 3, 4].map(shardId));
    expect(all.NextToken).toBeUndefined();
    expect(all.Shards![0]).toMatchObject({ HashKeyRange: { StartingHashKey: "0" }, SequenceNumberRange: {} });

    const first = await kinesis.send(new ListShardsCommand({ StreamName: name, MaxResults: 2 }));
    expect(ids(first.Shards)).toEqual([shardId(0), shardId(1)]);
    const second = await kinesis.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 2 }));
    expect(ids(second.Shards)).toEqual([shardId(2), shardId(3)]);
    const third = await kinesis.send(new ListShardsCommand({ NextToken: second.NextToken }));
    expect(ids(third.Shards)).toEqual([shardId(4)]);
    expect(third.NextToken).toBeUndefined();

    const after = await kinesis.send(new ListShardsCommand({ StreamName: name, ExclusiveStartShardId: shardId(2) }));
    expect(ids(after.Shards)).toEqual([shardId(3), shardId(4)]);
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    const created = StreamDescription!.StreamCreationTimestamp!;
    const same = await kinesis.send(new ListShardsCommand({ StreamName: name, StreamCreationTimestamp: created }));
    expect(same.Shards).toHaveLength(5);
    await expectKinesisError(
      kinesis.send(new ListShardsCommand({ StreamName: name, StreamCreationTimestamp: new Date(created.getTime() - 3_600_000) })),
      "ResourceNotFoundException",
      notFound(name, account),
    );
  });

  it("answers AWS's InvalidArgumentException for NextToken combined with the stream, or neither", async () => {
    const { kinesis } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, { ShardCount: 2 });
    const { NextToken } = await kinesis.send(new ListShardsCommand({ StreamName: name, MaxResults: 1 }));
    expect(NextToken).toBeDefined();
    await expectKinesisError(
      kinesis.send(new ListShardsCommand({ StreamName: name, NextToken })),
      "InvalidArgumentException",
      "NextToken and StreamName cannot be provided together.",
    );
    await expectKinesisError(
      kinesis.send(new ListShardsCommand({})),
      "InvalidArgumentException",
      "Either NextToken or StreamName should be provided.",
    );
    await expectKinesisError(kinesis.send(new ListShardsCommand({ NextToken: "garbage" })), "InvalidArgumentException");
    await expectKinesisError(
      kinesis.send(new ListShardsCommand({ StreamName: name, MaxResults: 10001 })),
      "ValidationException",
      "1 validation error detected: Value '10001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10000",
    );
  });

  it("filters: AT_LATEST, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AFTER_SHARD_ID, AT_TIMESTAMP, FROM_TIMESTAMP", async () => {
    const { kinesis } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name, { ShardCount: 3 });
    const list = async (ShardFilter: object) =>
      ids((await kinesis.send(new ListShardsCommand({ StreamName: name, ShardFilter: ShardFilter as never }))).Shards);
    const every = [0, 1, 2].map(shardId);
    expect(await list({ Type: "AT_LATEST" })).toEqual(every);
    expect(await list({ Type: "AT_TRIM_HORIZON" })).toEqual(every);
    expect(await list({ Type: "FROM_TRIM_HORIZON" })).toEqual(every);
    expect(await list({ Type: "AFTER_SHARD_ID", ShardId: shardId(0) })).toEqual(every.slice(1));
    expect(await list({ Type: "AT_TIMESTAMP", Timestamp: new Date() })).toEqual(every);
    expect(await list({ Type: "AT_TIMESTAMP", Timestamp: new Date(Date.now() - 86_400_000) })).toEqual(every);
    expect(await list({ Type: "FROM_TIMESTAMP", Timestamp: new Date() })).toEqual(every);
    await expectKinesisError(list({ Type: "AFTER_SHARD_ID" }), "InvalidArgumentException");
    await expectKinesisError(list({ Type: "AT_TIMESTAMP" }), "InvalidArgumentException");
    await expectKinesisError(
      list({ Type: "SOMETIMES" }),
      "ValidationException",
      "1 validation error detected: Value 'SOMETIMES' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: " +
        "[AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]",
    );
  });
});

describe("retention", () => {
  it("increases and decreases within 24..8760 hours with AWS's texts", async () => {
    const { kinesis } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    const increase = (h: number) =>
      kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: h }));
    const decrease = (h: number) =>
      kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: h }));
    await increase(48);
    const retention = async () =>
      (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.RetentionPeriodHours;
    expect(await retention()).toBe(48);
    await expectKinesisError(
      increase(30),
      "InvalidArgumentException",
      `Requested retention period (30 hours) for stream ${name} can not be shorter than existing retention period (48 hours). Use DecreaseRetentionPeriod API.`,
    );
    await expectKinesisError(
      decrease(72),
      "InvalidArgumentException",
      `Requested retention period (72 hours) for stream ${name} can not be longer than existing retention period (48 hours). Use IncreaseRetentionPeriod API.`,
    );
    await expectKinesisError(
      decrease(23),
      "InvalidArgumentException",
      "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.",
    );
    await expectKinesisError(
      increase(8761),
      "InvalidArgumentException",
      "Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.",
    );
    await expectKinesisError(
      increase(0),
      "ValidationException",
      "1 validation error detected: Value '0' at 'retentionPeriodHours' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await decrease(24);
    expect(await retention()).toBe(24);
  });
});

describe("mode, record size, warm throughput, monitoring, encryption", () => {
  it("UpdateStreamMode goes UPDATING, then ACTIVE in the new mode; changes meanwhile are refused", async () => {
    const { kinesis, account, region } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    const StreamARN = `arn:aws:kinesis:${region}:${account}:stream/${name}`;
    await kinesis.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: "ON_DEMAND" } }));
    const summary = async () => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN }))).StreamDescriptionSummary!;
    expect((await summary()).StreamStatus).toBe("UPDATING");
    await expectKinesisError(
      kinesis.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: "PROVISIONED" } })),
      "ResourceInUseException",
      notActive(name, account, "UPDATING"),
    );
    await waitForStatus(kinesis, name, "ACTIVE");
    expect((await summary()).StreamModeDetails).toEqual({ StreamMode: "ON_DEMAND" });
    const warm = await kinesis.send(new UpdateStreamWarmThroughputCommand({ StreamARN, WarmThroughputMiBps: 100 }));
    expect(warm).toMatchObject({ StreamARN, StreamName: name, WarmThroughput: { TargetMiBps: 100 } });
    expect((await summary()).WarmThroughput).toMatchObject({ TargetMiBps: 100 });
  });

  it("UpdateMaxRecordSize takes 1024..10240 KiB", async () => {
    const { kinesis, account, region } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    const StreamARN = `arn:aws:kinesis:${region}:${account}:stream/${name}`;
    await kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN, MaxRecordSizeInKiB: 4096 }));
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN }));
    expect(StreamDescriptionSummary!.MaxRecordSizeInKiB).toBe(4096);
    await expectKinesisError(
      kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN, MaxRecordSizeInKiB: 10241 })),
      "ValidationException",
      "1 validation error detected: Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value less than or equal to 10240",
    );
  });

  it("Enable/DisableEnhancedMonitoring answer current and desired metrics; ALL expands", async () => {
    const { kinesis } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    const enabled = await kinesis.send(
      new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ["IncomingBytes", "OutgoingBytes"] }),
    );
    expect(enabled).toMatchObject({
      StreamName: name,
      CurrentShardLevelMetrics: [],
      DesiredShardLevelMetrics: ["IncomingBytes", "OutgoingBytes"],
    });
    const all = await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ["ALL"] }));
    expect(all.DesiredShardLevelMetrics).toHaveLength(7);
    const disabled = await kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ["ALL"] }));
    expect(disabled.CurrentShardLevelMetrics).toHaveLength(7);
    expect(disabled.DesiredShardLevelMetrics).toEqual([]);
    await expectKinesisError(
      kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ["Bogus" as never] })),
      "ValidationException",
      /^1 validation error detected: Value 'Bogus' at 'shardLevelMetrics.1.member' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    );
  });

  it("Start/StopStreamEncryption switch EncryptionType through UPDATING", async () => {
    const { kinesis } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    await kinesis.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: "KMS", KeyId: "alias/aws/kinesis" }));
    await waitForStatus(kinesis, name, "ACTIVE");
    const on = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    expect(on.StreamDescription).toMatchObject({ EncryptionType: "KMS", KeyId: "alias/aws/kinesis" });
    await kinesis.send(new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: "KMS", KeyId: "alias/aws/kinesis" }));
    await waitForStatus(kinesis, name, "ACTIVE");
    const off = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    expect(off.StreamDescription!.EncryptionType).toBe("NONE");
    expect(off.StreamDescription!.KeyId).toBeUndefined();
  });
});

describe("account settings", () => {
  it("MinimumThroughputBillingCommitment: DISABLED by default, ENABLED with a day's minimum", async () => {
    const { kinesis } = isolatedKinesis();
    const initial = await kinesis.send(new DescribeAccountSettingsCommand({}));
    expect(initial.MinimumThroughputBillingCommitment).toEqual({ Status: "DISABLED" });
    const enabled = await kinesis.send(
      new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: "ENABLED" } }),
    );
    const c = enabled.MinimumThroughputBillingCommitment!;
    expect(c.Status).toBe("ENABLED");
    expect(c.EarliestAllowedEndAt!.getTime() - c.StartedAt!.getTime()).toBe(86_400_000);
    const early = await kinesis.send(
      new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: "DISABLED" } }),
    );
    expect(early.MinimumThroughputBillingCommitment).toMatchObject({
      Status: "ENABLED_UNTIL_EARLIEST_ALLOWED_END",
      EndedAt: c.EarliestAllowedEndAt,
    });
    expect((await kinesis.send(new DescribeAccountSettingsCommand({}))).MinimumThroughputBillingCommitment!.Status).toBe(
      "ENABLED_UNTIL_EARLIEST_ALLOWED_END",
    );
  });
});
