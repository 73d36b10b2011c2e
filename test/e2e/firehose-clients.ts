/**
 * The real @aws-sdk/client-firehose (AWS JSON 1.1 over HTTP/1.1) against the Worker, and helpers the
 * Firehose suites share: create a delivery stream and wait for ACTIVE, flush it through the developer
 * route, read what it delivered back with @aws-sdk/client-s3. Each file uses its own account.
 */
import * as firehose from "@aws-sdk/client-firehose";
import { credentials, endpoint } from "./clients";
import { sleep } from "./helpers";
import { s3, s3Client } from "./s3-clients";
import { uniqueAccount } from "./sns-clients";

export { firehose, uniqueAccount };

export function firehoseClient(options: { accessKeyId?: string; region?: string; endpoint?: string } = {}) {
  return new firehose.FirehoseClient({
    endpoint: options.endpoint ?? endpoint(),
    region: options.region ?? "us-east-1",
    credentials: { ...credentials, accessKeyId: options.accessKeyId ?? credentials.accessKeyId },
    maxAttempts: 1,
  });
}

export const roleArn = (account: string) => `arn:aws:iam::${account}:role/firehose-role`;

/** Creates a delivery stream and waits until DescribeDeliveryStream says ACTIVE. */
export async function createActive(
  client: firehose.FirehoseClient,
  input: firehose.CreateDeliveryStreamCommandInput,
): Promise<firehose.DeliveryStreamDescription> {
  await client.send(new firehose.CreateDeliveryStreamCommand(input));
  return waitForStatus(client, input.DeliveryStreamName!, "ACTIVE");
}

export async function waitForStatus(
  client: firehose.FirehoseClient,
  name: string,
  status: string,
  timeoutMs = 10_000,
): Promise<firehose.DeliveryStreamDescription> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = (await client.send(new firehose.DescribeDeliveryStreamCommand({ DeliveryStreamName: name })))
      .DeliveryStreamDescription!;
    if (d.DeliveryStreamStatus === status) return d;
    if (Date.now() > until) throw new Error(`${name} is ${d.DeliveryStreamStatus}, not ${status}`);
    await sleep(100);
  }
}

export interface DeliveryStats {
  name: string;
  status: string;
  versionId: number;
  buffered: { records: number; bytes: number; oldestArrival?: number };
  batches: {
    id: number;
    stage: string;
    records: number;
    attempts: number;
    lastError?: string;
    lastErrorCode?: string;
    key?: string;
  }[];
  counters: Record<string, number>;
  lastError?: { at: number; code: string; message: string };
}

const routeUrl = (name: string, account: string, suffix = "", base = endpoint()) =>
  `${base}/_aws/firehose/delivery-streams/${encodeURIComponent(name)}${suffix}?account=${account}&region=us-east-1`;

/** Delivers everything buffered and every pending batch now (the developer route). */
export async function flush(name: string, account: string, base?: string): Promise<DeliveryStats> {
  const response = await fetch(routeUrl(name, account, "/flush", base), { method: "POST" });
  if (response.status !== 200) throw new Error(`flush: ${response.status} ${await response.text()}`);
  return (await response.json()) as DeliveryStats;
}

export async function stats(name: string, account: string, base?: string): Promise<DeliveryStats> {
  const response = await fetch(routeUrl(name, account, "", base));
  if (response.status !== 200) throw new Error(`stats: ${response.status} ${await response.text()}`);
  return (await response.json()) as DeliveryStats;
}

/** Every object of a bucket (under a prefix), with its bytes, in key order. */
export async function objectsOf(
  bucket: string,
  prefix = "",
  client = s3Client(),
): Promise<{ key: string; body: Buffer; contentType?: string }[]> {
  const listed = await client.send(new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const out = [];
  for (const o of listed.Contents ?? []) {
    const got = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: o.Key }));
    out.push({ key: o.Key!, body: Buffer.from(await got.Body!.transformToByteArray()), contentType: got.ContentType });
  }
  return out;
}

/** Waits until `fn` returns a truthy value (deliveries driven by the object's alarm). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await sleep(100);
  }
}
