/**
 * The rules every SQS batch action shares: 1–10 entries, ids of up to 80 alphanumerics, hyphens and
 * underscores, all distinct. These fail the whole request; per-entry problems fail only their entry.
 */
import type { ErrorInfo, Problem } from "../errors";
import { batchEntryIdsNotDistinct, emptyBatchRequest, invalidBatchEntryId, tooManyEntriesInBatchRequest } from "./errors";

const MAX_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function validateBatch(entries: { Id?: string }[] | undefined, entryShape: string): Problem {
  if (!entries?.length) return emptyBatchRequest(entryShape);
  if (entries.length > MAX_ENTRIES) return tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (Id === undefined || !ENTRY_ID.test(Id)) return invalidBatchEntryId();
    if (seen.has(Id)) return batchEntryIdsNotDistinct(Id);
    seen.add(Id);
  }
  return undefined;
}

export interface BatchResultErrorEntry {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** A batch action's answer. */
export interface BatchResult<S> {
  Successful?: S[];
  Failed?: BatchResultErrorEntry[];
}

/** AWS leaves an empty Successful or Failed list out of the response (recorded for SendMessageBatch). */
export const batchResult = <S>(successful: S[], failed: BatchResultErrorEntry[]): BatchResult<S> => ({
  Successful: successful.length ? successful : undefined,
  Failed: failed.length ? failed : undefined,
});

export const failedEntry = (id: string, error: ErrorInfo): BatchResultErrorEntry => ({
  Id: id,
  SenderFault: (error.fault ?? "Sender") === "Sender",
  Code: error.code,
  Message: error.message,
});

/** Result entries in the order the request listed them. */
export function inRequestOrder<E extends { Id: string }>(entries: { Id: string }[], items: E[]): E[] {
  const order = new Map(entries.map((e, i) => [e.Id, i]));
  return items.sort((a, b) => order.get(a.Id)! - order.get(b.Id)!);
}
