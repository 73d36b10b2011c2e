/**
 * Actions that act on a received message through its receipt handle: DeleteMessage(Batch) and
 * ChangeMessageVisibility(Batch). Handles are decoded here; a garbage handle never reaches a queue.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
 */
import { fail, ok, type Problem, type Result } from "../../domain/errors";
import { batchResult, failedEntry, inRequestOrder, validateBatch, type BatchResult } from "../../domain/sqs/batch";
import type { EntryResult, HandleRef, VisibilityChange } from "../../domain/sqs/contract";
import { invalidParameter, missingParameter, receiptHandleIsInvalid } from "../../domain/sqs/errors";
import { decodeReceiptHandle } from "../../domain/tokens";
import type {
  ChangeMessageVisibilityBatchRequest,
  ChangeMessageVisibilityBatchResult,
  ChangeMessageVisibilityOutput,
  ChangeMessageVisibilityRequest,
  DeleteMessageBatchRequest,
  DeleteMessageBatchResult,
  DeleteMessageOutput,
  DeleteMessageRequest,
} from "./shapes/types";
import { onQueue, queueStub } from "./context";

function handleRef(handle: string): Result<HandleRef> {
  if (!handle) return fail(missingParameter("ReceiptHandle"));
  const decoded = decodeReceiptHandle(handle);
  if (!decoded) return fail(receiptHandleIsInvalid(handle));
  return ok({ handle, seq: decoded.seq, receipt: decoded.receipt, incarnation: decoded.queue });
}

function visibilityProblem(timeout: number | undefined): Problem {
  if (timeout === undefined) return missingParameter("VisibilityTimeout");
  if (timeout < 0 || timeout > 43200) return invalidParameter("VisibilityTimeout", timeout, "Must be between 0 and 43200.");
  return undefined;
}

function visibilityChange(handle: string, timeout: number | undefined): Result<VisibilityChange> {
  const ref = handleRef(handle);
  if (!ref.ok) return ref;
  const problem = visibilityProblem(timeout);
  return problem ? fail(problem) : ok({ ...ref.value, visibilityTimeout: timeout! });
}

/** One message's action: the queue's answer for its one entry is the action's. */
async function single<T>(item: Result<T>, run: (items: T[]) => Promise<Result<EntryResult[]>>): Promise<Result<object>> {
  if (!item.ok) return item;
  const results = await run([item.value]);
  if (!results.ok) return results;
  const [result] = results.value;
  return result!.ok ? ok({}) : fail(result!.error);
}

export const deleteMessage = onQueue<DeleteMessageRequest, DeleteMessageOutput>((ctx, input, ref) =>
  single(handleRef(input.ReceiptHandle), (refs) => queueStub(ctx, ref).deleteMessages(refs)),
);

export const changeMessageVisibility = onQueue<ChangeMessageVisibilityRequest, ChangeMessageVisibilityOutput>((ctx, input, ref) =>
  single(visibilityChange(input.ReceiptHandle, input.VisibilityTimeout), (changes) =>
    queueStub(ctx, ref).changeVisibility(changes),
  ),
);

/** Runs the valid entries of a batch in one call to the queue; invalid ones fail on their own. */
async function runBatch<E extends { Id: string }, T>(
  entries: E[],
  entryShape: string,
  prepare: (entry: E) => Result<T>,
  run: (items: T[]) => Promise<Result<EntryResult[]>>,
): Promise<Result<BatchResult<{ Id: string }>>> {
  const problem = validateBatch(entries, entryShape);
  if (problem) return fail(problem);
  const failed: ReturnType<typeof failedEntry>[] = [];
  const ready: { id: string; item: T }[] = [];
  for (const entry of entries) {
    const item = prepare(entry);
    if (item.ok) ready.push({ id: entry.Id, item: item.value });
    else failed.push(failedEntry(entry.Id, item.error));
  }
  const successful: { Id: string }[] = [];
  if (ready.length) {
    const results = await run(ready.map((r) => r.item));
    if (!results.ok) return results;
    results.value.forEach((result, i) => {
      if (result.ok) successful.push({ Id: ready[i]!.id });
      else failed.push(failedEntry(ready[i]!.id, result.error));
    });
  }
  return ok(batchResult(inRequestOrder(entries, successful), inRequestOrder(entries, failed)));
}

export const deleteMessageBatch = onQueue<DeleteMessageBatchRequest, DeleteMessageBatchResult>((ctx, input, ref) =>
  runBatch(
    input.Entries,
    "DeleteMessageBatchRequestEntry",
    (entry) => handleRef(entry.ReceiptHandle),
    (refs) => queueStub(ctx, ref).deleteMessages(refs),
  ),
);

export const changeMessageVisibilityBatch = onQueue<ChangeMessageVisibilityBatchRequest, ChangeMessageVisibilityBatchResult>(
  (ctx, input, ref) =>
    runBatch(
      input.Entries,
      "ChangeMessageVisibilityBatchRequestEntry",
      (entry) => visibilityChange(entry.ReceiptHandle, entry.VisibilityTimeout),
      (changes) => queueStub(ctx, ref).changeVisibility(changes),
    ),
);
