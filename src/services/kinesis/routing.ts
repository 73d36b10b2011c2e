/**
 * The data plane's view of a stream: its StreamRouting (status, incarnation, shards and hash ranges)
 * from the StreamObject, with the open shards' ranges parsed for lookups.
 *
 * An ACTIVE stream's routing is kept briefly in module memory (plain data, never a promise: workerd
 * cancels a request that waits on another request's I/O). That is safe because every change that
 * matters for routing shows at the shard: a split/merge closes the shard (it answers "closed"), a
 * deletion destroys it ("gone"); on either answer the caller calls `forgetRouting` and fetches afresh.
 * Anything else the cache might hold stale for a moment (a raised MaxRecordSizeInKiB) is re-checked
 * against fresh routing before a request is refused for it.
 */
import { streamObject } from "../../durable/names";
import type { StreamRouting } from "../../domain/kinesis/contract";
import { fail, ok, type ErrorInfo, type Result } from "../../domain/errors";
import type { KinesisContext } from "./context";
import { streamNotFound } from "../../domain/kinesis/errors";
import { openRanges, type ShardRange } from "../../domain/kinesis/hash-keys";
import type { StreamRef } from "../../domain/kinesis/names";

const CACHE_MS = 250;
const MAX_ENTRIES = 1000;

export interface Routing {
  routing: StreamRouting;
  /** Open shards by hash range, sorted for binary search. */
  ranges: ShardRange[];
  /** Every shard by id, open and closed. */
  byId: Map<string, StreamRouting["shards"][number]>;
  fetchedAt: number;
}

const cache = new Map<string, Routing>();

const keyOf = (ref: StreamRef): string => `${ref.account}/${ref.region}/${ref.name}`;

/**
 * The stream's routing; ResourceNotFoundException (`Stream X under account Y not found.`, or the
 * caller's own wording through `notFound`) when it does not exist or is not readable/writable yet.
 */
export async function streamRouting(
  ctx: KinesisContext,
  ref: StreamRef,
  options: { fresh?: boolean; notFound?: () => ErrorInfo } = {},
): Promise<Result<Routing>> {
  const key = keyOf(ref);
  const cached = options.fresh ? undefined : cache.get(key);
  if (cached && ctx.now - cached.fetchedAt < CACHE_MS && ctx.now >= cached.fetchedAt) return ok(cached);
  const notFound = () => fail(options.notFound?.() ?? streamNotFound(ref.name, ref.account));
  const result = await streamObject(ctx.env, ref).routing();
  if (!result.ok) {
    cache.delete(key);
    return result.error.code === "ResourceNotFoundException" ? notFound() : result;
  }
  const routing = result.value;
  // CREATING streams have no readable or writable shards yet; DELETING ones have none any more.
  if (routing.status !== "ACTIVE" && routing.status !== "UPDATING") {
    cache.delete(key);
    return notFound();
  }
  const entry: Routing = {
    routing,
    ranges: openRanges(routing.shards),
    byId: new Map(routing.shards.map((shard) => [shard.shardId, shard])),
    fetchedAt: ctx.now,
  };
  if (routing.status === "ACTIVE") {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, entry);
  } else {
    cache.delete(key);
  }
  return ok(entry);
}

/** A shard answered "closed" or "gone": the next lookup asks the StreamObject again. */
export function forgetRouting(ref: StreamRef): void {
  cache.delete(keyOf(ref));
}
