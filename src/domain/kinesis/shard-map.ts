/**
 * The shard map of a stream: hash ranges over the 128-bit key space (decimal strings, computed with
 * BigInt), shard ids, and which shards a ListShards filter selects. Pure functions: no storage.
 */
import { fail, ok, type Result } from "../errors";
import { sequenceNumber, shardIdOf, shardIndexOf } from "./sequence-numbers";
import type { ShardInfo } from "./contract";
import { resourceNotFound } from "./errors";
import type { StreamRef } from "./names";

export const HASH_KEY_SPACE = 2n ** 128n;
export const MAX_HASH_KEY = HASH_KEY_SPACE - 1n;

export interface HashRange {
  start: bigint;
  end: bigint;
}

/**
 * N even ranges as AWS splits a new stream: shard i starts at ⌊i·2^128/N⌋; the last ends at 2^128−1.
 */
export function evenHashRanges(count: number): HashRange[] {
  const n = BigInt(count);
  // Boundary i is ⌊i·2^128/n⌋ (not i·⌊2^128/n⌋), the same cut UpdateShardCount's uniform scaling makes,
  // so scaling a fresh stream back to its own count never creates one-key slivers.
  const boundary = (i: number) => (BigInt(i) * HASH_KEY_SPACE) / n;
  return Array.from({ length: count }, (_, i) => ({
    start: boundary(i),
    end: i === count - 1 ? MAX_HASH_KEY : boundary(i + 1) - 1n,
  }));
}

/** A new open shard: its StartingSequenceNumber encodes its creation time and index. */
export function newShard(
  index: number,
  range: { start: bigint | string; end: bigint | string },
  createdAt: number,
  parents: { parent?: number; adjacentParent?: number } = {},
): ShardInfo {
  return {
    shardId: shardIdOf(index),
    parentShardId: parents.parent === undefined ? undefined : shardIdOf(parents.parent),
    adjacentParentShardId: parents.adjacentParent === undefined ? undefined : shardIdOf(parents.adjacentParent),
    startingHashKey: range.start.toString(),
    endingHashKey: range.end.toString(),
    startingSequenceNumber: sequenceNumber({ shardCreatedAt: createdAt, shardIndex: index, seq: 0, recordAt: createdAt }),
    createdAt,
  };
}

export const initialShards = (count: number, createdAt: number): ShardInfo[] =>
  evenHashRanges(count).map((range, i) => newShard(i, range, createdAt));

export const isOpen = (shard: ShardInfo): boolean => shard.endingSequenceNumber === undefined;

/**
 * Shards a client can still see: open ones, and closed ones whose records have not all expired yet
 * (AWS drops a closed shard from DescribeStream and ListShards once the retention period has passed).
 */
export const liveShards = (shards: ShardInfo[], retentionHours: number, now: number): ShardInfo[] =>
  shards.filter((s) => s.closedAt === undefined || s.closedAt + retentionHours * 3_600_000 > now);

export const indexOf = (shard: ShardInfo): number => shardIndexOf(shard.shardId) ?? -1;

/**
 * A shard id as clients may write it: `shardId-000000000001`, `shardId-1` or `1` (AWS and kinesalite
 * accept the short forms). Undefined when it names no index.
 */
export function resolveShardIndex(text: string): number | undefined {
  const m = /^(?:shardId-)?(\d{1,20})$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The id of the shard a GetShardIterator or SubscribeToShard names, in its canonical form; AWS's
 * ResourceNotFoundException when it names no shard a stream could have (indexes are Java ints).
 */
export function requestedShardId(requested: string, stream: StreamRef): Result<string> {
  const index = resolveShardIndex(requested);
  if (index === undefined || index > 2147483647)
    return fail(resourceNotFound(`Could not find shard ${requested} in stream ${stream.name} under account ${stream.account}.`));
  return ok(shardIdOf(index));
}

/** Shards whose index is above the one `exclusiveStart` names (ids compare as their index). */
export function shardsAfter(shards: ShardInfo[], exclusiveStart: string | undefined): ShardInfo[] {
  if (exclusiveStart === undefined) return shards;
  const after = resolveShardIndex(exclusiveStart);
  if (after === undefined) return shards.filter((s) => s.shardId > exclusiveStart);
  return shards.filter((s) => indexOf(s) > after);
}

export type ShardFilterType =
  "AFTER_SHARD_ID" | "AT_TRIM_HORIZON" | "FROM_TRIM_HORIZON" | "AT_LATEST" | "AT_TIMESTAMP" | "FROM_TIMESTAMP";

export interface ShardFilter {
  type: ShardFilterType;
  shardId?: string;
  /** Epoch ms. */
  timestamp?: number;
}

/**
 * ListShards' ShardFilter (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ShardFilter.html):
 * - AT_TRIM_HORIZON: every shard still readable (closed shards whose records have all expired are not).
 * - FROM_TRIM_HORIZON: the same set; AWS documents it as starting from the trim horizon onwards.
 * - AT_LATEST: the open shards.
 * - AT_TIMESTAMP: shards open at that moment (created at or before it, closed after it), plus, when
 *   the time is before the stream existed, every shard from the start.
 * - FROM_TIMESTAMP: shards open at or after that moment.
 * - AFTER_SHARD_ID: shards after the given id.
 */
export function filterShards(
  shards: ShardInfo[],
  filter: ShardFilter,
  context: { now: number; retentionHours: number; streamCreatedAt: number },
): ShardInfo[] {
  const readable = (s: ShardInfo) => s.closedAt === undefined || s.closedAt + context.retentionHours * 3_600_000 > context.now;
  switch (filter.type) {
    case "AFTER_SHARD_ID":
      return shardsAfter(shards, filter.shardId);
    case "AT_TRIM_HORIZON":
    case "FROM_TRIM_HORIZON":
      return shards.filter(readable);
    case "AT_LATEST":
      return shards.filter(isOpen);
    case "AT_TIMESTAMP": {
      const at = filter.timestamp ?? context.now;
      if (at < context.streamCreatedAt) return shards.filter((s) => readable(s) && !s.parentShardId);
      return shards.filter((s) => readable(s) && s.createdAt <= at && (s.closedAt === undefined || s.closedAt > at));
    }
    case "FROM_TIMESTAMP": {
      const from = filter.timestamp ?? context.now;
      return shards.filter((s) => readable(s) && (s.closedAt === undefined || s.closedAt > from));
    }
  }
}

/** Open shards adjacent in the key space: `a` ends right before `b` starts. */
export const adjacent = (a: ShardInfo, b: ShardInfo): boolean => BigInt(a.endingHashKey) + 1n === BigInt(b.startingHashKey);
