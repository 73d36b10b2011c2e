/**
 * A delivery stream's records and batches in SQLite. Records are appended as they are accepted; the
 * part not yet cut into a batch is "the buffer". Cutting turns the buffer into batch rows of at most
 * the plan's size, each delivered (and retried) on its own; a record row is deleted once no batch
 * needs it any more. See ./schema.ts.
 */
import { packRecords, unpackRecords } from "../../domain/firehose/record-packing";
import type { MetaTable } from "../meta";

export type BatchStage = "primary" | "copy" | "failed";

export type BatchRow = {
  id: number;
  first_seq: number;
  last_seq: number;
  records: number;
  bytes: number;
  oldest_arrival: number;
  stage: BatchStage;
  uuid: string;
  object_key: string | null;
  attempts: number;
  attempts_made: number;
  first_attempt_at: number | null;
  next_at: number;
  last_error: string | null;
  last_error_code: string | null;
};

/** One record of a batch, as delivery reads it. */
export interface BufferedRecord {
  /** Row and position in it: stable across retries (OpenSearch document ids). */
  seq: number;
  index: number;
  arrival: number;
  data: Uint8Array;
}

/** Rows (of at most 1 MiB each) read per query when a batch is streamed out. */
const PAGE_ROWS = 4;

export class DeliveryBuffer {
  /** Records after this seq are not in any batch yet. */
  #cutThrough: number;
  #lastSeq: number;
  #pendingBytes = 0;
  #pendingCount = 0;
  #oldestPending: number | undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly meta: MetaTable,
  ) {
    this.#cutThrough = meta.get<number>("cut_through") ?? 0;
    const last = sql.exec<{ s: number | null }>("SELECT MAX(seq) AS s FROM records").one().s;
    this.#lastSeq = Math.max(last ?? 0, this.#cutThrough, meta.get<number>("last_seq") ?? 0);
    const pending = sql
      .exec<{ n: number | null; b: number | null; o: number | null }>(
        "SELECT SUM(count) AS n, SUM(size) AS b, MIN(arrival) AS o FROM records WHERE seq > ?",
        this.#cutThrough,
      )
      .one();
    this.#pendingCount = pending.n ?? 0;
    this.#pendingBytes = pending.b ?? 0;
    this.#oldestPending = pending.o ?? undefined;
  }

  /** Buffered (not yet cut) records: how many, their bytes, and when the oldest arrived. */
  get pending(): { count: number; bytes: number; oldest: number | undefined } {
    return { count: this.#pendingCount, bytes: this.#pendingBytes, oldest: this.#oldestPending };
  }

  /** Appends records, packed into as few rows as fit (call inside a transaction when other rows change with them). */
  append(records: readonly Uint8Array[], arrival: number): void {
    if (!records.length) return;
    for (const row of packRecords(records)) {
      this.#lastSeq++;
      this.sql.exec(
        "INSERT INTO records (seq, arrival, count, size, data) VALUES (?, ?, ?, ?, ?)",
        this.#lastSeq,
        arrival,
        row.count,
        row.size,
        row.data,
      );
      this.#pendingBytes += row.size;
      this.#pendingCount += row.count;
    }
    // Records from a Kinesis source carry their own (earlier) arrival times: the buffer's age is its oldest.
    if (this.#oldestPending === undefined || arrival < this.#oldestPending) this.#oldestPending = arrival;
    this.meta.set("last_seq", this.#lastSeq);
  }

  /**
   * Cuts the buffer into batches of at most `maxBytes` (a row larger than that is a batch of its own;
   * rows never split) for each stage given, due at `now`. Returns how many batches were cut per stage.
   */
  cut(maxBytes: number, stages: readonly BatchStage[], now: number, uuid: () => string): number {
    if (this.#pendingCount === 0) return 0;
    let batches = 0;
    let start: { seq: number; arrival: number } | undefined;
    let count = 0;
    let bytes = 0;
    let last = this.#cutThrough;
    const close = () => {
      if (!start) return;
      for (const stage of stages) {
        this.sql.exec(
          `INSERT INTO batches (first_seq, last_seq, records, bytes, oldest_arrival, stage, uuid, next_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          start.seq,
          last,
          count,
          bytes,
          start.arrival,
          stage,
          uuid(),
          now,
        );
      }
      batches++;
      start = undefined;
      count = 0;
      bytes = 0;
    };
    for (const row of this.sql.exec<{ seq: number; arrival: number; count: number; size: number }>(
      "SELECT seq, arrival, count, size FROM records WHERE seq > ? ORDER BY seq",
      this.#cutThrough,
    )) {
      if (start && bytes + row.size > maxBytes) close();
      if (!start) start = { seq: row.seq, arrival: row.arrival };
      count += row.count;
      bytes += row.size;
      last = row.seq;
    }
    close();
    this.#cutThrough = last;
    this.meta.set("cut_through", last);
    this.#pendingBytes = 0;
    this.#pendingCount = 0;
    this.#oldestPending = undefined;
    return batches;
  }

  /** The batch due first, if it is due by `now`. */
  due(now: number): BatchRow | undefined {
    return this.sql.exec<BatchRow>("SELECT * FROM batches WHERE next_at <= ? ORDER BY next_at, id LIMIT 1", now).toArray()[0];
  }

  nextDue(): number | undefined {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(next_at) AS t FROM batches").one().t ?? undefined;
  }

  batches(): BatchRow[] {
    return this.sql.exec<BatchRow>("SELECT * FROM batches ORDER BY id").toArray();
  }

  /** The records of a batch, a few rows at a time (a batch may hold up to 128 MiB). */
  *recordsOf(batch: Pick<BatchRow, "first_seq" | "last_seq">): Generator<BufferedRecord> {
    let after = batch.first_seq - 1;
    for (;;) {
      const page = this.sql
        .exec<{ seq: number; arrival: number; data: ArrayBuffer }>(
          "SELECT seq, arrival, data FROM records WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
          after,
          batch.last_seq,
          PAGE_ROWS,
        )
        .toArray();
      for (const row of page) {
        const records = unpackRecords(new Uint8Array(row.data));
        for (let index = 0; index < records.length; index++)
          yield { seq: row.seq, index, arrival: row.arrival, data: records[index]! };
      }
      if (page.length < PAGE_ROWS) return;
      after = page[page.length - 1]!.seq;
    }
  }

  /** The first attempt of a batch fixes its object key (a retry after a crash rewrites the same object). */
  attempting(batch: BatchRow, now: number, objectKey: string | null): void {
    this.sql.exec(
      "UPDATE batches SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?), object_key = COALESCE(object_key, ?) WHERE id = ?",
      now,
      objectKey,
      batch.id,
    );
  }

  retryAt(batch: BatchRow, nextAt: number, error: { code: string; message: string }): void {
    this.sql.exec(
      "UPDATE batches SET next_at = ?, last_error = ?, last_error_code = ? WHERE id = ?",
      nextAt,
      error.message,
      error.code,
      batch.id,
    );
  }

  /** A batch whose delivery gave up becomes a batch of failed data for the S3 backup. */
  toFailed(batch: BatchRow, now: number, error: { code: string; message: string }, uuid: string): void {
    this.sql.exec(
      `UPDATE batches SET stage = 'failed', uuid = ?, object_key = NULL, attempts_made = attempts, attempts = 0, first_attempt_at = NULL,
       next_at = ?, last_error = ?, last_error_code = ? WHERE id = ?`,
      uuid,
      now,
      error.message,
      error.code,
      batch.id,
    );
  }

  /** The batch is done: its row goes, and the records no other batch still needs. */
  complete(batch: BatchRow): void {
    this.sql.exec("DELETE FROM batches WHERE id = ?", batch.id);
    const other = this.sql
      .exec<{ n: number }>(
        "SELECT COUNT(*) AS n FROM batches WHERE first_seq <= ? AND last_seq >= ?",
        batch.last_seq,
        batch.first_seq,
      )
      .one().n;
    if (other === 0) this.sql.exec("DELETE FROM records WHERE seq >= ? AND seq <= ?", batch.first_seq, batch.last_seq);
  }

  /** Everything buffered and batched is dropped (the stream is deleted). */
  clear(): void {
    this.sql.exec("DELETE FROM batches");
    this.sql.exec("DELETE FROM records");
    this.#cutThrough = this.#lastSeq;
    this.meta.set("cut_through", this.#lastSeq);
    this.#pendingBytes = 0;
    this.#pendingCount = 0;
    this.#oldestPending = undefined;
  }
}
