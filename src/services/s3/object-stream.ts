/**
 * An object's bytes as the response body: a stream that asks the bucket object for one chunk at a
 * time as the client consumes (one chunk read ahead), so a slow client holds at most a few MiB here
 * and a 1 GiB GET never sits in memory.
 */
import type { DataSegment } from "../../domain/s3/contract";
import { chunkReads } from "../../durable/bucket/object-data";

interface ChunkSource {
  readChunk(dataId: string, seq: number): Promise<Uint8Array | undefined>;
}

export function objectStream(
  source: ChunkSource,
  segments: DataSegment[],
  start: number,
  end: number,
): ReadableStream<Uint8Array> {
  const reads = chunkReads(segments, start, end);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = reads.next();
        if (next.done) {
          controller.close();
          return;
        }
        const { dataId, seq, from, to } = next.value;
        const chunk = await source.readChunk(dataId, seq);
        if (!chunk || chunk.length < to) {
          controller.error(new Error(`chunk ${seq} of data ${dataId} is gone`));
          return;
        }
        controller.enqueue(from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to));
      },
    },
    { highWaterMark: 1 },
  );
}
