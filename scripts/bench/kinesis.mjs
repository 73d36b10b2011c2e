// Kinesis Data Streams workloads, run the same way against every system: PutRecords in batches of
// 500 records of 1 KB into a 4-shard stream, GetRecords reading all of it back (the 4 shards in
// parallel), and single PutRecord calls with 32 in flight. Rates are records per second.
import { loadClient } from "./http.mjs";

/** Kinesis over AWS JSON 1.1, as @aws-sdk/client-kinesis sends it. */
export function kinesisClient(endpoint) {
  return loadClient(endpoint, {
    signingName: "kinesis",
    headers: (action) => ({ "content-type": "application/x-amz-json-1.1", "x-amz-target": `Kinesis_20131202.${action}` }),
    encode: (_action, input) => JSON.stringify(input),
    decode: (text) => (text ? JSON.parse(text) : {}),
  });
}

const RECORD_BYTES = 1024;
const SHARDS = 4;
const BATCH = 500;

/** 1 KB of data, starting with the record's number so that reading back can check it. */
function recordData(i) {
  const data = Buffer.alloc(RECORD_BYTES, 0x61 + (i % 26));
  data.write(`record ${i} `, 0, "latin1");
  return data.toString("base64");
}

export async function timed(fn) {
  const t0 = performance.now();
  const result = await fn();
  return { seconds: (performance.now() - t0) / 1000, result };
}

/** Creates a stream of `shards` shards and waits until it is ACTIVE (bounded: 60 s). */
export async function createStream(kinesis, prefix, shards = SHARDS) {
  const StreamName = `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await kinesis.send("CreateStream", { StreamName, ShardCount: shards });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { StreamDescriptionSummary } = await kinesis.send("DescribeStreamSummary", { StreamName });
    if (StreamDescriptionSummary.StreamStatus === "ACTIVE") return StreamName;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`stream ${StreamName} did not become ACTIVE`);
}

/** Runs fn over [0, total) in steps of `step`, `inFlight` calls at a time. */
export async function parallel(inFlight, total, step, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        const start = next;
        next += step;
        await fn(start, Math.min(step, total - start));
      }
    }),
  );
}

/** PutRecords of `n` records from `start`; failed entries (throttling) are retried, a bounded number of times. */
export async function putBatch(kinesis, StreamName, start, n) {
  let entries = Array.from({ length: n }, (_, k) => ({ Data: recordData(start + k), PartitionKey: `pk-${start + k}` }));
  for (let attempt = 0; entries.length; attempt++) {
    if (attempt === 10) throw new Error(`PutRecords: ${entries.length} records still failing after 10 attempts`);
    const { FailedRecordCount, Records } = await kinesis.send("PutRecords", { StreamName, Records: entries });
    if (!FailedRecordCount) return;
    entries = entries.filter((_, k) => Records[k].ErrorCode);
  }
}

/** Reads every shard from TRIM_HORIZON to its end (shards in parallel) and checks what came back. */
async function readAll(kinesis, StreamName, expected) {
  const { Shards } = await kinesis.send("ListShards", { StreamName });
  const seen = new Set();
  let bad = 0;
  let calls = 0;
  await Promise.all(
    Shards.map(async ({ ShardId }) => {
      let { ShardIterator } = await kinesis.send("GetShardIterator", { StreamName, ShardId, ShardIteratorType: "TRIM_HORIZON" });
      let empty = 0;
      while (ShardIterator && seen.size < expected && empty < 20) {
        const out = await kinesis.send("GetRecords", { ShardIterator, Limit: 10000 });
        calls++;
        ShardIterator = out.NextShardIterator;
        if (!out.Records.length) {
          if (!out.MillisBehindLatest) break;
          empty++;
          continue;
        }
        for (const r of out.Records) {
          const data = Buffer.from(r.Data, "base64");
          const i = Number(/^record (\d+) /.exec(data.toString("latin1", 0, 20))?.[1]);
          if (data.length !== RECORD_BYTES || `pk-${i}` !== r.PartitionKey) bad++;
          seen.add(i);
        }
      }
    }),
  );
  return { read: seen.size, bad, calls };
}

/** PutRecords (batches of 500 × 1 KB, `workers` calls in flight), then GetRecords reading it all back. */
export async function putRecordsWorkload(endpoint, { messages, workers }) {
  const kinesis = kinesisClient(endpoint);
  try {
    const StreamName = await createStream(kinesis, "bench-batch");
    const put = await timed(() => parallel(workers, messages, BATCH, (start, n) => putBatch(kinesis, StreamName, start, n)));
    const get = await timed(() => readAll(kinesis, StreamName, messages));
    const { read, bad } = get.result;
    if (read !== messages || bad) console.error(`  ${endpoint}: read back ${read} of ${messages} records, ${bad} damaged`);
    return {
      [`PutRecords, ${BATCH} × 1 KB, ${workers} in flight (records/s)`]: messages / put.seconds,
      [`GetRecords, read back ${SHARDS} shards (records/s)`]: read / get.seconds,
    };
  } finally {
    kinesis.close();
  }
}

/** PutRecord of `count` single 1 KB records, 32 calls in flight. */
export async function putRecordWorkload(endpoint, { messages, inFlight = 32 }) {
  const kinesis = kinesisClient(endpoint);
  const count = Math.max(inFlight, Math.floor(messages / 2));
  try {
    const StreamName = await createStream(kinesis, "bench-single");
    const put = await timed(() =>
      parallel(inFlight, count, 1, (i) =>
        kinesis.send("PutRecord", { StreamName, Data: recordData(i), PartitionKey: `pk-${i}` }),
      ),
    );
    return { [`PutRecord, ${inFlight} in flight (records/s)`]: count / put.seconds };
  } finally {
    kinesis.close();
  }
}
