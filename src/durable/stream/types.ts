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
