/**
 * SendMessage and SendMessageBatch: validation and digests happen here, in the Worker; the queue
 * object applies what depends on the queue (MaximumMessageSize, delay default) and stores.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
import { fail, ok, type ErrorInfo, type Problem, type Result } from "../../domain/errors";
import { batchResult, failedEntry, inRequestOrder, validateBatch, type BatchResultErrorEntry } from "../../domain/sqs/batch";
import type { NewMessage, SentMessage } from "../../domain/sqs/contract";
import { batchRequestTooLong, invalidParameter, invalidParameterValue, missingParameter } from "../../domain/sqs/errors";
import { buildMessage, contentDeduplicationId } from "../../domain/sqs/message";
import {
  messageSize,
  validateBody,
  validateDelaySeconds,
  validateMessageAttributes,
  validateMessageId,
  validateSystemAttributes,
} from "../../domain/sqs/message-validation";
import { isFifoName } from "../../domain/sqs/queue-names";
import type {
  SendMessageBatchRequest,
  SendMessageBatchRequestEntry,
  SendMessageBatchResult,
  SendMessageBatchResultEntry,
  SendMessageRequest,
  SendMessageResult,
} from "./shapes/types";
import { onQueue, queueStub, type SqsContext } from "./context";

/** AWS caps a whole SendMessageBatch payload at the maximum message size. */
const MAX_BATCH_BYTES = 1_048_576;

type SendInput = Omit<SendMessageBatchRequestEntry, "Id">;

/** FIFO-only rules (a queue is FIFO exactly when its name ends in `.fifo`). */
function fifoProblem(input: SendInput, batch: boolean): Problem {
  if (input.MessageGroupId === undefined) {
    // SendMessage calls it missing; a batch entry, invalid (AWS-validated).
    return batch
      ? invalidParameterValue("The request must contain the parameter MessageGroupId.")
      : missingParameter("MessageGroupId");
  }
  if (input.DelaySeconds !== undefined && input.DelaySeconds !== 0) {
    return invalidParameter(
      "DelaySeconds",
      input.DelaySeconds,
      "The request include parameter that is not valid for this queue type.",
    );
  }
  return undefined;
}

/** Validates one message and computes everything the queue stores and the response echoes. */
export function prepareMessage(ctx: SqsContext, input: SendInput, fifo = false, batch = false): Result<NewMessage> {
  const problem =
    validateBody(input.MessageBody) ??
    validateDelaySeconds(input.DelaySeconds) ??
    validateMessageAttributes(input.MessageAttributes) ??
    validateSystemAttributes(input.MessageSystemAttributes) ??
    validateMessageId("MessageGroupId", input.MessageGroupId) ??
    validateMessageId("MessageDeduplicationId", input.MessageDeduplicationId) ??
    (fifo ? fifoProblem(input, batch) : undefined);
  if (problem) return fail(problem);
  const body = input.MessageBody;
  return ok(
    buildMessage({
      body,
      attributes: input.MessageAttributes,
      systemAttributes: input.MessageSystemAttributes,
      delaySeconds: input.DelaySeconds,
      groupId: input.MessageGroupId,
      deduplicationId: input.MessageDeduplicationId,
      contentDeduplicationId: fifo && input.MessageDeduplicationId === undefined ? contentDeduplicationId(body) : undefined,
      senderId: ctx.senderId,
    }),
  );
}

function sentOutput(sent: SentMessage): Omit<SendMessageBatchResultEntry, "Id"> {
  return {
    MessageId: sent.messageId,
    MD5OfMessageBody: sent.md5OfBody,
    MD5OfMessageAttributes: sent.md5OfAttributes ?? undefined,
    MD5OfMessageSystemAttributes: sent.md5OfSystemAttributes ?? undefined,
    SequenceNumber: sent.sequenceNumber,
  };
}

export const sendMessage = onQueue<SendMessageRequest, SendMessageResult>(async (ctx, input, ref) => {
  const message = prepareMessage(ctx, input, isFifoName(ref.name));
  if (!message.ok) return message;
  const results = await queueStub(ctx, ref).send([message.value], false);
  if (!results.ok) return results;
  const [result] = results.value;
  return result!.ok ? ok(sentOutput(result!.value)) : fail(result!.error);
});

/** An entry without a body fails with code EmptyValue, not MissingParameter (real AWS, per Ballerina's tests). */
const entryError = (entry: SendMessageBatchRequestEntry, error: ErrorInfo): ErrorInfo =>
  entry.MessageBody ? error : { ...error, code: "EmptyValue" };

export const sendMessageBatch = onQueue<SendMessageBatchRequest, SendMessageBatchResult>(async (ctx, input, ref) => {
  const entries = input.Entries;
  const batchProblem = validateBatch(entries, "SendMessageBatchRequestEntry");
  if (batchProblem) return fail(batchProblem);
  const fifo = isFifoName(ref.name);
  // An entry without MessageGroupId fails the whole FIFO batch (AWS-recorded
  // test_send_batch_missing_message_group_id_for_fifo_queue), unlike other entry problems.
  if (fifo && entries.some((entry) => entry.MessageGroupId === undefined)) {
    return fail(invalidParameterValue("The request must contain the parameter MessageGroupId."));
  }
  const failed: BatchResultErrorEntry[] = [];
  const accepted: { id: string; message: NewMessage }[] = [];
  let total = 0;
  for (const entry of entries) {
    const message = prepareMessage(ctx, entry, fifo, true);
    if (message.ok) accepted.push({ id: entry.Id, message: message.value });
    else failed.push(failedEntry(entry.Id, entryError(entry, message.error)));
    total += messageSize(entry.MessageBody, entry.MessageAttributes);
  }
  if (total > MAX_BATCH_BYTES) return fail(batchRequestTooLong(total, MAX_BATCH_BYTES));
  const successful: SendMessageBatchResultEntry[] = [];
  if (accepted.length) {
    const results = await queueStub(ctx, ref).send(
      accepted.map((a) => a.message),
      true,
    );
    if (!results.ok) return results;
    results.value.forEach((result, i) => {
      const id = accepted[i]!.id;
      if (result.ok) successful.push({ Id: id, ...sentOutput(result.value) });
      else failed.push(failedEntry(id, result.error));
    });
  }
  return ok(batchResult(successful, inRequestOrder(entries, failed)));
});
