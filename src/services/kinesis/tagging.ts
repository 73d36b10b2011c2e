/**
 * Tags and resource policies: AddTagsToStream, RemoveTagsFromStream, ListTagsForStream (streams by
 * name or ARN), TagResource, UntagResource, ListTagsForResource and Put/Get/DeleteResourcePolicy
 * (stream or consumer ARNs). At most 50 tags per resource.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_TagResource.html
 */
import { streamObject } from "../../durable/names";
import { fail, ok, type Problem, type Result } from "../../domain/errors";
import type { KinesisContext, KinesisHandler, KinesisHandlers } from "./context";
import { accessDenied, invalidArgument } from "../../domain/kinesis/errors";
import { parseStreamArn, type StreamRef } from "../../domain/kinesis/names";
import { resolveStream } from "./names";
import { checkTagCharacters, tagLimitMessage } from "../../domain/kinesis/tag-rules";
import { checks } from "../../domain/kinesis/validate";

const RESOURCE_ARN_PATTERN = "arn:aws.*:kinesis:.*:\\d{12}:.+";
const CONSUMER_ARN =
  /^(arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]{1,128})\/consumer\/[a-zA-Z0-9_.-]{1,128}:\d+$/;

/** The stream a ResourceARN belongs to, and the consumer ARN when it names a consumer. */
function resolveResource(ctx: KinesisContext, arn: string): Result<{ ref: StreamRef; consumerArn?: string }> {
  const problem = checks().string(arn, "resourceARN", { pattern: RESOURCE_ARN_PATTERN, min: 1, max: 2048 }).done();
  if (problem) return fail(problem);
  const consumer = CONSUMER_ARN.exec(arn);
  const ref = parseStreamArn(consumer ? consumer[1]! : arn);
  if (!ref) return fail(invalidArgument(`Invalid ResourceARN: ${arn}`));
  if (ctx.strict && ref.account !== ctx.account)
    return fail(
      accessDenied(
        `User: arn:aws:iam::${ctx.account}:user/${ctx.accessKeyId} is not authorized to perform this action on resource: ${arn}`,
      ),
    );
  return ok({ ref, consumerArn: consumer ? arn : undefined });
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** Tags to add: the model's constraints, then the characters AWS accepts. */
const checkTags = (tags: Record<string, string>, action: string, resource: string): Problem =>
  checks().size(tags, "tags", 1, 200).tagMap(tags, "tags").done() ??
  checkTagCharacters([...Object.keys(tags), ...Object.values(tags)], action, resource);

/** Tag keys to remove: the model's constraints, then the characters AWS accepts. */
const checkTagKeys = (keys: string[], action: string, resource: string): Problem =>
  checks().size(keys, "tagKeys", 1, 50).memberLengths(keys, "tagKeys", 1, 128).done() ??
  checkTagCharacters(keys, action, resource);

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_AddTagsToStream.html
const addTagsToStream: KinesisHandler<"AddTagsToStream"> = async (ctx, input) => {
  const ref = resolveStream(ctx, input);
  if (!ref.ok) return ref;
  const resource = `stream ${ref.value.name} under account ${ref.value.account}`;
  const problem = checkTags(input.Tags, "add tags to", resource);
  if (problem) return fail(problem);
  const done = await streamObject(ctx.env, ref.value).tag(input.Tags, [], {
    limitMessage: tagLimitMessage("add tags to", resource),
  });
  return done.ok ? ok({}) : done;
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RemoveTagsFromStream.html
const removeTagsFromStream: KinesisHandler<"RemoveTagsFromStream"> = async (ctx, input) => {
  const ref = resolveStream(ctx, input);
  if (!ref.ok) return ref;
  const problem = checkTagKeys(input.TagKeys, "remove tags from", `stream ${ref.value.name} under account ${ref.value.account}`);
  if (problem) return fail(problem);
  const done = await streamObject(ctx.env, ref.value).tag({}, input.TagKeys, { limitMessage: "" });
  return done.ok ? ok({}) : done;
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListTagsForStream.html
const listTagsForStream: KinesisHandler<"ListTagsForStream"> = async (ctx, input) => {
  const problem = checks()
    .string(input.ExclusiveStartTagKey, "exclusiveStartTagKey", { min: 1, max: 128 })
    .range(input.Limit, "limit", 1, 50)
    .done();
  if (problem) return fail(problem);
  const ref = resolveStream(ctx, input);
  if (!ref.ok) return ref;
  const tags = await streamObject(ctx.env, ref.value).tags();
  if (!tags.ok) return tags;
  const start = input.ExclusiveStartTagKey;
  const keys = Object.keys(tags.value)
    .sort()
    .filter((k) => start === undefined || k > start);
  const limit = input.Limit ?? 50;
  return ok({
    Tags: keys.slice(0, limit).map((Key) => ({ Key, Value: tags.value[Key] })),
    HasMoreTags: keys.length > limit,
  });
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_TagResource.html
const tagResource: KinesisHandler<"TagResource"> = async (ctx, input) => {
  const resolved = resolveResource(ctx, input.ResourceARN);
  if (!resolved.ok) return resolved;
  const { ref, consumerArn } = resolved.value;
  const resource = `resource ${input.ResourceARN}`;
  const problem = checkTags(input.Tags, "tag", resource);
  if (problem) return fail(problem);
  const limitMessage = tagLimitMessage("tag", resource, consumerArn ? "consumer" : "stream");
  const done = await streamObject(ctx.env, ref).tag(input.Tags, [], { consumerArn, limitMessage });
  return done.ok ? ok({}) : done;
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UntagResource.html
const untagResource: KinesisHandler<"UntagResource"> = async (ctx, input) => {
  const resolved = resolveResource(ctx, input.ResourceARN);
  if (!resolved.ok) return resolved;
  const { ref, consumerArn } = resolved.value;
  const problem = checkTagKeys(input.TagKeys, "untag", `resource ${input.ResourceARN}`);
  if (problem) return fail(problem);
  const done = await streamObject(ctx.env, ref).tag({}, input.TagKeys, { consumerArn, limitMessage: "" });
  return done.ok ? ok({}) : done;
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListTagsForResource.html
const listTagsForResource: KinesisHandler<"ListTagsForResource"> = async (ctx, input) => {
  const resolved = resolveResource(ctx, input.ResourceARN);
  if (!resolved.ok) return resolved;
  const tags = await streamObject(ctx.env, resolved.value.ref).tags(resolved.value.consumerArn);
  return tags.ok ? ok({ Tags: tagList(tags.value) }) : tags;
};

/** A policy must be a JSON object. */
function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutResourcePolicy.html
const putResourcePolicy: KinesisHandler<"PutResourcePolicy"> = async (ctx, input) => {
  const resolved = resolveResource(ctx, input.ResourceARN);
  if (!resolved.ok) return resolved;
  if (!isJsonObject(input.Policy)) return fail(invalidArgument("Policy is not a valid JSON document."));
  const done = await streamObject(ctx.env, resolved.value.ref).policy(resolved.value.consumerArn, { policy: input.Policy });
  return done.ok ? ok({}) : done;
};

/** Without a policy AWS answers `{"Policy": "{}"}` (recorded: test_resource_policy_crud). */
const getResourcePolicy: KinesisHandler<"GetResourcePolicy"> = async (ctx, input) => {
  const resolved = resolveResource(ctx, input.ResourceARN);
  if (!resolved.ok) return resolved;
  const policy = await streamObject(ctx.env, resolved.value.ref).policy(resolved.value.consumerArn);
  return policy.ok ? ok({ Policy: policy.value ?? "{}" }) : policy;
};

const deleteResourcePolicy: KinesisHandler<"DeleteResourcePolicy"> = async (ctx, input) => {
  const resolved = resolveResource(ctx, input.ResourceARN);
  if (!resolved.ok) return resolved;
  const done = await streamObject(ctx.env, resolved.value.ref).policy(resolved.value.consumerArn, { policy: undefined });
  return done.ok ? ok({}) : done;
};

export const tagOperations: KinesisHandlers<
  | "AddTagsToStream"
  | "RemoveTagsFromStream"
  | "ListTagsForStream"
  | "TagResource"
  | "UntagResource"
  | "ListTagsForResource"
  | "PutResourcePolicy"
  | "GetResourcePolicy"
  | "DeleteResourcePolicy"
> = {
  AddTagsToStream: addTagsToStream,
  RemoveTagsFromStream: removeTagsFromStream,
  ListTagsForStream: listTagsForStream,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  PutResourcePolicy: putResourcePolicy,
  GetResourcePolicy: getResourcePolicy,
  DeleteResourcePolicy: deleteResourcePolicy,
};
