/**
 * How a stream and its shards appear in DescribeStream, DescribeStreamSummary, ListStreams and
 * ListShards answers: the members they share, in the generated output types.
 */
import type { ShardInfo, StreamState } from "../../domain/kinesis/contract";
import { streamArn, type StreamRef } from "../../domain/kinesis/names";
import type { Shard, StreamDescription } from "./shapes/types";

/** ListShards and ListStreams NextTokens are valid for 300 s (ExpiredNextTokenException). */
export const NEXT_TOKEN_LIFETIME_MS = 300_000;

export const shardOutput = (s: ShardInfo): Shard => ({
  ShardId: s.shardId,
  ParentShardId: s.parentShardId,
  AdjacentParentShardId: s.adjacentParentShardId,
  HashKeyRange: { StartingHashKey: s.startingHashKey, EndingHashKey: s.endingHashKey },
  SequenceNumberRange: { StartingSequenceNumber: s.startingSequenceNumber, EndingSequenceNumber: s.endingSequenceNumber },
});

/** StreamName and StreamARN, as the answers of settings and scaling changes name their stream. */
export const streamNames = (ref: StreamRef): { StreamName: string; StreamARN: string } => ({
  StreamName: ref.name,
  StreamARN: streamArn(ref),
});

/** AWS reports StreamCreationTimestamp in whole seconds. */
export const creationTimestamp = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

/** What DescribeStream and DescribeStreamSummary both say of a stream. */
export const streamSummary = (
  state: StreamState,
): Pick<
  StreamDescription,
  | "StreamName"
  | "StreamARN"
  | "StreamStatus"
  | "StreamModeDetails"
  | "RetentionPeriodHours"
  | "StreamCreationTimestamp"
  | "EnhancedMonitoring"
  | "EncryptionType"
  | "KeyId"
> => ({
  StreamName: state.name,
  StreamARN: state.arn,
  StreamStatus: state.status,
  StreamModeDetails: { StreamMode: state.mode },
  RetentionPeriodHours: state.retentionHours,
  StreamCreationTimestamp: creationTimestamp(state.createdAt),
  EnhancedMonitoring: [{ ShardLevelMetrics: state.shardLevelMetrics }],
  EncryptionType: state.encryptionType,
  KeyId: state.keyId,
});
