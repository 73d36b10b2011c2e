/**
 * Publish and PublishBatch: the message checks (domain/sns/publish-entry.ts) happen here; the topic
 * object dedups, stores and fans out. Phone numbers and platform endpoints are published to directly
 * (platform-publish.ts).
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 * @see https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html
 */
import type { PublishEntry } from "../../domain/sns/contract";
import { fail, ok, type ErrorInfo } from "../../domain/errors";
import { topicRef, topicStub, type SnsHandler } from "./context";
import {
  batchEntryIdsNotDistinct,
  batchRequestTooLong,
  emptyBatchRequest,
  invalidBatchEntryId,
  invalidParameter,
  tooManyEntriesInBatchRequest,
} from "../../domain/sns/errors";
import { isFifoTopicName } from "../../domain/sns/names";
import { MAX_MESSAGE_BYTES, messageBytes, prepareEntry } from "../../domain/sns/publish-entry";
import { publishDirect } from "./platform-publish";
import type { BatchResultErrorEntry, PublishBatchResultEntry } from "./shapes/types";

export const publish: SnsHandler<"Publish"> = async (ctx, input) => {
  // An empty TopicArn is a malformed ARN ("…not 1", AWS-recorded `test_publish_wrong_arn_format`), not a missing one.
  const targets = [input.TopicArn, input.TargetArn || undefined, input.PhoneNumber || undefined].filter((t) => t !== undefined);
  if (targets.length === 0) return fail(invalidParameter("TopicArn or TargetArn Reason: no value for required parameter"));
  if (targets.length > 1)
    return fail(invalidParameter("TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given"));
  // Platform endpoints and phone numbers are published to directly.
  if (input.PhoneNumber || (input.TargetArn && input.TargetArn.includes(":endpoint/"))) return publishDirect(ctx, input);
  const ref = topicRef(ctx, input.TopicArn !== undefined ? "TopicArn" : "TargetArn", input.TopicArn ?? input.TargetArn);
  if (!ref.ok) return ref;
  const entry = prepareEntry(input, isFifoTopicName(ref.value.name), ctx.traceHeader);
  if (!entry.ok) return entry;
  const published = await topicStub(ctx, ref.value).publish([entry.value], ctx.origin);
  if (!published.ok) return published;
  const [result] = published.value;
  if (!result!.ok) return fail(result!.error);
  return ok({ MessageId: result!.value.messageId, SequenceNumber: result!.value.sequenceNumber });
};

/** Problems of one entry that fail only that entry; any other fails the whole batch, as AWS does. */
const ENTRY_PROBLEM = /^Invalid parameter: (Empty message|Subject|Message too long)/;

export const publishBatch: SnsHandler<"PublishBatch"> = async (ctx, input) => {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  if (!ref.ok) return ref;
  const entries = input.PublishBatchRequestEntries;
  if (!entries.length) return fail(emptyBatchRequest());
  if (entries.length > 10) return fail(tooManyEntriesInBatchRequest());
  const ids = new Set<string>();
  for (const { Id } of entries) {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(Id)) return fail(invalidBatchEntryId(Id));
    if (ids.has(Id)) return fail(batchEntryIdsNotDistinct());
    ids.add(Id);
  }
  const fifo = isFifoTopicName(ref.value.name);
  const prepared = entries.map((e) => prepareEntry(e, fifo, ctx.traceHeader));
  for (const p of prepared) if (!p.ok && !ENTRY_PROBLEM.test(p.error.message)) return p;
  const total = entries.reduce((sum, e) => sum + messageBytes(e.Message), 0);
  if (total > MAX_MESSAGE_BYTES) return fail(batchRequestTooLong());
  const valid: { entry: PublishEntry; id: string }[] = [];
  const Successful: PublishBatchResultEntry[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  const failed = (Id: string, error: ErrorInfo) =>
    Failed.push({ Id, Code: error.code, Message: error.message, SenderFault: true });
  prepared.forEach((p, i) => {
    if (p.ok) valid.push({ entry: p.value, id: entries[i]!.Id });
    else failed(entries[i]!.Id, p.error);
  });
  if (valid.length) {
    const published = await topicStub(ctx, ref.value).publish(
      valid.map((v) => v.entry),
      ctx.origin,
    );
    if (!published.ok) return published;
    published.value.forEach((r, i) => {
      if (r.ok) Successful.push({ Id: valid[i]!.id, MessageId: r.value.messageId, SequenceNumber: r.value.sequenceNumber });
      else failed(valid[i]!.id, r.error);
    });
  }
  return ok({ Successful, Failed });
};
