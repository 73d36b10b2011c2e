/**
 * Object bytes: written from a stream into chunk rows under a new data id as they arrive, read back
 * one chunk per call (the reader pulls them as its client consumes: a stream returned over RPC would
 * be pumped as fast as storage can read, whatever the client's pace), deleted by data id. This is the whole interface an
 * R2-backed store would implement for deployments (write → id, size, digests; read id + range →
 * chunk; delete). Nothing here knows about keys or visibility: see object-index.ts.
 */
import { BodyDigests, hex, toBase64, type ChecksumAlgorithm } from "../../domain/s3/checksums";
import type { DataSegment, WriteOptions, WrittenData } from "../../domain/s3/contract";

/** Bytes per chunk row: 1 MiB, well under the 2 MB SQLite value limit of Durable Objects. */
export const CHUNK_BYTES = 1024 * 1024;

/** How a write ended when it did not end with the whole body. */
export type WriteFailure = "too-large" | "stream-error";

export interface ObjectDataStore {
  write(
    body: ReadableStream<Uint8Array> | Uint8Array,
    options: WriteOptions,
  ): Promise<{ ok: true; value: WrittenData } | { ok: false; reason: WriteFailure; size: number; dataId: string }>;
  readChunk(dataId: string, seq: number): Uint8Array | undefined;
  /** Removes up to `limit` chunks of the data id; `done` when none remain. */
  delete(dataId: string, limit: number): { removed: number; done: boolean };
}

export class SqlObjectData implements ObjectDataStore {
  constructor(
    private readonly sql: SqlStorage,
    /** Called once the data id exists, before the first chunk lands (the caller tracks it). */
    private readonly started: (dataId: string) => void,
  ) {}

  async write(body: ReadableStream<Uint8Array> | Uint8Array, options: WriteOptions) {
    const dataId = crypto.randomUUID();
    this.started(dataId);
    const digests = new RuntimeDigests(options);
    let seq = 0;
    try {
      for await (const block of fullChunks(body)) {
        if (digests.size + block.length > options.maxBytes) {
          return { ok: false as const, reason: "too-large" as const, size: digests.size + block.length, dataId };
        }
        await digests.update(block);
        this.sql.exec("INSERT INTO chunks (data_id, seq, bytes) VALUES (?, ?, ?)", dataId, seq++, block);
      }
    } catch {
      return { ok: false as const, reason: "stream-error" as const, size: digests.size, dataId };
    }
    return { ok: true as const, value: { dataId, ...(await digests.finish()) } };
  }

  /** One stored chunk (1 MiB, the last of a data id shorter), or undefined when it is gone. */
  readChunk(dataId: string, seq: number): Uint8Array | undefined {
    const row = this.sql
      .exec<{ bytes: ArrayBuffer }>("SELECT bytes FROM chunks WHERE data_id = ? AND seq = ?", dataId, seq)
      .toArray()[0];
    return row ? new Uint8Array(row.bytes) : undefined;
  }

  delete(dataId: string, limit: number): { removed: number; done: boolean } {
    const removed = this.sql.exec(
      "DELETE FROM chunks WHERE data_id = ? AND seq IN (SELECT seq FROM chunks WHERE data_id = ? ORDER BY seq LIMIT ?)",
      dataId,
      dataId,
      limit,
    ).rowsWritten;
    const done = this.sql.exec("SELECT 1 FROM chunks WHERE data_id = ? LIMIT 1", dataId).toArray().length === 0;
    return { removed, done };
  }
}

/**
 * The body in blocks of exactly CHUNK_BYTES (the last may be shorter). A byte stream (what RPC
 * delivers) is read with `readAtLeast` into each block directly: RPC hands over 4 KiB at a time, and
 * a read per 4 KiB would cost more than storing the bytes. Other streams are copied into blocks.
 */
async function* fullChunks(body: ReadableStream<Uint8Array> | Uint8Array): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) yield body.subarray(offset, offset + CHUNK_BYTES);
    return;
  }
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    byob = undefined;
  }
  if (byob) {
    try {
      let buffer = new ArrayBuffer(CHUNK_BYTES);
      let filled = 0;
      for (;;) {
        const want = CHUNK_BYTES - filled;
        const { done, value } = await byob.readAtLeast(want, new Uint8Array(buffer, filled, want));
        if (value) {
          buffer = value.buffer as ArrayBuffer;
          filled += value.byteLength;
        }
        if (filled === CHUNK_BYTES) {
          // The consumer is done with the block when it asks for the next: reuse its memory.
          yield new Uint8Array(buffer);
          filled = 0;
        }
        if (done) {
          if (filled > 0) yield new Uint8Array(buffer, 0, filled);
          return;
        }
      }
    } finally {
      byob.releaseLock();
    }
  }
  let block = new Uint8Array(CHUNK_BYTES);
  let filled = 0;
  for await (const bytes of body) {
    let offset = 0;
    while (offset < bytes.length) {
      const n = Math.min(CHUNK_BYTES - filled, bytes.length - offset);
      block.set(bytes.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === CHUNK_BYTES) {
        yield block;
        block = new Uint8Array(CHUNK_BYTES);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield block.subarray(0, filled);
}

/** One chunk read of a byte range: which chunk, and which of its bytes [from, to). */
export interface ChunkRead {
  dataId: string;
  seq: number;
  from: number;
  to: number;
}

/** The chunk reads that make bytes [start, end] (inclusive) of the concatenated segments, in order. */
export function* chunkReads(segments: readonly DataSegment[], start: number, end: number): Generator<ChunkRead> {
  let segmentStart = 0;
  for (const { dataId, size } of segments) {
    const segmentEnd = segmentStart + size - 1;
    if (segmentEnd >= start && segmentStart <= end) {
      const first = Math.max(start, segmentStart) - segmentStart;
      const last = Math.min(end, segmentEnd) - segmentStart;
      for (let seq = Math.floor(first / CHUNK_BYTES); seq * CHUNK_BYTES <= last; seq++) {
        const chunkStart = seq * CHUNK_BYTES;
        yield {
          dataId,
          seq,
          from: Math.max(first, chunkStart) - chunkStart,
          to: Math.min(last, chunkStart + CHUNK_BYTES - 1) - chunkStart + 1,
        };
      }
    }
    segmentStart += size;
    if (segmentStart > end) return;
  }
}

/** The runtime's native digests by their S3 names: several times faster than any JavaScript MD5 or SHA. */
const NATIVE: Partial<Record<ChecksumAlgorithm | "MD5", string>> = { MD5: "MD5", SHA1: "SHA-1", SHA256: "SHA-256" };

/** MD5 (the ETag) and the hashes by the runtime's DigestStream, the CRCs in TypeScript: one pass. */
class RuntimeDigests {
  readonly #crcs: BodyDigests;
  readonly #native = new Map<string, { stream: DigestStream; writer: WritableStreamDefaultWriter<ArrayBufferView> }>();
  size = 0;

  constructor(private readonly options: WriteOptions) {
    this.#crcs = new BodyDigests(
      options.algorithms.filter((a) => !NATIVE[a]),
      false,
      false,
    );
    const native = new Set<string>(["MD5", ...options.algorithms.filter((a) => NATIVE[a])]);
    if (options.payloadSha256) native.add("SHA256");
    for (const name of native) {
      const stream = new crypto.DigestStream(NATIVE[name as "MD5"]!);
      this.#native.set(name, { stream, writer: stream.getWriter() });
    }
  }

  async update(block: Uint8Array): Promise<void> {
    this.size += block.length;
    this.#crcs.update(block);
    for (const { writer } of this.#native.values()) await writer.write(block);
  }

  async finish(): Promise<Omit<WrittenData, "dataId">> {
    const native: Record<string, Uint8Array> = {};
    for (const [name, { stream, writer }] of this.#native) {
      await writer.close();
      native[name] = new Uint8Array(await stream.digest);
    }
    const checksums = { ...this.#crcs.finish().checksums };
    for (const a of this.options.algorithms) if (NATIVE[a]) checksums[a] = toBase64(native[a]!);
    return {
      size: this.size,
      md5Hex: hex(native.MD5!),
      checksums,
      ...(this.options.payloadSha256 ? { sha256Hex: hex(native.SHA256!) } : {}),
    };
  }
}
