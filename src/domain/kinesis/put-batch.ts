/**
 * The records of one PutRecord/PutRecords call bound for one shard, packed for its one RPC: the data
 * of every record back to back in one byte array, where each ends, and the keys. An array of
 * per-record objects costs the structured clone on both sides a few microseconds per record (500 per
 * call at most); three flat values cost about a fifth of that, and the one fresh byte array never
 * drags a larger buffer along (a Uint8Array view is cloned with its whole ArrayBuffer, which for a
 * CBOR request body is the whole request, once per shard).
 */

/** One record as the Worker validated it. */
export interface PutRecordEntry {
  data: Uint8Array;
  partitionKey: string;
  /** Set when the producer gave one (stored, as AWS keeps it, though reads do not return it). */
  explicitHashKey?: string;
}

export interface PutBatch {
  /** Every record's data, back to back, in request order. */
  data: Uint8Array;
  /** Where record i's data ends in `data` (it starts where record i − 1's ends, the first at 0). */
  ends: Uint32Array;
  partitionKeys: string[];
  /** Per record, its ExplicitHashKey or null; absent when no record of the batch has one. */
  explicitHashKeys?: (string | null)[];
}

/** Packs `records[i]` for each i of `indices` (in that order), or every record when indices are omitted. */
export function packPutBatch(records: readonly PutRecordEntry[], indices?: readonly number[]): PutBatch {
  const count = indices ? indices.length : records.length;
  const at = (k: number) => records[indices ? indices[k]! : k]!;
  let total = 0;
  let explicit = false;
  for (let k = 0; k < count; k++) {
    const r = at(k);
    total += r.data.length;
    if (r.explicitHashKey !== undefined) explicit = true;
  }
  const data = new Uint8Array(total);
  const ends = new Uint32Array(count);
  const partitionKeys = new Array<string>(count);
  const explicitHashKeys = explicit ? new Array<string | null>(count) : undefined;
  for (let k = 0, offset = 0; k < count; k++) {
    const r = at(k);
    data.set(r.data, offset);
    offset += r.data.length;
    ends[k] = offset;
    partitionKeys[k] = r.partitionKey;
    if (explicitHashKeys) explicitHashKeys[k] = r.explicitHashKey ?? null;
  }
  return explicitHashKeys ? { data, ends, partitionKeys, explicitHashKeys } : { data, ends, partitionKeys };
}

export const batchLength = (batch: PutBatch): number => batch.ends.length;

/** Record i's data: a view into the batch's byte array, no copy. */
export const batchData = (batch: PutBatch, i: number): Uint8Array =>
  batch.data.subarray(i === 0 ? 0 : batch.ends[i - 1]!, batch.ends[i]!);

/** Record i as an entry again (for tests and callers that want objects). */
export function batchEntry(batch: PutBatch, i: number): PutRecordEntry {
  const entry: PutRecordEntry = { data: batchData(batch, i), partitionKey: batch.partitionKeys[i]! };
  const explicit = batch.explicitHashKeys?.[i];
  if (explicit != null) entry.explicitHashKey = explicit;
  return entry;
}
