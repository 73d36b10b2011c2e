/**
 * GetShardIterator and GetRecords. GetShardIterator checks the shard against the stream's routing,
 * resolves the starting position (in the shard for LATEST and AT_TIMESTAMP) and hands out an iterator;
 * GetRecords needs nothing but the iterator to reach the shard, and asks the stream only at the end
 * of a closed shard, for its children.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetShardIterator.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html
 */
import { requestedShardId } from "../../domain/kinesis/shard-map";
import { shardObject } from "../../durable/names";
import { fail, ok } from "../../domain/errors";
import type { KinesisHandler, KinesisHandlers } from "./context";
import { shardNotFound, throughputExceeded } from "../../domain/kinesis/errors";
import { encodeIterator, invalidIterator, openIterator, type ShardIterator } from "../../domain/kinesis/iterators";
import type { StreamRef } from "../../domain/kinesis/names";
import { resolveStream } from "./names";
import { rateExceeded } from "./put-records";
import { validateGetRecords, validateGetShardIterator } from "../../domain/kinesis/record-validation";
import { forgetRouting, streamRouting } from "./routing";
import { startingPosition } from "../../domain/kinesis/starting-position";

const getShardIterator: KinesisHandler<"GetShardIterator"> = async (ctx, input) => {
  const problem = validateGetShardIterator(input);
  if (problem) return fail(problem);
  const resolved = resolveStream(ctx, input);
  if (!resolved.ok) return resolved;
  const ref = resolved.value;
  const requested = requestedShardId(input.ShardId, ref);
  if (!requested.ok) return requested;
  const shardId = requested.value;
  const notFound = () => shardNotFound(shardId, ref);
  let routing = await streamRouting(ctx, ref, { notFound });
  if (!routing.ok) return routing;
  let shard = routing.value.byId.get(shardId);
  if (!shard) {
    // A cached routing may predate a split or merge that created this shard.
    routing = await streamRouting(ctx, ref, { fresh: true, notFound });
    if (!routing.ok) return routing;
    shard = routing.value.byId.get(shardId);
  }
  if (!shard) return fail(notFound());
  const start = startingPosition(
    "GetShardIterator",
    { type: input.ShardIteratorType, sequenceNumber: input.StartingSequenceNumber, timestamp: input.Timestamp },
    { id: shardId, createdAt: shard.createdAt },
    ref,
    ctx.now,
  );
  if (!start.ok) return start;
  const incarnation = routing.value.routing.createdAt;
  let seq: number;
  if (start.value.type === "AT") {
    seq = start.value.seq;
  } else {
    const outcome = await shardObject(ctx.env, { ...ref, stream: ref.name, createdAt: incarnation, shardId }).start(start.value);
    if (outcome.status === "gone") {
      forgetRouting(ref);
      return fail(notFound());
    }
    seq = outcome.seq;
  }
  const iterator: ShardIterator = {
    issuedAt: ctx.now,
    account: ref.account,
    region: ref.region,
    stream: ref.name,
    streamCreatedAt: incarnation,
    shardId,
    seq,
  };
  return ok({ ShardIterator: encodeIterator(iterator) });
};

const getRecords: KinesisHandler<"GetRecords"> = async (ctx, input) => {
  const problem = validateGetRecords(input);
  if (problem) return fail(problem);
  const opened = openIterator(input.ShardIterator, ctx.now);
  if (!opened.ok) return opened;
  const it = opened.value;
  // Hosted mode: an iterator only opens its own account's streams.
  if (ctx.strict && it.account !== ctx.account) return fail(invalidIterator());
  const ref: StreamRef = { account: it.account, region: it.region, name: it.stream };
  const stub = shardObject(ctx.env, { ...ref, stream: it.stream, createdAt: it.streamCreatedAt, shardId: it.shardId });
  const outcome = await stub.read({ seq: it.seq, limit: input.Limit ?? 10000 });
  if (outcome.status === "gone") return fail(shardNotFound(it.shardId, ref));
  if (outcome.status === "throttled") return fail(throughputExceeded(rateExceeded(it.shardId, ref)));
  // EncryptionType appears on records only when they were encrypted (AWS omits NONE here).
  const records = outcome.records.map((r) => ({
    SequenceNumber: r.sequenceNumber,
    ApproximateArrivalTimestamp: new Date(r.arrivedAt),
    Data: r.data,
    PartitionKey: r.partitionKey,
    EncryptionType: r.encrypted ? "KMS" : undefined,
  }));
  if (!outcome.ended) {
    const next = encodeIterator({ ...it, issuedAt: ctx.now, seq: outcome.nextSeq });
    return ok({ Records: records, NextShardIterator: next, MillisBehindLatest: outcome.millisBehindLatest });
  }
  // The end of a closed shard: no next iterator; the children to continue with instead.
  const routing = await streamRouting(ctx, ref, { fresh: true, notFound: () => shardNotFound(it.shardId, ref) });
  if (!routing.ok) return routing;
  const children = routing.value.routing.shards
    .filter((s) => s.parentShardId === it.shardId || s.adjacentParentShardId === it.shardId)
    .map((s) => ({
      ShardId: s.shardId,
      ParentShards: [s.parentShardId, s.adjacentParentShardId].filter((p): p is string => p !== undefined),
      HashKeyRange: { StartingHashKey: s.startingHashKey, EndingHashKey: s.endingHashKey },
    }));
  return ok({ Records: records, MillisBehindLatest: 0, ChildShards: children });
};

export const readOperations: KinesisHandlers<"GetShardIterator" | "GetRecords"> = {
  GetShardIterator: getShardIterator,
  GetRecords: getRecords,
};
