/**
 * Firehose's control plane with @aws-sdk/client-firehose: create → CREATING → ACTIVE, the shape of
 * DescribeDeliveryStream, listing with pagination and the type filter, delete → DELETING → gone,
 * tags (the recorded sequence), UpdateDestination's version check, encryption, and AWS's errors.
 */
import { describe, expect, it } from "vitest";
import { awsError, uniqueName } from "./clients";
import { createActive, firehose, firehoseClient, roleArn, uniqueAccount, waitForStatus } from "./firehose-clients";
import { kinesisClient } from "./kinesis-clients";
import { CreateStreamCommand, DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { sleep } from "./helpers";

const account = uniqueAccount();
const fh = firehoseClient({ accessKeyId: account });
const s3Destination = (bucket = "firehose-target") => ({
  RoleARN: roleArn(account),
  BucketARN: `arn:aws:s3:::${bucket}`,
});

describe("Firehose delivery streams", () => {
  it("are CREATING, then ACTIVE, and described as AWS describes them", async () => {
    const name = uniqueName("describe");
    const created = await fh.send(
      new firehose.CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Destination() }),
    );
    expect(created.DeliveryStreamARN).toBe(`arn:aws:firehose:us-east-1:${account}:deliverystream/${name}`);
    const first = await fh.send(new firehose.DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    expect(first.DeliveryStreamDescription!.DeliveryStreamStatus).toBe("CREATING");
    const d = await waitForStatus(fh, name, "ACTIVE");
    expect(d).toMatchObject({
      DeliveryStreamName: name,
      DeliveryStreamARN: created.DeliveryStreamARN,
      DeliveryStreamType: "DirectPut",
      VersionId: "1",
      HasMoreDestinations: false,
      DeliveryStreamEncryptionConfiguration: { Status: "DISABLED" },
    });
    expect(d.CreateTimestamp).toBeInstanceOf(Date);
    expect(Math.abs(d.CreateTimestamp!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(d.Destinations).toHaveLength(1);
    expect(d.Destinations![0]!.DestinationId).toBe("destinationId-000000000001");
    expect(d.Destinations![0]!.ExtendedS3DestinationDescription).toMatchObject(s3Destination());
  });

  it("refuse a second stream of the same name and answer for streams that do not exist", async () => {
    const name = uniqueName("twice");
    await createActive(fh, { DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Destination() });
    expect(
      await awsError(() =>
        fh.send(
          new firehose.CreateDeliveryStreamCommand({
            DeliveryStreamName: name,
            ExtendedS3DestinationConfiguration: s3Destination(),
          }),
        ),
      ),
    ).toMatchObject({
      name: "ResourceInUseException",
      message: `Firehose ${name} under accountId ${account} already exists`,
      status: 400,
    });
    const missing = uniqueName("missing");
    for (const call of [
      () => fh.send(new firehose.DescribeDeliveryStreamCommand({ DeliveryStreamName: missing })),
      () => fh.send(new firehose.DeleteDeliveryStreamCommand({ DeliveryStreamName: missing })),
      () => fh.send(new firehose.PutRecordCommand({ DeliveryStreamName: missing, Record: { Data: Buffer.from("x") } })),
      () => fh.send(new firehose.ListTagsForDeliveryStreamCommand({ DeliveryStreamName: missing })),
    ])
      expect(await awsError(call)).toMatchObject({
        name: "ResourceNotFoundException",
        message: `Firehose ${missing} under account ${account} not found.`,
      });
  });

  it("are listed in name order, a page at a time, by type", async () => {
    const lister = uniqueAccount();
    const client = firehoseClient({ accessKeyId: lister });
    const names = ["list-a", "list-b", "list-c"];
    for (const n of names)
      await client.send(
        new firehose.CreateDeliveryStreamCommand({
          DeliveryStreamName: n,
          ExtendedS3DestinationConfiguration: { RoleARN: roleArn(lister), BucketARN: "arn:aws:s3:::b" },
        }),
      );
    const all = await client.send(new firehose.ListDeliveryStreamsCommand({}));
    expect(all).toMatchObject({ DeliveryStreamNames: names, HasMoreDeliveryStreams: false });
    const page = await client.send(new firehose.ListDeliveryStreamsCommand({ Limit: 2 }));
    expect(page).toMatchObject({ DeliveryStreamNames: ["list-a", "list-b"], HasMoreDeliveryStreams: true });
    const next = await client.send(new firehose.ListDeliveryStreamsCommand({ ExclusiveStartDeliveryStreamName: "list-b" }));
    expect(next.DeliveryStreamNames).toEqual(["list-c"]);
    const kinesisOnly = await client.send(
      new firehose.ListDeliveryStreamsCommand({ DeliveryStreamType: "KinesisStreamAsSource" }),
    );
    expect(kinesisOnly.DeliveryStreamNames).toEqual([]);
  });

  it("are DELETING, then gone", async () => {
    const name = uniqueName("delete");
    await createActive(fh, { DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Destination() });
    await fh.send(new firehose.DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
    const during = await fh.send(new firehose.DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    expect(during.DeliveryStreamDescription!.DeliveryStreamStatus).toBe("DELETING");
    // The name stays taken until the stream is gone, and is not listed meanwhile.
    expect(
      await awsError(() =>
        fh.send(
          new firehose.CreateDeliveryStreamCommand({
            DeliveryStreamName: name,
            ExtendedS3DestinationConfiguration: s3Destination(),
          }),
        ),
      ),
    ).toMatchObject({ name: "ResourceInUseException" });
    const listed = await fh.send(new firehose.ListDeliveryStreamsCommand({ Limit: 10000 }));
    expect(listed.DeliveryStreamNames).not.toContain(name);
    let gone: { name: string } | undefined;
    for (let i = 0; i < 50 && !gone; i++) {
      await sleep(100);
      gone = await awsError(() => fh.send(new firehose.DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).catch(
        () => undefined,
      );
    }
    expect(gone?.name).toBe("ResourceNotFoundException");
  });

  it("keep tags as the recorded sequence shows", async () => {
    const name = uniqueName("tags");
    await createActive(fh, {
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: s3Destination(),
      Tags: [{ Key: "subject", Value: "taboo" }],
    });
    const list = () => fh.send(new firehose.ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name }));
    expect(await list()).toMatchObject({ HasMoreTags: false, Tags: [{ Key: "subject", Value: "taboo" }] });
    await fh.send(new firehose.UntagDeliveryStreamCommand({ DeliveryStreamName: name, TagKeys: ["subject"] }));
    expect(await list()).toMatchObject({ HasMoreTags: false, Tags: [] });
    await fh.send(
      new firehose.TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: [{ Key: "feeling", Value: "uncomfortable" }] }),
    );
    expect(await list()).toMatchObject({ HasMoreTags: false, Tags: [{ Key: "feeling", Value: "uncomfortable" }] });
    await fh.send(
      new firehose.TagDeliveryStreamCommand({
        DeliveryStreamName: name,
        Tags: Array.from({ length: 3 }, (_, i) => ({ Key: `k${i}`, Value: "v" })),
      }),
    );
    const paged = await fh.send(new firehose.ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name, Limit: 2 }));
    expect(paged).toMatchObject({ HasMoreTags: true, Tags: [{ Key: "feeling" }, { Key: "k0" }] });
    const rest = await fh.send(
      new firehose.ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name, ExclusiveStartTagKey: "k0" }),
    );
    expect(rest.Tags!.map((t) => t.Key)).toEqual(["k1", "k2"]);
    const tooMany = Array.from({ length: 50 }, (_, i) => ({ Key: `many${i}`, Value: "v" }));
    expect(
      await awsError(() => fh.send(new firehose.TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: tooMany }))),
    ).toMatchObject({
      name: "LimitExceededException",
    });
    expect(
      await awsError(() =>
        fh.send(new firehose.TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: [{ Key: "aws:x", Value: "v" }] })),
      ),
    ).toMatchObject({
      name: "ValidationException",
    });
  });

  it("take a new destination under the current VersionId only", async () => {
    const name = uniqueName("update");
    await createActive(fh, { DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Destination("before") });
    await fh.send(
      new firehose.UpdateDestinationCommand({
        DeliveryStreamName: name,
        CurrentDeliveryStreamVersionId: "1",
        DestinationId: "destinationId-000000000001",
        ExtendedS3DestinationUpdate: { BucketARN: "arn:aws:s3:::after", Prefix: "p/" },
      }),
    );
    const d = await waitForStatus(fh, name, "ACTIVE");
    expect(d.VersionId).toBe("2");
    expect(d.LastUpdateTimestamp).toBeInstanceOf(Date);
    expect(d.Destinations![0]!.ExtendedS3DestinationDescription).toMatchObject({ BucketARN: "arn:aws:s3:::after", Prefix: "p/" });
    expect(
      await awsError(() =>
        fh.send(
          new firehose.UpdateDestinationCommand({
            DeliveryStreamName: name,
            CurrentDeliveryStreamVersionId: "1",
            DestinationId: "destinationId-000000000001",
            ExtendedS3DestinationUpdate: { Prefix: "stale/" },
          }),
        ),
      ),
    ).toMatchObject({ name: "ConcurrentModificationException" });
  });

  it("turn encryption on and off through ENABLING and DISABLING", async () => {
    const name = uniqueName("sse");
    await createActive(fh, { DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Destination() });
    await fh.send(new firehose.StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: name }));
    const encryption = async () =>
      (await fh.send(new firehose.DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
        .DeliveryStreamEncryptionConfiguration;
    expect(await encryption()).toMatchObject({ Status: "ENABLING", KeyType: "AWS_OWNED_CMK" });
    await sleep(700);
    expect(await encryption()).toMatchObject({ Status: "ENABLED", KeyType: "AWS_OWNED_CMK" });
    const put = await fh.send(new firehose.PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from("x") } }));
    expect(put.Encrypted).toBe(true);
    await fh.send(new firehose.StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: name }));
    expect((await encryption())!.Status).toBe("DISABLING");
    await sleep(700);
    expect((await encryption())!.Status).toBe("DISABLED");
    expect(
      await awsError(() =>
        fh.send(
          new firehose.StartDeliveryStreamEncryptionCommand({
            DeliveryStreamName: name,
            DeliveryStreamEncryptionConfigurationInput: { KeyType: "CUSTOMER_MANAGED_CMK" },
          }),
        ),
      ),
    ).toMatchObject({ name: "InvalidArgumentException" });
  });

  it("read from a Kinesis stream refuse direct puts", async () => {
    const kinesis = kinesisClient({ accessKeyId: account });
    const streamName = uniqueName("source");
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    for (let i = 0; i < 50; i++) {
      const s = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      if (s.StreamDescriptionSummary!.StreamStatus === "ACTIVE") break;
      await sleep(100);
    }
    const name = uniqueName("from-kinesis");
    const streamArn = `arn:aws:kinesis:us-east-1:${account}:stream/${streamName}`;
    const d = await createActive(fh, {
      DeliveryStreamName: name,
      DeliveryStreamType: "KinesisStreamAsSource",
      KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn, RoleARN: roleArn(account) },
      ExtendedS3DestinationConfiguration: s3Destination(),
    });
    expect(d.DeliveryStreamType).toBe("KinesisStreamAsSource");
    expect(d.Source!.KinesisStreamSourceDescription).toMatchObject({ KinesisStreamARN: streamArn, RoleARN: roleArn(account) });
    expect(d.Source!.KinesisStreamSourceDescription!.DeliveryStartTimestamp).toBeInstanceOf(Date);
    for (const call of [
      () => fh.send(new firehose.PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from("x") } })),
      () => fh.send(new firehose.PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from("x") }] })),
    ])
      expect(await awsError(call)).toMatchObject({
        name: "InvalidArgumentException",
        message: "This operation is not permitted on KinesisStreamAsSource delivery stream type.",
      });
    const listed = await fh.send(new firehose.ListDeliveryStreamsCommand({ DeliveryStreamType: "KinesisStreamAsSource" }));
    expect(listed.DeliveryStreamNames).toEqual([name]);
  });
});

describe("Firehose input checks", () => {
  it("answer malformed input with Coral's ValidationException", async () => {
    expect(
      await awsError(() =>
        fh.send(
          new firehose.CreateDeliveryStreamCommand({
            DeliveryStreamName: "bad name!",
            ExtendedS3DestinationConfiguration: s3Destination(),
          }),
        ),
      ),
    ).toMatchObject({
      name: "ValidationException",
      message:
        "1 validation error detected: Value 'bad name!' at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9._-]+",
    });
    const name = uniqueName("limits");
    await createActive(fh, { DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Destination() });
    expect(
      await awsError(() =>
        fh.send(new firehose.PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.alloc(1_024_001) } })),
      ),
    ).toMatchObject({
      name: "ValidationException",
      message:
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'record.data' failed to satisfy constraint: Member must have length less than or equal to 1024000",
    });
    const records = Array.from({ length: 501 }, () => ({ Data: Buffer.from("x") }));
    expect(
      await awsError(() => fh.send(new firehose.PutRecordBatchCommand({ DeliveryStreamName: name, Records: records }))),
    ).toMatchObject({
      name: "ValidationException",
    });
    const big = Array.from({ length: 5 }, () => ({ Data: Buffer.alloc(1_000_000) }));
    expect(
      await awsError(() => fh.send(new firehose.PutRecordBatchCommand({ DeliveryStreamName: name, Records: big }))),
    ).toMatchObject({
      name: "InvalidArgumentException",
    });
  });

  it("answer raw requests that do not parse without a 500", async () => {
    for (const [target, body] of [
      ["Firehose_20150804.PutRecord", "{not json"],
      ["Firehose_20150804.NoSuchAction", "{}"],
      ["Firehose_20150804.CreateDeliveryStream", "{}"],
      ["Firehose_20150804.PutRecord", JSON.stringify({ DeliveryStreamName: "x", Record: { Data: "@@not base64@@" } })],
    ]) {
      const response = await fetch(`${process.env.VITEST_ENDPOINT ?? ""}`, { method: "HEAD" }).catch(() => undefined);
      void response;
      const r = await rawFirehose(target!, body!);
      expect(r.status, `${target} ${body}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${target} ${body}`).toBeLessThan(500);
    }
  });
});

import { endpoint } from "./clients";
async function rawFirehose(target: string, body: string): Promise<Response> {
  return fetch(`${endpoint()}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": target,
      authorization: `AWS4-HMAC-SHA256 Credential=${account}/20261202/us-east-1/firehose/aws4_request, SignedHeaders=host, Signature=abc`,
    },
    body,
  });
}
