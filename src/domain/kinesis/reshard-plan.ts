/**
 * Resharding as plans over the current shard map: which open shards close and which children open
 * (with their parents), checked against AWS's rules and worded as AWS words its refusals. Pure:
 * StreamObject plans under its own lock-free single turn, then applies the plan when UPDATING ends.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SplitShard.html
 */
import { invalidArgument, limitExceeded, resourceNotFound } from "./errors";
import { fail, ok, type Result } from "../errors";
import { notActive } from "./stream-changes";
import { adjacent, indexOf, isOpen, resolveShardIndex } from "./shard-map";
import type { ReshardPlan, ShardInfo, StreamState } from "./contract";
import { planUniformScaling } from "./uniform-scaling";

export type ReshardRequest =
  | { kind: "split"; shardToSplit: string; newStartingHashKey: string }
  | { kind: "merge"; shardToMerge: string; adjacentShardToMerge: string }
  | { kind: "scale"; targetShardCount: number };

/** UpdateShardCount calls per stream in a rolling 24 hours (AWS default quota). */
export const MAX_SCALINGS_PER_DAY = 10;
const DAY_MS = 24 * 3_600_000;

/**
 * Whether the stream may reshard now (provisioned, ACTIVE, under the daily scaling quota), and the
 * plan; `scalingHistory` is the stream's updated record of UpdateShardCount calls.
 */
export function planReshard(
  state: StreamState,
  shards: ShardInfo[],
  request: ReshardRequest,
  context: { shardLimit: number; now: number },
): Result<{ plan: ReshardPlan; scalingHistory: number[] }> {
  if (state.mode === "ON_DEMAND")
    return fail({
      code: "ValidationException",
      message: `Request is invalid. Stream ${state.name} under account ${state.account} is in On-Demand mode.`,
    });
  const inactive = notActive(state);
  if (inactive) return fail(inactive);
  const history = (state.scalingHistory ?? []).filter((t) => t > context.now - DAY_MS);
  if (request.kind === "scale" && history.length >= MAX_SCALINGS_PER_DAY)
    return fail(
      limitExceeded(
        `UpdateShardCount cannot be called more than ${MAX_SCALINGS_PER_DAY} times in a rolling 24-hour period ` +
          `for stream ${state.name} under account ${state.account}.`,
      ),
    );
  const planned = planShards(state, shards, request, context.shardLimit);
  if (!planned.ok) return planned;
  return ok({ plan: planned.value, scalingHistory: request.kind === "scale" ? [...history, context.now] : history });
}

function findShard(state: StreamState, shards: ShardInfo[], text: string): Result<ShardInfo> {
  const index = resolveShardIndex(text);
  const shard = index === undefined ? undefined : shards.find((s) => indexOf(s) === index);
  if (shard) return ok(shard);
  return fail(resourceNotFound(`Could not find shard ${text} in stream ${state.name} under account ${state.account}.`));
}

const notEligible = (state: StreamState, shard: ShardInfo) =>
  invalidArgument(
    `Shard ${shard.shardId} in stream ${state.name} under account ${state.account} has already been merged or split, ` +
      "and thus is not eligible for merging or splitting.",
  );

/** The plan alone, against the shard map. */
export function planShards(
  state: StreamState,
  shards: ShardInfo[],
  request: ReshardRequest,
  shardLimit: number,
): Result<ReshardPlan> {
  switch (request.kind) {
    case "split": {
      const found = findShard(state, shards, request.shardToSplit);
      if (!found.ok) return found;
      const shard = found.value;
      if (!isOpen(shard)) return fail(notEligible(state, shard));
      const key = BigInt(request.newStartingHashKey);
      const start = BigInt(shard.startingHashKey);
      const end = BigInt(shard.endingHashKey);
      if (key <= start + 1n || key >= end)
        return fail(
          invalidArgument(
            `NewStartingHashKey ${request.newStartingHashKey} used in SplitShard() on shard ${shard.shardId} in stream ${state.name} ` +
              `under account ${state.account} is not both greater than one plus the shard's StartingHashKey ${shard.startingHashKey} ` +
              `and less than the shard's EndingHashKey ${shard.endingHashKey}.`,
          ),
        );
      const parent = indexOf(shard);
      return ok({
        close: [parent],
        create: [
          { parent, startingHashKey: shard.startingHashKey, endingHashKey: String(key - 1n) },
          { parent, startingHashKey: String(key), endingHashKey: shard.endingHashKey },
        ],
      });
    }
    case "merge": {
      const foundA = findShard(state, shards, request.shardToMerge);
      if (!foundA.ok) return foundA;
      const foundB = findShard(state, shards, request.adjacentShardToMerge);
      if (!foundB.ok) return foundB;
      const [a, b] = [foundA.value, foundB.value];
      for (const s of [a, b]) if (!isOpen(s)) return fail(notEligible(state, s));
      const [low, high] = adjacent(a, b) ? [a, b] : adjacent(b, a) ? [b, a] : [];
      if (!low || !high || a === b)
        return fail(
          invalidArgument(
            `Shards ${a.shardId} and ${b.shardId} in stream ${state.name} under account ${state.account} ` +
              "are not an adjacent pair of shards eligible for merging",
          ),
        );
      return ok({
        close: [indexOf(a), indexOf(b)],
        create: [
          {
            parent: indexOf(a),
            adjacentParent: indexOf(b),
            startingHashKey: low.startingHashKey,
            endingHashKey: high.endingHashKey,
          },
        ],
      });
    }
    case "scale":
      return planScaling(shards, request.targetShardCount, shardLimit);
  }
}

/**
 * UpdateShardCount (UNIFORM_SCALING) within AWS's bounds (up to double, down to half the open
 * shards), ending with uniform hash ranges through splits and merges (./uniform-scaling.ts). The
 * current count again is a no-op, as before: no UPDATING, nothing reshaped.
 */
function planScaling(shards: ShardInfo[], target: number, shardLimit: number): Result<ReshardPlan> {
  const n = shards.filter(isOpen).length;
  const counts = `Current open shard count: ${n}, Target shard count: ${target}`;
  if (target > shardLimit)
    return fail(limitExceeded(`Target shard count or number of open shards cannot be greater than ${shardLimit}. ${counts}`));
  if (target > n * 2)
    return fail(limitExceeded(`UpdateShardCount cannot scale up over double your current open shard count. ${counts}`));
  if (target < n / 2)
    return fail(limitExceeded(`UpdateShardCount cannot scale down below half your current open shard count. ${counts}`));
  if (target === n) return ok({ close: [], create: [] });
  return ok(planUniformScaling(shards, target));
}
