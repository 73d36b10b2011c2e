/**
 * SubscribeToShard consumed by the real @aws-sdk/client-kinesis (`for await (const event of
 * res.EventStream)`), over Node's HTTP/1.1 handler: records already in the shard and records put
 * while subscribed, every starting position, AWS's errors, the 5-second takeover rule, and the raw
 * `application/vnd.amazon.eventstream` frames. Shapes as recorded on AWS (test_subscribe_to_shard*).
 */
import { decode as cborDecode, encode as cborEncode } from "cborg";
import {
  DeregisterStreamConsumerCommand,
  PutRecordCommand,
  RegisterStreamConsumerCommand,
  SplitShardCommand,
  SubscribeToShardCommand,
  type KinesisClient,
  type StartingPosition,
  type SubscribeToShardEvent,
  type SubscribeToShardEventStream,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { sleep } from "./helpers";
import { readMessages, headerString } from "../../src/protocol/eventstream";
import { isolatedKinesis, kinesisRaw } from "./kinesis-clients";
import { createActiveStream, expectKinesisError, waitForStatus } from "./kinesis-stream-helpers";

const utf8 = new TextEncoder();
const text = (data: Uint8Array | undefined) => new TextDecoder().decode(data);
const SHARD = "shardId-000000000000";
let n = 0;
const streamName = (base: string) => `${base}-${Date.now().toString(36)}-${n++}`;

/** A fresh account, a one-shard stream and an ACTIVE consumer on it. */
async function setup(base: string, options: { activate?: boolean } = {}) {
  const { kinesis, account } = isolatedKinesis();
  const name = streamName(base);
  await createActiveStream(kinesis, name, { ShardCount: 1 });
  const StreamARN = `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
  const registeredAt = Date.now();
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: "efo" }));
  if (options.activate !== false) await sleep(700);
  return { kinesis, account, name, consumerArn: Consumer!.ConsumerARN!, registeredAt };
}

async function put(kinesis: KinesisClient, StreamName: string, data: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of data)
    out.push((await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: "1", Data: utf8.encode(d) }))).SequenceNumber!);
  return out;
}

/** Subscribes and returns the event iterator, and a way to end the subscription from this side. */
async function subscribe(kinesis: KinesisClient, ConsumerARN: string, StartingPosition: StartingPosition) {
  const abort = new AbortController();
  const res = await kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId: SHARD, StartingPosition }), {
    abortSignal: abort.signal,
  });
  const iterator = res.EventStream![Symbol.asyncIterator]() as AsyncIterator<SubscribeToShardEventStream>;
  return { iterator, close: () => abort.abort() };
}

/** Events until `count` records arrived (or `timeoutMs` passed). */
async function collect(iterator: AsyncIterator<SubscribeToShardEventStream>, count: number, timeoutMs = 10_000) {
  const events: SubscribeToShardEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.reduce((k, e) => k + (e.Records?.length ?? 0), 0) < count && Date.now() < deadline) {
    const { value, done } = await iterator.next();
    if (done) break;
    if (value.SubscribeToShardEvent) events.push(value.SubscribeToShardEvent);
  }
  return { events, records: events.flatMap((e) => e.Records ?? []) };
}

describe("SubscribeToShard", () => {
  it("delivers the records already in the shard as one event, as AWS does", async () => {
    const { kinesis, name, consumerArn } = await setup("horizon");
    const data = [0, 1, 2, 3, 4].map((i) => `Hello world_${i}`);
    const sequenceNumbers = await put(kinesis, name, data);
    const { iterator, close } = await subscribe(kinesis, consumerArn, { Type: "TRIM_HORIZON" });
    const { events, records } = await collect(iterator, 5);
    close();
    expect(events).toHaveLength(1);
    expect(records.map((r) => text(r.Data))).toEqual(data);
    expect(records.map((r) => r.SequenceNumber)).toEqual(sequenceNumbers);
    expect(records.map((r) => r.PartitionKey)).toEqual(data.map(() => "1"));
    for (const r of records) expect(Math.abs(r.ApproximateArrivalTimestamp!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(events[0]!.ContinuationSequenceNumber).toBe(sequenceNumbers[4]);
    expect(events[0]!.MillisBehindLatest).toBe(0);
    expect(events[0]!.ChildShards).toBeUndefined();
  });

  it("pushes records put while subscribed (LATEST), in order", async () => {
    const { kinesis, name, consumerArn } = await setup("latest");
    await put(kinesis, name, ["before"]);
    const { iterator, close } = await subscribe(kinesis, consumerArn, { Type: "LATEST" });
    const started = Date.now();
    const pending = collect(iterator, 3);
    await put(kinesis, name, ["one", "two", "three"]);
    const { records } = await pending;
    close();
    expect(records.map((r) => text(r.Data))).toEqual(["one", "two", "three"]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("starts at, after, or from a sequence number's or a time's position", async () => {
    const { kinesis, account, name } = await setup("positions");
    const StreamARN = `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
    // One consumer per subscription: a consumer may not subscribe to a shard twice within 5 s.
    const consumers: string[] = [];
    for (const ConsumerName of ["at", "after", "time"])
      consumers.push((await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName }))).Consumer!.ConsumerARN!);
    const [first, second] = await put(kinesis, name, ["a", "b"]);
    await sleep(1100);
    const since = new Date();
    await put(kinesis, name, ["c"]);
    const read = async (consumerArn: string, position: StartingPosition, count: number) => {
      const { iterator, close } = await subscribe(kinesis, consumerArn, position);
      const { records } = await collect(iterator, count);
      close();
      return records.map((r) => text(r.Data));
    };
    expect(await read(consumers[0]!, { Type: "AT_SEQUENCE_NUMBER", SequenceNumber: second }, 2)).toEqual(["b", "c"]);
    expect(await read(consumers[1]!, { Type: "AFTER_SEQUENCE_NUMBER", SequenceNumber: first }, 2)).toEqual(["b", "c"]);
    expect(await read(consumers[2]!, { Type: "AT_TIMESTAMP", Timestamp: since }, 1)).toEqual(["c"]);
  });

  it("refuses a second subscription within 5 s, and lets a later one take over", async () => {
    const { kinesis, account, name, consumerArn } = await setup("takeover");
    const first = await subscribe(kinesis, consumerArn, { Type: "LATEST" });
    await expectKinesisError(
      kinesis.send(
        new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: SHARD, StartingPosition: { Type: "LATEST" } }),
      ),
      "ResourceInUseException",
      `Another active subscription exists for this consumer: ${account}:${name}:${SHARD}:efo`,
    );
    await sleep(5100);
    const second = await subscribe(kinesis, consumerArn, { Type: "LATEST" });
    // The first subscription fails at its next lease check.
    await expect(collect(first.iterator, 1)).rejects.toMatchObject({ name: "ResourceInUseException" });
    const pending = collect(second.iterator, 1);
    await put(kinesis, name, ["for the new one"]);
    expect((await pending).records.map((r) => text(r.Data))).toEqual(["for the new one"]);
    first.close();
    second.close();
  }, 20_000);

  it("ends a running subscription when its consumer is deregistered", async () => {
    const { kinesis, consumerArn } = await setup("deregister");
    const { iterator, close } = await subscribe(kinesis, consumerArn, { Type: "LATEST" });
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumerArn }));
    const started = Date.now();
    let step = await iterator.next();
    while (!step.done) step = await iterator.next();
    expect(Date.now() - started).toBeLessThan(5_000);
    close();
  });

  it("answers AWS's errors for consumers that are not ACTIVE, unknown shards and bad positions", async () => {
    const { kinesis, account, name, consumerArn, registeredAt } = await setup("errors", { activate: false });
    const seconds = consumerArn.split(":").pop();
    const call = (ShardId: string, StartingPosition: StartingPosition, ConsumerARN = consumerArn) =>
      kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId, StartingPosition }));
    const calledAt = Date.now();
    const first = await call(SHARD, { Type: "LATEST" }).then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    );
    if ("response" in first) {
      // A loaded machine got here after the consumer's 500 ms in CREATING: then, and only then, it may succeed.
      expect(calledAt - registeredAt).toBeGreaterThanOrEqual(450);
      first.response.EventStream?.[Symbol.asyncIterator]().return?.();
    } else {
      await expectKinesisError(
        Promise.reject(first.error),
        "ResourceInUseException",
        `Consumer efo with creation timestamp ${seconds} under stream: ${name} , account ${account} is not in ACTIVE status.`,
      );
    }
    await sleep(700);
    await expectKinesisError(
      call("shardId-000000000007", { Type: "LATEST" }),
      "ResourceNotFoundException",
      `Shard shardId-000000000007 in stream ${name} under account ${account} does not exist`,
    );
    // Another creation second: the ARN's last digit changed (to 0, or to 1 if it was 0).
    const otherArn = `${consumerArn.slice(0, -1)}${consumerArn.endsWith("0") ? "1" : "0"}`;
    await expectKinesisError(call(SHARD, { Type: "LATEST" }, otherArn), "ResourceNotFoundException");
    await expectKinesisError(
      call(SHARD, { Type: "AT_SEQUENCE_NUMBER" }),
      "InvalidArgumentException",
      /^Must either specify \(1\) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber/,
    );
    await expectKinesisError(call(SHARD, { Type: "AT_TIMESTAMP" }), "InvalidArgumentException");
    await expectKinesisError(
      call(SHARD, { Type: "NOWHERE" as "LATEST" }),
      "ValidationException",
      "1 validation error detected: Value 'NOWHERE' at 'startingPosition.type' failed to satisfy constraint: " +
        "Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]",
    );
    // None of the refusals held the lease: a valid call goes through at once (after AWS's 5 s takeover
    // window if the first call above did subscribe).
    if ("response" in first) await sleep(5_100);
    const ok = await subscribe(kinesis, consumerArn, { Type: "LATEST" });
    ok.close();
  }, 15_000);

  it("speaks application/vnd.amazon.eventstream: initial-response first, then SubscribeToShardEvent frames", async () => {
    const { kinesis, account, name, consumerArn } = await setup("raw");
    await put(kinesis, name, ["raw"]);
    const body = JSON.stringify({ ConsumerARN: consumerArn, ShardId: SHARD, StartingPosition: { Type: "TRIM_HORIZON" } });
    const res = await kinesisRaw("SubscribeToShard", body, { accessKeyId: account });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
    const frames = readMessages(res.body!);
    const initial = (await frames.next()).value!;
    expect([headerString(initial, ":message-type"), headerString(initial, ":event-type"), text(initial.body)]).toEqual([
      "event",
      "initial-response",
      "{}",
    ]);
    const event = (await frames.next()).value!;
    expect(headerString(event, ":event-type")).toBe("SubscribeToShardEvent");
    expect(headerString(event, ":content-type")).toBe("application/json");
    const payload = JSON.parse(text(event.body));
    expect(payload.Records).toEqual([
      {
        SequenceNumber: expect.stringMatching(/^\d{56}$/),
        Data: btoa("raw"),
        ApproximateArrivalTimestamp: expect.any(Number),
        PartitionKey: "1",
      },
    ]);
    expect(payload.ContinuationSequenceNumber).toBe(payload.Records[0].SequenceNumber);
    await frames.return(undefined);
  });
  it("at the end of a closed shard sends its children and no continuation, then ends", async () => {
    const { kinesis, name, consumerArn } = await setup("closed");
    await put(kinesis, name, ["parent-1", "parent-2"]);
    await kinesis.send(
      new SplitShardCommand({ StreamName: name, ShardToSplit: SHARD, NewStartingHashKey: (2n ** 127n).toString() }),
    );
    await waitForStatus(kinesis, name, "ACTIVE");
    const { iterator, close } = await subscribe(kinesis, consumerArn, { Type: "TRIM_HORIZON" });
    const events: SubscribeToShardEvent[] = [];
    for (let step = await iterator.next(); !step.done; step = await iterator.next())
      if (step.value.SubscribeToShardEvent) events.push(step.value.SubscribeToShardEvent);
    close();
    const last = events[events.length - 1]!;
    expect(events.flatMap((e) => e.Records ?? []).map((r) => text(r.Data))).toEqual(["parent-1", "parent-2"]);
    expect(last.ContinuationSequenceNumber).toBeUndefined();
    expect(last.ChildShards).toEqual([
      {
        ShardId: "shardId-000000000001",
        ParentShards: [SHARD],
        HashKeyRange: { StartingHashKey: "0", EndingHashKey: (2n ** 127n - 1n).toString() },
      },
      {
        ShardId: "shardId-000000000002",
        ParentShards: [SHARD],
        HashKeyRange: { StartingHashKey: (2n ** 127n).toString(), EndingHashKey: (2n ** 128n - 1n).toString() },
      },
    ]);
  });

  it("answers a CBOR request (Java SDK, KCL) with CBOR event payloads", async () => {
    const { kinesis, account, name, consumerArn } = await setup("cbor");
    await put(kinesis, name, ["cbor"]);
    const body = cborEncode({ ConsumerARN: consumerArn, ShardId: SHARD, StartingPosition: { Type: "TRIM_HORIZON" } });
    const res = await kinesisRaw("SubscribeToShard", body, { accessKeyId: account, contentType: "application/x-amz-cbor-1.1" });
    expect(res.status).toBe(200);
    const frames = readMessages(res.body!);
    const initial = (await frames.next()).value!;
    expect(headerString(initial, ":event-type")).toBe("initial-response");
    const event = (await frames.next()).value!;
    expect(headerString(event, ":content-type")).toBe("application/x-amz-cbor-1.1");
    const payload = cborDecode(event.body, { tags: { 1: (inner: () => unknown) => inner() } as never }) as {
      Records: { Data: Uint8Array; ApproximateArrivalTimestamp: number; PartitionKey: string }[];
    };
    expect(text(payload.Records[0]!.Data)).toBe("cbor");
    // CBOR timestamps are epoch milliseconds.
    expect(Math.abs(payload.Records[0]!.ApproximateArrivalTimestamp - Date.now())).toBeLessThan(60_000);
    await frames.return(undefined);
  });
});
