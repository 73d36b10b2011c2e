/**
 * One SubscribeToShard's event loop (src/services/kinesis/subscription.ts) against a fake shard,
 * lease and clock: the frames in AWS's order, continuation sequence numbers, heartbeats, the
 * 5-minute end, takeover, the end of a closed shard, pacing to 2 MiB/s, and releasing the lease.
 */
import { describe, expect, it } from "vitest";
import type { ReadOutcome, StoredRecord } from "../../src/domain/kinesis/shard-contract";
import type { ChildShard, LeaseState } from "../../src/durable/stream/consumers";
import { eventStreamResponse } from "../../src/protocol/event-stream-response";
import { headerString, readMessages } from "../../src/protocol/eventstream";
import type { StructureShape } from "../../src/services/model";
import { kinesisModel } from "../../src/services/kinesis/shapes/model";
import { Subscription, SUBSCRIPTION_MS, type SubscriptionOptions } from "../../src/services/kinesis/subscription";

const eventStream = kinesisModel.operations.SubscribeToShard!.output.members.EventStream as StructureShape;

/** A shard of records with counters 1…n, a lease and a clock that only moves when the loop sleeps. */
function harness(options: Partial<SubscriptionOptions> = {}) {
  const state = {
    now: 1_000_000,
    records: [] as StoredRecord[],
    closed: false,
    lease: "held" as LeaseState,
    children: [] as ChildShard[],
    released: 0,
    reads: 0,
    sleeps: [] as number[],
  };
  const add = (count: number, size = 3) => {
    for (let i = 0; i < count; i++) {
      const seq = state.records.length + 1;
      state.records.push({
        sequenceNumber: `seq-${seq}`,
        data: new Uint8Array(size).fill(seq),
        partitionKey: `pk${seq}`,
        arrivedAt: state.now,
      });
    }
  };
  const subscription = new Subscription(
    {
      async read(seq, limit): Promise<ReadOutcome> {
        state.reads++;
        const records = state.records.slice(seq - 1, seq - 1 + limit);
        const nextSeq = seq + records.length;
        return { status: "ok", records, nextSeq, millisBehindLatest: 0, ended: state.closed && nextSeq > state.records.length };
      },
      async check() {
        return { state: state.lease, children: state.children };
      },
      async release() {
        state.released++;
      },
      now: () => state.now,
      async sleep(ms) {
        state.sleeps.push(ms);
        state.now += ms;
      },
      sequenceNumberOf: (seq) => `continuation-${seq}`,
    },
    { startSeq: 1, startedAt: state.now, throttled: false, ...options },
  );
  // The frames a client reads: the subscription's events as the protocol layer sends them (JSON).
  let frames: AsyncGenerator<import("../../src/protocol/eventstream").EventStreamMessage> | undefined;
  /** The next frame, decoded: its type header and JSON payload (null at the end). */
  const next = async () => {
    frames ??= readMessages(eventStreamResponse(eventStream, subscription, "json", "request-id").body!);
    const { value: message, done } = await frames.next();
    if (done) return null;
    return {
      kind: headerString(message, ":message-type"),
      type: headerString(message, ":event-type") ?? headerString(message, ":exception-type"),
      body: JSON.parse(new TextDecoder().decode(message.body)),
    };
  };
  return { state, add, subscription, next };
}

describe("a subscription", () => {
  it("starts with initial-response, then delivers records with their continuation", async () => {
    const h = harness();
    h.add(3);
    expect(await h.next()).toEqual({ kind: "event", type: "initial-response", body: {} });
    const first = await h.next();
    expect(first!.type).toBe("SubscribeToShardEvent");
    expect(first!.body.Records.map((r: { SequenceNumber: string }) => r.SequenceNumber)).toEqual(["seq-1", "seq-2", "seq-3"]);
    expect(first!.body.ContinuationSequenceNumber).toBe("seq-3");
    expect(first!.body.MillisBehindLatest).toBe(0);
    expect(first!.body.ChildShards).toBeUndefined();

    h.add(1);
    const second = await h.next();
    expect(second!.body.Records).toHaveLength(1);
    expect(second!.body.ContinuationSequenceNumber).toBe("seq-4");
  });

  it("sends an empty event every 5 s while nothing arrives, continuing from where it is", async () => {
    const h = harness();
    h.add(2);
    await h.next();
    await h.next();
    const started = h.state.now;
    const heartbeat = await h.next();
    expect(heartbeat!.body).toEqual({ Records: [], ContinuationSequenceNumber: "continuation-2", MillisBehindLatest: 0 });
    expect(h.state.now - started).toBeGreaterThanOrEqual(5_000);
    expect(h.state.now - started).toBeLessThan(5_500);
  });

  it("ends after 5 minutes and releases its lease", async () => {
    const h = harness({ heartbeatMs: 60_000 });
    await h.next();
    const started = h.state.now;
    const frames = [];
    for (let f = await h.next(); f; f = await h.next()) frames.push(f);
    expect(frames.every((f) => f.body.Records.length === 0)).toBe(true);
    expect(frames).toHaveLength(4);
    expect(h.state.now - started).toBeGreaterThanOrEqual(SUBSCRIPTION_MS);
    expect(h.state.now - started).toBeLessThan(SUBSCRIPTION_MS + 1000);
    expect(h.state.released).toBe(1);
    expect(await h.subscription.next()).toBeNull();
  });

  it("ends with ResourceInUseException when another subscription takes over, keeping the new lease", async () => {
    const h = harness();
    await h.next();
    h.state.lease = "taken-over";
    expect(await h.next()).toEqual({
      kind: "exception",
      type: "ResourceInUseException",
      body: { message: expect.stringContaining("took over") },
    });
    expect(await h.next()).toBeNull();
    expect(h.state.released).toBe(0);
  });

  it("ends quietly when the consumer is deregistered", async () => {
    const h = harness();
    await h.next();
    h.state.lease = "consumer-gone";
    expect(await h.next()).toBeNull();
  });

  it("at the end of a closed shard sends the children and no continuation, then ends", async () => {
    const h = harness();
    h.add(2);
    h.state.closed = true;
    h.state.children = [
      { shardId: "shardId-000000000001", parentShards: ["shardId-000000000000"], startingHashKey: "0", endingHashKey: "9" },
    ];
    await h.next();
    const last = await h.next();
    expect(last!.body.Records).toHaveLength(2);
    expect(last!.body.ContinuationSequenceNumber).toBeUndefined();
    expect(last!.body.ChildShards).toEqual([
      {
        ShardId: "shardId-000000000001",
        ParentShards: ["shardId-000000000000"],
        HashKeyRange: { StartingHashKey: "0", EndingHashKey: "9" },
      },
    ]);
    expect(await h.next()).toBeNull();
    expect(h.state.released).toBe(1);
  });

  it("paces a provisioned stream's consumer to 2 MiB/s", async () => {
    const h = harness({ throttled: true });
    // 3 MiB in 1 MiB records: the first read takes them all, the next waits for the window.
    h.add(3, 1024 * 1024);
    await h.next();
    await h.next();
    h.add(1, 1024 * 1024);
    const before = h.state.now;
    await h.next();
    expect(h.state.now - before).toBeGreaterThanOrEqual(1000);
  });

  it("releases the lease when the client goes away", async () => {
    const h = harness();
    await h.next();
    await h.subscription.cancel();
    await h.subscription.cancel();
    expect(h.state.released).toBe(1);
    expect(await h.subscription.next()).toBeNull();
  });
});
