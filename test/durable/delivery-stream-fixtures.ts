/**
 * Fixtures for the delivery stream tests: a bucket, a delivery stream made ACTIVE (created over its
 * RPC with an ExtendedS3 destination), its buffered records, and the objects it wrote.
 */
import { unpackRecords } from "../../src/domain/firehose/record-packing";
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import type { DeliveryStreamConfig } from "../../src/domain/firehose/contract";
import { chunkReads } from "../../src/durable/bucket/object-data";
import { bucketObject, deliveryStreamObject } from "../../src/durable/names";

export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";
const ACCESS = { account: ACCOUNT, strict: false };

let counter = 0;
export const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
export const text = (data: Uint8Array | ArrayBuffer) => new TextDecoder().decode(data);

/** Lets a status delay (500 ms in wrangler.toml) pass. */
export const statusDelay = () => sleep(550);

export async function createBucket(): Promise<string> {
  const name = unique("fh-bucket").toLowerCase();
  await bucketObject(env, name).create({ name, owner: ACCOUNT, region: REGION, createdAt: Date.now() });
  return name;
}

export type DeliveryStub = ReturnType<typeof deliveryStreamObject>;

/**
 * Creates a delivery stream (DirectPut, or reading `kinesisStreamArn`) and waits until it is ACTIVE.
 * Buffering of 60 s and 1 MiB keeps records in the buffer until a test flushes them.
 */
export async function createDeliveryStream(
  options: { kinesisStreamArn?: string; bucket?: string; name?: string; beforeActive?: () => Promise<void> } = {},
) {
  const name = options.name ?? unique("fh");
  const ref = { account: ACCOUNT, region: REGION, name };
  const stub = deliveryStreamObject(env, ref);
  const now = Date.now();
  const config: DeliveryStreamConfig = {
    name,
    arn: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${name}`,
    account: ACCOUNT,
    region: REGION,
    type: options.kinesisStreamArn ? "KinesisStreamAsSource" : "DirectPut",
    status: "CREATING",
    versionId: 1,
    createdAt: now,
    source: options.kinesisStreamArn
      ? {
          kinesis: {
            streamArn: options.kinesisStreamArn,
            roleArn: `arn:aws:iam::${ACCOUNT}:role/firehose`,
            deliveryStartTimestamp: now,
          },
        }
      : { directPut: {} },
    destination: {
      id: "destinationId-000000000001",
      kind: "ExtendedS3",
      config: {
        BucketARN: `arn:aws:s3:::${options.bucket ?? "no-such-bucket"}`,
        RoleARN: `arn:aws:iam::${ACCOUNT}:role/firehose`,
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      },
    },
    encryption: { status: "DISABLED" },
  };
  const created = await stub.create(config, {});
  expect(created.ok).toBe(true);
  await options.beforeActive?.();
  await statusDelay();
  expect((await stub.stats())!.status).toBe("ACTIVE");
  return { stub, name, arn: config.arn };
}

/** The records in the delivery stream's buffer (not yet delivered), in order. */
export const bufferedRecords = (stub: DeliveryStub) =>
  runInDurableObject(stub, (_i, state) =>
    state.storage.sql
      .exec<{ data: ArrayBuffer }>("SELECT data FROM records ORDER BY seq")
      .toArray()
      // Rows hold packed records (src/domain/firehose/record-packing.ts).
      .flatMap((r) => unpackRecords(new Uint8Array(r.data)).map((record) => text(record))),
  );

/** One alarm run (source poll, cut when due, deliveries), as the runtime would fire it. */
export const alarmNow = (stub: DeliveryStub) =>
  runInDurableObject(stub, (instance: { alarm(): Promise<void> }) => instance.alarm());

/** Every object in a bucket: key and body. */
export async function objectsIn(bucket: string): Promise<{ key: string; body: string }[]> {
  const stub = bucketObject(env, bucket);
  const listed = await stub.listObjects(ACCESS, { version: 2, query: {} });
  if (!listed.ok) throw new Error(listed.error.message);
  const out: { key: string; body: string }[] = [];
  for (const entry of listed.value.page.contents) {
    const got = await stub.getObject(ACCESS, entry.key);
    if (!got.ok) throw new Error(got.error.message);
    const parts: Uint8Array[] = [];
    for (const read of chunkReads(got.value.segments, 0, got.value.object.size - 1)) {
      const chunk = await stub.readChunk(read.dataId, read.seq);
      parts.push(chunk!.subarray(read.from, read.to));
    }
    out.push({ key: entry.key, body: parts.map((p) => text(p)).join("") });
  }
  return out;
}
