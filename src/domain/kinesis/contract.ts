/**
 * What crosses RPC between the Worker, StreamObject (one per Kinesis stream: metadata, shard map,
 * consumers) and ShardObject (one per shard: records, throughput budget, retention alarm).
 * Hash keys and sequence numbers are decimal strings (128-bit and ~190-bit integers).
 */

export type StreamStatus = "CREATING" | "DELETING" | "ACTIVE" | "UPDATING";
export type StreamMode = "PROVISIONED" | "ON_DEMAND";

/** One shard as DescribeStream / ListShards show it, plus what routing needs. */
export interface ShardInfo {
  shardId: string;
  parentShardId?: string;
  adjacentParentShardId?: string;
  startingHashKey: string;
  endingHashKey: string;
  startingSequenceNumber: string;
  /** Set once the shard is closed by a split or merge. */
  endingSequenceNumber?: string;
  /** Epoch ms the shard was created (encoded in its sequence numbers). */
  createdAt: number;
  /** Epoch ms the shard was closed. */
  closedAt?: number;
}

/** What the Worker needs to route and validate data-plane calls; cached briefly by the Worker. */
export interface StreamRouting {
  streamName: string;
  streamArn: string;
  /** Epoch ms of CreateStream: identifies this incarnation of the name (see shardObject()). */
  createdAt: number;
  status: StreamStatus;
  mode: StreamMode;
  retentionHours: number;
  maxRecordSizeKiB: number;
  encryptionType: "NONE" | "KMS";
  keyId?: string;
  /** Every shard, open and closed, in creation order. */
  shards: ShardInfo[];
}

/** What a ShardObject needs to know about itself; sent by StreamObject when the shard is created. */
export interface ShardSpec {
  account: string;
  region: string;
  streamName: string;
  streamArn: string;
  streamCreatedAt: number;
  shard: ShardInfo;
  retentionHours: number;
  /** Per-shard limits apply (provisioned stream and throttling configured on). */
  throttled: boolean;
}

/** The stream's settings as StreamObject keeps them (one JSON row); shards and tags live in tables. */
export interface StreamState {
  account: string;
  region: string;
  name: string;
  arn: string;
  /** Epoch ms of CreateStream (StreamCreationTimestamp; names the shard objects). */
  createdAt: number;
  status: StreamStatus;
  /** When the current CREATING/UPDATING/DELETING completes (epoch ms); absent when ACTIVE. */
  statusDueAt?: number;
  mode: StreamMode;
  retentionHours: number;
  maxRecordSizeKiB: number;
  encryptionType: "NONE" | "KMS";
  keyId?: string;
  /** Enhanced monitoring: the enabled shard-level metrics (never "ALL"; that is expanded). */
  shardLevelMetrics: string[];
  /** On-demand streams only (UpdateStreamWarmThroughput, CreateStream WarmThroughputMiBps). */
  warmThroughputMiBps?: number;
  /** Resource policies (PutResourcePolicy) as the caller sent them: "" for the stream, else a consumer name. */
  policies?: Record<string, string>;
  /** Resharding waiting for the UPDATING period to end (SplitShard, MergeShards, UpdateShardCount). */
  pendingReshard?: ReshardPlan;
  /** Epoch ms of the UpdateShardCount calls of the last 24 hours (AWS allows 10). */
  scalingHistory?: number[];
}

/**
 * A reshard to apply when UPDATING ends: children to create (by hash range, taking the next shard
 * indexes in order) and shards to close. UpdateShardCount's plans also close children of their own
 * (short-lived shards between a split and a merge): parents and `close` entries from `firstIndex` on
 * name the plan's children, `firstIndex` being the index the first child was planned to take.
 */
export interface ReshardPlan {
  close: number[];
  create: { parent: number; adjacentParent?: number; startingHashKey: string; endingHashKey: string }[];
  firstIndex?: number;
}

/** What CreateStream asks StreamObject for; limits are decided by the Worker from configuration. */
export interface CreateStreamRequest {
  account: string;
  region: string;
  name: string;
  arn: string;
  shardCount: number;
  mode: StreamMode;
  tags: Record<string, string>;
  maxRecordSizeKiB: number;
  warmThroughputMiBps?: number;
  shardLimit: number;
  onDemandStreamLimit: number;
}

/** DescribeStream / DescribeStreamSummary / ListShards: the state, every shard, and counts. */
export interface StreamView {
  state: StreamState;
  shards: ShardInfo[];
  consumerCount: number;
}
