/**
 * SendMessage and SendMessageBatch: validation and digests happen here, in the Worker; the queue
 * object applies what depends on the queue (MaximumMessageSize, delay default) and stores.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
import type { SendMessageBatchRequest, SendMessageBatchRequestEntry, SendMessageRequest } from "@aws-sdk/client-sqs";
import type { NewMessage, SentMessage } from "../../domain/sqs/contract";
import { AwsError, unwrap, type ErrorInfo } from "../../domain/errors";
import { batchResult, failedEntry, validateBatch, type BatchResultErrorEntry } from "../../domain/sqs/batch";
import { queueRef, queueStub, type SqsContext } from "./context";
import { isFifoName } from "../../domain/sqs/queue-names";
import { batchRequestTooLong, invalidParameter, invalidParameterValue, missingParameter } from "../../domain/sqs/errors";
import type { AttributeValue } from "../../domain/sqs/md5";
import { buildMessage, contentDeduplicationId } from "../../domain/sqs/message";
import {
  messageSize,
  validateBody,
  validateDelaySeconds,
  validateMessageAttributes,
  validateMessageId,
  validateSystemAttributes,
} from "../../domain/sqs/message-validation";

/** AWS caps a whole SendMessageBatch payload at the maximum message size. */
const MAX_BATCH_BYTES = 1_048_576;

type SendInput = Omit<SendMessageBatchRequestEntry, "Id">;

/** FIFO-only rules (a queue is FIFO exactly when its name ends in `.fifo`). */
function fifoProblem(input: SendInput, batch: boolean): ErrorInfo | undefined {
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
export function prepareMessage(ctx: SqsContext, input: SendInput, fifo = false, batch = false): NewMessage | ErrorInfo {
  const attributes = input.MessageAttributes as Record<string, AttributeValue> | undefined;
  const system = input.MessageSystemAttributes as Record<string, AttributeValue> | undefined;
  const problem =
    validateBody(input.MessageBody) ??
    validateDelaySeconds(input.DelaySeconds) ??
    validateMessageAttributes(attributes) ??
    validateSystemAttributes(system) ??
    validateMessageId("MessageGroupId", input.MessageGroupId) ??
    validateMessageId("MessageDeduplicationId", input.MessageDeduplicationId) ??
    (fifo ? fifoProblem(input, batch) : undefined);
  if (problem) return problem;
  const body = input.MessageBody!;
  return buildMessage({
    body,
    attributes,
    systemAttributes: system,
    delaySeconds: input.DelaySeconds,
    groupId: input.MessageGroupId,
    deduplicationId: input.MessageDeduplicationId,
    contentDeduplicationId: fifo && input.MessageDeduplicationId === undefined ? contentDeduplicationId(body) : undefined,
    senderId: ctx.senderId,
  });
}

function sentOutput(sent: SentMessage) {
  return {
    MessageId: sent.messageId,
    MD5OfMessageBody: sent.md5OfBody,
    MD5OfMessageAttributes: sent.md5OfAttributes ?? undefined,
    MD5OfMessageSystemAttributes: sent.md5OfSystemAttributes ?? undefined,
    SequenceNumber: sent.sequenceNumber,
  };
}

export async function sendMessage(ctx: SqsContext, input: SendMessageRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  const message = prepareMessage(ctx, input, isFifoName(ref.name));
  if ("code" in message) throw new AwsError(message);
  const [result] = unwrap(await queueStub(ctx, ref).send([message], false));
  if (!result!.ok) throw new AwsError(result!.error);
  return sentOutput(result!.value);
}

export async function sendMessageBatch(ctx: SqsContext, input: SendMessageBatchRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  const entries = input.Entries ?? [];
  validateBatch(entries, "SendMessageBatchRequestEntry");
  const fifo = isFifoName(ref.name);
  // An entry without MessageGroupId fails the whole FIFO batch (AWS-recorded
  // test_send_batch_missing_message_group_id_for_fifo_queue), unlike other entry problems.
  if (fifo && entries.some((entry) => entry.MessageGroupId === undefined)) {
    throw new AwsError(invalidParameterValue("The request must contain the parameter MessageGroupId."));
  }
  const failed: BatchResultErrorEntry[] = [];
  const accepted: { id: string; message: NewMessage }[] = [];
  let total = 0;
  for (const entry of entries) {
    const message = prepareMessage(ctx, entry, fifo, true);
    // An entry without a body fails with code EmptyValue, not MissingParameter (real AWS, per Ballerina's tests).
    if ("code" in message) failed.push(failedEntry(entry.Id!, entry.MessageBody ? message : { ...message, code: "EmptyValue" }));
    else accepted.push({ id: entry.Id!, message });
    total += messageSize(entry.MessageBody ?? "", entry.MessageAttributes as Record<string, AttributeValue> | undefined);
  }
  if (total > MAX_BATCH_BYTES) throw new AwsError(batchRequestTooLong(total, MAX_BATCH_BYTES));
  const successful: (ReturnType<typeof sentOutput> & { Id: string })[] = [];
  if (accepted.length) {
    const results = unwrap(
      await queueStub(ctx, ref).send(
        accepted.map((a) => a.message),
        true,
      ),
    );
    results.forEach((result, i) => {
      const id = accepted[i]!.id;
      if (result.ok) successful.push({ Id: id, ...sentOutput(result.value) });
      else failed.push(failedEntry(id, result.error));
    });
  }
  const order = new Map(entries.map((e, i) => [e.Id, i]));
  failed.sort((a, b) => order.get(a.Id)! - order.get(b.Id)!);
  return batchResult(successful, failed);
}
