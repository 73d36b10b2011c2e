/**
 * Tags and permissions: TagQueue, UntagQueue, ListQueueTags, AddPermission, RemovePermission.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
 */
import { fail, type Problem, type Result } from "../../domain/errors";
import { missingParameter } from "../../domain/sqs/errors";
import { validatePermission } from "../../domain/sqs/permissions";
import type { QueueRef } from "../../domain/sqs/queue-names";
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
import { mapOk, onQueue, queueStub, type SqsContext } from "./context";

/** A change to the queue, unless the request has a problem; the answer is empty. */
async function change(
  ctx: SqsContext,
  ref: QueueRef,
  problem: Problem,
  apply: (stub: ReturnType<typeof queueStub>) => Promise<Result<unknown>>,
): Promise<Result<object>> {
  if (problem) return fail(problem);
  return mapOk(await apply(queueStub(ctx, ref)), () => ({}));
}

export const tagQueue = onQueue<TagQueueRequest, TagQueueOutput>((ctx, { Tags: tags }, ref) => {
  const problem = Object.keys(tags).length ? validateTags(tags) : missingParameter("Tags");
  return change(ctx, ref, problem, (stub) => stub.updateTags(tags, []));
});

export const untagQueue = onQueue<UntagQueueRequest, UntagQueueOutput>((ctx, { TagKeys: keys }, ref) => {
  const problem = keys.length ? keys.map(validateTagKey).find(Boolean) : validateTagKey("");
  return change(ctx, ref, problem, (stub) => stub.updateTags({}, keys));
});

export const listQueueTags = onQueue<ListQueueTagsRequest, ListQueueTagsResult>(async (ctx, _input, ref) =>
  mapOk(await queueStub(ctx, ref).describe(), ({ state }) => ({
    Tags: Object.keys(state.tags).length ? state.tags : undefined,
  })),
);

export const addPermission = onQueue<AddPermissionRequest, AddPermissionOutput>((ctx, input, ref) => {
  const req = { label: input.Label, accountIds: input.AWSAccountIds, actions: input.Actions };
  return change(ctx, ref, validatePermission(req), (stub) => stub.changePermission(req, null));
});

export const removePermission = onQueue<RemovePermissionRequest, RemovePermissionOutput>((ctx, { Label: label }, ref) =>
  change(ctx, ref, label ? undefined : missingParameter("Label"), (stub) => stub.changePermission(null, label)),
);
