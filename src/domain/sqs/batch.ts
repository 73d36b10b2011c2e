/**
 * The rules every SQS batch action shares: 1–10 entries, ids of up to 80 alphanumerics, hyphens and
 * underscores, all distinct. These fail the whole request; per-entry problems fail only their entry.
 */
import { AwsError, type ErrorInfo } from "../errors";
import { batchEntryIdsNotDistinct, emptyBatchRequest, invalidBatchEntryId, tooManyEntriesInBatchRequest } from "./errors";

const MAX_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function validateBatch(entries: { Id?: string }[] | undefined, entryShape: string): void {
  if (!entries?.length) throw new AwsError(emptyBatchRequest(entryShape));
  if (entries.length > MAX_ENTRIES) throw new AwsError(tooManyEntriesInBatchRequest(entries.length));
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (Id === undefined || !ENTRY_ID.test(Id)) throw new AwsError(invalidBatchEntryId());
    if (seen.has(Id)) throw new AwsError(batchEntryIdsNotDistinct(Id));
    seen.add(Id);
  }
}

export interface BatchResultErrorEntry {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** AWS leaves an empty Successful or Failed list out of the response (recorded for SendMessageBatch). */
export const batchResult = <S, F>(successful: S[], failed: F[]) => ({
  Successful: successful.length ? successful : undefined,
  Failed: failed.length ? failed : undefined,
});

export const failedEntry = (id: string, error: ErrorInfo): BatchResultErrorEntry => ({
  Id: id,
  SenderFault: (error.fault ?? "Sender") === "Sender",
  Code: error.code,
  Message: error.message,
});
