/**
 * Durable Object names, from one function, so every caller reaches the same object for a resource.
 * Queues are per (account, region, name); catalogs per (account, region).
 */
import type { CatalogObject } from "./catalog-object";
import type { QueueObject } from "./queue-object";

export interface ResourceName {
  account: string;
  region: string;
  kind: "queue" | "catalog";
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
