/**
 * Publish and PublishBatch: checks (size, subject, MessageStructure, FIFO group and deduplication
 * ids, attributes) happen here; the topic object dedups, stores and fans out.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { PublishBatchInput, PublishInput } from "@aws-sdk/client-sns";
import type { PublishEntry } from "../../domain/sns/contract";
import { AwsError, unwrap, type ErrorInfo } from "../../domain/errors";
import { topicRef, topicStub, type SnsContext } from "./context";
import {
  batchEntryIdsNotDistinct,
  batchRequestTooLong,
  emptyBatchRequest,
  invalidBatchEntryId,
  invalidParameter,
  tooManyEntriesInBatchRequest,
} from "../../domain/sns/errors";
import { attributesSize, prepareAttributes, type AttributeInput } from "../../domain/sns/message-attributes";
import { isFifoTopicName } from "../../domain/sns/names";
import { publishDirect } from "./platform-publish";

/** 256 KB: message and attributes together, for a Publish and for a whole PublishBatch. */
const MAX_MESSAGE_BYTES = 262_144;
const utf8 = new TextEncoder();

interface EntryInput {
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, AttributeInput>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/** Validates one message for a topic; returns the entry the topic stores, or AWS's error. */
export function prepareEntry(input: EntryInput, fifo: boolean, traceHeader?: string): PublishEntry | ErrorInfo {
  const message = input.Message ?? "";
  if (message === "") return invalidParameter("Empty message");
  if (
    input.Subject !== undefined &&
    (input.Subject === "" || input.Subject.length >= 100 || /[\x00-\x1f\x7f]/.test(input.Subject))
  ) {
    return invalidParameter("Subject");
  }
  let structured: Record<string, string> | undefined;
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== "json") return invalidParameter("MessageStructure");
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return invalidParameter("Message Structure - JSON message body failed to parse");
    }
    if (
      !parsed ||
      typeof parsed !== "object" ||
      Array.isArray(parsed) ||
      typeof (parsed as Record<string, unknown>).default !== "string"
    ) {
      return invalidParameter("Message Structure - No default entry in JSON message body");
    }
    structured = Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
  }
  const attributes = prepareAttributes(input.MessageAttributes);
  if ("code" in attributes && typeof attributes.code === "string") return attributes as ErrorInfo;
  const attrs = attributes as PublishEntry["attributes"];
  if (utf8.encode(message).length + attributesSize(attrs) > MAX_MESSAGE_BYTES) return invalidParameter("Message too long");
  for (const [name, value] of [
    ["MessageGroupId", input.MessageGroupId],
    ["MessageDeduplicationId", input.MessageDeduplicationId],
  ] as const) {
    if (value !== undefined && !/^[!-~]{1,128}$/.test(value))
      return invalidParameter(
        `${name} Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      );
  }
  if (fifo && input.MessageGroupId === undefined)
    return invalidParameter("The MessageGroupId parameter is required for FIFO topics");
  if (!fifo && input.MessageDeduplicationId !== undefined) {
    return invalidParameter(
      "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
    );
  }
  return {
    message,
    subject: input.Subject,
    structured,
    attributes: attrs,
    groupId: input.MessageGroupId,
    deduplicationId: input.MessageDeduplicationId,
    // Content-based deduplication hashes the message only, not the attributes.
    contentDeduplicationId:
      fifo && input.MessageDeduplicationId === undefined ? bytesToHex(sha256(utf8ToBytes(message))) : undefined,
    traceHeader,
  };
}

export async function publish(ctx: SnsContext, input: PublishInput) {
  // An empty TopicArn is a malformed ARN ("…not 1", AWS-recorded `test_publish_wrong_arn_format`), not a missing one.
  const targets = [input.TopicArn, input.TargetArn || undefined, input.PhoneNumber || undefined].filter((t) => t !== undefined);
  if (targets.length === 0) throw new AwsError(invalidParameter("TopicArn or TargetArn Reason: no value for required parameter"));
  if (targets.length > 1)
    throw new AwsError(
      invalidParameter("TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given"),
    );
  // Platform endpoints and phone numbers are published to directly.
  if (input.PhoneNumber || (input.TargetArn && input.TargetArn.includes(":endpoint/"))) return publishDirect(ctx, input);
  const ref = topicRef(ctx, input.TopicArn !== undefined ? "TopicArn" : "TargetArn", input.TopicArn ?? input.TargetArn);
  const entry = prepareEntry(input, isFifoTopicName(ref.name), ctx.traceHeader);
  if ("code" in entry) throw new AwsError(entry);
  const [result] = unwrap(await topicStub(ctx, ref).publish([entry], ctx.origin));
  if (!result!.ok) throw new AwsError(result!.error);
  return { MessageId: result!.value.messageId, SequenceNumber: result!.value.sequenceNumber };
}

export async function publishBatch(ctx: SnsContext, input: PublishBatchInput) {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  const entries = input.PublishBatchRequestEntries ?? [];
  if (!entries.length) throw new AwsError(emptyBatchRequest());
  if (entries.length > 10) throw new AwsError(tooManyEntriesInBatchRequest());
  const ids = new Set<string>();
  for (const { Id = "" } of entries) {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(Id)) throw new AwsError(invalidBatchEntryId(Id));
    if (ids.has(Id)) throw new AwsError(batchEntryIdsNotDistinct());
    ids.add(Id);
  }
  const fifo = isFifoTopicName(ref.name);
  const prepared = entries.map((e) => prepareEntry(e, fifo, ctx.traceHeader));
  // Problems that concern the whole batch's shape fail it as a whole, as AWS does.
  for (const p of prepared)
    if ("code" in p && !/^Invalid parameter: (Empty message|Subject|Message too long)/.test(p.message)) throw new AwsError(p);
  const total = entries.reduce((sum, e) => sum + utf8.encode(e.Message ?? "").length, 0);
  if (total > MAX_MESSAGE_BYTES) throw new AwsError(batchRequestTooLong());
  const valid = prepared
    .map((p, i) => ({ p, id: entries[i]!.Id! }))
    .filter((x): x is { p: PublishEntry; id: string } => !("code" in x.p));
  const results = valid.length
    ? unwrap(
        await topicStub(ctx, ref).publish(
          valid.map((v) => v.p),
          ctx.origin,
        ),
      )
    : [];
  const Successful: { Id: string; MessageId: string; SequenceNumber?: string }[] = [];
  const Failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
  prepared.forEach((p, i) => {
    if ("code" in p) Failed.push({ Id: entries[i]!.Id!, Code: p.code, Message: p.message, SenderFault: true });
  });
  results.forEach((r, i) => {
    if (r.ok) Successful.push({ Id: valid[i]!.id, MessageId: r.value.messageId, SequenceNumber: r.value.sequenceNumber });
    else Failed.push({ Id: valid[i]!.id, Code: r.error.code, Message: r.error.message, SenderFault: true });
  });
  return { Successful, Failed };
}
