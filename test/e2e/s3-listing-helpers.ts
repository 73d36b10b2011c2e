/**
 * Helpers of the listing and copy/delete end-to-end tests: a bucket filled with keys (in parallel),
 * and a raw signed request for the cases where the SDK would hide the wire (element order, a body
 * without Content-MD5).
 */
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { credentials, endpoint } from "./clients";
import { bucketName, s3, s3Client } from "./s3-clients";

export async function filledBucket(base: string, keys: readonly string[], body = "hello world", concurrency = 24) {
  const client = s3Client();
  const Bucket = bucketName(base);
  await client.send(new s3.CreateBucketCommand({ Bucket }));
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const Key = keys[next++]!;
      await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: body }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Bucket;
}

/** A path-style request signed with SigV4 (service s3), its body hashed as x-amz-content-sha256. */
export async function signedRequest(
  method: string,
  path: string,
  options: { query?: Record<string, string>; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  const url = new URL(path, endpoint());
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const signer = new SignatureV4({ service: "s3", region: "us-east-1", credentials, sha256: Sha256, uriEscapePath: false });
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, ...(options.headers ?? {}) },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return fetch(url, { method, headers: signed.headers, ...(options.body === undefined ? {} : { body: options.body }) });
}
