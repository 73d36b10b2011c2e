/**
 * Coral's constraint checks for the data-plane operations, in the order AWS reports them (the order
 * kinesalite's tests recorded from AWS: per operation, its members in a fixed order; lists member by
 * member), at most 10 violations per message. Wording: `Value '…' at 'records.1.member.partitionKey'
 * failed to satisfy constraint: Member must have length less than or equal to 256`.
 */
import { validationError, type ConstraintViolation } from "./errors";
import { SEQUENCE_NUMBER_PATTERN } from "./sequence-numbers";

const MAX_VIOLATIONS = 10;
/** The largest Data blob the API model allows (streams may set a lower MaxRecordSizeInKiB). */
export const MAX_DATA_BYTES = 10 * 1024 * 1024;

const STREAM_NAME = /^[a-zA-Z0-9_.-]+$/;
const STREAM_ARN = /^arn:aws.*:kinesis:.*:\d{12}:stream\/\S+$/;
const HASH_KEY = /^(0|[1-9]\d{0,38})$/;
const SHARD_ID = /^[a-zA-Z0-9_.-]+$/;

export const ITERATOR_TYPES = ["AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER", "TRIM_HORIZON"];

/** How Coral prints a ByteBuffer value in a violation. */
export const blobValue = (bytes: number): string => `java.nio.HeapByteBuffer[pos=0 lim=${bytes} cap=${bytes}]`;

class Violations {
  readonly list: ConstraintViolation[] = [];

  check(ok: boolean, value: unknown, path: string, constraint: string): void {
    if (!ok && this.list.length < MAX_VIOLATIONS) this.list.push({ value, path, constraint });
  }

  length(value: string | undefined, path: string, min: number, max: number): void {
    if (value === undefined) return;
    this.check(value.length >= min, value, path, `Member must have length greater than or equal to ${min}`);
    this.check(value.length <= max, value, path, `Member must have length less than or equal to ${max}`);
  }

  pattern(value: string | undefined, path: string, re: RegExp, source: string): void {
    if (value === undefined) return;
    this.check(re.test(value), value, path, `Member must satisfy regular expression pattern: ${source}`);
  }

  partitionKey(value: string | undefined, path: string): void {
    this.check(value !== undefined, null, path, "Member must not be null");
    this.length(value, path, 1, 256);
  }

  hashKey(value: string | undefined, path: string): void {
    this.pattern(value, path, HASH_KEY, "0|([1-9]\\d{0,38})");
  }

  data(value: Uint8Array | undefined, path: string): void {
    if (value === undefined) return; // required: the codec reports it missing
    const n = value.length;
    this.check(n <= MAX_DATA_BYTES, blobValue(n), path, `Member must have length less than or equal to ${MAX_DATA_BYTES}`);
  }

  stream(input: { StreamName?: string; StreamARN?: string }): void {
    this.pattern(input.StreamName, "streamName", STREAM_NAME, "[a-zA-Z0-9_.-]+");
    this.length(input.StreamName, "streamName", 1, 128);
    this.length(input.StreamARN, "streamARN", 1, 2048);
    this.pattern(input.StreamARN, "streamARN", STREAM_ARN, "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
  }

  throwIfAny(): void {
    if (this.list.length) throw validationError(this.list);
  }
}

export interface PutRecordInput {
  Data?: Uint8Array;
  PartitionKey?: string;
  ExplicitHashKey?: string;
  SequenceNumberForOrdering?: string;
  StreamName?: string;
  StreamARN?: string;
}

export function validatePutRecord(input: PutRecordInput): void {
  const v = new Violations();
  v.pattern(input.SequenceNumberForOrdering, "sequenceNumberForOrdering", SEQUENCE_NUMBER_PATTERN, "0|([1-9]\\d{0,128})");
  v.partitionKey(input.PartitionKey, "partitionKey");
  v.hashKey(input.ExplicitHashKey, "explicitHashKey");
  v.data(input.Data, "data");
  v.stream(input);
  v.throwIfAny();
}

export interface PutRecordsEntry {
  Data?: Uint8Array;
  PartitionKey?: string;
  ExplicitHashKey?: string;
}

export interface PutRecordsInput {
  Records?: PutRecordsEntry[];
  StreamName?: string;
  StreamARN?: string;
}

/** Coral prints a list of structures as their Java toString()s. */
const ENTRY_STRING = "com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310";

export function validatePutRecords(input: PutRecordsInput): void {
  const v = new Violations();
  const records = input.Records ?? [];
  const listValue = () => `[${records.map(() => ENTRY_STRING).join(", ")}]`;
  if (records.length < 1) v.check(false, listValue(), "records", "Member must have length greater than or equal to 1");
  if (records.length > 500) v.check(false, listValue(), "records", "Member must have length less than or equal to 500");
  records.forEach((entry, i) => {
    const path = `records.${i + 1}.member`;
    v.partitionKey(entry.PartitionKey, `${path}.partitionKey`);
    v.hashKey(entry.ExplicitHashKey, `${path}.explicitHashKey`);
    v.data(entry.Data, `${path}.data`);
  });
  v.stream(input);
  v.throwIfAny();
}

export interface GetShardIteratorInput {
  ShardId?: string;
  ShardIteratorType?: string;
  StartingSequenceNumber?: string;
  Timestamp?: Date;
  StreamName?: string;
  StreamARN?: string;
}

export function validateGetShardIterator(input: GetShardIteratorInput): void {
  const v = new Violations();
  v.pattern(input.ShardId, "shardId", SHARD_ID, "[a-zA-Z0-9_.-]+");
  v.length(input.ShardId, "shardId", 1, 128);
  const type = input.ShardIteratorType;
  if (type !== undefined)
    v.check(
      ITERATOR_TYPES.includes(type),
      type,
      "shardIteratorType",
      `Member must satisfy enum value set: [${ITERATOR_TYPES.join(", ")}]`,
    );
  v.pattern(input.StartingSequenceNumber, "startingSequenceNumber", SEQUENCE_NUMBER_PATTERN, "0|([1-9]\\d{0,128})");
  v.stream(input);
  v.throwIfAny();
}

export interface GetRecordsInput {
  ShardIterator?: string;
  Limit?: number;
  StreamARN?: string;
}

export function validateGetRecords(input: GetRecordsInput): void {
  const v = new Violations();
  if (input.Limit !== undefined) {
    v.check(input.Limit >= 1, input.Limit, "limit", "Member must have value greater than or equal to 1");
    v.check(input.Limit <= 10000, input.Limit, "limit", "Member must have value less than or equal to 10000");
  }
  v.length(input.ShardIterator, "shardIterator", 1, 512);
  v.length(input.StreamARN, "streamARN", 1, 2048);
  v.pattern(input.StreamARN, "streamARN", STREAM_ARN, "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
  v.throwIfAny();
}
