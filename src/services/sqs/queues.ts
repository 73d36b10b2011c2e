/**
 * Queue lifecycle and attributes: CreateQueue, GetQueueUrl, DeleteQueue, GetQueueAttributes,
 * SetQueueAttributes, PurgeQueue.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Operations.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { QueueDescription } from "../../domain/sqs/contract";
import { queueDoesNotExist, unknownAttribute } from "../../domain/sqs/errors";
import {
  ALL_ATTRIBUTE_NAMES,
  FIFO_DEFAULTS,
  STANDARD_DEFAULTS,
  validateAttributes,
  wantsCounts,
  type QueueAttributes,
} from "../../domain/sqs/queue-attributes";
import { isFifoName, queueArn, queueUrl, validateQueueName, type QueueRef } from "../../domain/sqs/queue-names";
import { validateTags } from "../../domain/sqs/tags";
import type {
  CreateQueueRequest,
  CreateQueueResult,
  DeleteQueueOutput,
  DeleteQueueRequest,
  GetQueueAttributesRequest,
  GetQueueAttributesResult,
  GetQueueUrlRequest,
  GetQueueUrlResult,
  PurgeQueueOutput,
  PurgeQueueRequest,
  SetQueueAttributesOutput,
  SetQueueAttributesRequest,
} from "./shapes/types";
import { accessProblem, mapOk, onQueue, queueStub, type SqsContext } from "./context";
import { redriveTargetProblem } from "./redrive";

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html */
export async function createQueue(ctx: SqsContext, input: CreateQueueRequest): Promise<Result<CreateQueueResult>> {
  const name = input.QueueName;
  const given: QueueAttributes = input.Attributes ?? {};
  const fifo = given.FifoQueue === "true";
  const nameProblem = validateQueueName(name, fifo) ?? (!fifo && isFifoName(name) ? validateQueueName("", false) : undefined);
  if (nameProblem) return fail(nameProblem);
  const requested = validateAttributes(given, { fifo, creating: true });
  if (!requested.ok) return requested;
  const tags = input.tags ?? {};
  const tagProblem = validateTags(tags);
  if (tagProblem) return fail(tagProblem);
  const ref: QueueRef = { account: ctx.account, region: ctx.region, name };
  const redrive = requested.value.RedrivePolicy;
  const redriveProblem = redrive ? await redriveTargetProblem(ctx, ref, redrive) : undefined;
  if (redriveProblem) return fail(redriveProblem);
  const attributes = { ...STANDARD_DEFAULTS, ...(fifo ? FIFO_DEFAULTS : {}), ...requested.value };
  const created = await queueStub(ctx, ref).create({ ...ref, attributes, requested: requested.value, tags });
  return mapOk(created, () => ({ QueueUrl: queueUrl(ctx.origin, ref) }));
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html */
export async function getQueueUrl(ctx: SqsContext, input: GetQueueUrlRequest): Promise<Result<GetQueueUrlResult>> {
  const name = input.QueueName;
  const ref: QueueRef = { account: input.QueueOwnerAWSAccountId || ctx.account, region: ctx.region, name };
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(name) || !/^\d{12}$/.test(ref.account)) return fail(queueDoesNotExist());
  const denied = accessProblem(ctx, ref);
  if (denied) return fail(denied);
  return mapOk(await queueStub(ctx, ref).describe(), () => ({ QueueUrl: queueUrl(ctx.origin, ref) }));
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html */
export const deleteQueue = onQueue<DeleteQueueRequest, DeleteQueueOutput>(async (ctx, _input, ref) =>
  mapOk(await queueStub(ctx, ref).destroy(), () => ({})),
);

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html */
export const purgeQueue = onQueue<PurgeQueueRequest, PurgeQueueOutput>(async (ctx, _input, ref) =>
  mapOk(await queueStub(ctx, ref).purge(), () => ({})),
);

/** Every attribute GetQueueAttributes can return for the queue (the counts if they were asked for), computed now. */
export function queueAttributeMap({ state, counts }: QueueDescription): QueueAttributes {
  return {
    ...state.attributes,
    ...(counts && {
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    }),
    CreatedTimestamp: String(state.createdAt),
    LastModifiedTimestamp: String(state.lastModifiedAt),
    QueueArn: queueArn(state),
  };
}

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html */
export const getQueueAttributes = onQueue<GetQueueAttributesRequest, GetQueueAttributesResult>(async (ctx, input, ref) => {
  const names = input.AttributeNames ?? [];
  const unknown = names.find((name) => !ALL_ATTRIBUTE_NAMES.has(name));
  if (unknown !== undefined) return fail(unknownAttribute(unknown));
  const description = await queueStub(ctx, ref).describe({ counts: wantsCounts(names) });
  if (!description.ok) return description;
  if (!names.length) return ok({});
  const all = queueAttributeMap(description.value);
  if (names.includes("All")) return ok({ Attributes: all });
  const picked: QueueAttributes = {};
  for (const name of names) if (all[name] !== undefined) picked[name] = all[name];
  return ok({ Attributes: Object.keys(picked).length ? picked : undefined });
});

/** @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html */
export const setQueueAttributes = onQueue<SetQueueAttributesRequest, SetQueueAttributesOutput>(async (ctx, input, ref) => {
  const changes = validateAttributes(input.Attributes, { fifo: isFifoName(ref.name), creating: false });
  if (!changes.ok) return changes;
  const redrive = changes.value.RedrivePolicy;
  const redriveProblem = redrive ? await redriveTargetProblem(ctx, ref, redrive) : undefined;
  if (redriveProblem) return fail(redriveProblem);
  return mapOk(await queueStub(ctx, ref).setAttributes(changes.value), () => ({}));
});
