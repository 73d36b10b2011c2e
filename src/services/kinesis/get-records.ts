/**
 * GetShardIterator and GetRecords. GetShardIterator checks the shard against the stream's routing,
 * resolves the starting position (in the shard for LATEST and AT_TIMESTAMP) and hands out an iterator;
 * GetRecords needs nothing but the iterator to reach the shard, and asks the stream only at the end
 * of a closed shard, for its children.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetShardIterator.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html
 */
import { resolveShardIndex } from "../../domain/kinesis/shard-map";
import { shardObject } from "../../durable/names";
import type { KinesisHandler } from "./context";
import { resourceNotFound, throughputExceeded } from "../../domain/kinesis/errors";
import { encodeIterator, invalidIterator, openIterator, type ShardIterator } from "../../domain/kinesis/iterators";
import { resolveStream, type StreamRef } from "./names";
import { rateExceeded } from "./put-records";
import {
  validateGetRecords,
  validateGetShardIterator,
  type GetRecordsInput,
  type GetShardIteratorInput,
} from "../../domain/kinesis/record-validation";
import { forgetRouting, streamRouting } from "./routing";
import { shardIdOf } from "../../domain/kinesis/sequence-numbers";
import { startingPosition } from "../../domain/kinesis/starting-position";

const shardMissing = (shardId: string, ref: StreamRef) =>
  resourceNotFound(`Shard ${shardId} in stream ${ref.name} under account ${ref.account} does not exist`);

const getShardIterator: KinesisHandler = async (ctx, raw) => {
  const input = raw as GetShardIteratorInput;
  validateGetShardIterator(input);
  const ref = resolveStream(ctx, input);
  const requested = input.ShardId!;
  const index = resolveShardIndex(requested);
  if (index === undefined || index > 2147483647)
    throw resourceNotFound(`Could not find shard ${requested} in stream ${ref.name} under account ${ref.account}.`);
  const shardId = shardIdOf(index);
  const notFound = () => shardMissing(shardId, ref);
  let routing = await streamRouting(ctx, ref, { notFound });
  let shard = routing.byId.get(shardId);
  if (!shard) {
    // A cached routing may predate a split or merge that created this shard.
    routing = await streamRouting(ctx, ref, { fresh: true, notFound });
    shard = routing.byId.get(shardId);
  }
  if (!shard) throw notFound();
  const start = startingPosition(
    "GetShardIterator",
    { type: input.ShardIteratorType!, sequenceNumber: input.StartingSequenceNumber, timestamp: input.Timestamp },
    { id: shardId, createdAt: shard.createdAt },
    ref,
    ctx.now,
  );
  const incarnation = routing.routing.createdAt;
  let seq: number;
  if (start.type === "AT") {
    seq = start.seq;
  } else {
    const outcome = await shardObject(ctx.env, { ...ref, stream: ref.name, createdAt: incarnation, shardId }).start(start);
    if (outcome.status === "gone") {
      forgetRouting(ref);
      throw notFound();
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
  return { ShardIterator: encodeIterator(iterator) };
};

const getRecords: KinesisHandler = async (ctx, raw) => {
  const input = raw as GetRecordsInput;
  validateGetRecords(input);
  const it = openIterator(input.ShardIterator!, ctx.now);
  // Hosted mode: an iterator only opens its own account's streams.
  if (ctx.strict && it.account !== ctx.account) throw invalidIterator();
  const ref: StreamRef = { account: it.account, region: it.region, name: it.stream };
  const stub = shardObject(ctx.env, { ...ref, stream: it.stream, createdAt: it.streamCreatedAt, shardId: it.shardId });
  const outcome = await stub.read({ seq: it.seq, limit: input.Limit ?? 10000 });
  if (outcome.status === "gone") throw shardMissing(it.shardId, ref);
  if (outcome.status === "throttled") throw throughputExceeded(rateExceeded(it.shardId, ref));
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
    return { Records: records, NextShardIterator: next, MillisBehindLatest: outcome.millisBehindLatest };
  }
  // The end of a closed shard: no next iterator; the children to continue with instead.
  const routing = await streamRouting(ctx, ref, { fresh: true, notFound: () => shardMissing(it.shardId, ref) });
  const children = routing.routing.shards
    .filter((s) => s.parentShardId === it.shardId || s.adjacentParentShardId === it.shardId)
    .map((s) => ({
      ShardId: s.shardId,
      ParentShards: [s.parentShardId, s.adjacentParentShardId].filter((p): p is string => p !== undefined),
      HashKeyRange: { StartingHashKey: s.startingHashKey, EndingHashKey: s.endingHashKey },
    }));
  return { Records: records, MillisBehindLatest: 0, ChildShards: children };
};

export const readOperations: Record<string, KinesisHandler> = {
  GetShardIterator: getShardIterator,
  GetRecords: getRecords,
};
