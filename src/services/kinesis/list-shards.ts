/**
 * ListShards: a page of the stream's shards, optionally filtered (ShardFilter), continued by a
 * NextToken that carries the stream, its incarnation and the filter.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListShards.html
 */
import { streamObject } from "../../durable/names";
import { fail, ok, type Result } from "../../domain/errors";
import { expiredNextToken, invalidArgument, streamNotActive, streamNotFound } from "../../domain/kinesis/errors";
import type { StreamRef } from "../../domain/kinesis/names";
import { filterShards, shardsAfter, type ShardFilter, type ShardFilterType } from "../../domain/kinesis/shard-map";
import { checks, enumMember } from "../../domain/kinesis/validate";
import { decodeToken, encodeToken } from "../../domain/tokens";
import type { KinesisContext, KinesisHandler } from "./context";
import { resolveStream } from "./names";
import type { ListShardsInput } from "./shapes/types";
import { NEXT_TOKEN_LIFETIME_MS, shardOutput } from "./stream-output";

const SHARD_FILTER_TYPES: readonly ShardFilterType[] = [
  "AFTER_SHARD_ID",
  "AT_TRIM_HORIZON",
  "FROM_TRIM_HORIZON",
  "AT_LATEST",
  "AT_TIMESTAMP",
  "FROM_TIMESTAMP",
];

interface ListShardsToken {
  account: string;
  region: string;
  name: string;
  createdAt: number;
  after: string;
  filter?: ShardFilter;
  issuedAt: number;
}

/** Where a listing starts: from the request, or from the NextToken of the previous page. */
interface Listing {
  ref: StreamRef;
  after?: string;
  filter?: ShardFilter;
  /** The incarnation asked for (epoch ms), if any. */
  createdAt?: number;
}

export const listShards: KinesisHandler<"ListShards"> = async (ctx, input) => {
  const problem = checks()
    .name(input.StreamName, "streamName")
    .string(input.NextToken, "nextToken", { min: 1, max: 1048576 })
    .name(input.ExclusiveStartShardId, "exclusiveStartShardId")
    .range(input.MaxResults, "maxResults", 1, 10000)
    .oneOf(input.ShardFilter?.Type, "shardFilter.type", SHARD_FILTER_TYPES)
    .name(input.ShardFilter?.ShardId, "shardFilter.shardId")
    .done();
  if (problem) return fail(problem);
  const limit = Math.min(input.MaxResults ?? 1000, 1000);
  const listing = input.NextToken === undefined ? fromRequest(ctx, input) : fromToken(ctx, input, input.NextToken);
  if (!listing.ok) return listing;
  const { ref, after, filter, createdAt } = listing.value;
  const view = await streamObject(ctx.env, ref).view();
  if (!view.ok) return view;
  const { state, shards } = view.value;
  // StreamCreationTimestamp tells apart streams that had the same name: another one is not found.
  if (createdAt !== undefined && Math.floor(createdAt / 1000) !== Math.floor(state.createdAt / 1000))
    return fail(streamNotFound(ref.name, ref.account));
  if (state.status === "CREATING") return fail(streamNotActive(state.name, state.account, state.status));
  const selected = filter
    ? filterShards(shards, filter, { now: ctx.now, retentionHours: state.retentionHours, streamCreatedAt: state.createdAt })
    : shards;
  const remaining = shardsAfter(selected, after);
  const page = remaining.slice(0, limit);
  const more = remaining.length > limit;
  return ok({
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
  });
};

function fromRequest(ctx: KinesisContext, input: ListShardsInput): Result<Listing> {
  if (input.StreamName === undefined && input.StreamARN === undefined)
    return fail(invalidArgument("Either NextToken or StreamName should be provided."));
  const ref = resolveStream(ctx, input);
  if (!ref.ok) return ref;
  let filter: ShardFilter | undefined;
  if (input.ShardFilter) {
    const parsed = shardFilter(input.ShardFilter);
    if (!parsed.ok) return parsed;
    filter = parsed.value;
  }
  return ok({ ref: ref.value, after: input.ExclusiveStartShardId, filter, createdAt: input.StreamCreationTimestamp?.getTime() });
}

/** The token carries the stream and the filter: naming them again is an error. */
function fromToken(ctx: KinesisContext, input: ListShardsInput, nextToken: string): Result<Listing> {
  for (const [member, value] of [
    ["StreamName", input.StreamName],
    ["StreamARN", input.StreamARN],
    ["ExclusiveStartShardId", input.ExclusiveStartShardId],
    ["StreamCreationTimestamp", input.StreamCreationTimestamp],
    ["ShardFilter", input.ShardFilter],
  ] as const) {
    if (value !== undefined) return fail(invalidArgument(`NextToken and ${member} cannot be provided together.`));
  }
  const token = decodeToken<ListShardsToken>("H", nextToken);
  if (!token || token.account !== ctx.account) return fail(invalidArgument("Invalid NextToken."));
  if (ctx.now - token.issuedAt > NEXT_TOKEN_LIFETIME_MS) return fail(expiredNextToken("The NextToken has expired."));
  return ok({
    ref: { account: token.account, region: token.region, name: token.name },
    after: token.after,
    filter: token.filter,
    createdAt: token.createdAt,
  });
}

function shardFilter(input: NonNullable<ListShardsInput["ShardFilter"]>): Result<ShardFilter> {
  const type = enumMember(SHARD_FILTER_TYPES, input.Type);
  if (type === undefined) throw new Error(`ShardFilter type ${input.Type} was not validated`);
  if (type === "AFTER_SHARD_ID" && input.ShardId === undefined)
    return fail(invalidArgument("ShardId must be specified when ShardFilter type is AFTER_SHARD_ID."));
  if (type !== "AFTER_SHARD_ID" && input.ShardId !== undefined)
    return fail(invalidArgument(`ShardId can only be specified when ShardFilter type is AFTER_SHARD_ID.`));
  if ((type === "AT_TIMESTAMP" || type === "FROM_TIMESTAMP") && input.Timestamp === undefined)
    return fail(invalidArgument(`Timestamp must be specified when ShardFilter type is ${type}.`));
  if (type !== "AT_TIMESTAMP" && type !== "FROM_TIMESTAMP" && input.Timestamp !== undefined)
    return fail(invalidArgument("Timestamp can only be specified when ShardFilter type is AT_TIMESTAMP or FROM_TIMESTAMP."));
  return ok({ type, shardId: input.ShardId, timestamp: input.Timestamp?.getTime() });
}
