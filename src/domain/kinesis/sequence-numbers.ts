/**
 * Kinesis sequence numbers in AWS's layout ("version 2", as kinesalite and kinesis-mock reverse
 * engineered it; see ../shared/reference/sns-kinesis.md §2.3). As 47 hex digits:
 *
 *   "2" · shard creation, epoch s (9) · last nibble of the shard index (1) · per-shard sequence (16)
 *       · "00" · record arrival, epoch s (9) · shard index (8) · "2"
 *
 * printed in decimal (56 digits). The per-shard sequence sits above the arrival time, so numbers
 * strictly increase with `seq` whatever the clock does; clients (KCL) compare them as big integers.
 */

export interface SequenceParts {
  /** Epoch ms the shard was created (only whole seconds survive encoding). */
  shardCreatedAt: number;
  /** The number in `shardId-000000000007`. */
  shardIndex: number;
  /** Per-shard record counter: 0 for a shard's StartingSequenceNumber, records from 1. */
  seq: number;
  /** Epoch ms the record arrived (whole seconds survive). */
  recordAt: number;
}

const hex = (value: number | bigint, digits: number): string => value.toString(16).padStart(digits, "0").slice(-digits);

const MAX_SEQ = 2n ** 63n - 1n;

/** The number as a BigInt. */
function sequenceValue({ shardCreatedAt, shardIndex, seq, recordAt }: SequenceParts): bigint {
  const text =
    "2" +
    hex(Math.floor(shardCreatedAt / 1000), 9) +
    hex(shardIndex & 0xf, 1) +
    hex(seq, 16) +
    "00" +
    hex(Math.floor(recordAt / 1000), 9) +
    hex(shardIndex, 8) +
    "2";
  return BigInt(`0x${text}`);
}

export const sequenceNumber = (parts: SequenceParts): string => sequenceValue(parts).toString();

/** One step of the per-shard counter: the 20 hex digits below it ("00", arrival, shard index, "2"). */
const SEQ_STEP = 1n << 80n;

/**
 * The numbers of `count` records stored together: counters `first.seq`, `first.seq + 1`…, all with
 * `first`'s arrival time. Consecutive numbers differ by one counter step, so each costs one BigInt
 * addition and its decimal printing instead of building and parsing the hex layout per record.
 */
export function sequenceNumberRun(first: SequenceParts, count: number): string[] {
  const out = new Array<string>(count);
  let value = sequenceValue(first);
  for (let i = 0; i < count; i++, value += SEQ_STEP) out[i] = value.toString();
  return out;
}

/** AWS's SequenceNumber pattern: `0|([1-9]\d{0,128})`. */
export const SEQUENCE_NUMBER_PATTERN = /^(0|[1-9]\d{0,128})$/;

/** The layout's numbers are 47 hex digits starting with 2 and ending with 2: 2·16^46 ≤ n < 3·16^46. */
const LOW = 2n * 16n ** 46n;
const HIGH = 3n * 16n ** 46n;

/**
 * The parts of a sequence number this service issued, or undefined for anything else (another
 * layout, garbage, a sequence index over 2^63). Only decimal strings matching the AWS pattern.
 */
export function parseSequenceNumber(text: string): SequenceParts | undefined {
  if (!SEQUENCE_NUMBER_PATTERN.test(text) || text.length > 60) return undefined;
  const n = BigInt(text);
  if (n < LOW || n >= HIGH || (n & 0xfn) !== 2n) return undefined;
  const h = n.toString(16);
  const seq = BigInt(`0x${h.slice(11, 27)}`);
  const shardIndex = parseInt(h.slice(38, 46), 16);
  if (seq > MAX_SEQ || shardIndex > 0x7fffffff || h.slice(27, 29) !== "00") return undefined;
  if (parseInt(h[10]!, 16) !== (shardIndex & 0xf)) return undefined;
  return {
    shardCreatedAt: parseInt(h.slice(1, 10), 16) * 1000,
    shardIndex,
    seq: Number(seq),
    recordAt: parseInt(h.slice(29, 38), 16) * 1000,
  };
}

/** `shardId-000000000007` → 7; undefined for other forms. */
export function shardIndexOf(shardId: string): number | undefined {
  const m = /^shardId-(\d{12})$/.exec(shardId);
  return m ? Number(m[1]) : undefined;
}

export const shardIdOf = (index: number): string => `shardId-${String(index).padStart(12, "0")}`;
