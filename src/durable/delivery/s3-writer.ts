/**
 * Writes one Firehose object into a bucket of this deployment's S3, over the bucket object's RPC: the
 * body is streamed (a batch may hold up to 128 MiB) unless it is small enough for one message.
 */
import { etagOf } from "../../domain/s3/checksums";
import { bucketObject } from "../names";

/** Bodies up to this size travel in the RPC message itself (as S3 PutObject does, services/s3/new-object.ts). */
const INLINE_BYTES = 1024 * 1024;
const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * 1024;

export type S3WriteOutcome = { ok: true; size: number } | { ok: false; code: string; message: string };

const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));

/** Puts `chunks` (produced lazily) as `key`; `size` is a hint to choose between inline and streamed. */
export async function writeS3Object(
  env: Env,
  target: { bucket: string; account: string },
  key: string,
  chunks: AsyncIterable<Uint8Array>,
  sizeHint: number,
  contentEncoding?: string,
): Promise<S3WriteOutcome> {
  const stub = bucketObject(env, target.bucket);
  const access = { account: target.account, strict: false };
  let body: Uint8Array | ReadableStream<Uint8Array>;
  if (sizeHint <= INLINE_BYTES) {
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    body = concat(parts);
  } else {
    const iterator = chunks[Symbol.asyncIterator]();
    body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
    });
  }
  const written = await stub.writeData(access, body, { algorithms: [], payloadSha256: false, maxBytes: MAX_OBJECT_BYTES });
  if (!written.ok) return { ok: false, code: `S3.${written.error.code}`, message: written.error.message };
  const data = written.value;
  const headers: Record<string, string> = { "content-type": "application/octet-stream" };
  if (contentEncoding) headers["content-encoding"] = contentEncoding;
  const stored = await stub.putObject(access, {
    key,
    size: data.size,
    etag: etagOf(fromHex(data.md5Hex)),
    headers,
    metadata: {},
    checksums: {},
    tags: [],
    segments: [{ dataId: data.dataId, size: data.size }],
  });
  if (!stored.ok) {
    await stub.discardData(data.dataId);
    return { ok: false, code: `S3.${stored.error.code}`, message: stored.error.message };
  }
  return { ok: true, size: data.size };
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Gzips a sequence of chunks as they are produced. */
export async function* gzipped(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const stream = new CompressionStream("gzip");
  const writer = stream.writable.getWriter();
  const pump = (async () => {
    for await (const chunk of chunks) await writer.write(chunk);
    await writer.close();
  })();
  const reader = stream.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    yield value;
  }
  await pump;
}
