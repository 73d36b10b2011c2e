/**
 * A shard's records in SQLite: append in multi-row statements, read ranges by counter, find the first
 * record at or after a time, and trim the oldest. Arrival times never decrease along `seq` (the object
 * clamps them), which lets time searches bisect the primary key instead of keeping a second index.
 */
import { batchData, type PutBatch } from "../../domain/kinesis/put-batch";

/**
 * Durable Object SQLite allows 100 bound parameters per statement. The values every row of a put
 * shares (its first counter, arrival time and encryption flag) are bound once as ?1–?3, so a
 * statement carries 24 rows of 4 values: binding is most of an append's CPU, and this halves it
 * against 7 values per row.
 */
const ROWS_PER_INSERT = 24;
/** Rows are limited to 2 MB: bigger records (up to 10 MiB) are stored as 1 MiB chunks. */
const INLINE_MAX_BYTES = 1536 * 1024;
const CHUNK_BYTES = 1024 * 1024;

const insertSql = (rows: number): string =>
  "INSERT INTO records (seq, arrived_at, partition_key, explicit_hash_key, size, data, encrypted) VALUES " +
  Array.from({ length: rows }, (_, i) => {
    const p = 4 + 4 * i;
    return `(?1 + ${i}, ?2, ?${p}, ?${p + 1}, ?${p + 2}, ?${p + 3}, ?3)`;
  }).join(", ");
const INSERT_SQL = Array.from({ length: ROWS_PER_INSERT + 1 }, (_, n) => (n === 0 ? "" : insertSql(n)));

export interface RecordRow {
  seq: number;
  arrivedAt: number;
  partitionKey: string;
  data: Uint8Array;
  encrypted: boolean;
}

export class RecordStore {
  constructor(private readonly sql: SqlStorage) {}

  /** The highest counter ever used: the newest record, or what trimming removed last. */
  lastSeq(trimmedThrough: number): number {
    const row = this.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM records").one();
    return Math.max(row.seq ?? 0, trimmedThrough);
  }

  /** Arrival time of the newest record, if any. */
  lastArrival(): number | undefined {
    return this.sql.exec<{ t: number }>("SELECT arrived_at AS t FROM records ORDER BY seq DESC LIMIT 1").toArray()[0]?.t;
  }

  oldest(): { seq: number; arrivedAt: number } | undefined {
    const row = this.sql
      .exec<{ seq: number; t: number }>("SELECT seq, arrived_at AS t FROM records ORDER BY seq LIMIT 1")
      .toArray()[0];
    return row && { seq: row.seq, arrivedAt: row.t };
  }

  /**
   * Appends the batch's records (those of `accepted`, in order, when given) with counters firstSeq,
   * firstSeq+1… all arriving at `arrivedAt`.
   */
  append(
    batch: PutBatch,
    accepted: readonly number[] | undefined,
    firstSeq: number,
    arrivedAt: number,
    encrypted: boolean,
  ): void {
    const count = accepted ? accepted.length : batch.ends.length;
    const flag = encrypted ? 1 : 0;
    for (let start = 0; start < count; start += ROWS_PER_INSERT) {
      const rows = Math.min(ROWS_PER_INSERT, count - start);
      const params: unknown[] = [firstSeq + start, arrivedAt, flag];
      for (let k = start; k < start + rows; k++) {
        const i = accepted ? accepted[k]! : k;
        const data = batchData(batch, i);
        const inline = data.length <= INLINE_MAX_BYTES;
        params.push(batch.partitionKeys[i], batch.explicitHashKeys?.[i] ?? null, data.length, inline ? data : null);
        if (!inline) this.#appendChunks(firstSeq + k, data);
      }
      this.sql.exec(INSERT_SQL[rows]!, ...params);
    }
  }

  #appendChunks(seq: number, data: Uint8Array): void {
    for (let part = 0, at = 0; at < data.length; part++, at += CHUNK_BYTES) {
      this.sql.exec(
        "INSERT INTO record_chunks (seq, part, data) VALUES (?, ?, ?)",
        seq,
        part,
        data.subarray(at, at + CHUNK_BYTES),
      );
    }
  }

  /**
   * Records from counter `fromSeq` on, at most `limit` of them and `maxBytes` of data, though always
   * the first one (a single record may be as large as the cap).
   */
  read(fromSeq: number, limit: number, maxBytes: number): RecordRow[] {
    const out: RecordRow[] = [];
    let bytes = 0;
    const cursor = this.sql
      .exec<{ seq: number; t: number; pk: string; size: number; data: ArrayBuffer | null; enc: number }>(
        "SELECT seq, arrived_at AS t, partition_key AS pk, size, data, encrypted AS enc FROM records WHERE seq >= ? ORDER BY seq LIMIT ?",
        fromSeq,
        limit,
      )
      .raw();
    for (const [seq, t, pk, size, data, enc] of cursor as Iterable<
      [number, number, string, number, ArrayBuffer | null, number]
    >) {
      if (out.length && bytes + size > maxBytes) break;
      bytes += size;
      const bytesOf = data ? new Uint8Array(data) : this.#readChunks(seq, size);
      out.push({ seq, arrivedAt: t, partitionKey: pk, data: bytesOf, encrypted: enc === 1 });
    }
    return out;
  }

  #readChunks(seq: number, size: number): Uint8Array {
    const out = new Uint8Array(size);
    let at = 0;
    for (const row of this.sql.exec<{ data: ArrayBuffer }>("SELECT data FROM record_chunks WHERE seq = ? ORDER BY part", seq)) {
      out.set(new Uint8Array(row.data), at);
      at += row.data.byteLength;
    }
    return out;
  }

  /** Whether any record has a counter ≥ `seq`. */
  hasFrom(seq: number): boolean {
    return this.sql.exec("SELECT 1 FROM records WHERE seq >= ? LIMIT 1", seq).toArray().length > 0;
  }

  /** Arrival time of the first record at or after counter `seq`. */
  arrivalFrom(seq: number): number | undefined {
    return this.sql
      .exec<{ t: number }>("SELECT arrived_at AS t FROM records WHERE seq >= ? ORDER BY seq LIMIT 1", seq)
      .toArray()[0]?.t;
  }

  /**
   * The counter of the first record that arrived at or after `at`, or undefined when none did.
   * Arrival never decreases along the counters, so this bisects the primary key (a few point reads).
   */
  firstSeqArrivedFrom(at: number): number | undefined {
    const oldest = this.oldest();
    if (!oldest) return undefined;
    if (oldest.arrivedAt >= at) return oldest.seq;
    const next = (seq: number) =>
      this.sql
        .exec<{ seq: number; t: number }>("SELECT seq, arrived_at AS t FROM records WHERE seq >= ? ORDER BY seq LIMIT 1", seq)
        .toArray()[0];
    let lo = oldest.seq; // a record that arrived before `at`
    let hi = this.lastSeq(0) + 1; // the answer is the first record at or after this counter, if any
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const row = next(mid);
      if (!row || row.t >= at) hi = mid;
      else lo = row.seq;
    }
    const row = next(hi);
    return row && row.t >= at ? row.seq : undefined;
  }

  /**
   * Deletes up to `max` of the oldest records that arrived before `cutoff`. Returns the highest counter
   * removed (0 when none), so the caller can remember it and keep counters unique.
   */
  trim(cutoff: number, max: number): number {
    const oldest = this.oldest();
    if (!oldest || oldest.arrivedAt >= cutoff) return 0;
    const firstKept = this.firstSeqArrivedFrom(cutoff);
    const through = Math.min(firstKept === undefined ? this.lastSeq(0) : firstKept - 1, oldest.seq + max - 1);
    this.sql.exec("DELETE FROM records WHERE seq <= ?", through);
    this.sql.exec("DELETE FROM record_chunks WHERE seq <= ?", through);
    return through;
  }

  count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM records").one().n;
  }
}
