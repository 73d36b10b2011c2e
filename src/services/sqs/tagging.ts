/**
 * Tags and permissions: TagQueue, UntagQueue, ListQueueTags, AddPermission, RemovePermission.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
 */
import type { AddPermissionRequest, RemovePermissionRequest, TagQueueRequest, UntagQueueRequest } from "@aws-sdk/client-sqs";
import { AwsError, unwrap } from "../../domain/errors";
import { queueRef, queueStub, type SqsContext } from "./context";
import { missingParameter } from "../../domain/sqs/errors";
import { validatePermission } from "../../domain/sqs/permissions";
import { validateTagKey, validateTags } from "../../domain/sqs/tags";

export async function tagQueue(ctx: SqsContext, input: TagQueueRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  const tags = input.Tags ?? {};
  if (!Object.keys(tags).length) throw new AwsError(missingParameter("Tags"));
  const problem = validateTags(tags);
  if (problem) throw new AwsError(problem);
  unwrap(await queueStub(ctx, ref).updateTags(tags, []));
  return {};
}

export async function untagQueue(ctx: SqsContext, input: UntagQueueRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  const keys = input.TagKeys ?? [];
  const problem = keys.length ? keys.map(validateTagKey).find(Boolean) : validateTagKey("");
  if (problem) throw new AwsError(problem);
  unwrap(await queueStub(ctx, ref).updateTags({}, keys));
  return {};
}

export async function listQueueTags(ctx: SqsContext, input: { QueueUrl?: string }) {
  const { state } = unwrap(await queueStub(ctx, queueRef(ctx, input.QueueUrl)).describe());
  return { Tags: Object.keys(state.tags).length ? state.tags : undefined };
}

export async function addPermission(ctx: SqsContext, input: AddPermissionRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  const req = { label: input.Label, accountIds: input.AWSAccountIds, actions: input.Actions };
  const problem = validatePermission(req);
  if (problem) throw new AwsError(problem);
  unwrap(await queueStub(ctx, ref).changePermission(req as { label: string; accountIds: string[]; actions: string[] }, null));
  return {};
}

export async function removePermission(ctx: SqsContext, input: RemovePermissionRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  if (!input.Label) throw new AwsError(missingParameter("Label"));
  unwrap(await queueStub(ctx, ref).changePermission(null, input.Label));
  return {};
}
