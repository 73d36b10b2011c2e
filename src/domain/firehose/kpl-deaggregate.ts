/**
 * De-aggregation of Kinesis Producer Library (KPL) aggregated records. "If you use the KPL to write
 * data to a Kinesis data stream, you can use aggregation … Firehose de-aggregates the records before
 * it delivers them to the destination."
 * @see https://docs.aws.amazon.com/streams/latest/dev/kpl-with-firehose.html
 * @see https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md
 *
 * An aggregated record is the 4 magic bytes F3 89 9A C2, a protobuf `AggregatedRecord`, and the
 * 16-byte MD5 of that protobuf message:
 *
 *   message AggregatedRecord { repeated string partition_key_table = 1;
 *                              repeated string explicit_hash_key_table = 2;
 *                              repeated Record records = 3; }
 *   message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                    required bytes data = 3; repeated Tag tags = 4; }
 *
 * As the KCL does (AggregatorUtil.deaggregate), a record that only looks aggregated (bad MD5, a
 * protobuf that does not parse, an index outside its table) is passed on unchanged, whole.
 */
import { md5 } from "@noble/hashes/legacy.js";

export const KPL_MAGIC = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);
const MD5_BYTES = 16;

/** One user record inside an aggregated record. */
export interface UserRecord {
  data: Uint8Array;
  partitionKey: string;
  explicitHashKey?: string;
}

/** The user records' data: those inside `data` when it is a well-formed aggregated record, else `[data]`. */
export function deaggregate(data: Uint8Array): Uint8Array[] {
  const records = parseAggregated(data);
  // Copies: a view into the aggregate would carry (and store) the whole aggregate's buffer.
  return records ? records.map((r) => r.data.slice()) : [data];
}

/** The user records of a well-formed aggregated record; undefined when `data` is not one. */
export function parseAggregated(data: Uint8Array): UserRecord[] | undefined {
  if (data.length < KPL_MAGIC.length + MD5_BYTES) return undefined;
  for (let i = 0; i < KPL_MAGIC.length; i++) if (data[i] !== KPL_MAGIC[i]) return undefined;
  const message = data.subarray(KPL_MAGIC.length, data.length - MD5_BYTES);
  const digest = md5(message);
  const expected = data.subarray(data.length - MD5_BYTES);
  for (let i = 0; i < MD5_BYTES; i++) if (digest[i] !== expected[i]) return undefined;
  try {
    return decodeAggregatedRecord(message);
  } catch {
    return undefined;
  }
}

// ---- protobuf (proto2) reading: only what AggregatedRecord needs --------------------------------

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** A varint as a number; indices beyond 2^53 cannot point into any table, so precision is moot. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new Error("truncated varint");
      const byte = this.buf[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new Error("varint too long");
  }

  bytes(): Uint8Array {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.buf.length) throw new Error("truncated field");
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  /** Skips a field of an unknown number (wire types 0, 1, 2 and 5; groups are not used by the KPL). */
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.advance(4);
    else throw new Error(`unsupported wire type ${wireType}`);
  }

  advance(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error("truncated field");
    this.pos += n;
  }
}

interface RawRecord {
  partitionKeyIndex?: number;
  explicitHashKeyIndex?: number;
  data?: Uint8Array;
}

function decodeAggregatedRecord(message: Uint8Array): UserRecord[] {
  const reader = new Reader(message);
  const partitionKeys: string[] = [];
  const hashKeys: string[] = [];
  const raw: RawRecord[] = [];
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (field === 1 && wireType === 2) partitionKeys.push(utf8.decode(reader.bytes()));
    else if (field === 2 && wireType === 2) hashKeys.push(utf8.decode(reader.bytes()));
    else if (field === 3 && wireType === 2) raw.push(decodeRecord(reader.bytes()));
    else reader.skip(wireType);
  }
  return raw.map((r) => {
    // Required fields missing, or an index outside its table: not a record the KPL wrote.
    if (r.partitionKeyIndex === undefined || r.data === undefined) throw new Error("missing required field");
    const partitionKey = partitionKeys[r.partitionKeyIndex];
    if (partitionKey === undefined) throw new Error("partition key index out of range");
    const out: UserRecord = { data: r.data, partitionKey };
    if (r.explicitHashKeyIndex !== undefined) {
      const key = hashKeys[r.explicitHashKeyIndex];
      if (key === undefined) throw new Error("explicit hash key index out of range");
      out.explicitHashKey = key;
    }
    return out;
  });
}

function decodeRecord(message: Uint8Array): RawRecord {
  const reader = new Reader(message);
  const record: RawRecord = {};
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (field === 1 && wireType === 0) record.partitionKeyIndex = reader.varint();
    else if (field === 2 && wireType === 0) record.explicitHashKeyIndex = reader.varint();
    else if (field === 3 && wireType === 2) record.data = reader.bytes();
    // Tags (field 4) carry nothing Firehose delivers.
    else reader.skip(wireType);
  }
  return record;
}
