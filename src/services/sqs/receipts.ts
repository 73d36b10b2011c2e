/**
 * Actions that act on a received message through its receipt handle: DeleteMessage(Batch) and
 * ChangeMessageVisibility(Batch). Handles are decoded here; a garbage handle never reaches a queue.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
 */
import type {
  ChangeMessageVisibilityBatchRequest,
  ChangeMessageVisibilityRequest,
  DeleteMessageBatchRequest,
  DeleteMessageRequest,
} from "@aws-sdk/client-sqs";
import type { EntryResult, HandleRef } from "../../domain/sqs/contract";
import { AwsError, unwrap, type ErrorInfo } from "../../domain/errors";
import { decodeReceiptHandle } from "../../domain/tokens";
import { batchResult, failedEntry, validateBatch } from "../../domain/sqs/batch";
import { queueRef, queueStub, type SqsContext } from "./context";
import { invalidParameter, missingParameter, receiptHandleIsInvalid } from "../../domain/sqs/errors";

function handleRef(handle: string | undefined): HandleRef | ErrorInfo {
  if (!handle) return missingParameter("ReceiptHandle");
  const decoded = decodeReceiptHandle(handle);
  if (!decoded) return receiptHandleIsInvalid(handle);
  return { handle, seq: decoded.seq, receipt: decoded.receipt, incarnation: decoded.queue };
}

function visibilityProblem(timeout: number | undefined): ErrorInfo | undefined {
  if (timeout === undefined) return missingParameter("VisibilityTimeout");
  if (timeout < 0 || timeout > 43200) return invalidParameter("VisibilityTimeout", timeout, "Must be between 0 and 43200.");
  return undefined;
}

const single = (results: EntryResult[]) => {
  const [result] = results;
  if (!result!.ok) throw new AwsError(result!.error);
  return {};
};

export async function deleteMessage(ctx: SqsContext, input: DeleteMessageRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  const handle = handleRef(input.ReceiptHandle);
  if ("code" in handle) throw new AwsError(handle);
  return single(unwrap(await queueStub(ctx, ref).deleteMessages([handle])));
}

export async function changeMessageVisibility(ctx: SqsContext, input: ChangeMessageVisibilityRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  const handle = handleRef(input.ReceiptHandle);
  if ("code" in handle) throw new AwsError(handle);
  const problem = visibilityProblem(input.VisibilityTimeout);
  if (problem) throw new AwsError(problem);
  return single(unwrap(await queueStub(ctx, ref).changeVisibility([{ ...handle, visibilityTimeout: input.VisibilityTimeout! }])));
}

/** Runs the valid entries of a batch in one call to the queue; invalid ones fail on their own. */
async function runBatch<E extends { Id?: string }, T>(
  entries: E[],
  prepare: (entry: E) => T | ErrorInfo,
  run: (items: T[]) => Promise<EntryResult[]>,
) {
  const failed: ReturnType<typeof failedEntry>[] = [];
  const ready: { id: string; item: T }[] = [];
  for (const entry of entries) {
    const item = prepare(entry);
    if (item && typeof item === "object" && "code" in item) failed.push(failedEntry(entry.Id!, item as ErrorInfo));
    else ready.push({ id: entry.Id!, item: item as T });
  }
  const successful: { Id: string }[] = [];
  if (ready.length) {
    const results = await run(ready.map((r) => r.item));
    results.forEach((result, i) => {
      if (result.ok) successful.push({ Id: ready[i]!.id });
      else failed.push(failedEntry(ready[i]!.id, result.error));
    });
  }
  const order = new Map(entries.map((e, i) => [e.Id, i]));
  failed.sort((a, b) => order.get(a.Id)! - order.get(b.Id)!);
  successful.sort((a, b) => order.get(a.Id)! - order.get(b.Id)!);
  return batchResult(successful, failed);
}

export async function deleteMessageBatch(ctx: SqsContext, input: DeleteMessageBatchRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  validateBatch(input.Entries, "DeleteMessageBatchRequestEntry");
  const stub = queueStub(ctx, ref);
  return runBatch(
    input.Entries!,
    (entry) => handleRef(entry.ReceiptHandle),
    async (refs) => unwrap(await stub.deleteMessages(refs)),
  );
}

export async function changeMessageVisibilityBatch(ctx: SqsContext, input: ChangeMessageVisibilityBatchRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  validateBatch(input.Entries, "ChangeMessageVisibilityBatchRequestEntry");
  const stub = queueStub(ctx, ref);
  return runBatch(
    input.Entries!,
    (entry) => {
      const handle = handleRef(entry.ReceiptHandle);
      if ("code" in handle) return handle;
      return visibilityProblem(entry.VisibilityTimeout) ?? { ...handle, visibilityTimeout: entry.VisibilityTimeout! };
    },
    async (changes) => unwrap(await stub.changeVisibility(changes)),
  );
}
