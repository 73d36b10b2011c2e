/**
 * Firehose fed by the other services, with the real SDKs: a delivery stream reading a Kinesis stream
 * (records put after it was created, across a shard split, each delivered once) and an SNS topic's
 * `firehose` subscription (the JSON notification, or the raw message with RawMessageDelivery).
 */
import { ListShardsCommand, PutRecordCommand, PutRecordsCommand, SplitShardCommand } from "@aws-sdk/client-kinesis";
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { createActive, eventually, firehoseClient, flush, objectsOf, roleArn, stats, uniqueAccount } from "./firehose-clients";
import { kinesisClient } from "./kinesis-clients";
import { createActiveStream, waitForStatus } from "./kinesis-stream-helpers";
import { bucketForSuite, s3Client } from "./s3-clients";
import { snsClient } from "./sns-clients";

const account = uniqueAccount();
const fh = firehoseClient({ accessKeyId: account });
const kinesis = kinesisClient({ accessKeyId: account });
const sns = snsClient({ accessKeyId: account });
const s3c = s3Client();

describe("Firehose sources", () => {
  const Bucket = bucketForSuite(s3c, "firehose-sources");
  const destination = (prefix: string) => ({
    RoleARN: roleArn(account),
    BucketARN: `arn:aws:s3:::${Bucket}`,
    Prefix: prefix,
    BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 900 },
    ProcessingConfiguration: { Enabled: true, Processors: [{ Type: "AppendDelimiterToRecord" as const }] },
  });
  const delivered = async (prefix: string) =>
    (await objectsOf(Bucket, prefix, s3c))
      .map((o) => o.body.toString())
      .join("")
      .split("\n")
      .filter(Boolean);

  it("reads a Kinesis stream from its creation on, through a shard split, each record once", async () => {
    const StreamName = uniqueName("source");
    await createActiveStream(kinesis, StreamName, { ShardCount: 2 });
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: "early", Data: Buffer.from("before") }));
    const name = uniqueName("from-kinesis");
    await createActive(fh, {
      DeliveryStreamName: name,
      DeliveryStreamType: "KinesisStreamAsSource",
      KinesisStreamSourceConfiguration: {
        KinesisStreamARN: `arn:aws:kinesis:us-east-1:${account}:stream/${StreamName}`,
        RoleARN: roleArn(account),
      },
      ExtendedS3DestinationConfiguration: destination(`${name}/`),
    });
    const first = Array.from({ length: 50 }, (_, i) => `a${i}`);
    await kinesis.send(
      new PutRecordsCommand({ StreamName, Records: first.map((r, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(r) })) }),
    );
    await eventually(async () => ((await stats(name, account)).counters.sourceRecords ?? 0) >= 50, 10_000);
    // Split the first shard: the parent is read to its end, then its children.
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
    const parent = Shards![0]!;
    const start = BigInt(parent.HashKeyRange!.StartingHashKey!);
    const end = BigInt(parent.HashKeyRange!.EndingHashKey!);
    await kinesis.send(
      new SplitShardCommand({ StreamName, ShardToSplit: parent.ShardId!, NewStartingHashKey: String((start + end) / 2n) }),
    );
    await waitForStatus(kinesis, StreamName, "ACTIVE");
    const second = Array.from({ length: 50 }, (_, i) => `b${i}`);
    await kinesis.send(
      new PutRecordsCommand({ StreamName, Records: second.map((r, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(r) })) }),
    );
    await eventually(async () => ((await stats(name, account)).counters.sourceRecords ?? 0) >= 100, 15_000);
    const flushed = await flush(name, account);
    expect(flushed.counters).toMatchObject({ sourceRecords: 100, deliveredRecords: 100 });
    const got = await delivered(`${name}/`);
    expect(got.sort()).toEqual([...first, ...second].sort());
    expect(got).not.toContain("before");
  });

  it("receives an SNS topic's messages: the JSON notification, or the raw message", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("to-firehose") }));
    const envelope = uniqueName("envelope");
    const raw = uniqueName("raw");
    for (const name of [envelope, raw]) {
      await createActive(fh, {
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: { ...destination(`${name}/`), ProcessingConfiguration: undefined },
      });
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: "firehose",
          Endpoint: `arn:aws:firehose:us-east-1:${account}:deliverystream/${name}`,
          Attributes: {
            SubscriptionRoleArn: roleArn(account),
            ...(name === raw ? { RawMessageDelivery: "true" } : {}),
          },
        }),
      );
    }
    await sns.send(new PublishCommand({ TopicArn, Message: "hello firehose", Subject: "greeting" }));
    for (const name of [envelope, raw])
      await eventually(async () => ((await stats(name, account)).counters.incomingRecords ?? 0) >= 1, 10_000);
    await flush(envelope, account);
    await flush(raw, account);
    const [notification] = await objectsOf(Bucket, `${envelope}/`, s3c);
    const message = JSON.parse(notification!.body.toString()) as Record<string, string>;
    expect(message).toMatchObject({ Type: "Notification", TopicArn, Subject: "greeting", Message: "hello firehose" });
    expect(message.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const [plain] = await objectsOf(Bucket, `${raw}/`, s3c);
    expect(plain!.body.toString()).toBe("hello firehose");
  });
});
