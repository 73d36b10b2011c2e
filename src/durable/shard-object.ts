/**
 * ShardObject: one per shard of a Kinesis stream. Holds the shard's records in SQLite, its
 * throughput budget, and a retention alarm that trims expired records without traffic.
 * The record layout and searches live in ./shard/record-store.ts, the budget in ./shard/throughput.ts,
 * the batching of concurrent puts into one commit in ./shard/group-commit.ts; this class wires them to
 * storage, RPC and time. Expected outcomes (closed, gone, throttled) are
 * values, never exceptions across RPC.
 */
import { DurableObject } from "cloudflare:workers";
import { sequenceNumber, shardIndexOf } from "../domain/kinesis/sequence-numbers";
import { GroupCommit } from "./shard/group-commit";
import { RecordStore } from "./shard/record-store";
import { SHARD_MIGRATIONS } from "./shard/schema";
import { MiB, recordBytes, ShardThroughput } from "../domain/kinesis/throughput";
import { batchData, batchLength, type PutBatch } from "../domain/kinesis/put-batch";
import type {
  IteratorStart,
  PutOutcome,
  ReadOutcome,
  ReadRequest,
  StartOutcome,
  StoredRecord,
} from "../domain/kinesis/shard-contract";
import type { ShardSpec } from "../domain/kinesis/contract";
import { Alarm } from "./alarm";
import { MetaTable } from "./meta";
import { migrate } from "./sql";
import { settingsOf } from "../domain/settings";

/** GetRecords returns at most 10 MiB per call. */
const READ_MAX_BYTES = 10 * MiB;
/** Retention trims delete in bounded chunks so one alarm (or one read) never runs long. */
const TRIM_CHUNK = 5000;
const HOUR_MS = 3_600_000;

interface PendingPut {
  batch: PutBatch;
  /** The batch's entries to write, when the write budget refused some. */
  accepted?: number[];
  firstSeq: number;
  arrivedAt: number;
  encrypted: boolean;
}

interface Closing {
  closedAt: number;
  endingSequenceNumber: string;
}

export class ShardObject extends DurableObject<Env> {
  readonly #store: RecordStore;
  /** The spec ("spec"), closing ("closed"), deletion ("destroyed") and trim horizon ("trimmed"). */
  readonly #meta: MetaTable;
  /** Due when the oldest record expires (retention). */
  readonly #alarm: Alarm;
  readonly #commits = new GroupCommit<PendingPut>((group) => this.#write(group));
  #throughput = new ShardThroughput(Date.now());
  #spec: ShardSpec | null = null;
  #shardIndex = 0;
  #closed: Closing | null = null;
  #destroyed = false;
  /** Highest counter used so far; the next record gets #lastSeq + 1. */
  #lastSeq = 0;
  #lastArrival = 0;
  #trimmedThrough = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new RecordStore(ctx.storage.sql);
    this.#meta = new MetaTable(ctx.storage.sql);
    this.#alarm = new Alarm(ctx.storage);
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage.sql, SHARD_MIGRATIONS);
      this.#load();
      await this.#alarm.load();
    });
  }

  // ---- lifecycle (called by StreamObject) -------------------------------------------------------

  /**
   * Called by StreamObject when the shard is created (CreateStream, split, merge), and again with a
   * new spec when the stream's mode changes (throttling applies to provisioned streams only). Idempotent.
   */
  async open(spec: ShardSpec): Promise<void> {
    if (this.#destroyed) return;
    this.#meta.set("spec", spec);
    this.#setSpec(spec);
    if (this.#alarm.at === null) this.#armAlarm(Date.now());
  }

  /** Closes the shard (split/merge): no more writes; readers reach its end and see the children. */
  async close(closedAt: number): Promise<{ endingSequenceNumber: string }> {
    await this.#commits.settled();
    if (this.#closed) return { endingSequenceNumber: this.#closed.endingSequenceNumber };
    const spec = this.#spec;
    if (!spec) throw new Error("close() of a shard that was never opened");
    const arrivedAt = this.#lastSeq > 0 ? (this.#store.lastArrival() ?? closedAt) : closedAt;
    const closing = { closedAt, endingSequenceNumber: this.#sequenceNumber(this.#lastSeq, arrivedAt) };
    this.#meta.set("closed", closing);
    this.#closed = closing;
    return { endingSequenceNumber: closing.endingSequenceNumber };
  }

  /** Increase/DecreaseStreamRetentionPeriod: records older than `hours` are trimmed by alarm. */
  async setRetention(hours: number): Promise<void> {
    const spec = this.#spec;
    if (!spec) return;
    const next = { ...spec, retentionHours: hours };
    this.#meta.set("spec", next);
    this.#spec = next;
    // A shorter period may have expired records already: the alarm trims them now.
    this.#armAlarm(Date.now(), true);
  }

  /** The stream was deleted (or the shard expired after its retention): drop every record. */
  async destroy(): Promise<void> {
    await this.#alarm.clear();
    await this.ctx.storage.deleteAll();
    migrate(this.ctx.storage.sql, SHARD_MIGRATIONS);
    this.#meta.set("destroyed", Date.now());
    this.#spec = null;
    this.#closed = null;
    this.#destroyed = true;
    this.#lastSeq = this.#lastArrival = this.#trimmedThrough = 0;
  }

  // ---- data plane (called by the Worker) ------------------------------------------------------

  /**
   * PutRecord / PutRecords entries routed here (packed, ../domain/kinesis/put-batch.ts), stored in
   * order. On a throttled (provisioned) shard, entries beyond the write budget are refused one by one.
   * `encrypted`: the stream has server-side encryption on (reads report EncryptionType KMS).
   * Counters and arrival times are assigned at once; the rows are written by the next group commit
   * (./shard/group-commit.ts), together with those of every put that arrives meanwhile. The answer
   * is the first counter and the arrival time: the Worker prints the sequence numbers.
   */
  async put(batch: PutBatch, encrypted = false): Promise<PutOutcome> {
    const spec = this.#spec;
    if (!spec) return { status: "gone" };
    if (this.#closed) return { status: "closed" };
    const now = Date.now();
    // Arrival times never go backwards along the counters (record-store.ts relies on it).
    const arrivedAt = Math.max(now, this.#lastArrival);
    const count = batchLength(batch);
    let accepted: number[] | undefined;
    let refused: number[] | undefined;
    if (this.#throttled(spec)) {
      for (let i = 0; i < count; i++) {
        if (this.#throughput.admitWrite(recordBytes(batchData(batch, i), batch.partitionKeys[i]!), now))
          (accepted ??= []).push(i);
        else (refused ??= []).push(i);
      }
      if (!refused) accepted = undefined;
    }
    const stored = refused ? (accepted?.length ?? 0) : count;
    const firstSeq = this.#lastSeq + 1;
    if (stored) {
      this.#lastSeq += stored;
      this.#lastArrival = arrivedAt;
      await this.#commits.add({ batch, accepted, firstSeq, arrivedAt, encrypted });
    }
    const first = { shardCreatedAt: spec.shard.createdAt, shardIndex: this.#shardIndex, seq: firstSeq, recordAt: arrivedAt };
    return refused ? { status: "stored", first, refused } : { status: "stored", first };
  }

  /**
   * Writes a group of puts. The writes of one event form one implicit transaction, committed as a
   * whole when the event ends (Durable Objects coalesce them). An explicit transactionSync would add
   * a SAVEPOINT per group, which measurably slowed PutRecord with 32 in flight; what it adds, rolling
   * back a group whose write fails midway, matters only on a storage failure.
   */
  #write(group: PendingPut[]): void {
    if (this.#destroyed || !this.#spec) return;
    try {
      for (const put of group) this.#store.append(put.batch, put.accepted, put.firstSeq, put.arrivedAt, put.encrypted);
    } catch (error) {
      // A storage failure (a bug or a full disk): counters continue from what is stored.
      this.#lastSeq = this.#store.lastSeq(this.#trimmedThrough);
      this.#lastArrival = this.#store.lastArrival() ?? 0;
      throw error;
    }
    this.#ensureAlarm(group[0]!.arrivedAt);
  }

  /** Where a new iterator of the given type starts (GetShardIterator). Works on closed shards too. */
  start(start: IteratorStart): StartOutcome {
    if (!this.#spec) return { status: "gone" };
    switch (start.type) {
      case "TRIM_HORIZON":
        return { status: "ok", seq: this.#trimmedThrough + 1 };
      case "LATEST":
        return { status: "ok", seq: this.#lastSeq + 1 };
      case "AT_TIMESTAMP":
        return { status: "ok", seq: this.#store.firstSeqArrivedFrom(start.at) ?? this.#lastSeq + 1 };
      case "AT":
        return { status: "ok", seq: start.seq };
    }
  }

  /** GetRecords: records from the iterator's position, the next position, and whether the shard ended. */
  read(req: ReadRequest): ReadOutcome {
    const spec = this.#spec;
    if (!spec) return { status: "gone" };
    const now = Date.now();
    const throttled = this.#throttled(spec) && !req.fanOut;
    if (throttled && !this.#throughput.admitRead(now)) return { status: "throttled" };
    // Records past retention disappear for readers at once, whether or not the alarm has run yet.
    this.#trimExpired(now);
    const rows = this.#store.read(Math.max(req.seq, 1), req.limit, READ_MAX_BYTES);
    let bytes = 0;
    const records: StoredRecord[] = rows.map((row) => {
      bytes += row.data.length;
      return {
        sequenceNumber: this.#sequenceNumber(row.seq, row.arrivedAt),
        data: row.data,
        partitionKey: row.partitionKey,
        arrivedAt: row.arrivedAt,
        encrypted: row.encrypted,
      };
    });
    if (throttled) this.#throughput.chargeRead(bytes);
    const nextSeq = rows.length ? rows[rows.length - 1]!.seq + 1 : Math.max(req.seq, this.#trimmedThrough + 1);
    const behind = nextSeq <= this.#lastSeq ? this.#store.arrivalFrom(nextSeq) : undefined;
    return {
      status: "ok",
      records,
      nextSeq,
      millisBehindLatest: behind === undefined ? 0 : Math.max(0, now - behind),
      ended: this.#closed !== null && nextSeq > this.#lastSeq,
    };
  }

  // ---- time ------------------------------------------------------------------------------------

  /** Retention: drop what expired, then re-arm at the moment the next oldest record expires. */
  override async alarm(): Promise<void> {
    this.#alarm.fired();
    if (!this.#spec) return;
    const now = Date.now();
    this.#trimExpired(now, Infinity);
    this.#armAlarm(now, true);
  }

  // ---- internals -------------------------------------------------------------------------------

  #load(): void {
    this.#destroyed = this.#meta.get<number>("destroyed") !== undefined;
    const spec = this.#meta.get<ShardSpec>("spec");
    if (spec) this.#setSpec(spec);
    this.#closed = this.#meta.get<Closing>("closed") ?? null;
    this.#trimmedThrough = this.#meta.get<number>("trimmed") ?? 0;
    this.#lastSeq = this.#store.lastSeq(this.#trimmedThrough);
    this.#lastArrival = this.#store.lastArrival() ?? 0;
  }

  #setSpec(spec: ShardSpec): void {
    this.#spec = spec;
    this.#shardIndex = shardIndexOf(spec.shard.shardId) ?? 0;
  }

  /** The spec says whether the stream is provisioned; the configuration may have turned limits off since. */
  #throttled(spec: ShardSpec): boolean {
    return spec.throttled && settingsOf(this.env).kinesisThrottling;
  }

  #sequenceNumber(seq: number, recordAt: number): string {
    return sequenceNumber({ shardCreatedAt: this.#spec!.shard.createdAt, shardIndex: this.#shardIndex, seq, recordAt });
  }

  #retentionMs(): number {
    return (this.#spec?.retentionHours ?? 24) * HOUR_MS;
  }

  /** Deletes records older than retention, `chunks` bounded chunks at most; remembers the last counter removed. */
  #trimExpired(now: number, chunks = 1): void {
    const cutoff = now - this.#retentionMs();
    for (let i = 0; i < chunks; i++) {
      const through = this.#store.trim(cutoff, TRIM_CHUNK);
      if (!through) return;
      this.#trimmedThrough = Math.max(this.#trimmedThrough, through);
      this.#meta.set("trimmed", this.#trimmedThrough);
    }
  }

  /** After a write: an alarm is due no later than when these records expire (the common case: no query). */
  #ensureAlarm(arrivedAt: number): void {
    const at = this.#alarm.at;
    if (at !== null && at <= arrivedAt + this.#retentionMs()) return;
    this.#armAlarm(arrivedAt);
  }

  /** Arms the alarm when the oldest record expires; `recompute` allows moving it later or clearing it. */
  #armAlarm(now: number, recompute = false): void {
    const oldest = this.#store.oldest();
    this.#alarm.arm(oldest && oldest.arrivedAt + this.#retentionMs(), now, recompute);
  }
}
