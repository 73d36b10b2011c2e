/**
 * What crosses RPC between the Worker's data-plane handlers (src/services/kinesis/put-records.ts and
 * get-records.ts) and a ShardObject. Positions are per-shard record counters (`seq`); the Worker turns
 * them into AWS sequence numbers with the shard's creation time and index (./sequence-numbers.ts).
 */

/** One record to append; the Worker has validated it and chosen this shard by hash key. */
export interface PutEntry {
  data: Uint8Array;
  partitionKey: string;
  /** Set when the producer gave one (stored, as AWS keeps it, though reads do not return it). */
  explicitHashKey?: string;
}

/**
 * A put's outcome. `stored`: per entry, in order, its sequence number, or null when the shard's write
 * budget refused it (ProvisionedThroughputExceededException). `closed`: the shard was split or merged
 * away, so the Worker's routing is stale; `gone`: the shard (its stream) no longer exists.
 */
export type PutOutcome = { status: "stored"; sequenceNumbers: (string | null)[] } | { status: "closed" } | { status: "gone" };

/** Where a new shard iterator starts, resolved inside the shard (LATEST and AT_TIMESTAMP need its records). */
export type IteratorStart =
  { type: "TRIM_HORIZON" } | { type: "LATEST" } | { type: "AT_TIMESTAMP"; at: number } | { type: "AT"; seq: number };

export type StartOutcome = { status: "ok"; seq: number } | { status: "gone" };

export interface ReadRequest {
  /** The first record counter the iterator may return. */
  seq: number;
  limit: number;
  /**
   * A SubscribeToShard read: enhanced fan-out has its own per-consumer budget (paced by the
   * subscription), so it does not count against the shard's GetRecords limits.
   */
  fanOut?: boolean;
}

export interface StoredRecord {
  sequenceNumber: string;
  data: Uint8Array;
  partitionKey: string;
  /** Epoch ms. */
  arrivedAt: number;
  /** Written while the stream had server-side encryption on (EncryptionType KMS); absent: not. */
  encrypted?: boolean;
}

export type ReadOutcome =
  | {
      status: "ok";
      records: StoredRecord[];
      /** Where the next iterator starts. */
      nextSeq: number;
      millisBehindLatest: number;
      /** The shard is closed and the reader has passed its last record: no next iterator, children instead. */
      ended: boolean;
    }
  | { status: "throttled" }
  | { status: "gone" };
