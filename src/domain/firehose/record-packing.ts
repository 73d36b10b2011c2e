/**
 * Records packed into storage rows: each record a 4-byte big-endian length and its bytes, as many as
 * fit in a row. A delivery stream stores one row per put call (or a few, for a call over a row's
 * size), not one per record: the records of a PutRecordBatch cost one INSERT.
 */

/** A row's payload at most (the Durable Object SQLite limit on a value is 2 MB). */
export const ROW_BYTES = 1024 * 1024;
const HEADER = 4;

export interface PackedRow {
  data: Uint8Array;
  count: number;
  /** The records' own bytes, without the length headers. */
  size: number;
}

/** Packs records into rows of at most ROW_BYTES (a record is at most 1,000 KiB, so one always fits). */
export function packRecords(records: readonly Uint8Array[], rowBytes = ROW_BYTES): PackedRow[] {
  const rows: PackedRow[] = [];
  let start = 0;
  while (start < records.length) {
    let end = start;
    let bytes = 0;
    let size = 0;
    while (end < records.length && (end === start || bytes + HEADER + records[end]!.length <= rowBytes)) {
      bytes += HEADER + records[end]!.length;
      size += records[end]!.length;
      end++;
    }
    const data = new Uint8Array(bytes);
    const view = new DataView(data.buffer);
    let at = 0;
    for (let i = start; i < end; i++) {
      const record = records[i]!;
      view.setUint32(at, record.length);
      data.set(record, at + HEADER);
      at += HEADER + record.length;
    }
    rows.push({ data, count: end - start, size });
    start = end;
  }
  return rows;
}

/** The records of a row, as views into its bytes. */
export function unpackRecords(data: Uint8Array): Uint8Array[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const records: Uint8Array[] = [];
  for (let at = 0; at + HEADER <= data.length;) {
    const length = view.getUint32(at);
    records.push(data.subarray(at + HEADER, at + HEADER + length));
    at += HEADER + length;
  }
  return records;
}
