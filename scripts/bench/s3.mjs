// S3 workloads, run the same way against this service and s3rver: PUT and GET of 4 KiB and 1 MiB
// objects with 8 clients, and ListObjectsV2 paging through 10,000 keys. The client is the real
// @aws-sdk/client-s3 (path-style). s3rver predates flexible checksums, so both systems get the
// checksums only when required (`WHEN_REQUIRED`: the same bytes on the wire for both); this service
// also serves the SDK's default (CRC32 trailers), measured on its own line.
import { Agent } from "node:http";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, CreateBucketCommand } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export function s3Client(endpoint, { defaultChecksums = false, workers = 8 } = {}) {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    // s3rver knows one key pair only; this service accepts any locally.
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    ...(defaultChecksums ? {} : { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }),
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: workers }) }),
  });
}

async function parallel(workers, total, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) await fn(next++);
    }),
  );
}

async function rate(count, fn) {
  const t0 = performance.now();
  await fn();
  return count / ((performance.now() - t0) / 1000);
}

const KiB = 1024;

/** Objects per second of PUT then GET of `count` objects of `size` bytes, 8 at a time. */
async function putGet(s3, Bucket, size, count, workers, label) {
  const body = Buffer.alloc(size, 0x61);
  const key = (i) => `${label}/${String(i).padStart(6, "0")}`;
  const put = await rate(count, () =>
    parallel(workers, count, (i) => s3.send(new PutObjectCommand({ Bucket, Key: key(i), Body: body }))),
  );
  const get = await rate(count, () =>
    parallel(workers, count, async (i) => {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket, Key: key(i) }));
      const bytes = await Body.transformToByteArray();
      if (bytes.length !== size) throw new Error(`GET ${key(i)}: ${bytes.length} bytes, expected ${size}`);
    }),
  );
  return { put, get };
}

export async function s3Workload(endpoint, { messages = 20000, workers = 8 } = {}) {
  const small = Math.max(200, Math.floor(messages / 10));
  const large = Math.max(20, Math.floor(messages / 200));
  const listed = messages >= 20000 ? 10000 : 2000;
  const s3 = s3Client(endpoint, { workers });
  const Bucket = `bench-${Date.now().toString(36)}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  const out = {};
  const kib4 = await putGet(s3, Bucket, 4 * KiB, small, workers, "small");
  out["PUT 4 KiB, 8 clients (objects/s)"] = kib4.put;
  out["GET 4 KiB, 8 clients (objects/s)"] = kib4.get;
  const mib = await putGet(s3, Bucket, 1024 * KiB, large, workers, "large");
  out["PUT 1 MiB, 8 clients (objects/s)"] = mib.put;
  out["GET 1 MiB, 8 clients (objects/s)"] = mib.get;

  // ListObjectsV2 over `listed` keys: fill (not measured), then page through them all.
  const body = Buffer.from("x");
  await parallel(workers, listed, (i) =>
    s3.send(new PutObjectCommand({ Bucket, Key: `list/${String(i).padStart(6, "0")}`, Body: body })),
  );
  out[`ListObjectsV2 over ${listed} keys (keys/s)`] = await rate(listed, async () => {
    let ContinuationToken;
    let seen = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "list/", ContinuationToken }));
      seen += page.KeyCount ?? 0;
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    if (seen !== listed) throw new Error(`listed ${seen} keys, expected ${listed}`);
  });
  s3.destroy();
  return out;
}

/** This service only: PUT 4 KiB with the SDK's default checksums (CRC32, aws-chunked where it streams). */
export async function s3DefaultChecksumsWorkload(endpoint, { messages = 20000, workers = 8 } = {}) {
  const count = Math.max(200, Math.floor(messages / 10));
  const s3 = s3Client(endpoint, { workers, defaultChecksums: true });
  const Bucket = `bench-crc-${Date.now().toString(36)}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  const { put } = await putGet(s3, Bucket, 4 * KiB, count, workers, "crc");
  s3.destroy();
  return { "PUT 4 KiB, SDK default checksums (objects/s)": put };
}
