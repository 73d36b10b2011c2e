/**
 * Firehose into this service's S3, read back with @aws-sdk/client-s3: object keys as AWS builds them,
 * records concatenated (a newline only with AppendDelimiterToRecord), GZIP, buffering by size and by
 * interval (flushed by the object's alarm, no developer route), custom prefixes with timestamps and
 * ErrorOutputPrefix, a missing bucket retried until it exists.
 */
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import {
  createActive,
  eventually,
  firehose,
  firehoseClient,
  flush,
  objectsOf,
  roleArn,
  stats,
  uniqueAccount,
} from "./firehose-clients";
import { bucketForSuite, bucketName, s3, s3Client } from "./s3-clients";

const account = uniqueAccount();
const fh = firehoseClient({ accessKeyId: account });
const s3c = s3Client();

const put = (name: string, records: string[]) =>
  fh.send(
    new firehose.PutRecordBatchCommand({ DeliveryStreamName: name, Records: records.map((r) => ({ Data: Buffer.from(r) })) }),
  );

const pad = (n: number) => String(n).padStart(2, "0");

describe("Firehose S3 delivery", () => {
  const Bucket = bucketForSuite(s3c, "firehose-delivery");
  const BucketARN = `arn:aws:s3:::${Bucket}`;

  it("writes the records concatenated under yyyy/MM/dd/HH/<stream>-<version>-<timestamp>-<uuid>", async () => {
    const name = uniqueName("plain");
    await createActive(fh, {
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { RoleARN: roleArn(account), BucketARN, Prefix: `${name}/` },
    });
    const before = new Date();
    await put(name, ["alpha", "beta", "gamma"]);
    const flushed = await flush(name, account);
    expect(flushed.counters).toMatchObject({ incomingRecords: 3, deliveredRecords: 3, deliveredObjects: 1 });
    const objects = await objectsOf(Bucket, `${name}/`);
    expect(objects).toHaveLength(1);
    const hour = `${before.getUTCFullYear()}/${pad(before.getUTCMonth() + 1)}/${pad(before.getUTCDate())}/${pad(before.getUTCHours())}/`;
    const key = new RegExp(
      `^${name}/${hour.replace(/\//g, "\\/")}${name}-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
    );
    // A prefix without expressions gets the hour folders appended as they are (`<prefix>yyyy/MM/dd/HH/`).
    expect(objects[0]!.key).toMatch(key);
    expect(objects[0]!.body.toString()).toBe("alphabetagamma");
  });

  it("adds a newline after each record with the AppendDelimiterToRecord processor, and gzips", async () => {
    const name = uniqueName("gzip");
    await createActive(fh, {
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        RoleARN: roleArn(account),
        BucketARN,
        Prefix: `${name}/!{timestamp:yyyy}/`,
        ErrorOutputPrefix: `${name}-errors/!{firehose:error-output-type}/`,
        CompressionFormat: "GZIP",
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: "AppendDelimiterToRecord" }] },
      },
    });
    await put(name, ['{"n":1}', '{"n":2}']);
    await flush(name, account);
    const objects = await objectsOf(Bucket, `${name}/`);
    expect(objects).toHaveLength(1);
    expect(objects[0]!.key).toMatch(new RegExp(`^${name}/${new Date().getUTCFullYear()}/${name}-1-.*\\.gz$`));
    expect(gunzipSync(objects[0]!.body).toString()).toBe('{"n":1}\n{"n":2}\n');
  });

  it("flushes by size without being asked, and by interval from the object's alarm", async () => {
    const bySize = uniqueName("by-size");
    await createActive(fh, {
      DeliveryStreamName: bySize,
      ExtendedS3DestinationConfiguration: {
        RoleARN: roleArn(account),
        BucketARN,
        Prefix: `${bySize}/`,
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 },
      },
    });
    const big = "x".repeat(600 * 1024);
    await put(bySize, [big]);
    expect((await stats(bySize, account)).buffered.records).toBe(1);
    await put(bySize, [big]);
    // 1.2 MB buffered passes 1 MiB: delivered now, in objects of at most 1 MiB (records are never split).
    const sized = await eventually(async () => {
      const objects = await objectsOf(Bucket, `${bySize}/`);
      return objects.reduce((n, o) => n + o.body.length, 0) === 2 * 600 * 1024 ? objects : undefined;
    });
    expect(sized.every((o) => o.body.length <= 1024 * 1024)).toBe(true);

    const byInterval = uniqueName("by-interval");
    await createActive(fh, {
      DeliveryStreamName: byInterval,
      ExtendedS3DestinationConfiguration: {
        RoleARN: roleArn(account),
        BucketARN,
        Prefix: `${byInterval}/`,
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 1 },
      },
    });
    const at = Date.now();
    await put(byInterval, ["late"]);
    const timed = await eventually(async () => {
      const objects = await objectsOf(Bucket, `${byInterval}/`);
      return objects.length ? objects : undefined;
    });
    expect(Date.now() - at).toBeGreaterThanOrEqual(900);
    expect(timed[0]!.body.toString()).toBe("late");
  });

  it("delivers at once with a zero interval", async () => {
    const name = uniqueName("zero");
    await createActive(fh, {
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        RoleARN: roleArn(account),
        BucketARN,
        Prefix: `${name}/`,
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
      },
    });
    await fh.send(new firehose.PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from("now") } }));
    const objects = await eventually(async () => {
      const o = await objectsOf(Bucket, `${name}/`);
      return o.length ? o : undefined;
    }, 3000);
    expect(objects[0]!.body.toString()).toBe("now");
  });

  it("keeps retrying a bucket that does not exist, and delivers once it does", async () => {
    const missing = bucketName("firehose-later");
    const name = uniqueName("no-bucket");
    await createActive(fh, {
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { RoleARN: roleArn(account), BucketARN: `arn:aws:s3:::${missing}` },
    });
    await put(name, ["kept"]);
    const failed = await flush(name, account);
    expect(failed.counters.deliveredRecords ?? 0).toBe(0);
    expect(failed.batches).toHaveLength(1);
    expect(failed.batches[0]!.lastErrorCode).toBe("S3.NoSuchBucket");
    expect(failed.lastError).toMatchObject({ code: "S3.NoSuchBucket" });
    await s3c.send(new s3.CreateBucketCommand({ Bucket: missing }));
    try {
      const delivered = await flush(name, account);
      expect(delivered.batches).toHaveLength(0);
      const objects = await objectsOf(missing);
      expect(objects.map((o) => o.body.toString())).toEqual(["kept"]);
    } finally {
      for (const o of await objectsOf(missing)) await s3c.send(new s3.DeleteObjectCommand({ Bucket: missing, Key: o.key }));
      await s3c.send(new s3.DeleteBucketCommand({ Bucket: missing }));
    }
  });

  it("writes the version after UpdateDestination into new object names", async () => {
    const name = uniqueName("versioned");
    await createActive(fh, {
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { RoleARN: roleArn(account), BucketARN, Prefix: `${name}/v1/` },
    });
    await fh.send(
      new firehose.UpdateDestinationCommand({
        DeliveryStreamName: name,
        CurrentDeliveryStreamVersionId: "1",
        DestinationId: "destinationId-000000000001",
        ExtendedS3DestinationUpdate: { Prefix: `${name}/v2/` },
      }),
    );
    await put(name, ["after"]);
    await flush(name, account);
    const objects = await objectsOf(Bucket, `${name}/`);
    expect(objects).toHaveLength(1);
    expect(objects[0]!.key).toMatch(new RegExp(`^${name}/v2/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-2-`));
  });
});
