/**
 * Queue lifecycle and attributes: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue,
 * GetQueueAttributes, SetQueueAttributes, PurgeQueue.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Operations.html
 */
import type {
  CreateQueueRequest,
  GetQueueAttributesRequest,
  GetQueueUrlRequest,
  ListQueuesRequest,
  SetQueueAttributesRequest,
} from "@aws-sdk/client-sqs";
import { catalogObject } from "../../durable/names";
import type { QueueDescription, QueueState } from "../../domain/sqs/contract";
import { AwsError, unwrap } from "../../domain/errors";
import { decodeToken, encodeToken } from "../../domain/tokens";
import { checkAccess, queueRef, queueStub, type SqsContext } from "./context";
import { invalidParameter, invalidParameterValue, queueDoesNotExist, unknownAttribute } from "../../domain/sqs/errors";
import {
  ALL_ATTRIBUTE_NAMES,
  FIFO_DEFAULTS,
  STANDARD_DEFAULTS,
  validateAttributes,
  type QueueAttributes,
} from "../../domain/sqs/queue-attributes";
import { isFifoName, queueArn, queueUrl, validateQueueName, type QueueRef } from "../../domain/sqs/queue-names";
import { checkRedriveTarget } from "./redrive";
import { validateTags } from "../../domain/sqs/tags";

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html */
export async function createQueue(ctx: SqsContext, input: CreateQueueRequest) {
  const name = input.QueueName ?? "";
  const given = (input.Attributes ?? {}) as QueueAttributes;
  const fifo = given.FifoQueue === "true";
  const nameProblem = validateQueueName(name, fifo) ?? (!fifo && isFifoName(name) ? validateQueueName("", false) : undefined);
  if (nameProblem) throw new AwsError(nameProblem);
  const requested = unwrap(validateAttributes(given, { fifo, creating: true }));
  const tags = input.tags ?? {};
  const tagProblem = validateTags(tags);
  if (tagProblem) throw new AwsError(tagProblem);
  const ref: QueueRef = { account: ctx.account, region: ctx.region, name };
  if (requested.RedrivePolicy) await checkRedriveTarget(ctx, ref, requested.RedrivePolicy);
  const attributes = { ...STANDARD_DEFAULTS, ...(fifo ? FIFO_DEFAULTS : {}), ...requested };
  unwrap(await queueStub(ctx, ref).create({ ...ref, attributes, requested, tags }));
  return { QueueUrl: queueUrl(ctx.origin, ref) };
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html */
export async function getQueueUrl(ctx: SqsContext, input: GetQueueUrlRequest) {
  const name = input.QueueName ?? "";
  const ref: QueueRef = { account: input.QueueOwnerAWSAccountId || ctx.account, region: ctx.region, name };
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(name) || !/^\d{12}$/.test(ref.account)) throw new AwsError(queueDoesNotExist());
  checkAccess(ctx, ref);
  unwrap(await queueStub(ctx, ref).describe());
  return { QueueUrl: queueUrl(ctx.origin, ref) };
}

const LIST_LIMIT = 1000;

/** Pagination shared by ListQueues and ListDeadLetterSourceQueues: the token names the last queue returned. */
export function pageRequest(maxResults: number | undefined, nextToken: string | undefined, scope: string) {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > LIST_LIMIT)) {
    throw new AwsError(invalidParameter("MaxResults", maxResults, "MaxResults must be an integer between 1 and 1000."));
  }
  let after: string | undefined;
  if (nextToken !== undefined) {
    const token = decodeToken<{ after: string; scope: string }>("L", nextToken);
    if (!token || token.scope !== scope) throw new AwsError(invalidParameterValue("Invalid NextToken value."));
    after = token.after;
  }
  return { limit: maxResults ?? LIST_LIMIT, after, paged: maxResults !== undefined };
}

export function pageResult(names: string[], limit: number, paged: boolean, scope: string) {
  const more = names.length > limit;
  const page = names.slice(0, limit);
  return { page, nextToken: more && paged ? encodeToken("L", { after: page[page.length - 1], scope }) : undefined };
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html */
export async function listQueues(ctx: SqsContext, input: ListQueuesRequest) {
  const prefix = input.QueueNamePrefix ?? "";
  const { limit, after, paged } = pageRequest(input.MaxResults, input.NextToken, `q:${prefix}`);
  const names = await catalogObject(ctx.env, ctx.account, ctx.region).list(prefix, limit + 1, after);
  const { page, nextToken } = pageResult(names, limit, paged, `q:${prefix}`);
  const urls = page.map((name) => queueUrl(ctx.origin, { account: ctx.account, name }));
  return { QueueUrls: urls.length ? urls : undefined, NextToken: nextToken };
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html */
export async function deleteQueue(ctx: SqsContext, input: { QueueUrl?: string }) {
  unwrap(await queueStub(ctx, queueRef(ctx, input.QueueUrl)).destroy());
  return {};
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html */
export async function purgeQueue(ctx: SqsContext, input: { QueueUrl?: string }) {
  unwrap(await queueStub(ctx, queueRef(ctx, input.QueueUrl)).purge());
  return {};
}

/** Every attribute GetQueueAttributes can return for the queue, computed now. */
export function queueAttributeMap({ state, counts }: QueueDescription): QueueAttributes {
  return {
    ...state.attributes,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(state.createdAt),
    LastModifiedTimestamp: String(state.lastModifiedAt),
    QueueArn: queueArn(state),
  };
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html */
export async function getQueueAttributes(ctx: SqsContext, input: GetQueueAttributesRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  const names = (input.AttributeNames ?? []) as string[];
  for (const name of names) if (!ALL_ATTRIBUTE_NAMES.has(name)) throw new AwsError(unknownAttribute(name));
  const description = unwrap(await queueStub(ctx, ref).describe());
  if (!names.length) return {};
  const all = queueAttributeMap(description);
  if (names.includes("All")) return { Attributes: all };
  const picked: QueueAttributes = {};
  for (const name of names) if (all[name] !== undefined) picked[name] = all[name];
  return { Attributes: Object.keys(picked).length ? picked : undefined };
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html */
export async function setQueueAttributes(ctx: SqsContext, input: SetQueueAttributesRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  const changes = unwrap(
    validateAttributes((input.Attributes ?? {}) as QueueAttributes, { fifo: isFifoName(ref.name), creating: false }),
  );
  const stub = queueStub(ctx, ref);
  if (changes.RedrivePolicy) await checkRedriveTarget(ctx, ref, changes.RedrivePolicy);
  unwrap(await stub.setAttributes(changes));
  return {};
}

export type { QueueState };
