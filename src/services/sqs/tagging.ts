/**
 * Tags and permissions: TagQueue, UntagQueue, ListQueueTags, AddPermission, RemovePermission.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
 */
import { fail, type Problem, type Result } from "../../domain/errors";
import { missingParameter } from "../../domain/sqs/errors";
import { validatePermission } from "../../domain/sqs/permissions";
import { validateTagKey, validateTags } from "../../domain/sqs/tags";
import type {
  AddPermissionOutput,
  AddPermissionRequest,
  ListQueueTagsRequest,
  ListQueueTagsResult,
  RemovePermissionOutput,
  RemovePermissionRequest,
  TagQueueOutput,
  TagQueueRequest,
  UntagQueueOutput,
  UntagQueueRequest,
} from "./shapes/types";
import { mapOk, queueRef, queueStub, type SqsContext } from "./context";

/** A change to the queue named by `url`, once `problem` (checked after the URL, as AWS does) finds nothing. */
async function change(
  ctx: SqsContext,
  url: string,
  problem: Problem,
  apply: (stub: ReturnType<typeof queueStub>) => Promise<Result<unknown>>,
): Promise<Result<object>> {
  const ref = queueRef(ctx, url);
  if (!ref.ok) return ref;
  if (problem) return fail(problem);
  return mapOk(await apply(queueStub(ctx, ref.value)), () => ({}));
}

export const tagQueue = (ctx: SqsContext, input: TagQueueRequest): Promise<Result<TagQueueOutput>> =>
  change(ctx, input.QueueUrl, Object.keys(input.Tags).length ? validateTags(input.Tags) : missingParameter("Tags"), (stub) =>
    stub.updateTags(input.Tags, []),
  );

export const untagQueue = (ctx: SqsContext, input: UntagQueueRequest): Promise<Result<UntagQueueOutput>> => {
  const keys = input.TagKeys;
  const problem = keys.length ? keys.map(validateTagKey).find(Boolean) : validateTagKey("");
  return change(ctx, input.QueueUrl, problem, (stub) => stub.updateTags({}, keys));
};

export async function listQueueTags(ctx: SqsContext, input: ListQueueTagsRequest): Promise<Result<ListQueueTagsResult>> {
  const ref = queueRef(ctx, input.QueueUrl);
  if (!ref.ok) return ref;
  return mapOk(await queueStub(ctx, ref.value).describe(), ({ state }) => ({
    Tags: Object.keys(state.tags).length ? state.tags : undefined,
  }));
}

export const addPermission = (ctx: SqsContext, input: AddPermissionRequest): Promise<Result<AddPermissionOutput>> => {
  const req = { label: input.Label, accountIds: input.AWSAccountIds, actions: input.Actions };
  return change(ctx, input.QueueUrl, validatePermission(req), (stub) => stub.changePermission(req, null));
};

export const removePermission = (ctx: SqsContext, input: RemovePermissionRequest): Promise<Result<RemovePermissionOutput>> =>
  change(ctx, input.QueueUrl, input.Label ? undefined : missingParameter("Label"), (stub) =>
    stub.changePermission(null, input.Label),
  );
