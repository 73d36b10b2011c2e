/**
 * Byte ranges of an object: GetObject/HeadObject's `Range` header (RFC 9110 §14 as S3 applies it),
 * UploadPartCopy's stricter `x-amz-copy-source-range`, and GetObject's `partNumber`.
 * S3 serves one range only: a header it cannot read (another unit, several ranges, last < first, a
 * stray sign) is ignored and the whole object is sent with 200, as RFC 9110 allows; a readable range
 * that selects no byte is InvalidRange (416). Recorded in test_s3_api.snapshot.json
 * (TestS3GetObject::test_get_object_range, test_upload_part_copy_range) and test_s3.snapshot.json
 * (test_invalid_range_error, test_get_object_part).
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-range-requests
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
import { fail, ok, type Result } from "../errors";
import {
  copySourceRangeBeyondSize,
  copySourceRangeStartBeyondSize,
  invalidCopySourceRangeFormat,
  invalidPartNumberRequested,
  invalidRange,
  rangeWithPartNumber,
} from "./rule-errors";

/** Inclusive offsets of the first and last byte served. */
export interface ByteRange {
  start: number;
  end: number;
}

/** `bytes=first-last`, `bytes=first-` or `bytes=-suffix`; the unit is case-insensitive (RFC 9110 §14.1). */
const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/i;

/**
 * The range a `Range` header selects in an object of `size` bytes: undefined for the whole object
 * (no header, or one S3 ignores), InvalidRange when no byte of the object is selected.
 */
export function parseRange(header: string | null | undefined, size: number): Result<ByteRange | undefined> {
  if (header === null || header === undefined) return ok(undefined);
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return ok(undefined);
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return ok(undefined); // `bytes=-`
  if (first === "") {
    // A suffix: the last n bytes. `bytes=-0` selects nothing, and nothing can be selected in an empty object.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return fail(invalidRange(header, size));
    return ok({ start: Math.max(0, size - suffix), end: size - 1 });
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return ok(undefined); // invalid, so ignored (RFC 9110 §14.1.1)
  if (start >= size) return fail(invalidRange(header, size));
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return ok({ start, end });
}

/** The `Content-Range` header of a 206: `bytes 0-8/10`. */
export const contentRange = (start: number, end: number, size: number): string => `bytes ${start}-${end}/${size}`;

/** The `Content-Range` header of a 416 (RFC 9110 §14.4): `bytes *` then `/` and the size. */
export const unsatisfiedContentRange = (size: number): string => `bytes */${size}`;

const COPY_SOURCE_RANGE = /^bytes=(\d+)-(\d+)$/;

/**
 * UploadPartCopy's `x-amz-copy-source-range`: only `bytes=first-last` with first <= last is accepted,
 * and it must lie within the source object (recorded: a first byte past the end is InvalidRequest,
 * a last byte past the end InvalidArgument naming the size).
 */
export function parseCopySourceRange(value: string, size: number): Result<ByteRange> {
  const match = COPY_SOURCE_RANGE.exec(value);
  if (!match) return fail(invalidCopySourceRangeFormat(value));
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) return fail(invalidCopySourceRangeFormat(value));
  if (start >= size) return fail(copySourceRangeStartBeyondSize());
  if (end >= size) return fail(copySourceRangeBeyondSize(value, size));
  return ok({ start, end });
}

/**
 * GetObject's `?partNumber=n`: the bytes of part n, given the sizes of the object's parts in order (an
 * object not uploaded in parts is one part). A Range header as well is refused. The caller has already
 * validated n as a part number (multipart.ts parsePartNumber).
 */
export function partRange(partNumber: number, partSizes: readonly number[], rangeHeader?: string | null): Result<ByteRange> {
  if (rangeHeader !== null && rangeHeader !== undefined) return fail(rangeWithPartNumber());
  if (partNumber > partSizes.length) return fail(invalidPartNumberRequested(partNumber, partSizes.length));
  let start = 0;
  for (let i = 0; i < partNumber - 1; i++) start += partSizes[i]!;
  return ok({ start, end: start + partSizes[partNumber - 1]! - 1 });
}
