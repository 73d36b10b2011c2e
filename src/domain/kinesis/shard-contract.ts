/**
 * What crosses RPC between the Worker's data-plane handlers (src/services/kinesis/put-records.ts and
 * get-records.ts) and a ShardObject. Positions are per-shard record counters (`seq`); the Worker turns
 * them into AWS sequence numbers with the shard's creation time and index (./sequence-numbers.ts).
 * Puts send their records packed (./put-batch.ts).
 */
import { sequenceNumberRun, type SequenceParts } from "./sequence-numbers";

/**
 * A put's outcome. `stored`: the accepted entries got the counters `first.seq`, `first.seq + 1`… in
 * order, all arriving at `first.recordAt`; `refused` lists (ascending) the entries the shard's write
 * budget refused (ProvisionedThroughputExceededException), absent when none was. `closed`: the shard
 * was split or merged away, so the Worker's routing is stale; `gone`: the shard (its stream) no
 * longer exists. The Worker prints the sequence numbers (storedSequenceNumbers), so a put's answer
 * is a few numbers whatever its size.
 */
export type PutOutcome = StoredPut | { status: "closed" } | { status: "gone" };

export interface StoredPut {
  status: "stored";
  first: SequenceParts;
  refused?: number[];
}

/** Per entry of a stored put of `count` entries, in order, its sequence number, or null where refused. */
export function storedSequenceNumbers(outcome: StoredPut, count: number): (string | null)[] {
  const refused = outcome.refused ?? [];
  const numbers = sequenceNumberRun(outcome.first, count - refused.length);
  if (!refused.length) return numbers;
  const out = new Array<string | null>(count);
  for (let i = 0, next = 0, r = 0; i < count; i++) {
    if (refused[r] === i) {
      out[i] = null;
      r++;
    } else {
      out[i] = numbers[next++]!;
    }
  }
  return out;
}

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
