/**
 * Which shard a record goes to: its hash key is the ExplicitHashKey, or MD5(utf8(PartitionKey)) read
 * as an unsigned 128-bit big-endian integer; the record belongs to the OPEN shard whose hash range
 * holds that key. Closed shards keep their ranges (their children cover them now).
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
 */
import type { ShardInfo } from "./contract";
import { partitionKeyMd5 } from "./partition-key-md5";

export const MAX_HASH_KEY = 2n ** 128n - 1n;

/** MD5 of the partition key as an unsigned 128-bit integer (./partition-key-md5.ts). */
export const partitionKeyHash = (partitionKey: string): bigint => partitionKeyMd5(partitionKey);

/** A decimal ExplicitHashKey (already matched `0|([1-9]\d{0,38})`), or undefined when above 2^128−1. */
export function explicitHashKey(text: string): bigint | undefined {
  const key = BigInt(text);
  return key <= MAX_HASH_KEY ? key : undefined;
}

/** An open shard with its range as integers, for repeated lookups. */
export interface ShardRange {
  shard: ShardInfo;
  start: bigint;
  end: bigint;
}

/** The open shards of a stream, sorted by range start, ready for binary search. */
export function openRanges(shards: readonly ShardInfo[]): ShardRange[] {
  return shards
    .filter((shard) => shard.endingSequenceNumber === undefined && shard.closedAt === undefined)
    .map((shard) => ({ shard, start: BigInt(shard.startingHashKey), end: BigInt(shard.endingHashKey) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** The open shard whose range holds `key` (the open ranges tile 0..2^128−1, so one always does). */
export function shardFor(ranges: readonly ShardRange[], key: bigint): ShardRange | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = ranges[mid]!;
    if (key < range.start) hi = mid - 1;
    else if (key > range.end) lo = mid + 1;
    else return range;
  }
  return undefined;
}
