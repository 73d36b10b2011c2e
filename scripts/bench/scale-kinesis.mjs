// Kinesis at scale (`npm run bench -- --scale`): the same PutRecords load (batches of 500 × 1 KB
// records, 8 calls in flight) into streams of 1, 8 and 32 shards. Spreading a batch over more shards
// means more shard calls per request; the 32/1 ratio says what that costs (1.0: nothing).
import { createStream, kinesisClient, parallel, putBatch, timed } from "./kinesis.mjs";

const BATCH = 500;
const SHARD_COUNTS = [1, 8, 32];

/** Records/s of PutRecords into streams of 1, 8 and 32 shards, and the 32-shard rate over the 1-shard rate. */
export async function kinesisScaleWorkload(endpoint, { messages = 20000, workers = 8 } = {}) {
  const kinesis = kinesisClient(endpoint);
  const total = Math.max(BATCH, messages);
  const rates = {};
  try {
    for (const shards of SHARD_COUNTS) {
      const StreamName = await createStream(kinesis, `bench-scale-${shards}`, shards);
      const put = await timed(() => parallel(workers, total, BATCH, (start, n) => putBatch(kinesis, StreamName, start, n)));
      rates[shards] = total / put.seconds;
      await kinesis.send("DeleteStream", { StreamName, EnforceConsumerDeletion: true });
    }
    const out = {};
    for (const shards of SHARD_COUNTS)
      out[`PutRecords, ${BATCH} × 1 KB over ${shards} shard${shards === 1 ? "" : "s"}, ${workers} in flight (records/s)`] =
        rates[shards];
    out[`PutRecords over 32 shards / over 1 shard`] = rates[32] / rates[1];
    return out;
  } finally {
    kinesis.close();
  }
}
