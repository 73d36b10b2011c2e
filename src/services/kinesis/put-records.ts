/**
 * PutRecord and PutRecords: validate, hash each partition key (or take the ExplicitHashKey), route to
 * the open shard whose range holds the key, and append through the shard objects — PutRecords groups
 * its entries by shard and calls the shards in parallel, then answers in request order.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
 */
import { shardObject } from "../../durable/names";
import { fail, ok, type Result } from "../../domain/errors";
import { packPutBatch, type PutRecordEntry } from "../../domain/kinesis/put-batch";
import { storedSequenceNumbers } from "../../domain/kinesis/shard-contract";
import type { KinesisContext, KinesisHandler, KinesisHandlers } from "./context";
import { invalidArgument, streamNotFound, throughputExceeded, validationError } from "../../domain/kinesis/errors";
import { explicitHashKey, partitionKeyHash, shardFor, type ShardRange } from "../../domain/kinesis/hash-keys";
import type { StreamRef } from "../../domain/kinesis/names";
import { resolveStream } from "./names";
import { validatePutRecord, validatePutRecords } from "../../domain/kinesis/record-validation";
import { blobValue } from "../../domain/kinesis/validate";
import { forgetRouting, streamRouting, type Routing } from "./routing";
import { parseSequenceNumber } from "../../domain/kinesis/sequence-numbers";
import { recordBytes } from "../../domain/kinesis/throughput";

/** PutRecords carries at most 10 MiB of data and partition keys. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export const rateExceeded = (shardId: string, ref: StreamRef): string =>
  `Rate exceeded for shard ${shardId} in stream ${ref.name} under account ${ref.account}.`;

/** The records of a call, validated, with what routing needs: per record its hash key and size. */
interface Prepared {
  entries: PutRecordEntry[];
  hashKeys: bigint[];
  /** Data + partition key in bytes (what MaxRecordSizeInKiB and the write budget count). */
  bytes: number[];
}

/** Adds one record (InvalidArgumentException for an ExplicitHashKey above 2^128−1). */
function prepare(into: Prepared, data: Uint8Array, partitionKey: string, explicit: string | undefined): Result<null> {
  let hashKey: bigint;
  if (explicit !== undefined) {
    const key = explicitHashKey(explicit);
    if (key === undefined)
      return fail(
        invalidArgument(
          `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicit}`,
        ),
      );
    hashKey = key;
  } else {
    hashKey = partitionKeyHash(partitionKey);
  }
  into.entries.push(explicit === undefined ? { data, partitionKey } : { data, partitionKey, explicitHashKey: explicit });
  into.hashKeys.push(hashKey);
  into.bytes.push(recordBytes(data, partitionKey));
  return ok(null);
}

/** The indices of the records larger than the stream's MaxRecordSizeInKiB. */
function oversized(routing: Routing, prepared: Prepared): number[] {
  const max = routing.routing.maxRecordSizeKiB * 1024;
  const out: number[] = [];
  for (let i = 0; i < prepared.bytes.length; i++) if (prepared.bytes[i]! > max) out.push(i);
  return out;
}

/**
 * The stream's routing, such that every record fits its MaxRecordSizeInKiB: a cached routing that
 * refuses a record is checked again fresh (the limit may just have been raised).
 */
async function routingFor(
  ctx: KinesisContext,
  ref: StreamRef,
  prepared: Prepared,
  paths: (i: number) => string,
): Promise<Result<Routing>> {
  let routing = await streamRouting(ctx, ref);
  if (!routing.ok) return routing;
  let tooBig = oversized(routing.value, prepared);
  if (tooBig.length) {
    routing = await streamRouting(ctx, ref, { fresh: true });
    if (!routing.ok) return routing;
    tooBig = oversized(routing.value, prepared);
  }
  if (tooBig.length) {
    const max = routing.value.routing.maxRecordSizeKiB * 1024;
    return fail(
      validationError(
        tooBig.slice(0, 10).map((i) => ({
          value: blobValue(prepared.entries[i]!.data.length),
          path: paths(i),
          constraint: `Member must have length less than or equal to ${max}`,
        })),
      ),
    );
  }
  return routing;
}

/** Where each entry was stored, by request index; a null sequence number where its shard refused it (throughput). */
interface Stored {
  shardIds: string[];
  sequenceNumbers: (string | null)[];
  routing: Routing;
}

/**
 * Sends each shard its entries (in request order, packed into one RPC) and collects sequence numbers
 * by request index. Entries whose shard answered closed/gone are retried once against fresh routing.
 */
async function store(ctx: KinesisContext, ref: StreamRef, routing: Routing, prepared: Prepared): Promise<Result<Stored>> {
  const count = prepared.entries.length;
  const shardIds = new Array<string>(count);
  const sequenceNumbers = new Array<string | null>(count);
  let pending: number[] | undefined;
  for (let attempt = 0; attempt === 0 || pending!.length; attempt++) {
    if (attempt > 1) return fail(streamNotFound(ref.name, ref.account));
    if (attempt > 0) {
      const fresh = await streamRouting(ctx, ref, { fresh: true });
      if (!fresh.ok) return fresh;
      routing = fresh.value;
    }
    const groups = new Map<ShardRange, number[]>();
    for (let k = 0, n = pending ? pending.length : count; k < n; k++) {
      const i = pending ? pending[k]! : k;
      const range = shardFor(routing.ranges, prepared.hashKeys[i]!);
      if (!range) return fail(streamNotFound(ref.name, ref.account));
      const group = groups.get(range);
      if (group) group.push(i);
      else groups.set(range, [i]);
    }
    const retry: number[] = [];
    const { createdAt, encryptionType } = routing.routing;
    const calls: Promise<void>[] = [];
    for (const [range, indices] of groups) {
      const shardId = range.shard.shardId;
      const stub = shardObject(ctx.env, { ...ref, stream: ref.name, createdAt, shardId });
      calls.push(
        stub.put(packPutBatch(prepared.entries, indices), encryptionType === "KMS").then((outcome) => {
          if (outcome.status !== "stored") {
            retry.push(...indices);
            return;
          }
          const numbers = storedSequenceNumbers(outcome, indices.length);
          for (let k = 0; k < indices.length; k++) {
            shardIds[indices[k]!] = shardId;
            sequenceNumbers[indices[k]!] = numbers[k]!;
          }
        }),
      );
    }
    await Promise.all(calls);
    if (retry.length) forgetRouting(ref);
    pending = retry.sort((a, b) => a - b);
  }
  return ok({ shardIds, sequenceNumbers, routing });
}

const emptyPrepared = (): Prepared => ({ entries: [], hashKeys: [], bytes: [] });

const putRecord: KinesisHandler<"PutRecord"> = async (ctx, input) => {
  const problem = validatePutRecord(input);
  if (problem) return fail(problem);
  const ref = resolveStream(ctx, input);
  if (!ref.ok) return ref;
  const prepared = emptyPrepared();
  // The validation above refused an absent PartitionKey.
  const added = prepare(prepared, input.Data, input.PartitionKey!, input.ExplicitHashKey);
  if (!added.ok) return added;
  const routing = await routingFor(ctx, ref.value, prepared, () => "data");
  if (!routing.ok) return routing;
  if (input.SequenceNumberForOrdering !== undefined) {
    // Our sequence numbers always increase per shard; the value only has to be one we could have issued.
    const parts = parseSequenceNumber(input.SequenceNumberForOrdering);
    if (!parts || parts.recordAt > ctx.now + 1000)
      return fail(
        invalidArgument(
          `ExclusiveMinimumSequenceNumber ${input.SequenceNumberForOrdering} used in PutRecord on stream ${ref.value.name} ` +
            `under account ${ref.value.account} is invalid.`,
        ),
      );
  }
  const stored = await store(ctx, ref.value, routing.value, prepared);
  if (!stored.ok) return stored;
  const shardId = stored.value.shardIds[0]!;
  const sequenceNumber = stored.value.sequenceNumbers[0];
  if (sequenceNumber == null) return fail(throughputExceeded(rateExceeded(shardId, ref.value)));
  return ok({ ShardId: shardId, SequenceNumber: sequenceNumber, EncryptionType: stored.value.routing.routing.encryptionType });
};

const putRecords: KinesisHandler<"PutRecords"> = async (ctx, input) => {
  const problem = validatePutRecords(input);
  if (problem) return fail(problem);
  const ref = resolveStream(ctx, input);
  if (!ref.ok) return ref;
  let total = 0;
  // The validation above refused an absent PartitionKey.
  for (const r of input.Records) total += recordBytes(r.Data, r.PartitionKey!);
  if (total > MAX_REQUEST_BYTES) return fail(invalidArgument("Records size exceeds 10 MB limit"));
  const prepared = emptyPrepared();
  for (const r of input.Records) {
    const added = prepare(prepared, r.Data, r.PartitionKey!, r.ExplicitHashKey);
    if (!added.ok) return added;
  }
  const routing = await routingFor(ctx, ref.value, prepared, (i) => `records.${i + 1}.member.data`);
  if (!routing.ok) return routing;
  const stored = await store(ctx, ref.value, routing.value, prepared);
  if (!stored.ok) return stored;
  const { shardIds, sequenceNumbers } = stored.value;
  let failed = 0;
  const out = new Array(sequenceNumbers.length);
  for (let i = 0; i < out.length; i++) {
    const sequenceNumber = sequenceNumbers[i];
    if (sequenceNumber != null) {
      out[i] = { SequenceNumber: sequenceNumber, ShardId: shardIds[i]! };
    } else {
      failed++;
      out[i] = { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: rateExceeded(shardIds[i]!, ref.value) };
    }
  }
  return ok({ FailedRecordCount: failed, Records: out, EncryptionType: stored.value.routing.routing.encryptionType });
};

export const putOperations: KinesisHandlers<"PutRecord" | "PutRecords"> = {
  PutRecord: putRecord,
  PutRecords: putRecords,
};
