/**
 * PutRecord and PutRecords: validate, hash each partition key (or take the ExplicitHashKey), route to
 * the open shard whose range holds the key, and append through the shard objects — PutRecords groups
 * its entries by shard and calls the shards in parallel, then answers in request order.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
 */
import { shardObject } from "../../durable/names";
import type { PutEntry, PutOutcome } from "../../domain/kinesis/shard-contract";
import type { KinesisContext, KinesisHandler } from "./context";
import { invalidArgument, streamNotFound, throughputExceeded, validationError } from "../../domain/kinesis/errors";
import { explicitHashKey, partitionKeyHash, shardFor } from "../../domain/kinesis/hash-keys";
import { resolveStream, type StreamRef } from "./names";
import {
  blobValue,
  validatePutRecord,
  validatePutRecords,
  type PutRecordInput,
  type PutRecordsInput,
} from "../../domain/kinesis/record-validation";
import { forgetRouting, streamRouting, type Routing } from "./routing";
import { parseSequenceNumber } from "../../domain/kinesis/sequence-numbers";

/** PutRecords carries at most 10 MiB of data and partition keys. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const utf8 = new TextEncoder();
const byteLength = (text: string): number => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return utf8.encode(text).length;
  return text.length;
};

export const rateExceeded = (shardId: string, ref: StreamRef): string =>
  `Rate exceeded for shard ${shardId} in stream ${ref.name} under account ${ref.account}.`;

interface Prepared {
  entry: PutEntry;
  hashKey: bigint;
  bytes: number;
}

function prepare(data: Uint8Array, partitionKey: string, explicit: string | undefined): Prepared {
  let hashKey: bigint;
  if (explicit !== undefined) {
    const key = explicitHashKey(explicit);
    if (key === undefined)
      throw invalidArgument(
        `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicit}`,
      );
    hashKey = key;
  } else {
    hashKey = partitionKeyHash(partitionKey);
  }
  const entry: PutEntry = explicit === undefined ? { data, partitionKey } : { data, partitionKey, explicitHashKey: explicit };
  return { entry, hashKey, bytes: data.length + byteLength(partitionKey) };
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
): Promise<Routing> {
  let routing = await streamRouting(ctx, ref);
  const tooBig = (r: Routing) =>
    prepared.map((p, i) => [p, i] as const).filter(([p]) => p.bytes > r.routing.maxRecordSizeKiB * 1024);
  let oversized = tooBig(routing);
  if (oversized.length) {
    routing = await streamRouting(ctx, ref, { fresh: true });
    oversized = tooBig(routing);
  }
  if (oversized.length) {
    const max = routing.routing.maxRecordSizeKiB * 1024;
    throw validationError(
      oversized.slice(0, 10).map(([p, i]) => ({
        value: blobValue(p.entry.data.length),
        path: paths(i),
        constraint: `Member must have length less than or equal to ${max}`,
      })),
    );
  }
  return routing;
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
): Promise<{ results: ({ shardId: string; sequenceNumber: string | null } | undefined)[]; routing: Routing }> {
  const results: ({ shardId: string; sequenceNumber: string | null } | undefined)[] = new Array(prepared.length);
  let pending = prepared.map((_, i) => i);
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 1) throw streamNotFound(ref.name, ref.account);
    if (attempt > 0) routing = await streamRouting(ctx, ref, { fresh: true });
    const groups = new Map<string, number[]>();
    for (const i of pending) {
      const range = shardFor(routing.ranges, prepared[i]!.hashKey);
      if (!range) throw streamNotFound(ref.name, ref.account);
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
  return { results, routing };
}

const putRecord: KinesisHandler = async (ctx, raw) => {
  const input = raw as PutRecordInput;
  validatePutRecord(input);
  const ref = resolveStream(ctx, input);
  const data = input.Data!;
  const partitionKey = input.PartitionKey!;
  const prepared = [prepare(data, partitionKey, input.ExplicitHashKey)];
  const routing = await routingFor(ctx, ref, prepared, () => "data");
  if (input.SequenceNumberForOrdering !== undefined) {
    // Our sequence numbers always increase per shard; the value only has to be one we could have issued.
    const parts = parseSequenceNumber(input.SequenceNumberForOrdering);
    if (!parts || parts.recordAt > ctx.now + 1000)
      throw invalidArgument(
        `ExclusiveMinimumSequenceNumber ${input.SequenceNumberForOrdering} used in PutRecord on stream ${ref.name} ` +
          `under account ${ref.account} is invalid.`,
      );
  }
  const { results, routing: used } = await store(ctx, ref, routing, prepared);
  const result = results[0]!;
  if (result.sequenceNumber === null) throw throughputExceeded(rateExceeded(result.shardId, ref));
  return { ShardId: result.shardId, SequenceNumber: result.sequenceNumber, EncryptionType: used.routing.encryptionType };
};

const putRecords: KinesisHandler = async (ctx, raw) => {
  const input = raw as PutRecordsInput;
  validatePutRecords(input);
  const ref = resolveStream(ctx, input);
  const records = input.Records!;
  let total = 0;
  for (const r of records) total += r.Data!.length + byteLength(r.PartitionKey!);
  if (total > MAX_REQUEST_BYTES) throw invalidArgument("Records size exceeds 10 MB limit");
  const prepared = records.map((r) => prepare(r.Data!, r.PartitionKey!, r.ExplicitHashKey));
  const routing = await routingFor(ctx, ref, prepared, (i) => `records.${i + 1}.member.data`);
  const { results, routing: used } = await store(ctx, ref, routing, prepared);
  let failed = 0;
  const out = results.map((result) => {
    const { shardId, sequenceNumber } = result!;
    if (sequenceNumber !== null) return { SequenceNumber: sequenceNumber, ShardId: shardId };
    failed++;
    return { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: rateExceeded(shardId, ref) };
  });
  return { FailedRecordCount: failed, Records: out, EncryptionType: used.routing.encryptionType };
};

export const putOperations: Record<string, KinesisHandler> = {
  PutRecord: putRecord,
  PutRecords: putRecords,
};
