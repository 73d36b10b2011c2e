/**
 * The delivery stream object over real Durable Object SQLite: records stored on put, the buffer cut
 * into batches of at most SizeInMBs, the interval flushed by the object's own alarm, a failed batch kept
 * with its object key and retried, and nothing held after delete. Objects land in a real bucket object.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DeliveryStreamConfig } from "../../src/domain/firehose/contract";
import { validateCreateDestination } from "../../src/domain/firehose/destination-config";
import { bucketObject, deliveryStreamObject } from "../../src/durable/names";
import { value } from "../unit/results";

const ACCOUNT = "000000000000";
const REGION = "us-east-1";
let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

async function bucket(): Promise<string> {
  const name = unique("bucket");
  bucketObject(env, name).create({ name, owner: ACCOUNT, region: REGION, createdAt: Date.now() });
  return name;
}

async function deliveryStream(bucketName: string, hints: { SizeInMBs: number; IntervalInSeconds: number }) {
  const name = unique("stream");
  const destination = value(
    validateCreateDestination({
      ExtendedS3DestinationConfiguration: {
        RoleARN: `arn:aws:iam::${ACCOUNT}:role/r`,
        BucketARN: `arn:aws:s3:::${bucketName}`,
        Prefix: `${name}/`,
        BufferingHints: hints,
      },
    }),
  );
  const config: DeliveryStreamConfig = {
    name,
    arn: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${name}`,
    account: ACCOUNT,
    region: REGION,
    type: "DirectPut",
    status: "CREATING",
    versionId: 1,
    // Created in the past: the CREATING delay is over, the stream is ACTIVE on first use.
    createdAt: Date.now() - 10_000,
    destination,
    encryption: { status: "DISABLED" },
  };
  const stub = deliveryStreamObject(env, { account: ACCOUNT, region: REGION, name });
  value(await stub.create(config, {}));
  return { stub, name };
}

const bytes = (text: string) => new TextEncoder().encode(text);

async function objectKeys(bucketName: string): Promise<string[]> {
  return runInDurableObject(bucketObject(env, bucketName), (instance) =>
    (instance as unknown as { ctx: DurableObjectState }).ctx.storage.sql
      .exec<{ key: string }>("SELECT key FROM objects ORDER BY key")
      .toArray()
      .map((r) => r.key),
  );
}

describe("DeliveryStreamObject", () => {
  it("stores records on put and delivers them when the interval's alarm runs", async () => {
    const b = await bucket();
    const { stub } = await deliveryStream(b, { SizeInMBs: 5, IntervalInSeconds: 1 });
    value(await stub.put([bytes("a"), bytes("b")]));
    expect((await stub.stats())!.buffered).toMatchObject({ records: 2, bytes: 2 });
    // The alarm is armed for the interval; running it early delivers nothing yet.
    await runDurableObjectAlarm(stub);
    expect((await stub.stats())!.buffered.records).toBe(2);
    // Once the interval has passed, the alarm cuts and delivers.
    await new Promise((r) => setTimeout(r, 1100));
    await runDurableObjectAlarm(stub); // (it may have run by itself already)
    const stats = (await stub.stats())!;
    expect(stats.buffered.records).toBe(0);
    expect(stats.counters).toMatchObject({ deliveredRecords: 2, deliveredObjects: 1 });
    expect(await objectKeys(b)).toHaveLength(1);
  });

  it("cuts a full buffer into batches of at most SizeInMBs, never splitting a record", async () => {
    const b = await bucket();
    const { stub } = await deliveryStream(b, { SizeInMBs: 1, IntervalInSeconds: 900 });
    const record = new Uint8Array(400 * 1024);
    value(await stub.put([record, record]));
    expect((await stub.stats())!.buffered.records).toBe(2);
    value(await stub.put([record]));
    const stats = (await stub.stats())!;
    expect(stats.buffered.records).toBe(0);
    expect(stats.batches.map((x) => x.records)).toEqual([2, 1]);
    await runDurableObjectAlarm(stub);
    expect((await stub.stats())!.counters).toMatchObject({ deliveredRecords: 3, deliveredObjects: 2 });
  });

  it("keeps a batch whose bucket is missing, with its key, and writes the same key when it is retried", async () => {
    const missing = unique("later");
    const { stub } = await deliveryStream(missing, { SizeInMBs: 1, IntervalInSeconds: 0 });
    value(await stub.put([bytes("kept")]));
    await runDurableObjectAlarm(stub);
    const failed = (await stub.stats())!;
    expect(failed.batches).toHaveLength(1);
    expect(failed.batches[0]).toMatchObject({ attempts: 1, lastErrorCode: "S3.NoSuchBucket" });
    const key = failed.batches[0]!.key!;
    expect(key).toMatch(/\/\d{4}\/\d{2}\/\d{2}\/\d{2}\//);
    bucketObject(env, missing).create({ name: missing, owner: ACCOUNT, region: REGION, createdAt: Date.now() });
    await stub.flush();
    expect(await objectKeys(missing)).toEqual([key]);
  });

  it("drops what it holds when the stream is deleted", async () => {
    const b = await bucket();
    const { stub } = await deliveryStream(b, { SizeInMBs: 5, IntervalInSeconds: 900 });
    value(await stub.put([bytes("x")]));
    value(await stub.destroy());
    await new Promise((r) => setTimeout(r, 600));
    expect(await stub.stats()).toBeUndefined();
    const rows = await runInDurableObject(
      stub,
      (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM records").one().n,
    );
    expect(rows).toBe(0);
  });
});
