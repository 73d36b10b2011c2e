/**
 * S3's conditional requests (RFC 9110 §13 as S3 applies it).
 *
 * Reads (GetObject, HeadObject) evaluate If-Match, If-Unmodified-Since, If-None-Match and
 * If-Modified-Since in RFC 9110 §13.2.2's order: a true If-Match makes If-Unmodified-Since
 * irrelevant, a present If-None-Match makes If-Modified-Since irrelevant; the first two fail with 412,
 * the last two answer 304. CopyObject/UploadPartCopy's `x-amz-copy-source-if-*` follow the same order
 * against the source, but every failure is 412 (recorded). Dates count in whole seconds (S3's
 * Last-Modified has no fraction); an If-Modified-Since later than now, or any date that is not an
 * HTTP-date, is ignored.
 *
 * Writes (PutObject, CompleteMultipartUpload, CopyObject's destination, DeleteObject) accept only
 * `If-None-Match: *` (the key must not exist) or `If-Match: <etag>` (the key must exist with that
 * ETag), never both; other values are 501 NotImplemented.
 *
 * Recorded in test_s3.snapshot.json (test_s3_get_object_preconditions[get_object|head_object]),
 * test_s3_preconditions.snapshot.json (copy source), test_s3_api.snapshot.json (test_put_object_if_*,
 * test_copy_object_if_*, test_multipart_if_*, test_delete_object_if_match_*).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html
 */
import { fail, ok, type Problem, type Result } from "../errors";
import { noSuchKey, notImplementedHeader, preconditionFailed } from "./rule-errors";

/** The conditional headers of a request (absent: null or undefined; an empty value counts as absent). */
export interface ConditionalHeaders {
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
  ifModifiedSince?: string | null;
  ifUnmodifiedSince?: string | null;
}

/** What the conditions are evaluated against: the object's ETag (quoted or not) and Last-Modified (ms since epoch). */
export interface ConditionTarget {
  etag: string;
  lastModified: number;
}

/** What a read does after its conditions: serve the object, or answer 304 Not Modified. */
export type ReadVerdict = "proceed" | "not-modified";

const present = (value: string | null | undefined): value is string => value !== null && value !== undefined && value !== "";

/** An ETag without quotes or weak marker, the form two ETags are compared in. */
export const bareEtag = (etag: string): string =>
  etag
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");

/** Whether an If-Match / If-None-Match value (`*` or a comma-separated list of ETags, quoted or not) names this ETag. */
export function etagMatches(condition: string, etag: string): boolean {
  if (condition.trim() === "*") return true;
  const target = bareEtag(etag);
  return condition.split(",").some((candidate) => bareEtag(candidate) === target);
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT` (an unpadded day accepted too). */
const IMF_FIXDATE = /^[a-z]{3}, (\d{1,2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/i;
/** Obsolete RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC850_DATE = /^[a-z]+, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/i;
/** Obsolete asctime `Sun Nov  6 08:49:37 1994`. */
const ASCTIME_DATE = /^[a-z]{3} ([a-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

function utc(year: number, month: string, day: number, h: string, m: string, s: string): number | undefined {
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  if (monthIndex < 0) return undefined;
  const time = Date.UTC(year, monthIndex, day, Number(h), Number(m), Number(s));
  return Number.isNaN(time) ? undefined : time;
}

/**
 * An HTTP-date (RFC 9110 §5.6.7: IMF-fixdate and the two obsolete forms) in ms since the epoch, or
 * undefined for anything else. RFC 850's two-digit year is taken within 50 years of now, as §5.6.7 says.
 */
export function parseHttpDate(text: string, now = Date.now()): number | undefined {
  const value = text.trim();
  let match = IMF_FIXDATE.exec(value);
  if (match) return utc(Number(match[3]), match[2]!, Number(match[1]), match[4]!, match[5]!, match[6]!);
  match = RFC850_DATE.exec(value);
  if (match) {
    const thisYear = new Date(now).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(match[3]);
    if (year > thisYear + 50) year -= 100;
    return utc(year, match[2]!, Number(match[1]), match[4]!, match[5]!, match[6]!);
  }
  match = ASCTIME_DATE.exec(value);
  if (match) return utc(Number(match[6]), match[1]!, Number(match[2]!.trim()), match[3]!, match[4]!, match[5]!);
  return undefined;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** Whether the object changed after the date; undefined when the condition is to be ignored. */
function modifiedSince(header: string | null | undefined, target: ConditionTarget, now: number): boolean | undefined {
  if (!present(header)) return undefined;
  const date = parseHttpDate(header, now);
  if (date === undefined || date > now) return undefined;
  return seconds(target.lastModified) > seconds(date);
}

function unmodifiedSince(header: string | null | undefined, target: ConditionTarget, now: number): boolean | undefined {
  if (!present(header)) return undefined;
  const date = parseHttpDate(header, now);
  if (date === undefined) return undefined;
  return seconds(target.lastModified) <= seconds(date);
}

/** The four conditions in RFC 9110 §13.2.2's order: the name of the first that fails, and whether it asks for 304. */
function firstFailing(
  headers: ConditionalHeaders,
  target: ConditionTarget,
  now: number,
): { condition: string; notModified: boolean } | undefined {
  if (present(headers.ifMatch)) {
    if (!etagMatches(headers.ifMatch, target.etag)) return { condition: "If-Match", notModified: false };
  } else if (unmodifiedSince(headers.ifUnmodifiedSince, target, now) === false) {
    return { condition: "If-Unmodified-Since", notModified: false };
  }
  if (present(headers.ifNoneMatch)) {
    if (etagMatches(headers.ifNoneMatch, target.etag)) return { condition: "If-None-Match", notModified: true };
  } else if (modifiedSince(headers.ifModifiedSince, target, now) === false) {
    return { condition: "If-Modified-Since", notModified: true };
  }
  return undefined;
}

/** GetObject / HeadObject on an existing object: 412 PreconditionFailed naming the condition, or 304, or proceed. */
export function checkReadPreconditions(
  headers: ConditionalHeaders,
  target: ConditionTarget,
  now = Date.now(),
): Result<ReadVerdict> {
  const failing = firstFailing(headers, target, now);
  if (!failing) return ok("proceed");
  return failing.notModified ? ok("not-modified") : fail(preconditionFailed(failing.condition));
}

/**
 * CopyObject / UploadPartCopy's `x-amz-copy-source-if-match`, `-if-none-match`, `-if-modified-since`,
 * `-if-unmodified-since` (passed here under the plain names) against the source: 412 naming
 * `x-amz-copy-source-If-…` for the first that fails, 304s included.
 */
export function checkCopySourcePreconditions(headers: ConditionalHeaders, source: ConditionTarget, now = Date.now()): Problem {
  const failing = firstFailing(headers, source, now);
  return failing ? preconditionFailed(`x-amz-copy-source-${failing.condition}`) : undefined;
}

/** The destination conditions of a write. */
export interface WriteConditionHeaders {
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
}

const UNACCEPTED_VALUE = (header: string) => `We don't accept the provided value of ${header} header for this API`;

/**
 * The write conditions S3 refuses before looking at the key: both at once, If-None-Match other than
 * `*`, If-Match `*` (DeleteObject accepts `If-Match: *`: pass `allowIfMatchStar`).
 */
export function validateWriteConditions(headers: WriteConditionHeaders, allowIfMatchStar = false): Problem {
  const { ifMatch, ifNoneMatch } = headers;
  if (present(ifMatch) && present(ifNoneMatch)) {
    return notImplementedHeader("If-Match,If-None-Match", "Multiple conditional request headers present in the request");
  }
  if (present(ifNoneMatch) && ifNoneMatch.trim() !== "*")
    return notImplementedHeader("If-None-Match", UNACCEPTED_VALUE("If-None-Match"));
  if (present(ifMatch) && ifMatch.trim() === "*" && !allowIfMatchStar)
    return notImplementedHeader("If-Match", UNACCEPTED_VALUE("If-Match"));
  return undefined;
}

/**
 * Validated write conditions against the key's current object (undefined: the key does not exist):
 * If-None-Match `*` on an existing key → 412; If-Match on a missing key → 404 NoSuchKey (recorded),
 * on another ETag → 412. The caller re-checks at commit time and answers a change in between with
 * ConditionalRequestConflict (rule-errors.ts).
 */
export function checkWriteConditions(
  headers: WriteConditionHeaders,
  key: string,
  current: { etag: string } | undefined,
): Problem {
  if (present(headers.ifNoneMatch) && current) return preconditionFailed("If-None-Match");
  if (present(headers.ifMatch)) {
    if (!current) return noSuchKey(key);
    if (!etagMatches(headers.ifMatch, current.etag)) return preconditionFailed("If-Match");
  }
  return undefined;
}

/**
 * DeleteObject's conditions on a general purpose bucket: If-Match (an ETag or `*`) is honoured;
 * x-amz-if-match-last-modified-time and x-amz-if-match-size are directory-bucket features, 501 here
 * (recorded, last-modified-time named first when both are sent).
 */
export function checkDeleteConditions(
  headers: { ifMatch?: string | null; ifMatchLastModifiedTime?: string | null; ifMatchSize?: string | null },
  key: string,
  current: { etag: string } | undefined,
): Problem {
  if (present(headers.ifMatchLastModifiedTime)) return notImplementedHeader("x-amz-if-match-last-modified-time");
  if (present(headers.ifMatchSize)) return notImplementedHeader("x-amz-if-match-size");
  return checkWriteConditions({ ifMatch: headers.ifMatch }, key, current);
}
