/**
 * What a GET or HEAD of an existing object serves: the conditions first (304 / 412, in S3's order:
 * src/domain/s3/preconditions.ts), then the byte range (src/domain/s3/range.ts); and whether a PUT may
 * replace what is there (conditional writes), decided in the same synchronous step as the swap.
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { ObjectRecord, ReadOptions } from "../../domain/s3/contract";
import { checkReadPreconditions, checkWriteConditions } from "../../domain/s3/preconditions";
import { parseRange } from "../../domain/s3/range";

export interface ReadPlan {
  /** Inclusive byte range; undefined: the whole object. */
  range?: { start: number; end: number };
  notModified?: boolean;
}

export function planRead(object: ObjectRecord, options: ReadOptions): Result<ReadPlan> {
  const c = options.conditions ?? {};
  const verdict = checkReadPreconditions(
    {
      ifMatch: c["if-match"],
      ifNoneMatch: c["if-none-match"],
      ifModifiedSince: c["if-modified-since"],
      ifUnmodifiedSince: c["if-unmodified-since"],
    },
    { etag: object.etag, lastModified: object.lastModified },
  );
  if (!verdict.ok) return verdict;
  if (verdict.value === "not-modified") return ok({ notModified: true });
  const range = parseRange(options.range, object.size);
  if (!range.ok) return range;
  return ok(range.value ? { range: range.value } : {});
}

/**
 * A PUT's If-None-Match: * on an existing key, If-Match on another ETag or no object → 412
 * PreconditionFailed (or 404 NoSuchKey). `existing` is the key's current object, read in the same step
 * as the swap. (Headers S3 refuses outright were refused before the body was read.)
 */
export function planWrite(key: string, existing: ObjectRecord | undefined, conditions: Record<string, string>): Result<void> {
  const problem = checkWriteConditions(
    { ifMatch: conditions["if-match"], ifNoneMatch: conditions["if-none-match"] },
    key,
    existing,
  );
  return problem ? fail(problem) : ok(undefined);
}
