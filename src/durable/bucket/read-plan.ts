/**
 * What a GET or HEAD of an existing object serves: the conditions first (304 / 412), then the byte
 * range; and whether a PUT may replace what is there (conditional writes). The three hooks are where
 * src/domain/s3/preconditions.ts (`checkReadPreconditions`, `checkWritePreconditions`) and
 * src/domain/s3/range.ts (`parseRange`) plug in: each is one call here, and ranges are already
 * carried as inclusive [start, end] down to the chunk reader.
 */
import { ok, type Result } from "../../domain/errors";
import type { ObjectRecord, ReadOptions } from "../../domain/s3/contract";

export interface ReadPlan {
  /** Inclusive byte range; undefined: the whole object. */
  range?: { start: number; end: number };
  notModified?: boolean;
}

export function planRead(object: ObjectRecord, options: ReadOptions): Result<ReadPlan> {
  const conditions = checkConditions(object, options.conditions ?? {});
  if (!conditions.ok) return conditions;
  if (conditions.value.notModified) return ok({ notModified: true });
  return resolveRange(object, options.range);
}

/** Hook: `checkReadPreconditions(headers, { etag, lastModified })` (a Problem, or { notModified: true }). */
function checkConditions(_object: ObjectRecord, _conditions: Record<string, string>): Result<{ notModified?: boolean }> {
  return ok({});
}

/** Hook: `parseRange(header, size)` → [start, end] or undefined (whole object), or InvalidRange. */
function resolveRange(_object: ObjectRecord, _header: string | undefined): Result<ReadPlan> {
  return ok({});
}

/**
 * Hook: `checkWritePreconditions(headers, existing && { etag, lastModified })`: If-None-Match: * on an
 * existing key, If-Match on another ETag or no object → 412 PreconditionFailed (or 404 NoSuchKey).
 * `existing` is the key's current object, read in the same step as the swap.
 */
export function planWrite(_existing: ObjectRecord | undefined, _conditions: Record<string, string>): Result<void> {
  return ok(undefined);
}
