/**
 * Builds KPL aggregated records for tests, as the KPL writes them (aggregation-format.md): magic
 * bytes, a protobuf AggregatedRecord, and the MD5 of the protobuf.
 * https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md
 */
import { md5 } from "@noble/hashes/legacy.js";
import { KPL_MAGIC } from "../../src/domain/firehose/kpl-deaggregate";

const utf8 = new TextEncoder();

export function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

const field = (number: number, wireType: number) => varint(number * 8 + wireType);
const lengthDelimited = (number: number, bytes: Uint8Array | number[]) => [
  ...field(number, 2),
  ...varint(bytes.length),
  ...bytes,
];

export interface FixtureRecord {
  data: string | Uint8Array;
  partitionKeyIndex?: number;
  explicitHashKeyIndex?: number;
  tags?: { key: string; value?: string }[];
}

/** The protobuf AggregatedRecord message alone. */
export function aggregatedMessage(partitionKeys: string[], records: FixtureRecord[], hashKeys: string[] = []): Uint8Array {
  const out: number[] = [];
  for (const key of partitionKeys) out.push(...lengthDelimited(1, utf8.encode(key)));
  for (const key of hashKeys) out.push(...lengthDelimited(2, utf8.encode(key)));
  for (const r of records) {
    const record: number[] = [...field(1, 0), ...varint(r.partitionKeyIndex ?? 0)];
    if (r.explicitHashKeyIndex !== undefined) record.push(...field(2, 0), ...varint(r.explicitHashKeyIndex));
    record.push(...lengthDelimited(3, typeof r.data === "string" ? utf8.encode(r.data) : r.data));
    for (const tag of r.tags ?? []) {
      const t = [...lengthDelimited(1, utf8.encode(tag.key))];
      if (tag.value !== undefined) t.push(...lengthDelimited(2, utf8.encode(tag.value)));
      record.push(...lengthDelimited(4, t));
    }
    out.push(...lengthDelimited(3, record));
  }
  return Uint8Array.from(out);
}

/** Magic + message + MD5(message). */
export function wrapAggregated(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(KPL_MAGIC.length + message.length + 16);
  out.set(KPL_MAGIC, 0);
  out.set(message, KPL_MAGIC.length);
  out.set(md5(message), KPL_MAGIC.length + message.length);
  return out;
}

/** An aggregated record holding `data` (one partition key each). */
export function aggregate(data: (string | Uint8Array)[]): Uint8Array {
  const keys = data.map((_, i) => `pk-${i}`);
  return wrapAggregated(
    aggregatedMessage(
      keys,
      data.map((d, i) => ({ data: d, partitionKeyIndex: i })),
    ),
  );
}
