/**
 * A delivery stream's reading of its source Kinesis stream (KinesisStreamAsSource). One checkpoint row
 * per shard of the source stream: the next record counter to read, where reading begins until then
 * (the delivery stream's start time for the shards that existed then, the beginning for children),
 * and whether the shard is finished. A poll reads each readable shard over the ShardObject RPC (parents
 * before children: ../../domain/firehose/kinesis-source.ts) and, in one transaction, hands the records
 * to the buffer and advances the checkpoints: a crash before the commit reads them again, after it
 * never, so nothing is skipped or delivered twice. KPL-aggregated records are de-aggregated on the way.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-kinesis-streams.html
 */
import type { KinesisSourceConfig } from "../../domain/firehose/contract";
import {
  BACKLOG_POLL_MS,
  byArrival,
  fittingCount,
  iteratorStart,
  MAX_BYTES_PER_POLL,
  MAX_BYTES_PER_SHARD,
  MAX_RECORDS_PER_SHARD,
  newShards,
  POLL_INTERVAL_MS,
  readableShards,
  rotated,
  type SourceShard,
  type SourceStart,
} from "../../domain/firehose/kinesis-source";
import { deaggregate } from "../../domain/firehose/kpl-deaggregate";
import type { ShardInfo } from "../../domain/kinesis/contract";
import { parseStreamArn, type StreamRef } from "../../domain/kinesis/names";
import { parseSequenceNumber } from "../../domain/kinesis/sequence-numbers";
import type { StoredRecord } from "../../domain/kinesis/shard-contract";
import { MetaTable } from "../meta";
import { shardObject, streamObject } from "../names";
import type { Migration } from "../sql";

/** This reader's tables, applied after DELIVERY_STREAM_MIGRATIONS (append new ones at the end). */
export const KINESIS_SOURCE_MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE source_shards (
      shard_id TEXT PRIMARY KEY,
      -- JSON array of the parent shard ids (a split's one, a merge's two)
      parents TEXT NOT NULL,
      -- before the first read: 'AT_TIMESTAMP' (the delivery stream's start) or 'TRIM_HORIZON'
      start TEXT NOT NULL,
      -- the next record counter (ShardObject's seq) to read; NULL until the shard was first read
      seq INTEGER,
      finished INTEGER NOT NULL DEFAULT 0,
      records INTEGER NOT NULL DEFAULT 0
    )`,
  ],
];

/** Shards read at the same time; between waves the poll checks its byte budget. */
const READ_WAVE = 4;

/** What the reader keeps in the meta table under "source". */
interface SourceState {
  streamArn: string;
  /** Epoch ms: records that arrived from here on are delivered (DeliveryStartTimestamp). */
  startAt: number;
  /** The incarnation of the stream being read (StreamRouting.createdAt), known from the first poll. */
  streamCreatedAt?: number;
  /** Reading stopped for good (the stream was deleted): why. */
  stopped?: SourceError;
}

interface SourceError {
  at: number;
  code: string;
  message: string;
}

/** What one shard's read brought, to be committed with the others. */
interface ShardRead {
  shardId: string;
  /** The checkpoint the read started from: the commit skips the shard if it moved meanwhile. */
  expected: number | null;
  nextSeq: number;
  ended: boolean;
  records: StoredRecord[];
  bytes: number;
}

type ShardRow = { shard_id: string; parents: string; start: string; seq: number | null; finished: number; records: number };

export interface KinesisSourceStatus {
  streamArn: string;
  startAt: number;
  stopped?: SourceError;
  shards: { shardId: string; parents: string[]; seq: number | null; finished: boolean; records: number }[];
}

export class KinesisSourceReader {
  readonly #meta: MetaTable;
  #state: SourceState | undefined | null = null;
  /** When the last poll began (in memory: after a restart the first poll is due at once). */
  #lastPoll = 0;
  /** The last poll left records behind (a cap was reached): the next one comes sooner. */
  #backlog = false;
  #rotation = 0;
  #polling: Promise<boolean> | undefined;

  constructor(
    readonly sql: SqlStorage,
    readonly env: Env,
  ) {
    this.#meta = new MetaTable(sql);
  }

  /**
   * The delivery stream became ACTIVE: remember where reading begins. Runs inside the object's
   * status transaction, so it cannot ask the stream for its shards; the first poll does, and
   * starts every shard that exists then at this time (AT_TIMESTAMP), which is what LATEST as of
   * the delivery stream's creation means even though this runs a little after it.
   */
  start(source: KinesisSourceConfig): void {
    const current = this.#load();
    if (current && current.streamArn === source.streamArn && current.startAt === source.deliveryStartTimestamp) return;
    this.sql.exec("DELETE FROM source_shards");
    this.#save({ streamArn: source.streamArn, startAt: source.deliveryStartTimestamp });
  }

  /** The delivery stream is gone: forget every checkpoint. */
  clear(): void {
    this.sql.exec("DELETE FROM source_shards");
    this.#meta.delete("source");
    this.#state = undefined;
    this.#backlog = false;
  }

  /** When the next poll is due (undefined: nothing to read). */
  nextPollAt(now: number): number | undefined {
    const state = this.#load();
    if (!state || state.stopped) return undefined;
    const counts = this.sql
      .exec<{ n: number; open: number | null }>("SELECT COUNT(*) AS n, SUM(finished = 0) AS open FROM source_shards")
      .one();
    if (counts.n > 0 && !counts.open) return undefined;
    return Math.max(now, this.#lastPoll + (this.#backlog ? BACKLOG_POLL_MS : POLL_INTERVAL_MS));
  }

  /** Where reading stands, for stats and tests. */
  status(): KinesisSourceStatus | undefined {
    const state = this.#load();
    if (!state) return undefined;
    return {
      streamArn: state.streamArn,
      startAt: state.startAt,
      stopped: state.stopped,
      shards: this.#rows().map((r) => ({
        shardId: r.shard_id,
        parents: JSON.parse(r.parents) as string[],
        seq: r.seq,
        finished: r.finished !== 0,
        records: r.records,
      })),
    };
  }

  /**
   * Reads what the shards have after their checkpoints; in one `transaction` hands the records to
   * `append` (with their approximate arrival times) and advances the checkpoints. True if it read any.
   * Polls run one at a time (a flush during the alarm's poll waits for it, then reads again).
   */
  async poll(
    source: KinesisSourceConfig,
    _now: number,
    append: (records: Uint8Array[], arrival: number) => void,
    transaction: (fn: () => void) => void,
  ): Promise<boolean> {
    const previous = this.#polling;
    const run = (async () => {
      if (previous) await previous.catch(() => false);
      return this.#pollOnce(source, append, transaction);
    })();
    this.#polling = run;
    try {
      return await run;
    } finally {
      if (this.#polling === run) this.#polling = undefined;
    }
  }

  // ---- internals --------------------------------------------------------------------------------

  async #pollOnce(
    source: KinesisSourceConfig,
    append: (records: Uint8Array[], arrival: number) => void,
    transaction: (fn: () => void) => void,
  ): Promise<boolean> {
    let state = this.#load();
    if (!state) {
      // ACTIVE before this reader existed (or its start was lost): begin as start() would have.
      this.start(source);
      state = this.#load()!;
    }
    if (state.stopped) return false;
    this.#lastPoll = Date.now();
    this.#backlog = false;
    const ref = parseStreamArn(state.streamArn);
    if (!ref) {
      this.#stop(state, "InvalidArgumentException", `Invalid Kinesis stream ARN ${state.streamArn}.`);
      return false;
    }
    let routing;
    try {
      routing = await streamObject(this.env, ref).routing();
    } catch (error) {
      this.#error("ServiceUnavailableException", error instanceof Error ? error.message : String(error));
      return false;
    }
    if (!routing.ok) {
      // The source stream was deleted: Firehose stops reading and says nothing to producers.
      if (routing.error.code === "ResourceNotFoundException") this.#stop(state, routing.error.code, routing.error.message);
      else this.#error(routing.error.code, routing.error.message);
      return false;
    }
    const stream = routing.value;
    // Shards of a stream still CREATING may not be open yet: a read would take them for gone.
    if (stream.status === "CREATING") return false;
    if (state.streamCreatedAt === undefined) this.#save((state = { ...state, streamCreatedAt: stream.createdAt }));
    else if (state.streamCreatedAt !== stream.createdAt) {
      this.#stop(state, "ResourceNotFoundException", `Stream ${ref.name} under account ${ref.account} was deleted.`);
      return false;
    }

    const tracked = this.#shards();
    const fresh = newShards(new Set(tracked.map((s) => s.shardId)), stream.shards, tracked.length === 0, state.startAt);
    for (const s of fresh) {
      this.sql.exec(
        "INSERT INTO source_shards (shard_id, parents, start, seq, finished) VALUES (?, ?, ?, NULL, ?)",
        s.shardId,
        JSON.stringify(s.parents),
        s.start,
        s.finished ? 1 : 0,
      );
    }
    tracked.push(...fresh);

    const info = new Map(stream.shards.map((s) => [s.shardId, s]));
    const readable = rotated(readableShards(tracked), this.#rotation);
    const reads: ShardRead[] = [];
    let held = 0;
    let visited = 0;
    for (let i = 0; i < readable.length; i += READ_WAVE) {
      if (held >= MAX_BYTES_PER_POLL) {
        this.#backlog = true;
        break;
      }
      const wave = readable.slice(i, i + READ_WAVE);
      visited += wave.length;
      const results = await Promise.all(
        wave.map((s) => this.#read(ref, stream.createdAt, s, state.startAt, info.get(s.shardId))),
      );
      for (const r of results) {
        if (!r) continue;
        reads.push(r);
        held += r.bytes;
      }
    }
    this.#rotation += visited;
    return this.#commit(reads, append, transaction);
  }

  /** One shard's records after its checkpoint, at most a page; undefined when there is nothing to commit. */
  async #read(
    ref: StreamRef,
    incarnation: number,
    shard: SourceShard,
    startAt: number,
    info: ShardInfo | undefined,
  ): Promise<ShardRead | undefined> {
    const stub = shardObject(this.env, {
      account: ref.account,
      region: ref.region,
      stream: ref.name,
      createdAt: incarnation,
      shardId: shard.shardId,
    });
    const finishedEmpty = (): ShardRead => ({
      shardId: shard.shardId,
      expected: shard.seq,
      nextSeq: shard.seq ?? 0,
      ended: true,
      records: [],
      bytes: 0,
    });
    try {
      let from = shard.seq;
      if (from === null) {
        const start = iteratorStart(shard.start, startAt);
        const started = await stub.start(start);
        if (started.status === "gone") return info?.closedAt !== undefined ? finishedEmpty() : undefined;
        from = started.seq;
      }
      const outcome = await stub.read({ seq: from, limit: MAX_RECORDS_PER_SHARD });
      // Throttled: Firehose shares the shard's read limits with other consumers; next poll.
      if (outcome.status === "throttled") return undefined;
      // A closed shard past its retention is gone from the stream: nothing left to read in it.
      if (outcome.status === "gone") return info?.closedAt !== undefined ? finishedEmpty() : undefined;
      let { records, nextSeq, ended } = outcome;
      const keep = fittingCount(
        records.map((r) => r.data.length),
        MAX_BYTES_PER_SHARD,
      );
      if (keep < records.length) {
        const next = parseSequenceNumber(records[keep]!.sequenceNumber);
        if (next) {
          records = records.slice(0, keep);
          nextSeq = next.seq;
          ended = false;
          this.#backlog = true;
        }
      }
      if (outcome.millisBehindLatest > 0) this.#backlog = true;
      let bytes = 0;
      for (const r of records) bytes += r.data.length;
      return { shardId: shard.shardId, expected: shard.seq, nextSeq, ended, records, bytes };
    } catch (error) {
      this.#error("ServiceUnavailableException", error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  /** Appends every shard's records and advances its checkpoint, all in one transaction. */
  #commit(
    reads: ShardRead[],
    append: (records: Uint8Array[], arrival: number) => void,
    transaction: (fn: () => void) => void,
  ): boolean {
    if (!reads.length) return false;
    let appended = 0;
    transaction(() => {
      for (const read of reads) {
        const row = this.sql
          .exec<{ seq: number | null; finished: number }>(
            "SELECT seq, finished FROM source_shards WHERE shard_id = ?",
            read.shardId,
          )
          .toArray()[0];
        // The checkpoint moved (or the reader was cleared) while this read was in flight: not ours to commit.
        if (!row || row.finished || row.seq !== read.expected) continue;
        for (const group of byArrival(read.records)) {
          const data = group.records.flatMap((r) => deaggregate(r.data));
          if (!data.length) continue;
          append(data, group.arrival);
          appended += data.length;
        }
        this.sql.exec(
          "UPDATE source_shards SET seq = ?, finished = ?, records = records + ? WHERE shard_id = ?",
          read.nextSeq,
          read.ended ? 1 : 0,
          read.records.length,
          read.shardId,
        );
      }
    });
    return appended > 0;
  }

  #rows(): ShardRow[] {
    return this.sql
      .exec<ShardRow>("SELECT shard_id, parents, start, seq, finished, records FROM source_shards ORDER BY shard_id")
      .toArray();
  }

  #shards(): SourceShard[] {
    return this.#rows().map((r) => ({
      shardId: r.shard_id,
      parents: JSON.parse(r.parents) as string[],
      start: r.start as SourceStart,
      seq: r.seq,
      finished: r.finished !== 0,
    }));
  }

  #load(): SourceState | undefined {
    if (this.#state === null) this.#state = this.#meta.get<SourceState>("source");
    return this.#state;
  }

  #save(state: SourceState): void {
    this.#meta.set("source", state);
    this.#state = state;
  }

  /** Reading ends for good; the error shows in the delivery stream's stats (lastError). */
  #stop(state: SourceState, code: string, message: string): void {
    const error = { at: Date.now(), code, message };
    this.#save({ ...state, stopped: error });
    this.#meta.set("last_error", error);
  }

  /** A passing failure (the next poll tries again), shown in the stats' lastError. */
  #error(code: string, message: string): void {
    this.#meta.set("last_error", { at: Date.now(), code, message });
  }
}
