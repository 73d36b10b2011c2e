/**
 * Coral's constraint checks for the data-plane operations, in the order AWS reports them (the order
 * kinesalite's tests recorded from AWS: per operation, its members in a fixed order; lists member by
 * member), at most 10 violations per message. Wording: `Value '…' at 'records.1.member.partitionKey'
 * failed to satisfy constraint: Member must have length less than or equal to 256`.
 */
import type { Problem } from "../errors";
import { checks, HASH_KEY_PATTERN, SEQUENCE_NUMBER_PATTERN, type Checks } from "./validate";

/** The largest Data blob the API model allows (streams may set a lower MaxRecordSizeInKiB). */
export const MAX_DATA_BYTES = 10 * 1024 * 1024;

export const ITERATOR_TYPES = ["AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER", "TRIM_HORIZON"];

/** The members by which a data-plane request names its stream. */
interface StreamMembers {
  StreamName?: string;
  StreamARN?: string;
}

/** One record of PutRecord or PutRecords. */
interface RecordMembers {
  Data?: Uint8Array;
  PartitionKey?: string;
  ExplicitHashKey?: string;
}

/** Checks add up in `c`, in the order Coral reports them. */
const record = (c: Checks, entry: RecordMembers, path: (member: string) => string): void => {
  c.required(entry.PartitionKey, path("partitionKey"))
    .string(entry.PartitionKey, path("partitionKey"), { min: 1, max: 256 })
    .string(entry.ExplicitHashKey, path("explicitHashKey"), { pattern: HASH_KEY_PATTERN })
    .blob(entry.Data, path("data"), MAX_DATA_BYTES);
};

const stream = (c: Checks, input: StreamMembers): Checks =>
  c.name(input.StreamName, "streamName").streamArn(input.StreamARN, "streamARN");

export function validatePutRecord(input: RecordMembers & StreamMembers & { SequenceNumberForOrdering?: string }): Problem {
  const c = checks().string(input.SequenceNumberForOrdering, "sequenceNumberForOrdering", { pattern: SEQUENCE_NUMBER_PATTERN });
  record(c, input, (member) => member);
  return stream(c, input).done();
}

/** Coral prints a list of structures as their Java toString()s. */
const ENTRY_STRING = "com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310";

const EXPLICIT_HASH_KEY = new RegExp(`^(?:${HASH_KEY_PATTERN})$`, "u");

/**
 * Whether `record` would add no violation: the usual case, decided without building the four member
 * paths `record` names (2,000 strings for a full PutRecords). Anything else gets the full check.
 */
const plainlyValid = (entry: RecordMembers): boolean =>
  typeof entry.PartitionKey === "string" &&
  entry.PartitionKey.length >= 1 &&
  entry.PartitionKey.length <= 256 &&
  (entry.ExplicitHashKey === undefined || EXPLICIT_HASH_KEY.test(entry.ExplicitHashKey)) &&
  (!(entry.Data instanceof Uint8Array) || entry.Data.length <= MAX_DATA_BYTES);

export function validatePutRecords(input: StreamMembers & { Records: RecordMembers[] }): Problem {
  const records = input.Records;
  const c = checks().size(records, "records", 1, 500, () => `[${records.map(() => ENTRY_STRING).join(", ")}]`);
  records.forEach((entry, i) => {
    if (!plainlyValid(entry)) record(c, entry, (member) => `records.${i + 1}.member.${member}`);
  });
  return stream(c, input).done();
}

export function validateGetShardIterator(
  input: StreamMembers & { ShardId?: string; ShardIteratorType?: string; StartingSequenceNumber?: string },
): Problem {
  const c = checks()
    .name(input.ShardId, "shardId")
    .oneOf(input.ShardIteratorType, "shardIteratorType", ITERATOR_TYPES)
    .string(input.StartingSequenceNumber, "startingSequenceNumber", { pattern: SEQUENCE_NUMBER_PATTERN });
  return stream(c, input).done();
}

export function validateGetRecords(input: { ShardIterator?: string; Limit?: number; StreamARN?: string }): Problem {
  return checks()
    .range(input.Limit, "limit", 1, 10000)
    .string(input.ShardIterator, "shardIterator", { min: 1, max: 512 })
    .streamArn(input.StreamARN, "streamARN")
    .done();
}
