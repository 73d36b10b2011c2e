// Amazon Data Firehose end to end: PutRecordBatch calls of 500 records of 1 KB from 8 clients into a
// delivery stream with an S3 destination, timed from the first call until every byte is listed in
// the bucket (accepted → delivered → object listed). Two buffering settings: none (IntervalInSeconds
// 0: each batch becomes objects at once) and AWS's usual 5 MiB buffer (the tail, under 5 MiB, is
// flushed by the developer route once every put has been answered). No other emulator delivers
// Firehose data, so the lines are read against this service's own Kinesis PutRecords rate and the floor.
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { loadClient } from "./http.mjs";
import { parallel } from "./kinesis.mjs";
import { s3Client } from "./s3.mjs";

const RECORD_BYTES = 1024;
const BATCH = 500;

export function firehoseWorkloadClient(endpoint) {
  return loadClient(endpoint, {
    signingName: "firehose",
    headers: (action) => ({ "content-type": "application/x-amz-json-1.1", "x-amz-target": `Firehose_20150804.${action}` }),
    encode: (_action, input) => JSON.stringify(input),
    decode: (text) => (text ? JSON.parse(text) : {}),
  });
}

async function listedBytes(s3, Bucket) {
  let bytes = 0;
  let ContinuationToken;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
    for (const o of page.Contents ?? []) bytes += o.Size;
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return bytes;
}

async function createStream(firehose, name, BucketARN, hints) {
  await firehose.send("CreateDeliveryStream", {
    DeliveryStreamName: name,
    ExtendedS3DestinationConfiguration: { RoleARN: "arn:aws:iam::000000000000:role/bench", BucketARN, BufferingHints: hints },
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { DeliveryStreamDescription } = await firehose.send("DescribeDeliveryStream", { DeliveryStreamName: name });
    if (DeliveryStreamDescription.DeliveryStreamStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`delivery stream ${name} did not become ACTIVE`);
}

/** Seconds from the first PutRecordBatch until `total` records are listed in the bucket. */
async function endToEnd(endpoint, { records, workers }, label, hints, flushAtEnd) {
  const firehose = firehoseWorkloadClient(endpoint);
  const s3 = s3Client(endpoint, { workers });
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const Bucket = `bench-firehose-${label}-${suffix}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  const name = `bench-${label}-${suffix}`;
  await createStream(firehose, name, `arn:aws:s3:::${Bucket}`, hints);
  const batch = Array.from({ length: BATCH }, (_, i) => ({
    Data: Buffer.alloc(RECORD_BYTES, 0x61 + (i % 26)).toString("base64"),
  }));
  const t0 = performance.now();
  await parallel(workers, records, BATCH, async (_start, n) => {
    const out = await firehose.send("PutRecordBatch", {
      DeliveryStreamName: name,
      Records: n === BATCH ? batch : batch.slice(0, n),
    });
    if (out.FailedPutCount) throw new Error(`PutRecordBatch: ${out.FailedPutCount} failed`);
  });
  if (flushAtEnd) {
    const flushed = await fetch(`${endpoint}/_aws/firehose/delivery-streams/${name}/flush`, { method: "POST" });
    if (!flushed.ok) throw new Error(`flush: ${flushed.status}`);
  }
  const expected = records * RECORD_BYTES;
  const deadline = Date.now() + 120_000;
  while ((await listedBytes(s3, Bucket)) < expected) {
    if (Date.now() > deadline) throw new Error(`${label}: not every record reached S3 within 120 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return (performance.now() - t0) / 1000;
}

export async function firehoseWorkload(endpoint, opts) {
  const records = opts.messages;
  const unbuffered = await endToEnd(
    endpoint,
    { records, workers: opts.workers },
    "zero",
    { SizeInMBs: 1, IntervalInSeconds: 0 },
    false,
  );
  const buffered = await endToEnd(
    endpoint,
    { records, workers: opts.workers },
    "5mib",
    { SizeInMBs: 5, IntervalInSeconds: 300 },
    true,
  );
  const MB = 1e6;
  return {
    "Firehose PutRecordBatch → S3, no buffering (records/s)": records / unbuffered,
    "Firehose PutRecordBatch → S3, no buffering (MB/s)": (records * RECORD_BYTES) / MB / unbuffered,
    "Firehose PutRecordBatch → S3, 5 MiB buffer (records/s)": records / buffered,
    "Firehose PutRecordBatch → S3, 5 MiB buffer (MB/s)": (records * RECORD_BYTES) / MB / buffered,
  };
}
