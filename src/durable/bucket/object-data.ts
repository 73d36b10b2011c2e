/**
 * Object bytes: written from a stream into chunk rows under a new data id as they arrive, read back
 * as a stream that loads one chunk at a time, deleted by data id. This is the whole interface an
 * R2-backed store would implement for deployments (write → id, size, digests; read id + range →
 * stream; delete). Nothing here knows about keys or visibility: see object-index.ts.
 */
import { BodyDigests, hex } from "../../domain/s3/checksums";
import type { DataSegment, WriteOptions, WrittenData } from "../../domain/s3/contract";

/** Bytes per chunk row: 1 MiB, well under the 2 MB SQLite value limit of Durable Objects. */
export const CHUNK_BYTES = 1024 * 1024;

/** How a write ended when it did not end with the whole body. */
export type WriteFailure = "too-large" | "stream-error";

export interface ObjectDataStore {
  write(
    body: ReadableStream<Uint8Array>,
    options: WriteOptions,
  ): Promise<{ ok: true; value: WrittenData } | { ok: false; reason: WriteFailure; size: number; dataId: string }>;
  read(segments: readonly DataSegment[], start: number, end: number): ReadableStream<Uint8Array>;
  /** Removes up to `limit` chunks of the data id; true when none remain. */
  delete(dataId: string, limit: number): boolean;
}

export class SqlObjectData implements ObjectDataStore {
  constructor(
    private readonly sql: SqlStorage,
    /** Called once the data id exists, before the first chunk lands (the caller tracks it). */
    private readonly started: (dataId: string) => void,
  ) {}

  async write(body: ReadableStream<Uint8Array>, options: WriteOptions) {
    const dataId = crypto.randomUUID();
    this.started(dataId);
    const digests = new BodyDigests(options.algorithms, options.payloadSha256);
    let buffer = new Uint8Array(CHUNK_BYTES);
    let filled = 0;
    let seq = 0;
    const flush = () => {
      if (filled === 0) return;
      this.sql.exec("INSERT INTO chunks (data_id, seq, bytes) VALUES (?, ?, ?)", dataId, seq++, buffer.subarray(0, filled));
      filled = 0;
    };
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (digests.size + value.length > options.maxBytes) {
          await reader.cancel().catch(() => {});
          return { ok: false as const, reason: "too-large" as const, size: digests.size + value.length, dataId };
        }
        digests.update(value);
        let offset = 0;
        while (offset < value.length) {
          const n = Math.min(CHUNK_BYTES - filled, value.length - offset);
          buffer.set(value.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
          if (filled === CHUNK_BYTES) {
            flush();
            buffer = new Uint8Array(CHUNK_BYTES);
          }
        }
      }
    } catch {
      return { ok: false as const, reason: "stream-error" as const, size: digests.size, dataId };
    }
    flush();
    const { md5, checksums, sha256Hex } = digests.finish();
    return {
      ok: true as const,
      value: { dataId, size: digests.size, md5Hex: hex(md5), checksums, ...(sha256Hex ? { sha256Hex } : {}) },
    };
  }

  /** Bytes [start, end] (inclusive) of the concatenated segments, one chunk row per pull. */
  read(segments: readonly DataSegment[], start: number, end: number): ReadableStream<Uint8Array> {
    const sql = this.sql;
    let segment = 0;
    let segmentStart = 0;
    let position = start;
    return new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          while (segment < segments.length && segmentStart + segments[segment]!.size <= position) {
            segmentStart += segments[segment]!.size;
            segment++;
          }
          if (position > end || segment >= segments.length) {
            controller.close();
            return;
          }
          const { dataId } = segments[segment]!;
          const offset = position - segmentStart;
          const seq = Math.floor(offset / CHUNK_BYTES);
          const row = sql
            .exec<{ bytes: ArrayBuffer }>("SELECT bytes FROM chunks WHERE data_id = ? AND seq = ?", dataId, seq)
            .toArray()[0];
          if (!row) {
            controller.error(new Error(`chunk ${seq} of ${dataId} is missing`));
            return;
          }
          const bytes = new Uint8Array(row.bytes);
          const from = offset - seq * CHUNK_BYTES;
          const to = Math.min(bytes.length, from + (end - position + 1));
          controller.enqueue(bytes.subarray(from, to));
          position += to - from;
        },
      },
      { highWaterMark: 0 },
    );
  }

  delete(dataId: string, limit: number): boolean {
    this.sql.exec(
      "DELETE FROM chunks WHERE data_id = ? AND seq IN (SELECT seq FROM chunks WHERE data_id = ? ORDER BY seq LIMIT ?)",
      dataId,
      dataId,
      limit,
    );
    return this.sql.exec("SELECT 1 FROM chunks WHERE data_id = ? LIMIT 1", dataId).toArray().length === 0;
  }
}
