/** SplitShard, MergeShards, UpdateShardCount. */
import type { KinesisHandler } from "./context";

export const reshardingOperations: Record<string, KinesisHandler> = {};
