/**
 * S3 clients for the end-to-end tests: @aws-sdk/client-s3 in its default configuration (flexible
 * checksums, aws-chunked bodies with a CRC32 trailer), path-style; and virtual-hosted style, where
 * every host name resolves to the loopback address (glibc does not promise `*.localhost`), so the
 * request carries `Host: <bucket>.localhost:<port>` as a real client's would.
 */
import { Agent } from "node:http";
import * as s3 from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, beforeAll } from "vitest";
import { credentials, endpoint, uniqueName } from "./clients";

export { s3 };

export function s3Client(options: { accessKeyId?: string; region?: string; endpoint?: string } = {}) {
  return new s3.S3Client({
    endpoint: options.endpoint ?? endpoint(),
    region: options.region ?? "us-east-1",
    credentials: { ...credentials, accessKeyId: options.accessKeyId ?? credentials.accessKeyId },
    forcePathStyle: true,
    maxAttempts: 1,
  });
}

/** Virtual-hosted addressing against `http://localhost:<port>`: the SDK puts the bucket in the host. */
export function virtualHostedClient(options: { region?: string } = {}) {
  const port = new URL(endpoint()).port;
  const lookup = (_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    options.all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4);
  const agent = new Agent({ lookup } as unknown as ConstructorParameters<typeof Agent>[0]);
  return new s3.S3Client({
    endpoint: `http://localhost:${port}`,
    region: options.region ?? "us-east-1",
    credentials,
    forcePathStyle: false,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: agent }),
  });
}

/** Bucket names unique per run and valid for S3 (lower case, ≤ 63 characters). */
export const bucketName = (base: string): string => uniqueName(base).toLowerCase().slice(0, 63);

/** Runs `fn` expecting an S3 error; returns its code, message, status and the error's extra fields. */
export async function s3Error(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (e) {
    const err = e as Record<string, unknown> & { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { ...err, name: err.name, message: err.message, status: err.$metadata?.httpStatusCode } as Record<string, unknown> & {
      name: string;
      message: string;
      status?: number;
    };
  }
  throw new Error("expected an S3 error, but the call succeeded");
}

/**
 * One bucket for a describe block: created before its tests, emptied and deleted after them (what
 * is left of a failed test included).
 */
export function bucketForSuite(client: s3.S3Client, base: string): string {
  const Bucket = bucketName(base);
  beforeAll(async () => {
    await client.send(new s3.CreateBucketCommand({ Bucket }));
  });
  afterAll(async () => {
    const listed = await client.send(new s3.ListObjectsV2Command({ Bucket })).catch(() => undefined);
    for (const o of listed?.Contents ?? []) await client.send(new s3.DeleteObjectCommand({ Bucket, Key: o.Key }));
    await client.send(new s3.DeleteBucketCommand({ Bucket })).catch(() => {});
  });
  return Bucket;
}
