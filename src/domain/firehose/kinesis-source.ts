/**
 * Which shards of a source Kinesis stream a delivery stream (KinesisStreamAsSource) reads, from
 * where, and in which order. Firehose starts at LATEST as of the delivery stream's creation
 * (DeliveryStartTimestamp; "TRIM_HORIZON is not available for a Firehose delivery stream"), and, like
 * every Kinesis consumer that keeps order per key, reads a parent shard to its end before its
 * children (a split's two, a merge's one).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-kinesis-streams.html
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_KinesisStreamSourceDescription.html
 * @see https://docs.aws.amazon.com/streams/latest/dev/kinesis-using-sdk-java-after-resharding.html
 */
import type { ShardInfo } from "../kinesis/contract";
import type { IteratorStart } from "../kinesis/shard-contract";

/** Where a shard's reading begins before it has a checkpoint. */
export type SourceStart = "AT_TIMESTAMP" | "TRIM_HORIZON";

/** One shard of the source stream as the delivery stream tracks it (a checkpoint row). */
export interface SourceShard {
  shardId: string;
  parents: string[];
  start: SourceStart;
  /** The next record counter to read; null until the shard was first read (then `start` decides). */
  seq: number | null;
  /** Read to the end of a closed shard (or nothing left to read in it): its children may go on. */
  finished: boolean;
}

/** At most this many records per shard per poll (GetRecords' own maximum). */
export const MAX_RECORDS_PER_SHARD = 10_000;
/** At most this many bytes per shard per poll; the rest waits for the next poll. */
export const MAX_BYTES_PER_SHARD = 4 * 1024 * 1024;
/** A poll stops reading more shards once it holds this much (the object holds it all until committed). */
export const MAX_BYTES_PER_POLL = 8 * 1024 * 1024;
/** Firehose polls each shard about once a second. */
export const POLL_INTERVAL_MS = 1000;
/** A poll that left records behind (a cap was reached) comes back this soon (Kinesis allows 5 reads/s). */
export const BACKLOG_POLL_MS = 200;

/**
 * The shards of `shards` (the stream's whole shard list) not yet tracked, as new checkpoint rows.
 * Shards that exist when reading first begins (`initial`) start at the delivery stream's start time;
 * those that appear later (the children of a reshard) were created after it and start at their
 * beginning. A shard closed before the start holds nothing to deliver: it is finished at once.
 */
export function newShards(
  known: ReadonlySet<string>,
  shards: readonly ShardInfo[],
  initial: boolean,
  startAt: number,
): SourceShard[] {
  const out: SourceShard[] = [];
  for (const s of shards) {
    if (known.has(s.shardId)) continue;
    const parents = [s.parentShardId, s.adjacentParentShardId].filter((p): p is string => p !== undefined);
    const closedBefore = s.closedAt !== undefined && s.closedAt < startAt;
    out.push({
      shardId: s.shardId,
      parents,
      start: initial ? "AT_TIMESTAMP" : "TRIM_HORIZON",
      seq: null,
      finished: closedBefore,
    });
  }
  return out;
}

/**
 * The shards to read now: not finished, and every parent finished (or not tracked: a parent that
 * expired from the stream has nothing left to read). Parents come before children.
 */
export function readableShards(shards: readonly SourceShard[]): SourceShard[] {
  const finished = new Map(shards.map((s) => [s.shardId, s.finished]));
  return shards.filter((s) => !s.finished && s.parents.every((p) => finished.get(p) ?? true));
}

/** How many of `sizes` (in order) fit in `maxBytes`: always at least one, so a huge record still moves. */
export function fittingCount(sizes: readonly number[], maxBytes: number): number {
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    total += sizes[i]!;
    if (total > maxBytes && i > 0) return i;
  }
  return sizes.length;
}

/** Consecutive records with the same arrival time, grouped (one buffer append per group). */
export function byArrival<T extends { arrivedAt: number }>(records: readonly T[]): { arrival: number; records: T[] }[] {
  const groups: { arrival: number; records: T[] }[] = [];
  for (const r of records) {
    const last = groups[groups.length - 1];
    if (last && last.arrival === r.arrivedAt) last.records.push(r);
    else groups.push({ arrival: r.arrivedAt, records: [r] });
  }
  return groups;
}

/**
 * Rotates `items` to begin at `offset` (mod length), so that when a poll's byte budget runs out
 * before every shard was read, the next poll begins with those it skipped.
 */
export function rotated<T>(items: readonly T[], offset: number): T[] {
  if (!items.length) return [];
  const k = ((offset % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** The ShardObject iterator start of a shard without a checkpoint. */
export function iteratorStart(start: SourceStart, startAt: number): IteratorStart {
  return start === "AT_TIMESTAMP" ? { type: "AT_TIMESTAMP", at: startAt } : { type: "TRIM_HORIZON" };
}
