/**
 * TagDeliveryStream, UntagDeliveryStream, ListTagsForDeliveryStream: at most 50 tags per delivery
 * stream. https://docs.aws.amazon.com/firehose/latest/APIReference/API_TagDeliveryStream.html
 */
import { fail, ok, type Problem } from "../../domain/errors";
import { checks } from "../../domain/kinesis/validate";
import type { FirehoseHandler, FirehoseHandlers } from "./context";
import { checkStreamName, describeStream, streamStub } from "./names";

const MAX_TAGS = 50;
const TAG_KEY_PATTERN = "^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$";
const TAG_VALUE_PATTERN = "^[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$";

/** Each tag's key and value against the model's constraints (`tags.1.member.key`…). */
export function checkTagList(tags: readonly { Key: string; Value?: string }[], path: string): Problem {
  const c = checks();
  tags.forEach((tag, i) => {
    c.string(tag.Key, `${path}.${i + 1}.member.key`, { pattern: TAG_KEY_PATTERN, min: 1, max: 128 });
    c.string(tag.Value, `${path}.${i + 1}.member.value`, { pattern: TAG_VALUE_PATTERN, min: 0, max: 256 });
  });
  return c.done();
}

export const tagMapOf = (tags: readonly { Key: string; Value?: string }[]): Record<string, string> =>
  Object.fromEntries(tags.map((t) => [t.Key, t.Value ?? ""]));

const limitMessage = (name: string) => `Delivery stream ${name} cannot have more than ${MAX_TAGS} tags.`;

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_TagDeliveryStream.html
const tagDeliveryStream: FirehoseHandler<"TagDeliveryStream"> = async (ctx, input) => {
  const problem =
    checkStreamName(input.DeliveryStreamName) ??
    checks().size(input.Tags, "tags", 1, 50).done() ??
    checkTagList(input.Tags, "tags");
  if (problem) return fail(problem);
  const done = await streamStub(ctx, input.DeliveryStreamName).tag(
    tagMapOf(input.Tags),
    [],
    MAX_TAGS,
    limitMessage(input.DeliveryStreamName),
  );
  return done.ok ? ok({}) : done;
};

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_UntagDeliveryStream.html
const untagDeliveryStream: FirehoseHandler<"UntagDeliveryStream"> = async (ctx, input) => {
  const c = checks().size(input.TagKeys, "tagKeys", 1, 50);
  input.TagKeys.forEach((key, i) => c.string(key, `tagKeys.${i + 1}.member`, { pattern: TAG_KEY_PATTERN, min: 1, max: 128 }));
  const problem = checkStreamName(input.DeliveryStreamName) ?? c.done();
  if (problem) return fail(problem);
  const done = await streamStub(ctx, input.DeliveryStreamName).tag(
    {},
    input.TagKeys,
    MAX_TAGS,
    limitMessage(input.DeliveryStreamName),
  );
  return done.ok ? ok({}) : done;
};

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_ListTagsForDeliveryStream.html
const listTagsForDeliveryStream: FirehoseHandler<"ListTagsForDeliveryStream"> = async (ctx, input) => {
  const problem = checks()
    .string(input.ExclusiveStartTagKey, "exclusiveStartTagKey", { pattern: TAG_KEY_PATTERN, min: 1, max: 128 })
    .range(input.Limit, "limit", 1, 50)
    .done();
  if (problem) return fail(problem);
  const described = await describeStream(ctx, input.DeliveryStreamName);
  if (!described.ok) return described;
  // Tags in the order they were added (the recordings list them so); a start key skips up to it.
  const entries = Object.entries(described.value.tags);
  const start = input.ExclusiveStartTagKey === undefined ? 0 : entries.findIndex(([k]) => k === input.ExclusiveStartTagKey) + 1;
  const limit = input.Limit ?? 50;
  const page = entries.slice(start, start + limit);
  return ok({ Tags: page.map(([Key, Value]) => ({ Key, Value })), HasMoreTags: start + limit < entries.length });
};

export const tagOperations: FirehoseHandlers<"TagDeliveryStream" | "UntagDeliveryStream" | "ListTagsForDeliveryStream"> = {
  TagDeliveryStream: tagDeliveryStream,
  UntagDeliveryStream: untagDeliveryStream,
  ListTagsForDeliveryStream: listTagsForDeliveryStream,
};
