/**
 * PutRecord and PutRecords: validate, hash each partition key (or take the ExplicitHashKey), route to
 * the open shard whose range holds the key, and append through the shard objects — PutRecords groups
 * its entries by shard and calls the shards in parallel, then answers in request order.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
 */
import { shardObject } from "../../durable/names";
import { fail, ok, type Result } from "../../domain/errors";
import type { PutEntry, PutOutcome } from "../../domain/kinesis/shard-contract";
import type { KinesisContext, KinesisHandler, KinesisHandlers } from "./context";
import { invalidArgument, streamNotFound, throughputExceeded, validationError } from "../../domain/kinesis/errors";
import { explicitHashKey, partitionKeyHash, shardFor } from "../../domain/kinesis/hash-keys";
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

interface Prepared {
  entry: PutEntry;
  hashKey: bigint;
  bytes: number;
}

function prepare(data: Uint8Array, partitionKey: string, explicit: string | undefined): Result<Prepared> {
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
  const entry: PutEntry = explicit === undefined ? { data, partitionKey } : { data, partitionKey, explicitHashKey: explicit };
  return ok({ entry, hashKey, bytes: recordBytes(data, partitionKey) });
}

/**
 * The stream's routing, such that every record fits its MaxRecordSizeInKiB: a cached routing that
 * refuses a record is checked again fresh (the limit may just have been raised).
 */
async function routingFor(
  ctx: KinesisContext,
  ref: StreamRef,
  prepared: Prepared[],
  paths: (i: number) => string,
): Promise<Result<Routing>> {
  let routing = await streamRouting(ctx, ref);
  if (!routing.ok) return routing;
  const tooBig = (r: Routing) =>
    prepared.map((p, i) => [p, i] as const).filter(([p]) => p.bytes > r.routing.maxRecordSizeKiB * 1024);
  let oversized = tooBig(routing.value);
  if (oversized.length) {
    routing = await streamRouting(ctx, ref, { fresh: true });
    if (!routing.ok) return routing;
    oversized = tooBig(routing.value);
  }
  if (oversized.length) {
    const max = routing.value.routing.maxRecordSizeKiB * 1024;
    return fail(
      validationError(
        oversized.slice(0, 10).map(([p, i]) => ({
          value: blobValue(p.entry.data.length),
          path: paths(i),
          constraint: `Member must have length less than or equal to ${max}`,
        })),
      ),
    );
  }
  return routing;
}

/** Where one entry was stored; a null sequence number when its shard refused it (throughput). */
interface Stored {
  shardId: string;
  sequenceNumber: string | null;
}

/**
 * Sends each shard its entries (in request order) and collects sequence numbers by request index.
 * Entries whose shard answered closed/gone are retried once against fresh routing.
 */
async function store(
  ctx: KinesisContext,
  ref: StreamRef,
  routing: Routing,
  prepared: Prepared[],
): Promise<Result<{ results: Stored[]; routing: Routing }>> {
  const results: Stored[] = new Array(prepared.length);
  let pending = prepared.map((_, i) => i);
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 1) return fail(streamNotFound(ref.name, ref.account));
    if (attempt > 0) {
      const fresh = await streamRouting(ctx, ref, { fresh: true });
      if (!fresh.ok) return fresh;
      routing = fresh.value;
    }
    const groups = new Map<string, number[]>();
    for (const i of pending) {
      const range = shardFor(routing.ranges, prepared[i]!.hashKey);
      if (!range) return fail(streamNotFound(ref.name, ref.account));
      const group = groups.get(range.shard.shardId);
      if (group) group.push(i);
      else groups.set(range.shard.shardId, [i]);
    }
    const retry: number[] = [];
    const incarnation = routing.routing.createdAt;
    await Promise.all(
      [...groups].map(async ([shardId, indices]) => {
        const stub = shardObject(ctx.env, { ...ref, stream: ref.name, createdAt: incarnation, shardId });
        const encrypted = routing.routing.encryptionType === "KMS";
        const outcome: PutOutcome = await stub.put(
          indices.map((i) => prepared[i]!.entry),
          encrypted,
        );
        if (outcome.status !== "stored") {
          retry.push(...indices);
          return;
        }
        indices.forEach((i, k) => (results[i] = { shardId, sequenceNumber: outcome.sequenceNumbers[k]! }));
      }),
    );
    if (retry.length) forgetRouting(ref);
    pending = retry.sort((a, b) => a - b);
  }
  return ok({ results, routing });
}

const putRecord: KinesisHandler<"PutRecord"> = async (ctx, input) => {
  const problem = validatePutRecord(input);
  if (problem) return fail(problem);
  const ref = resolveStream(ctx, input);
  if (!ref.ok) return ref;
  // The validation above refused an absent PartitionKey.
  const prepared = prepare(input.Data, input.PartitionKey!, input.ExplicitHashKey);
  if (!prepared.ok) return prepared;
  const routing = await routingFor(ctx, ref.value, [prepared.value], () => "data");
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
  const stored = await store(ctx, ref.value, routing.value, [prepared.value]);
  if (!stored.ok) return stored;
  const { shardId, sequenceNumber } = stored.value.results[0]!;
  if (sequenceNumber === null) return fail(throughputExceeded(rateExceeded(shardId, ref.value)));
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
  const prepared: Prepared[] = [];
  for (const r of input.Records) {
    const entry = prepare(r.Data, r.PartitionKey!, r.ExplicitHashKey);
    if (!entry.ok) return entry;
    prepared.push(entry.value);
  }
  const routing = await routingFor(ctx, ref.value, prepared, (i) => `records.${i + 1}.member.data`);
  if (!routing.ok) return routing;
  const stored = await store(ctx, ref.value, routing.value, prepared);
  if (!stored.ok) return stored;
  let failed = 0;
  const out = stored.value.results.map(({ shardId, sequenceNumber }) => {
    if (sequenceNumber !== null) return { SequenceNumber: sequenceNumber, ShardId: shardId };
    failed++;
    return { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: rateExceeded(shardId, ref.value) };
  });
  return ok({ FailedRecordCount: failed, Records: out, EncryptionType: stored.value.routing.routing.encryptionType });
};

export const putOperations: KinesisHandlers<"PutRecord" | "PutRecords"> = {
  PutRecord: putRecord,
  PutRecords: putRecords,
};
