/**
 * Durable Object names, from one function, so every caller reaches the same object for a resource.
 * Queues are per (account, region, name); catalogs per (account, region).
 */
import type { CatalogObject } from "./catalog-object";
import type { QueueObject } from "./queue-object";
import type { ShardObject } from "./shard-object";
import type { StreamObject } from "./stream-object";
import type { SnsAccountObject } from "./sns-account-object";
import type { TopicObject } from "./topic-object";

export interface ResourceName {
  account: string;
  region: string;
  kind: "queue" | "catalog" | "topic" | "sns-account" | "stream" | "shard";
  name?: string;
}

export const objectName = ({ account, region, kind, name }: ResourceName): string =>
  name === undefined ? `${kind}:${account}:${region}` : `${kind}:${account}:${region}:${name}`;

export function queueObject(env: Env, ref: { account: string; region: string; name: string }): DurableObjectStub<QueueObject> {
  return env.QUEUE.getByName(objectName({ ...ref, kind: "queue" })) as DurableObjectStub<QueueObject>;
}

export function catalogObject(env: Env, account: string, region: string): DurableObjectStub<CatalogObject> {
  return env.CATALOG.getByName(objectName({ account, region, kind: "catalog" })) as DurableObjectStub<CatalogObject>;
}

export function topicObject(env: Env, ref: { account: string; region: string; name: string }): DurableObjectStub<TopicObject> {
  return env.TOPIC.getByName(objectName({ ...ref, kind: "topic" })) as DurableObjectStub<TopicObject>;
}

export function snsAccountObject(env: Env, account: string, region: string): DurableObjectStub<SnsAccountObject> {
  return env.SNS_ACCOUNT.getByName(objectName({ account, region, kind: "sns-account" })) as DurableObjectStub<SnsAccountObject>;
}

export function streamObject(env: Env, ref: { account: string; region: string; name: string }): DurableObjectStub<StreamObject> {
  return env.STREAM.getByName(objectName({ ...ref, kind: "stream" })) as DurableObjectStub<StreamObject>;
}

/**
 * One object per shard of one incarnation of a stream: `createdAt` (the stream's creation time in ms)
 * keeps a re-created stream from ever meeting the records of a deleted one of the same name.
 */
export function shardObject(
  env: Env,
  ref: { account: string; region: string; stream: string; createdAt: number; shardId: string },
): DurableObjectStub<ShardObject> {
  const name = `${ref.stream}/${ref.createdAt}/${ref.shardId}`;
  return env.SHARD.getByName(objectName({ account: ref.account, region: ref.region, kind: "shard", name })) as DurableObjectStub<ShardObject>;
}
