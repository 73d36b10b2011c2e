/**
 * Durable Object names, from one function, so every caller reaches the same object for a resource.
 * Queues are per (account, region, name); catalogs per (account, region). Stubs are typed by the
 * bindings in worker-configuration.d.ts, so this module imports no object class (no import cycle).
 */

export interface ResourceName {
  account: string;
  region: string;
  kind: "queue" | "catalog" | "topic" | "sns-account" | "stream" | "shard" | "delivery-stream" | "table";
  name?: string;
}

export const objectName = ({ account, region, kind, name }: ResourceName): string =>
  name === undefined ? `${kind}:${account}:${region}` : `${kind}:${account}:${region}:${name}`;

export function queueObject(env: Env, ref: { account: string; region: string; name: string }) {
  return env.QUEUE.getByName(objectName({ ...ref, kind: "queue" }));
}

export function catalogObject(env: Env, account: string, region: string) {
  return env.CATALOG.getByName(objectName({ account, region, kind: "catalog" }));
}

export function topicObject(env: Env, ref: { account: string; region: string; name: string }) {
  return env.TOPIC.getByName(objectName({ ...ref, kind: "topic" }));
}

export function snsAccountObject(env: Env, account: string, region: string) {
  return env.SNS_ACCOUNT.getByName(objectName({ account, region, kind: "sns-account" }));
}

export function streamObject(env: Env, ref: { account: string; region: string; name: string }) {
  return env.STREAM.getByName(objectName({ ...ref, kind: "stream" }));
}

/**
 * One object per shard of one incarnation of a stream: `createdAt` (the stream's creation time in ms)
 * keeps a re-created stream from ever meeting the records of a deleted one of the same name.
 */
export function shardObject(
  env: Env,
  ref: { account: string; region: string; stream: string; createdAt: number; shardId: string },
) {
  const name = `${ref.stream}/${ref.createdAt}/${ref.shardId}`;
  return env.SHARD.getByName(objectName({ account: ref.account, region: ref.region, kind: "shard", name }));
}

/** The single object holding the SNS signing key of the whole deployment. */
export const signingKeyObject = (env: Env) => env.SIGNING.getByName("signing");

/** One object per S3 bucket, by the bucket's name alone: bucket names are global in a deployment. */
export const bucketObject = (env: Env, bucket: string) => env.BUCKET.getByName(`bucket:${bucket}`);

/** The list of an account's S3 buckets (ListBuckets), whatever their regions. */
export const s3AccountObject = (env: Env, account: string) => env.S3_ACCOUNT.getByName(`s3-account:${account}`);

/** One object per Firehose delivery stream, per (account, region, name). */
export function deliveryStreamObject(env: Env, ref: { account: string; region: string; name: string }) {
  return env.DELIVERY_STREAM.getByName(objectName({ ...ref, kind: "delivery-stream" }));
}

/** One object per DynamoDB table, per (account, region, name). */
export function tableObject(env: Env, ref: { account: string; region: string; name: string }) {
  return env.TABLE.getByName(objectName({ ...ref, kind: "table" }));
}
