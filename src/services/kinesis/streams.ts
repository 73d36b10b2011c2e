/**
 * Stream control plane: CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary,
 * ListStreams, DescribeLimits. ListShards is in ./list-shards.ts, settings changes in
 * ./stream-settings.ts, tags and policies in ./tagging.ts, account settings in ./account-settings.ts.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Operations.html
 */
import { catalogObject, streamObject } from "../../durable/names";
import { shardsAfter } from "../../domain/kinesis/shard-map";
import type { StreamMode, StreamView } from "../../domain/kinesis/contract";
import { fail, ok, type Result } from "../../domain/errors";
import { decodeToken, encodeToken } from "../../domain/tokens";
import type { KinesisContext, KinesisHandler, KinesisHandlers } from "./context";
import { expiredNextToken, invalidArgument } from "../../domain/kinesis/errors";
import { streamLimits } from "./limits";
import { streamArn } from "../../domain/kinesis/names";
import { resolveStream } from "./names";
import { forgetRouting } from "./routing";
import { changeStream } from "./stream-call";
import { checkTagCharacters, MAX_TAGS_PER_RESOURCE, tagLimitMessage } from "../../domain/kinesis/tag-rules";
import { checks, enumMember } from "../../domain/kinesis/validate";
import { listShards } from "./list-shards";
import { creationTimestamp, NEXT_TOKEN_LIFETIME_MS, shardOutput, streamSummary } from "./stream-output";

const STREAM_MODES: readonly StreamMode[] = ["PROVISIONED", "ON_DEMAND"];

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html
const createStream: KinesisHandler<"CreateStream"> = async (ctx, input) => {
  const mode = input.StreamModeDetails?.StreamMode;
  const problem = checks()
    .range(input.ShardCount, "shardCount", 1, 100000)
    .name(input.StreamName, "streamName")
    .oneOf(mode, "streamModeDetails.streamMode", STREAM_MODES)
    .size(input.Tags, "tags", 1, 200)
    .tagMap(input.Tags, "tags")
    .range(input.MaxRecordSizeInKiB, "maxRecordSizeInKiB", 1024, 10240)
    .range(input.WarmThroughputMiBps, "warmThroughputMiBps", 0)
    .done();
  if (problem) return fail(problem);
  const name = input.StreamName;
  const tags = input.Tags ?? {};
  const resource = `stream ${name} under account ${ctx.account}`;
  const badTag = checkTagCharacters([...Object.keys(tags), ...Object.values(tags)], "create", resource);
  if (badTag) return fail(badTag);
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE) return fail(invalidArgument(tagLimitMessage("create", resource)));
  const ref = { account: ctx.account, region: ctx.region, name };
  const streamMode = enumMember(STREAM_MODES, mode) ?? "PROVISIONED";
  // Without ShardCount AWS creates 4 shards (recorded: test_create_stream_without_shard_count);
  // on-demand streams start with 4 and scale by themselves.
  const shardCount = streamMode === "ON_DEMAND" ? 4 : (input.ShardCount ?? 4);
  forgetRouting(ref);
  const created = await streamObject(ctx.env, ref).create({
    ...ref,
    arn: streamArn(ref),
    shardCount,
    mode: streamMode,
    tags,
    maxRecordSizeKiB: input.MaxRecordSizeInKiB ?? 1024,
    warmThroughputMiBps: input.WarmThroughputMiBps,
    ...streamLimits(ctx),
  });
  return created.ok ? ok({}) : created;
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DeleteStream.html
const deleteStream: KinesisHandler<"DeleteStream"> = async (ctx, input) => {
  const deleted = await changeStream(ctx, input, (stream) => stream.destroy(input.EnforceConsumerDeletion === true));
  return deleted.ok ? ok({}) : deleted;
};

/** The stream a request names as the StreamObject shows it (settings, shards, consumer count). */
async function viewStream(ctx: KinesisContext, input: { StreamName?: string; StreamARN?: string }): Promise<Result<StreamView>> {
  const ref = resolveStream(ctx, input);
  return ref.ok ? streamObject(ctx.env, ref.value).view() : ref;
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStream.html
const describeStream: KinesisHandler<"DescribeStream"> = async (ctx, input) => {
  const problem = checks()
    .range(input.Limit, "limit", 1, 10000)
    .name(input.ExclusiveStartShardId, "exclusiveStartShardId")
    .done();
  if (problem) return fail(problem);
  const view = await viewStream(ctx, input);
  if (!view.ok) return view;
  const { state, shards } = view.value;
  const limit = Math.min(input.Limit ?? 100, 100);
  // A CREATING stream has no shards to show yet.
  const visible = state.status === "CREATING" ? [] : shardsAfter(shards, input.ExclusiveStartShardId);
  return ok({
    StreamDescription: {
      ...streamSummary(state),
      Shards: visible.slice(0, limit).map(shardOutput),
      HasMoreShards: visible.length > limit,
    },
  });
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamSummary.html
const describeStreamSummary: KinesisHandler<"DescribeStreamSummary"> = async (ctx, input) => {
  const view = await viewStream(ctx, input);
  if (!view.ok) return view;
  const { state, shards, consumerCount } = view.value;
  return ok({
    StreamDescriptionSummary: {
      ...streamSummary(state),
      OpenShardCount: state.status === "CREATING" ? 0 : shards.filter((s) => s.endingSequenceNumber === undefined).length,
      ConsumerCount: consumerCount,
      MaxRecordSizeInKiB: state.maxRecordSizeKiB,
      WarmThroughput:
        state.mode === "ON_DEMAND" && state.warmThroughputMiBps !== undefined
          ? { TargetMiBps: state.warmThroughputMiBps, CurrentMiBps: state.warmThroughputMiBps }
          : undefined,
    },
  });
};

interface ListStreamsToken {
  after: string;
  scope: string;
  issuedAt: number;
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreams.html
const listStreams: KinesisHandler<"ListStreams"> = async (ctx, input) => {
  const problem = checks()
    .range(input.Limit, "limit", 1, 10000)
    .name(input.ExclusiveStartStreamName, "exclusiveStartStreamName")
    .string(input.NextToken, "nextToken", { min: 1, max: 1048576 })
    .done();
  if (problem) return fail(problem);
  const scope = `${ctx.account}/${ctx.region}`;
  let after = input.ExclusiveStartStreamName;
  if (input.NextToken !== undefined) {
    const token = decodeToken<ListStreamsToken>("S", input.NextToken);
    if (!token || token.scope !== scope) return fail(invalidArgument("Invalid NextToken."));
    if (ctx.now - token.issuedAt > NEXT_TOKEN_LIFETIME_MS) return fail(expiredNextToken("The NextToken has expired."));
    after = token.after;
  }
  // AWS returns at most 100 streams per call, whatever the Limit.
  const limit = Math.min(input.Limit ?? 100, 100);
  const entries = await catalogObject(ctx.env, ctx.account, ctx.region).listStreams(limit + 1, after);
  const page = entries.slice(0, limit);
  const more = entries.length > limit;
  return ok({
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
  });
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeLimits.html
const describeLimits: KinesisHandler<"DescribeLimits"> = async (ctx) => {
  const limits = streamLimits(ctx);
  const counts = await catalogObject(ctx.env, ctx.account, ctx.region).kinesisCounts();
  return ok({
    ShardLimit: limits.shardLimit,
    OpenShardCount: counts.shards,
    OnDemandStreamCount: counts.onDemand,
    OnDemandStreamCountLimit: limits.onDemandStreamLimit,
  });
};

export const streamOperations: KinesisHandlers<
  "CreateStream" | "DeleteStream" | "DescribeStream" | "DescribeStreamSummary" | "ListStreams" | "ListShards" | "DescribeLimits"
> = {
  CreateStream: createStream,
  DeleteStream: deleteStream,
  DescribeStream: describeStream,
  DescribeStreamSummary: describeStreamSummary,
  ListStreams: listStreams,
  ListShards: listShards,
  DescribeLimits: describeLimits,
};
