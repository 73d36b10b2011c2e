/**
 * ReceiveMessage: parameter checks, then the queue object claims (or waits); here the answer is
 * shaped: system attributes by MessageSystemAttributeNames / AttributeNames, message attributes by
 * MessageAttributeNames (`All`, `.*`, `prefix.*`, exact names), with the MD5 of what is returned.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
import { Buffer } from "node:buffer";
import { fail, ok, type Problem } from "../../domain/errors";
import type { ReceivedMessage } from "../../domain/sqs/contract";
import { invalidParameter } from "../../domain/sqs/errors";
import { md5OfAttributes, type AttributeValue } from "../../domain/sqs/md5";
import { validateMessageId } from "../../domain/sqs/message-validation";
import type { Message, ReceiveMessageRequest, ReceiveMessageResult } from "./shapes/types";
import { onQueue, queueStub } from "./context";

function receiveProblem(input: ReceiveMessageRequest): Problem {
  const max = input.MaxNumberOfMessages;
  if (max !== undefined && (max < 1 || max > 10)) {
    return invalidParameter("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided.");
  }
  const wait = input.WaitTimeSeconds;
  if (wait !== undefined && (wait < 0 || wait > 20)) {
    return invalidParameter("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.");
  }
  const visibility = input.VisibilityTimeout;
  if (visibility !== undefined && (visibility < 0 || visibility > 43200)) {
    return invalidParameter("VisibilityTimeout", visibility, "Must be between 0 and 43200.");
  }
  return validateMessageId("ReceiveRequestAttemptId", input.ReceiveRequestAttemptId);
}

export const receiveMessage = onQueue<ReceiveMessageRequest, ReceiveMessageResult>(async (ctx, input, ref) => {
  const problem = receiveProblem(input);
  if (problem) return fail(problem);
  const messages = await queueStub(ctx, ref).receive({
    maxMessages: input.MaxNumberOfMessages ?? 1,
    visibilityTimeout: input.VisibilityTimeout,
    waitSeconds: input.WaitTimeSeconds,
    attemptId: input.ReceiveRequestAttemptId,
  });
  if (!messages.ok) return messages;
  if (!messages.value.length) return ok({});
  const systemNames = new Set<string>([...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])]);
  const attributeFilter = attributeNameFilter(input.MessageAttributeNames ?? []);
  return ok({ Messages: messages.value.map((m) => shapeMessage(m, systemNames, attributeFilter)) });
});

function shapeMessage(message: ReceivedMessage, systemNames: Set<string>, keep: (name: string) => boolean): Message {
  const all = systemNames.has("All");
  const system: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.system)) if (all || systemNames.has(name)) system[name] = value;

  const stored = message.attributes
    ? (JSON.parse(message.attributes) as Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>)
    : {};
  const attributes: Record<string, AttributeValue> = {};
  let complete = true;
  for (const [name, value] of Object.entries(stored)) {
    if (!keep(name)) {
      complete = false;
      continue;
    }
    attributes[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: new Uint8Array(Buffer.from(value.BinaryValue, "base64")) }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  const hasAttributes = Object.keys(attributes).length > 0;
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    Attributes: Object.keys(system).length ? system : undefined,
    MD5OfMessageAttributes: hasAttributes
      ? complete
        ? (message.md5OfAttributes ?? undefined)
        : md5OfAttributes(attributes)
      : undefined,
    MessageAttributes: hasAttributes ? attributes : undefined,
  };
}

/**
 * `All`, `*` and `.*` select every attribute, `prefix.*` those whose name starts with `prefix` (AWS
 * returns both `Hello` and `Help.Me` for `Hel.*`: recorded), other names exactly.
 */
export function attributeNameFilter(names: string[]): (name: string) => boolean {
  if (names.some((n) => n === "All" || n === "*" || n === ".*")) return () => true;
  const exact = new Set(names.filter((n) => !n.endsWith(".*")));
  const prefixes = names.filter((n) => n.endsWith(".*")).map((n) => n.slice(0, -2));
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}
