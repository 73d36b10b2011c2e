/**
 * KinesisStreamAsSource in the Workers runtime: a delivery stream reads its source stream's shards
 * over RPC from the moment it was created (records put before are not delivered, those after are,
 * even while it is still CREATING), keeps its checkpoints across restarts, commits records and
 * checkpoints together (concurrent polls never duplicate), reads a split's parent to its end before
 * its children, de-aggregates KPL records, and stops quietly when the stream is deleted.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { CreateStreamRequest } from "../../src/domain/kinesis/contract";
import { packPutBatch } from "../../src/domain/kinesis/put-batch";
import { deliveryStreamObject, shardObject, streamObject } from "../../src/durable/names";
import { aggregate } from "../unit/kpl-fixture";
import {
  ACCOUNT,
  REGION,
  alarmNow,
  bufferedRecords,
  createBucket,
  createDeliveryStream,
  objectsIn,
  statusDelay,
  unique,
  type DeliveryStub,
} from "./delivery-stream-fixtures";

const utf8 = new TextEncoder();
const SHARD = (n: number) => `shardId-${String(n).padStart(12, "0")}`;

/** A Kinesis stream made ACTIVE, and a way to put records into one of its shards. */
async function createStream(shardCount: number, mode: "ON_DEMAND" | "PROVISIONED" = "ON_DEMAND") {
  const name = unique("src");
  const ref = { account: ACCOUNT, region: REGION, name };
  const stub = streamObject(env, ref);
  const request: CreateStreamRequest = {
    ...ref,
    arn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`,
    shardCount,
    mode,
    tags: {},
    maxRecordSizeKiB: 1024,
    shardLimit: 500,
    onDemandStreamLimit: 50,
  };
  expect((await stub.create(request)).ok).toBe(true);
  await statusDelay();
  const routing = await stub.routing();
  if (!routing.ok) throw new Error(routing.error.message);
  const createdAt = routing.value.createdAt;
  const put = async (shard: number, data: (string | Uint8Array)[]) => {
    const outcome = await shardObject(env, { ...ref, stream: name, createdAt, shardId: SHARD(shard) }).put(
      packPutBatch(data.map((d) => ({ data: typeof d === "string" ? utf8.encode(d) : d, partitionKey: "pk" }))),
    );
    return outcome.status;
  };
  return { stub, arn: request.arn, put, ref };
}

/** The reader's checkpoint rows. */
const checkpoints = (stub: DeliveryStub) =>
  runInDurableObject(stub, (_i, state) =>
    state.storage.sql
      .exec<{ shard_id: string; seq: number | null; finished: number; start: string }>(
        "SELECT shard_id, seq, finished, start FROM source_shards ORDER BY shard_id",
      )
      .toArray()
      .map((r) => ({ ...r })),
  );

/** Polls (alarm runs) until `count` records are buffered, then a few more times to show nothing else comes. */
async function pollUntil(stub: DeliveryStub, count: number, extra = 2): Promise<string[]> {
  for (let i = 0; i < 30 && (await bufferedRecords(stub)).length < count; i++) {
    await alarmNow(stub);
    await sleep(20);
  }
  for (let i = 0; i < extra; i++) await alarmNow(stub);
  return bufferedRecords(stub);
}

describe("KinesisStreamAsSource", () => {
  it("delivers what was put after the delivery stream's creation, not before, in order per shard", async () => {
    const stream = await createStream(2);
    await stream.put(0, ["before-0"]);
    await stream.put(1, ["before-1"]);
    await sleep(5);
    const { stub } = await createDeliveryStream({
      kinesisStreamArn: stream.arn,
      // Still CREATING: records from its creation on are delivered once it is ACTIVE.
      beforeActive: async () => {
        await sleep(5);
        await stream.put(0, ["creating-0a", "creating-0b"]);
        await stream.put(1, ["creating-1"]);
      },
    });
    const first = await pollUntil(stub, 3);
    expect([...first].sort()).toEqual(["creating-0a", "creating-0b", "creating-1"]);
    expect(first.indexOf("creating-0a")).toBeLessThan(first.indexOf("creating-0b"));

    await stream.put(1, ["active-1"]);
    await stream.put(0, ["active-0"]);
    const all = await pollUntil(stub, 5);
    expect(all.slice(0, 3)).toEqual(first);
    expect([...all.slice(3)].sort()).toEqual(["active-0", "active-1"]);
    const stats = (await stub.stats())!;
    expect(stats.counters).toMatchObject({ sourceRecords: 5, incomingRecords: 5 });
    expect(stats.buffered.records).toBe(5);
    expect(await checkpoints(stub)).toEqual([
      // Counters 1 (before-0) … 4 (active-0) read: the next is 5; shard 1 had one record fewer.
      { shard_id: SHARD(0), seq: 5, finished: 0, start: "AT_TIMESTAMP" },
      { shard_id: SHARD(1), seq: 4, finished: 0, start: "AT_TIMESTAMP" },
    ]);
  });

  it("keeps its checkpoints across a restart of the object: nothing read twice, nothing skipped", async () => {
    const stream = await createStream(1);
    const { stub, name } = await createDeliveryStream({ kinesisStreamArn: stream.arn });
    await stream.put(0, ["a", "b"]);
    expect(await pollUntil(stub, 2)).toEqual(["a", "b"]);
    await evictDurableObject(stub);
    await stream.put(0, ["c"]);
    const again = deliveryStreamObject(env, { account: ACCOUNT, region: REGION, name });
    expect(await pollUntil(again, 3)).toEqual(["a", "b", "c"]);
    expect((await checkpoints(again))[0]).toMatchObject({ seq: 4, finished: 0 });
  });

  it("commits records and checkpoints together: polls at the same time never duplicate", async () => {
    const stream = await createStream(2);
    const { stub } = await createDeliveryStream({ kinesisStreamArn: stream.arn });
    await stream.put(
      0,
      Array.from({ length: 50 }, (_, i) => `r0-${i}`),
    );
    await stream.put(
      1,
      Array.from({ length: 50 }, (_, i) => `r1-${i}`),
    );
    await Promise.all([alarmNow(stub), alarmNow(stub), stub.flush().then(() => undefined), alarmNow(stub)]);
    const stats = (await stub.stats())!;
    expect(stats.counters.sourceRecords).toBe(100);
    expect(stats.counters.incomingRecords).toBe(100);
  });

  it("reads a split parent to its end before its children, which start at their beginning", async () => {
    // Splits are for provisioned streams.
    const stream = await createStream(1, "PROVISIONED");
    const { stub } = await createDeliveryStream({ kinesisStreamArn: stream.arn });
    await stream.put(0, ["p1"]);
    expect(await pollUntil(stub, 1)).toEqual(["p1"]);
    await stream.put(0, ["p2", "p3"]);
    const limits = { account: ACCOUNT, region: REGION, shardLimit: 500, onDemandStreamLimit: 50 };
    const planned = await stream.stub.reshard({ kind: "split", shardToSplit: SHARD(0), newStartingHashKey: "1000" }, limits);
    expect(planned).toMatchObject({ ok: true });
    await statusDelay();
    expect((await stream.stub.routing()).ok).toBe(true); // settles UPDATING: parent closed, children open
    expect(await stream.put(0, ["refused"])).toBe("closed");
    await stream.put(1, ["c1"]);
    await stream.put(2, ["c2"]);
    const all = await pollUntil(stub, 5);
    expect(all.slice(0, 3)).toEqual(["p1", "p2", "p3"]);
    expect([...all.slice(3)].sort()).toEqual(["c1", "c2"]);
    expect(await checkpoints(stub)).toEqual([
      { shard_id: SHARD(0), seq: 4, finished: 1, start: "AT_TIMESTAMP" },
      { shard_id: SHARD(1), seq: 2, finished: 0, start: "TRIM_HORIZON" },
      { shard_id: SHARD(2), seq: 2, finished: 0, start: "TRIM_HORIZON" },
    ]);
  });

  it("de-aggregates KPL aggregated records; plain records pass as they are", async () => {
    const stream = await createStream(1);
    const { stub } = await createDeliveryStream({ kinesisStreamArn: stream.arn });
    await stream.put(0, [aggregate(["k1", "k2", "k3"]), "plain"]);
    expect(await pollUntil(stub, 4)).toEqual(["k1", "k2", "k3", "plain"]);
    expect((await stub.stats())!.counters.sourceRecords).toBe(4);
  });

  it("flushes what it read into the bucket, concatenated", async () => {
    const bucket = await createBucket();
    const stream = await createStream(1);
    const { stub } = await createDeliveryStream({ kinesisStreamArn: stream.arn, bucket });
    await stream.put(0, ["x", "y", "z"]);
    const stats = (await stub.flush())!;
    expect(stats.counters).toMatchObject({ sourceRecords: 3, deliveredRecords: 3, deliveredObjects: 1 });
    const objects = await objectsIn(bucket);
    expect(objects.map((o) => o.body)).toEqual(["xyz"]);
  });

  it("stops polling, quietly, when the source stream is deleted (the error shows in its stats)", async () => {
    const stream = await createStream(1);
    const { stub } = await createDeliveryStream({ kinesisStreamArn: stream.arn });
    await stream.put(0, ["kept"]);
    expect(await pollUntil(stub, 1)).toEqual(["kept"]);
    expect((await stream.stub.destroy(false)).ok).toBe(true);
    await statusDelay();
    expect((await stream.stub.routing()).ok).toBe(false);
    await alarmNow(stub);
    const stats = (await stub.stats())!;
    expect(stats.status).toBe("ACTIVE");
    expect(stats.lastError).toMatchObject({ code: "ResourceNotFoundException" });
    expect(stats.buffered.records).toBe(1);
    const source = await runInDurableObject(stub, (_i, state) => {
      const row = state.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'source'").one();
      return JSON.parse(row.value) as { stopped?: { code: string } };
    });
    expect(source.stopped).toMatchObject({ code: "ResourceNotFoundException" });
    // Nothing is due any more but the buffer's interval (60 s from the record's arrival).
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + 30_000);
  });

  it("forgets its checkpoints when the delivery stream is deleted", async () => {
    const stream = await createStream(1);
    const { stub } = await createDeliveryStream({ kinesisStreamArn: stream.arn });
    await stream.put(0, ["r"]);
    await pollUntil(stub, 1);
    expect((await stub.destroy()).ok).toBe(true);
    await statusDelay();
    expect(await stub.stats()).toBeUndefined();
    expect(await checkpoints(stub)).toEqual([]);
  });
});
