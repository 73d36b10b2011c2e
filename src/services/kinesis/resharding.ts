/**
 * SplitShard, MergeShards, UpdateShardCount: the StreamObject plans them against its shard map
 * (src/durable/stream/reshard-plan.ts), goes UPDATING, and closes parents / opens children when the
 * status delay has passed. Closed shards stay readable to their end; clients follow ParentShardId.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html
 */
import type { MergeShardsInput, SplitShardInput, UpdateShardCountInput } from "@aws-sdk/client-kinesis";
import { streamObject } from "../../durable/names";
import type { ReshardRequest } from "../../domain/kinesis/reshard-plan";
import { unwrap } from "../../domain/errors";
import type { KinesisContext, KinesisHandler } from "./context";
import { streamLimits } from "./limits";
import { resolveStream, streamArn, type StreamRef } from "./names";
import { forgetRouting } from "./routing";
import { checks, HASH_KEY_PATTERN } from "../../domain/kinesis/validate";

async function reshard(ctx: KinesisContext, ref: StreamRef, request: ReshardRequest) {
  const result = unwrap(await streamObject(ctx.env, ref).reshard(request, streamLimits(ctx)));
  forgetRouting(ref);
  return result;
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SplitShard.html
async function splitShard(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<SplitShardInput>;
  checks()
    .required(input.NewStartingHashKey, "newStartingHashKey")
    .string(input.NewStartingHashKey, "newStartingHashKey", { pattern: HASH_KEY_PATTERN })
    .required(input.ShardToSplit, "shardToSplit")
    .name(input.ShardToSplit, "shardToSplit")
    .done();
  const ref = resolveStream(ctx, input);
  await reshard(ctx, ref, { kind: "split", shardToSplit: input.ShardToSplit!, newStartingHashKey: input.NewStartingHashKey! });
  return {};
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MergeShards.html
async function mergeShards(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<MergeShardsInput>;
  checks()
    .required(input.ShardToMerge, "shardToMerge")
    .name(input.ShardToMerge, "shardToMerge")
    .required(input.AdjacentShardToMerge, "adjacentShardToMerge")
    .name(input.AdjacentShardToMerge, "adjacentShardToMerge")
    .done();
  const ref = resolveStream(ctx, input);
  await reshard(ctx, ref, {
    kind: "merge",
    shardToMerge: input.ShardToMerge!,
    adjacentShardToMerge: input.AdjacentShardToMerge!,
  });
  return {};
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html
async function updateShardCount(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<UpdateShardCountInput>;
  checks()
    .required(input.TargetShardCount, "targetShardCount")
    .range(input.TargetShardCount, "targetShardCount", 1, 100000)
    .required(input.ScalingType, "scalingType")
    .oneOf(input.ScalingType, "scalingType", ["UNIFORM_SCALING"])
    .done();
  const ref = resolveStream(ctx, input);
  const { openShards } = await reshard(ctx, ref, { kind: "scale", targetShardCount: input.TargetShardCount! });
  return {
    StreamName: ref.name,
    StreamARN: streamArn(ref),
    CurrentShardCount: openShards,
    TargetShardCount: input.TargetShardCount,
  };
}

export const reshardingOperations: Record<string, KinesisHandler> = {
  SplitShard: splitShard,
  MergeShards: mergeShards,
  UpdateShardCount: updateShardCount,
};
