/**
 * Stream control plane: CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary,
 * ListStreams, ListShards, DescribeLimits. Settings changes are in ./stream-settings.ts, tags and
 * policies in ./tagging.ts, account settings in ./account-settings.ts; all of them register here.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Operations.html
 */
import type {
  CreateStreamInput,
  DeleteStreamInput,
  DescribeStreamInput,
  ListShardsInput,
  ListStreamsInput,
} from "@aws-sdk/client-kinesis";
import { catalogObject, streamObject } from "../../durable/names";
import { filterShards, shardsAfter, type ShardFilter, type ShardFilterType } from "../../domain/kinesis/shard-map";
import type { ShardInfo, StreamMode, StreamView } from "../../domain/kinesis/contract";
import { unwrap } from "../../domain/errors";
import { decodeToken, encodeToken } from "../../domain/tokens";
import type { KinesisContext, KinesisHandler } from "./context";
import { expiredNextToken, invalidArgument, streamNotActive, streamNotFound } from "../../domain/kinesis/errors";
import { streamLimits } from "./limits";
import { settingsOf } from "../../domain/settings";
import { resolveStream, streamArn, type StreamRef } from "./names";
import { forgetRouting } from "./routing";
import { accountSettingOperations } from "./account-settings";
import { settingOperations } from "./stream-settings";
import { checkTagCharacters, MAX_TAGS_PER_RESOURCE, tagLimitMessage } from "../../domain/kinesis/tag-rules";
import { tagOperations } from "./tagging";
import { checks } from "../../domain/kinesis/validate";

const STREAM_MODES = ["PROVISIONED", "ON_DEMAND"] as const;
const SHARD_FILTER_TYPES: ShardFilterType[] = [
  "AFTER_SHARD_ID",
  "AT_TRIM_HORIZON",
  "FROM_TRIM_HORIZON",
  "AT_LATEST",
  "AT_TIMESTAMP",
  "FROM_TIMESTAMP",
];
/** ListShards and ListStreams NextTokens are valid for 300 s (ExpiredNextTokenException). */
const NEXT_TOKEN_LIFETIME_MS = 300_000;

export const stream = (ctx: KinesisContext, ref: StreamRef) => streamObject(ctx.env, ref);

/** The stream's view (settings, shards, consumer count); ResourceNotFoundException when absent. */
export async function viewStream(ctx: KinesisContext, ref: StreamRef): Promise<StreamView> {
  return unwrap(await stream(ctx, ref).view());
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html
async function createStream(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<CreateStreamInput>;
  const mode = input.StreamModeDetails?.StreamMode;
  checks()
    .range(input.ShardCount, "shardCount", 1, 100000)
    .required(input.StreamName, "streamName")
    .name(input.StreamName, "streamName")
    .oneOf(mode, "streamModeDetails.streamMode", STREAM_MODES)
    .size(input.Tags, "tags", 1, 200)
    .tagMap(input.Tags, "tags")
    .range(input.MaxRecordSizeInKiB, "maxRecordSizeInKiB", 1024, 10240)
    .range(input.WarmThroughputMiBps, "warmThroughputMiBps", 0)
    .done();
  const name = input.StreamName!;
  const tags = input.Tags ?? {};
  const resource = `stream ${name} under account ${ctx.account}`;
  checkTagCharacters([...Object.keys(tags), ...Object.values(tags)], "create", resource);
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE) throw invalidArgument(tagLimitMessage("create", resource));
  const ref = { account: ctx.account, region: ctx.region, name };
  const streamMode: StreamMode = (mode as StreamMode | undefined) ?? "PROVISIONED";
  // Without ShardCount AWS creates 4 shards (recorded: test_create_stream_without_shard_count);
  // on-demand streams start with 4 and scale by themselves.
  const shardCount = streamMode === "ON_DEMAND" ? 4 : (input.ShardCount ?? 4);
  forgetRouting(ref);
  unwrap(
    await stream(ctx, ref).create({
      ...ref,
      arn: streamArn(ref),
      shardCount,
      mode: streamMode,
      tags,
      maxRecordSizeKiB: input.MaxRecordSizeInKiB ?? 1024,
      warmThroughputMiBps: input.WarmThroughputMiBps,
      ...streamLimits(ctx),
      statusDelayMs: settingsOf(ctx.env).kinesisStatusDelayMs,
      throttled: settingsOf(ctx.env).kinesisThrottling,
    }),
  );
  return {};
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DeleteStream.html
async function deleteStream(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<DeleteStreamInput>;
  const ref = resolveStream(ctx, input);
  unwrap(await stream(ctx, ref).destroy(input.EnforceConsumerDeletion === true));
  forgetRouting(ref);
  return {};
}

const shardOutput = (s: ShardInfo) => ({
  ShardId: s.shardId,
  ParentShardId: s.parentShardId,
  AdjacentParentShardId: s.adjacentParentShardId,
  HashKeyRange: { StartingHashKey: s.startingHashKey, EndingHashKey: s.endingHashKey },
  SequenceNumberRange: { StartingSequenceNumber: s.startingSequenceNumber, EndingSequenceNumber: s.endingSequenceNumber },
});

/** AWS reports StreamCreationTimestamp in whole seconds. */
const creationTimestamp = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

const enhancedMonitoring = (metrics: string[]) => [{ ShardLevelMetrics: metrics }];

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStream.html
async function describeStream(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<DescribeStreamInput>;
  checks().range(input.Limit, "limit", 1, 10000).name(input.ExclusiveStartShardId, "exclusiveStartShardId").done();
  const { state, shards } = await viewStream(ctx, resolveStream(ctx, input));
  const limit = Math.min(input.Limit ?? 100, 100);
  // A CREATING stream has no shards to show yet.
  const visible = state.status === "CREATING" ? [] : shardsAfter(shards, input.ExclusiveStartShardId);
  return {
    StreamDescription: {
      StreamName: state.name,
      StreamARN: state.arn,
      StreamStatus: state.status,
      StreamModeDetails: { StreamMode: state.mode },
      Shards: visible.slice(0, limit).map(shardOutput),
      HasMoreShards: visible.length > limit,
      RetentionPeriodHours: state.retentionHours,
      StreamCreationTimestamp: creationTimestamp(state.createdAt),
      EnhancedMonitoring: enhancedMonitoring(state.shardLevelMetrics),
      EncryptionType: state.encryptionType,
      KeyId: state.keyId,
    },
  };
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamSummary.html
async function describeStreamSummary(ctx: KinesisContext, raw: Record<string, unknown>) {
  const { state, shards, consumerCount } = await viewStream(ctx, resolveStream(ctx, raw));
  return {
    StreamDescriptionSummary: {
      StreamName: state.name,
      StreamARN: state.arn,
      StreamStatus: state.status,
      StreamModeDetails: { StreamMode: state.mode },
      RetentionPeriodHours: state.retentionHours,
      StreamCreationTimestamp: creationTimestamp(state.createdAt),
      EnhancedMonitoring: enhancedMonitoring(state.shardLevelMetrics),
      EncryptionType: state.encryptionType,
      KeyId: state.keyId,
      OpenShardCount: state.status === "CREATING" ? 0 : shards.filter((s) => s.endingSequenceNumber === undefined).length,
      ConsumerCount: consumerCount,
      MaxRecordSizeInKiB: state.maxRecordSizeKiB,
      WarmThroughput:
        state.mode === "ON_DEMAND" && state.warmThroughputMiBps !== undefined
          ? { TargetMiBps: state.warmThroughputMiBps, CurrentMiBps: state.warmThroughputMiBps }
          : undefined,
    },
  };
}

interface ListStreamsToken {
  after: string;
  scope: string;
  issuedAt: number;
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreams.html
async function listStreams(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<ListStreamsInput>;
  checks()
    .range(input.Limit, "limit", 1, 10000)
    .name(input.ExclusiveStartStreamName, "exclusiveStartStreamName")
    .string(input.NextToken, "nextToken", { min: 1, max: 1048576 })
    .done();
  const scope = `${ctx.account}/${ctx.region}`;
  let after = input.ExclusiveStartStreamName;
  if (input.NextToken !== undefined) {
    const token = decodeToken<ListStreamsToken>("S", input.NextToken);
    if (!token || token.scope !== scope) throw invalidArgument("Invalid NextToken.");
    if (ctx.now - token.issuedAt > NEXT_TOKEN_LIFETIME_MS) throw expiredNextToken("The NextToken has expired.");
    after = token.after;
  }
  // AWS returns at most 100 streams per call, whatever the Limit.
  const limit = Math.min(input.Limit ?? 100, 100);
  const entries = await catalogObject(ctx.env, ctx.account, ctx.region).listStreams(limit + 1, after);
  const page = entries.slice(0, limit);
  const more = entries.length > limit;
  return {
    StreamNames: page.map((e) => e.name),
    HasMoreStreams: more,
    NextToken: more ? encodeToken("S", { after: page[page.length - 1]!.name, scope, issuedAt: ctx.now }) : undefined,
    StreamSummaries: page.map((e) => ({
      StreamName: e.name,
      StreamARN: streamArn({ account: ctx.account, region: ctx.region, name: e.name }),
      StreamStatus: e.status,
      StreamModeDetails: { StreamMode: e.mode },
      StreamCreationTimestamp: creationTimestamp(e.createdAt),
    })),
  };
}

interface ListShardsToken {
  account: string;
  region: string;
  name: string;
  createdAt: number;
  after: string;
  filter?: ShardFilter;
  issuedAt: number;
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListShards.html
async function listShards(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<ListShardsInput>;
  const filterInput = input.ShardFilter;
  checks()
    .name(input.StreamName, "streamName")
    .string(input.NextToken, "nextToken", { min: 1, max: 1048576 })
    .name(input.ExclusiveStartShardId, "exclusiveStartShardId")
    .range(input.MaxResults, "maxResults", 1, 10000)
    .oneOf(filterInput?.Type, "shardFilter.type", SHARD_FILTER_TYPES)
    .name(filterInput?.ShardId, "shardFilter.shardId")
    .done();
  const limit = Math.min(input.MaxResults ?? 1000, 1000);
  let ref: StreamRef;
  let after = input.ExclusiveStartShardId;
  let filter: ShardFilter | undefined;
  let createdAt: number | undefined;
  if (input.NextToken !== undefined) {
    // The token carries the stream and the filter: naming them again is an error.
    for (const [member, value] of [
      ["StreamName", input.StreamName],
      ["StreamARN", input.StreamARN],
      ["ExclusiveStartShardId", input.ExclusiveStartShardId],
      ["StreamCreationTimestamp", input.StreamCreationTimestamp],
      ["ShardFilter", input.ShardFilter],
    ] as const) {
      if (value !== undefined) throw invalidArgument(`NextToken and ${member} cannot be provided together.`);
    }
    const token = decodeToken<ListShardsToken>("H", input.NextToken);
    if (!token || token.account !== ctx.account) throw invalidArgument("Invalid NextToken.");
    if (ctx.now - token.issuedAt > NEXT_TOKEN_LIFETIME_MS) throw expiredNextToken("The NextToken has expired.");
    ref = { account: token.account, region: token.region, name: token.name };
    after = token.after;
    filter = token.filter;
    createdAt = token.createdAt;
  } else {
    if (input.StreamName === undefined && input.StreamARN === undefined)
      throw invalidArgument("Either NextToken or StreamName should be provided.");
    ref = resolveStream(ctx, input);
    if (filterInput) filter = shardFilter(filterInput);
    if (input.StreamCreationTimestamp !== undefined) createdAt = input.StreamCreationTimestamp.getTime();
  }
  const { state, shards } = await viewStream(ctx, ref);
  // StreamCreationTimestamp tells apart streams that had the same name: another one is not found.
  if (createdAt !== undefined && Math.floor(createdAt / 1000) !== Math.floor(state.createdAt / 1000))
    throw streamNotFound(ref.name, ref.account);
  if (state.status === "CREATING") throw streamNotActive(state.name, state.account, state.status);
  const selected = filter
    ? filterShards(shards, filter, { now: ctx.now, retentionHours: state.retentionHours, streamCreatedAt: state.createdAt })
    : shards;
  const remaining = shardsAfter(selected, after);
  const page = remaining.slice(0, limit);
  const more = remaining.length > limit;
  return {
    Shards: page.map(shardOutput),
    NextToken: more
      ? encodeToken("H", {
          ...ref,
          createdAt: state.createdAt,
          after: page[page.length - 1]!.shardId,
          filter,
          issuedAt: ctx.now,
        } satisfies ListShardsToken)
      : undefined,
  };
}

function shardFilter(input: NonNullable<ListShardsInput["ShardFilter"]>): ShardFilter {
  const type = input.Type as ShardFilterType;
  if (type === "AFTER_SHARD_ID" && input.ShardId === undefined)
    throw invalidArgument("ShardId must be specified when ShardFilter type is AFTER_SHARD_ID.");
  if (type !== "AFTER_SHARD_ID" && input.ShardId !== undefined)
    throw invalidArgument(`ShardId can only be specified when ShardFilter type is AFTER_SHARD_ID.`);
  if ((type === "AT_TIMESTAMP" || type === "FROM_TIMESTAMP") && input.Timestamp === undefined)
    throw invalidArgument(`Timestamp must be specified when ShardFilter type is ${type}.`);
  if (type !== "AT_TIMESTAMP" && type !== "FROM_TIMESTAMP" && input.Timestamp !== undefined)
    throw invalidArgument("Timestamp can only be specified when ShardFilter type is AT_TIMESTAMP or FROM_TIMESTAMP.");
  return { type, shardId: input.ShardId, timestamp: input.Timestamp?.getTime() };
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeLimits.html
async function describeLimits(ctx: KinesisContext) {
  const limits = streamLimits(ctx);
  const counts = await catalogObject(ctx.env, ctx.account, ctx.region).kinesisCounts();
  return {
    ShardLimit: limits.shardLimit,
    OpenShardCount: counts.shards,
    OnDemandStreamCount: counts.onDemand,
    OnDemandStreamCountLimit: limits.onDemandStreamLimit,
  };
}

export const streamOperations: Record<string, KinesisHandler> = {
  CreateStream: createStream,
  DeleteStream: deleteStream,
  DescribeStream: describeStream,
  DescribeStreamSummary: describeStreamSummary,
  ListStreams: listStreams,
  ListShards: listShards,
  DescribeLimits: describeLimits,
  ...accountSettingOperations,
  ...settingOperations,
  ...tagOperations,
};
