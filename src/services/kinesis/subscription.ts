/**
 * One running SubscribeToShard: the loop that turns a shard's records into event-stream events.
 * Plain logic over injected reads, lease checks and clock, so it is tested without a runtime; the
 * handler (./subscribe.ts) wires it to the ShardObject and the StreamObject and returns it as the
 * output's EventStream (an async iterable of the generated SubscribeToShardEventStream union).
 *
 * Events, as AWS sends them (the protocol layer frames them, after its `initial-response`): a
 * SubscribeToShardEvent whenever records arrive (and at least every HEARTBEAT_MS while none do), and
 * at the end of a closed shard a last event with ChildShards and no ContinuationSequenceNumber. The
 * subscription ends after 5 minutes, when a later SubscribeToShard takes it over (an exception frame
 * ResourceInUseException, as "the previous connection … fails with a ResourceInUseException"), when
 * the consumer is deregistered, or when the client goes away.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SubscribeToShard.html
 */
import type { ChildShard, LeaseState } from "../../durable/stream/consumers";
import type { ReadOutcome, StoredRecord } from "../../domain/kinesis/shard-contract";
import type {
  InternalFailureException,
  ResourceInUseException,
  ResourceNotFoundException,
  SubscribeToShardEvent,
} from "./shapes/types";

export const SUBSCRIPTION_MS = 5 * 60_000;
/** An event at least this often while no records arrive, so consumers see progress and liveness. */
export const HEARTBEAT_MS = 5_000;
/** How often an idle subscription looks for new records. */
export const POLL_MS = 200;
/**
 * How often the lease is checked (takeover, deregistration). Every subscription of a stream asks its
 * StreamObject this often, so it bounds how many one stream object can serve (~1k calls/s each).
 */
export const CHECK_MS = 2_000;
/** Enhanced fan-out: 2 MiB/s per consumer per shard. */
export const BYTES_PER_SECOND = 2 * 1024 * 1024;
/** Records per read (GetRecords' maximum). */
export const READ_LIMIT = 10_000;

/**
 * One event of the stream (a member of the generated SubscribeToShardEventStream union): exactly one
 * member set; an exception ends the subscription.
 */
export type SubscriptionEvent =
  | { SubscribeToShardEvent: SubscribeToShardEvent }
  | { ResourceInUseException: ResourceInUseException }
  | { ResourceNotFoundException: ResourceNotFoundException }
  | { InternalFailureException: InternalFailureException };

export interface SubscriptionDeps {
  read(seq: number, limit: number): Promise<ReadOutcome>;
  check(): Promise<{ state: LeaseState; children: ChildShard[] }>;
  /** Releases the lease (the subscription ended for a reason other than a takeover). */
  release(): Promise<void>;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** The sequence number of counter `seq` of this shard (continuations when nothing was read). */
  sequenceNumberOf(seq: number, recordAt: number): string;
}

export interface SubscriptionOptions {
  /** First record counter to deliver. */
  startSeq: number;
  startedAt: number;
  durationMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  checkMs?: number;
  /** Pace to BYTES_PER_SECOND (provisioned stream with throttling on). */
  throttled: boolean;
}

export class Subscription {
  #seq: number;
  #lastArrival: number;
  #lastEventAt: number;
  #lastCheckAt: number;
  #deadline: number;
  #done = false;
  /** Bytes sent and when the pacing window began. */
  #windowStart: number;
  #windowBytes = 0;

  constructor(
    private readonly deps: SubscriptionDeps,
    private readonly options: SubscriptionOptions,
  ) {
    this.#seq = options.startSeq;
    this.#lastArrival = options.startedAt;
    this.#lastEventAt = options.startedAt;
    this.#lastCheckAt = options.startedAt;
    this.#windowStart = options.startedAt;
    this.#deadline = options.startedAt + (options.durationMs ?? SUBSCRIPTION_MS);
  }

  get done(): boolean {
    return this.#done;
  }

  /** The next event to send, or null once the subscription is over. */
  async next(): Promise<SubscriptionEvent | null> {
    if (this.#done) return null;
    try {
      return await this.#nextEvent();
    } catch (error) {
      console.error("SubscribeToShard failed", error);
      return this.#fail("InternalFailureException", "Internal service failure.");
    }
  }

  /** The client went away. */
  async cancel(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.deps.release();
  }

  /** The events as the handler's output stream; `return()` (the client went away) ends the subscription. */
  [Symbol.asyncIterator](): AsyncIterator<SubscriptionEvent> {
    return {
      next: async () => {
        const event = await this.next();
        return event ? { done: false, value: event } : { done: true, value: undefined };
      },
      return: async () => {
        await this.cancel();
        return { done: true, value: undefined };
      },
    };
  }

  async #nextEvent(): Promise<SubscriptionEvent | null> {
    const { deps, options } = this;
    const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    for (;;) {
      if (this.#done) return null;
      const now = deps.now();
      if (now >= this.#deadline) return this.#finish();
      if (now - this.#lastCheckAt >= (options.checkMs ?? CHECK_MS)) {
        this.#lastCheckAt = now;
        const { state } = await deps.check();
        if (state === "taken-over") {
          this.#done = true;
          return { ResourceInUseException: { message: "Another subscription for this consumer and shard took over this one." } };
        }
        if (state === "consumer-gone") return this.#finish();
      }
      const wait = this.#paceWait(now);
      if (wait > 0) {
        await deps.sleep(Math.min(wait, this.#deadline - now));
        continue;
      }
      const outcome = await deps.read(this.#seq, READ_LIMIT);
      if (outcome.status === "gone") return this.#fail("ResourceNotFoundException", "The stream or shard no longer exists.");
      // Subscription reads are not GetRecords calls: the shard never throttles them (we pace instead).
      if (outcome.status === "throttled") {
        await deps.sleep(options.pollMs ?? POLL_MS);
        continue;
      }
      if (outcome.records.length > 0 || outcome.ended || now - this.#lastEventAt >= heartbeatMs) {
        return this.#event(outcome, now);
      }
      await deps.sleep(Math.min(options.pollMs ?? POLL_MS, Math.max(0, this.#deadline - now)));
    }
  }

  async #event(outcome: Extract<ReadOutcome, { status: "ok" }>, now: number): Promise<SubscriptionEvent> {
    const { deps } = this;
    const records = outcome.records;
    const last: StoredRecord | undefined = records[records.length - 1];
    if (last) this.#lastArrival = last.arrivedAt;
    this.#seq = outcome.nextSeq;
    this.#lastEventAt = now;
    let bytes = 0;
    const event: SubscribeToShardEvent = {
      Records: records.map((r) => {
        bytes += r.data.length;
        return {
          SequenceNumber: r.sequenceNumber,
          Data: r.data,
          ApproximateArrivalTimestamp: new Date(r.arrivedAt),
          PartitionKey: r.partitionKey,
          // Only records written while the stream was encrypted say so (AWS omits NONE here).
          ...(r.encrypted ? { EncryptionType: "KMS" } : {}),
        };
      }),
      MillisBehindLatest: outcome.millisBehindLatest,
    };
    this.#windowBytes += bytes;
    if (!outcome.ended) {
      event.ContinuationSequenceNumber = last?.sequenceNumber ?? deps.sequenceNumberOf(outcome.nextSeq - 1, this.#lastArrival);
      return { SubscribeToShardEvent: event };
    }
    // The end of a closed shard: the children to continue with, and no continuation (which is how
    // the KCL knows the shard has ended).
    const { children } = await deps.check();
    event.ChildShards = children.map((c) => ({
      ShardId: c.shardId,
      ParentShards: c.parentShards,
      HashKeyRange: { StartingHashKey: c.startingHashKey, EndingHashKey: c.endingHashKey },
    }));
    this.#done = true;
    await deps.release();
    return { SubscribeToShardEvent: event };
  }

  /** How long to wait before reading more, to stay under 2 MiB/s (0: read now). */
  #paceWait(now: number): number {
    if (!this.options.throttled) return 0;
    if (now - this.#windowStart >= 1000) {
      // Carry the overshoot of a large read into the next window.
      const over = Math.max(0, this.#windowBytes - BYTES_PER_SECOND);
      this.#windowStart = now;
      this.#windowBytes = over;
    }
    if (this.#windowBytes < BYTES_PER_SECOND) return 0;
    return this.#windowStart + 1000 - now;
  }

  async #finish(): Promise<null> {
    this.#done = true;
    await this.deps.release();
    return null;
  }

  async #fail(type: "InternalFailureException" | "ResourceNotFoundException", message: string): Promise<SubscriptionEvent> {
    this.#done = true;
    await this.deps.release().catch(() => undefined);
    return type === "InternalFailureException"
      ? { InternalFailureException: { message } }
      : { ResourceNotFoundException: { message } };
  }
}
