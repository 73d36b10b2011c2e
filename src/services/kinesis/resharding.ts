/**
 * SplitShard, MergeShards, UpdateShardCount: the StreamObject plans them against its shard map
 * (src/domain/kinesis/reshard-plan.ts), goes UPDATING, and closes parents / opens children when the
 * status delay has passed. Closed shards stay readable to their end; clients follow ParentShardId.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html
 */
import type { ReshardRequest } from "../../domain/kinesis/reshard-plan";
import { fail, ok, type Problem, type Result } from "../../domain/errors";
import type { KinesisContext, KinesisHandler, KinesisHandlers } from "./context";
import { streamLimits } from "./limits";
import type { StreamRef } from "../../domain/kinesis/names";
import { streamNames } from "./stream-output";
import { changeStream } from "./stream-call";
import { checks, HASH_KEY_PATTERN } from "../../domain/kinesis/validate";

/** Unless the checks found a problem: the stream the call names, resharded (planned, for UPDATING to apply). */
async function reshard(
  ctx: KinesisContext,
  input: { StreamName?: string; StreamARN?: string },
  problem: Problem,
  request: ReshardRequest,
): Promise<Result<{ ref: StreamRef; value: { openShards: number } }>> {
  if (problem) return fail(problem);
  return changeStream(ctx, input, (stream) => stream.reshard(request, streamLimits(ctx)));
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SplitShard.html
const splitShard: KinesisHandler<"SplitShard"> = async (ctx, input) => {
  const { ShardToSplit: shardToSplit, NewStartingHashKey: newStartingHashKey } = input;
  const problem = checks()
    .string(newStartingHashKey, "newStartingHashKey", { pattern: HASH_KEY_PATTERN })
    .name(shardToSplit, "shardToSplit")
    .done();
  const done = await reshard(ctx, input, problem, { kind: "split", shardToSplit, newStartingHashKey });
  return done.ok ? ok({}) : done;
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MergeShards.html
const mergeShards: KinesisHandler<"MergeShards"> = async (ctx, input) => {
  const { ShardToMerge: shardToMerge, AdjacentShardToMerge: adjacentShardToMerge } = input;
  const problem = checks().name(shardToMerge, "shardToMerge").name(adjacentShardToMerge, "adjacentShardToMerge").done();
  const done = await reshard(ctx, input, problem, { kind: "merge", shardToMerge, adjacentShardToMerge });
  return done.ok ? ok({}) : done;
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html
const updateShardCount: KinesisHandler<"UpdateShardCount"> = async (ctx, input) => {
  const problem = checks()
    .range(input.TargetShardCount, "targetShardCount", 1, 100000)
    .oneOf(input.ScalingType, "scalingType", ["UNIFORM_SCALING"])
    .done();
  const done = await reshard(ctx, input, problem, { kind: "scale", targetShardCount: input.TargetShardCount });
  if (!done.ok) return done;
  const { ref, value } = done.value;
  return ok({ ...streamNames(ref), CurrentShardCount: value.openShards, TargetShardCount: input.TargetShardCount });
};

export const reshardingOperations: KinesisHandlers<"SplitShard" | "MergeShards" | "UpdateShardCount"> = {
  SplitShard: splitShard,
  MergeShards: mergeShards,
  UpdateShardCount: updateShardCount,
};
