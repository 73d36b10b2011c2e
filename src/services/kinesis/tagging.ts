/**
 * Tags and resource policies: AddTagsToStream, RemoveTagsFromStream, ListTagsForStream (streams by
 * name or ARN), TagResource, UntagResource, ListTagsForResource and Put/Get/DeleteResourcePolicy
 * (stream or consumer ARNs). At most 50 tags per resource.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_TagResource.html
 */
import type {
  AddTagsToStreamInput,
  ListTagsForStreamInput,
  PutResourcePolicyInput,
  RemoveTagsFromStreamInput,
  TagResourceInput,
  UntagResourceInput,
} from "@aws-sdk/client-kinesis";
import { streamObject } from "../../durable/names";
import { unwrap } from "../../domain/errors";
import type { KinesisContext, KinesisHandler } from "./context";
import { accessDenied, invalidArgument } from "../../domain/kinesis/errors";
import { parseStreamArn, resolveStream, type StreamRef } from "./names";
import { checkTagCharacters, tagLimitMessage } from "../../domain/kinesis/tag-rules";
import { checks } from "../../domain/kinesis/validate";

const RESOURCE_ARN_PATTERN = "arn:aws.*:kinesis:.*:\\d{12}:.+";
const CONSUMER_ARN =
  /^(arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]{1,128})\/consumer\/[a-zA-Z0-9_.-]{1,128}:\d+$/;

/** The stream a ResourceARN belongs to, and the consumer ARN when it names a consumer. */
function resolveResource(ctx: KinesisContext, arn: unknown): { ref: StreamRef; consumerArn?: string } {
  checks().required(arn, "resourceARN").string(arn, "resourceARN", { pattern: RESOURCE_ARN_PATTERN, min: 1, max: 2048 }).done();
  const text = arn as string;
  const consumer = CONSUMER_ARN.exec(text);
  const ref = parseStreamArn(consumer ? consumer[1]! : text);
  if (!ref) throw invalidArgument(`Invalid ResourceARN: ${text}`);
  if (ctx.strict && ref.account !== ctx.account)
    throw accessDenied(
      `User: arn:aws:iam::${ctx.account}:user/${ctx.accessKeyId} is not authorized to perform this action on resource: ${text}`,
    );
  return { ref, consumerArn: consumer ? text : undefined };
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

function checkTags(tags: unknown, path: string, action: string, resource: string): Record<string, string> {
  checks().required(tags, path).size(tags, path, 1, 200).tagMap(tags, path).done();
  const map = tags as Record<string, string>;
  checkTagCharacters([...Object.keys(map), ...Object.values(map)], action, resource);
  return map;
}

function checkTagKeys(keys: unknown, path: string, action: string, resource: string): string[] {
  checks().required(keys, path).size(keys, path, 1, 50).memberLengths(keys, path, 1, 128).done();
  checkTagCharacters(keys as string[], action, resource);
  return keys as string[];
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_AddTagsToStream.html
async function addTagsToStream(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<AddTagsToStreamInput>;
  const ref = resolveStream(ctx, input);
  const resource = `stream ${ref.name} under account ${ref.account}`;
  const tags = checkTags(input.Tags, "tags", "add tags to", resource);
  unwrap(await streamObject(ctx.env, ref).tag(tags, [], { limitMessage: tagLimitMessage("add tags to", resource) }));
  return {};
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RemoveTagsFromStream.html
async function removeTagsFromStream(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<RemoveTagsFromStreamInput>;
  const ref = resolveStream(ctx, input);
  const keys = checkTagKeys(input.TagKeys, "tagKeys", "remove tags from", `stream ${ref.name} under account ${ref.account}`);
  unwrap(await streamObject(ctx.env, ref).tag({}, keys, { limitMessage: "" }));
  return {};
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListTagsForStream.html
async function listTagsForStream(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<ListTagsForStreamInput>;
  checks()
    .string(input.ExclusiveStartTagKey, "exclusiveStartTagKey", { min: 1, max: 128 })
    .range(input.Limit, "limit", 1, 50)
    .done();
  const ref = resolveStream(ctx, input);
  const tags = unwrap(await streamObject(ctx.env, ref).tags());
  const start = input.ExclusiveStartTagKey;
  const keys = Object.keys(tags)
    .sort()
    .filter((k) => start === undefined || k > start);
  const limit = input.Limit ?? 50;
  return {
    Tags: keys.slice(0, limit).map((Key) => ({ Key, Value: tags[Key] })),
    HasMoreTags: keys.length > limit,
  };
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_TagResource.html
async function tagResource(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<TagResourceInput>;
  const { ref, consumerArn } = resolveResource(ctx, input.ResourceARN);
  const resource = `resource ${input.ResourceARN}`;
  const tags = checkTags(input.Tags, "tags", "tag", resource);
  const limitMessage = tagLimitMessage("tag", resource, consumerArn ? "consumer" : "stream");
  unwrap(await streamObject(ctx.env, ref).tag(tags, [], { consumerArn, limitMessage }));
  return {};
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UntagResource.html
async function untagResource(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<UntagResourceInput>;
  const { ref, consumerArn } = resolveResource(ctx, input.ResourceARN);
  const keys = checkTagKeys(input.TagKeys, "tagKeys", "untag", `resource ${input.ResourceARN}`);
  unwrap(await streamObject(ctx.env, ref).tag({}, keys, { consumerArn, limitMessage: "" }));
  return {};
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListTagsForResource.html
async function listTagsForResource(ctx: KinesisContext, raw: Record<string, unknown>) {
  const { ref, consumerArn } = resolveResource(ctx, raw.ResourceARN);
  return { Tags: tagList(unwrap(await streamObject(ctx.env, ref).tags(consumerArn))) };
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutResourcePolicy.html
async function putResourcePolicy(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<PutResourcePolicyInput>;
  checks().required(input.Policy, "policy").done();
  const { ref, consumerArn } = resolveResource(ctx, input.ResourceARN);
  try {
    const parsed: unknown = JSON.parse(input.Policy!);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
  } catch {
    throw invalidArgument("Policy is not a valid JSON document.");
  }
  unwrap(await streamObject(ctx.env, ref).policy(consumerArn, { policy: input.Policy }));
  return {};
}

/** Without a policy AWS answers `{"Policy": "{}"}` (recorded: test_resource_policy_crud). */
async function getResourcePolicy(ctx: KinesisContext, raw: Record<string, unknown>) {
  const { ref, consumerArn } = resolveResource(ctx, raw.ResourceARN);
  return { Policy: unwrap(await streamObject(ctx.env, ref).policy(consumerArn)) ?? "{}" };
}

async function deleteResourcePolicy(ctx: KinesisContext, raw: Record<string, unknown>) {
  const { ref, consumerArn } = resolveResource(ctx, raw.ResourceARN);
  unwrap(await streamObject(ctx.env, ref).policy(consumerArn, { policy: undefined }));
  return {};
}

export const tagOperations: Record<string, KinesisHandler> = {
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
