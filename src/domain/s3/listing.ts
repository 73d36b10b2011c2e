/**
 * ListObjectsV2 and ListObjects (V1) as an algorithm over any source of keys in UTF-8 byte order
 * (SQLite's BINARY collation: the caller serves `KeySource` with an indexed range query), independent
 * of storage. A delimiter rolls the keys under one common prefix into a single entry without reading
 * them all: the listing jumps past the prefix with a range (`prefixEnd`). Keys and common prefixes
 * each count once against max-keys. Recorded in test_s3_list_operations.snapshot.json
 * (TestS3ListObjects, TestS3ListObjectsV2) and test_s3.snapshot.json (test_url_encoded_key).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
 */
import { decodeToken, encodeToken } from "../tokens";
import { fail, ok, type Result } from "../errors";
import { invalidContinuationToken, invalidEncodingType, negativeMaxArgument, unreadableMaxArgument } from "./rule-errors";

/** Where a read of keys starts: strictly after a key, or at a bound (inclusive) that lies past a rolled-up prefix. */
export type KeyStart = { after: string } | { from: string } | undefined;

/**
 * Up to `limit` entries whose key starts with `prefix` and lies at or past `start`, ascending in UTF-8
 * byte order (`key > after` / `key >= from`; `prefixRange` gives the prefix as a range).
 */
export type KeySource<T extends { key: string }> = (start: KeyStart, prefix: string, limit: number) => readonly T[];

/** One page of a listing: the keys and common prefixes in order of their (first) key. */
export interface Page<T> {
  contents: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last entry of the page, key or common prefix: where the next page starts after. */
  last?: string;
}

export const MAX_KEYS = 1000;

const MAX_CODE_POINT = 0x10ffff;

/** Keys read at a time when a delimiter may roll them up (see listPage). */
const DELIMITED_BATCH = 50;

/**
 * The least string above every string starting with `prefix`, in UTF-8 byte order (which is code point
 * order): the prefix with its last code point incremented (dropping trailing U+10FFFF, stepping over
 * the surrogates). Undefined when there is none (the empty prefix, or only U+10FFFF).
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < MAX_CODE_POINT) {
      points.push(last === 0xd7ff ? 0xe000 : last + 1);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}

/** The keys starting with a prefix are `from <= key < below` (below undefined: no upper bound). */
export const prefixRange = (prefix: string): { from: string; below: string | undefined } => ({
  from: prefix,
  below: prefixEnd(prefix),
});

/** UTF-8 byte order (= code point order), which JavaScript's `<` (UTF-16 units) is not above U+FFFF. */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only when one side is a surrogate (U+10000 and above) and the other a unit at U+E000 or above do the orders differ.
    const surrogate = (u: number) => u >= 0xd800 && u <= 0xdfff;
    if (surrogate(x) !== surrogate(y) && Math.min(x, y) >= 0xd800) return surrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The common prefix a key rolls up into under a delimiter, or undefined when it is listed itself. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/** Whether a key lies at or past a start, as the KeySource contract says. A violation would loop forever. */
const isPast = (key: string, start: KeyStart): boolean =>
  start === undefined || ("after" in start ? compareUtf8(key, start.after) > 0 : compareUtf8(key, start.from) >= 0);

const pastPrefix = (commonPrefix: string): KeyStart | "end" => {
  const end = prefixEnd(commonPrefix);
  return end === undefined ? "end" : { from: end };
};

/**
 * One page: up to `maxKeys` entries after `after`. When `after` lies within a common prefix (a marker,
 * start-after or token naming the prefix itself or a key under it), the whole prefix is skipped, as
 * AWS does (recorded: marker `folder/aSubfolder/subFile1` lists `folder/file1` next).
 */
export function listPage<T extends { key: string }>(
  source: KeySource<T>,
  request: { prefix: string; delimiter?: string; maxKeys: number; after?: string },
): Page<T> {
  const { prefix, delimiter, maxKeys, after } = request;
  const page: Page<T> = { contents: [], commonPrefixes: [], isTruncated: false };
  if (maxKeys <= 0) return page; // AWS: an empty page, not truncated
  let start: KeyStart | "end" = after ? { after } : undefined;
  const enclosing = after === undefined ? undefined : commonPrefixOf(after, prefix, delimiter);
  if (enclosing !== undefined) start = pastPrefix(enclosing);
  let count = 0;
  let rolledUp: string | undefined;
  while (start !== "end") {
    // One more than the page holds (is there a next page?); under a delimiter a small batch, since the
    // keys that follow a common prefix are likely under it and are skipped by a jump, not read.
    const limit = Math.min(maxKeys - count + 1, delimiter ? DELIMITED_BATCH : Infinity);
    const batch = source(start, prefix, limit);
    const from = start;
    for (const item of batch) {
      if (!isPast(item.key, from)) throw new Error(`KeySource returned ${JSON.stringify(item.key)}, not past its start`);
      if (rolledUp !== undefined && item.key.startsWith(rolledUp)) continue; // already counted in its prefix
      rolledUp = undefined;
      if (count === maxKeys) {
        page.isTruncated = true;
        return page;
      }
      count++;
      const commonPrefix = commonPrefixOf(item.key, prefix, delimiter);
      if (commonPrefix === undefined) {
        page.contents.push(item);
        page.last = item.key;
        start = { after: item.key };
      } else {
        page.commonPrefixes.push(commonPrefix);
        page.last = commonPrefix;
        rolledUp = commonPrefix;
        start = pastPrefix(commonPrefix);
      }
    }
    if (batch.length < limit) break;
  }
  return page;
}

// ---- request parameters ----

/**
 * S3's `encoding-type=url` form of a key: UTF-8 percent-encoding that keeps the RFC 3986 unreserved
 * characters and `/`, and writes a space as `+` (what botocore's unquote_plus decoding expects;
 * recorded: `date=2026-03-01/` → `date%3D2026-03-01/`, `test+key` round-trips).
 */
export function s3UrlEncode(text: string): string {
  if (/^[A-Za-z0-9\-_.~/]*$/.test(text)) return text; // the common case: nothing to encode
  let out = "";
  for (const byte of utf8.encode(text)) out += URL_FORM[byte];
  return out;
}

/** What each byte becomes in s3UrlEncode. */
const URL_FORM: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const c = String.fromCharCode(byte);
  if (/[A-Za-z0-9\-_.~/]/.test(c)) return c;
  return byte === 0x20 ? "+" : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
});

/** `encoding-type`: absent, or exactly `url`; anything else (even empty) is InvalidArgument (recorded). */
export function parseEncodingType(value: string | null | undefined): Result<"url" | undefined> {
  if (value === null || value === undefined) return ok(undefined);
  return value === "url" ? ok("url") : fail(invalidEncodingType(value));
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/**
 * A max-keys-like query parameter, read as an int32 by value: absent or empty → `fallback`; 0 and up,
 * capped at `cap` (leading zeros and all); a negative int32 → "Argument <camel> must be …"; anything
 * else (a word, a sign `+`, a space, beyond int32) → "Provided <query> not an integer …". `names.camel`
 * is `maxKeys` for max-keys (recorded elsewhere: backlot#192), the query name for max-uploads.
 */
export function parseMaxArgument(
  value: string | null | undefined,
  names: { query: string; camel: string },
  fallback = MAX_KEYS,
  cap = MAX_KEYS,
): Result<number> {
  if (value === null || value === undefined || value === "") return ok(fallback);
  const match = /^(-?)0*(\d{1,10})$/.exec(value);
  const n = match ? Number(`${match[1]}${match[2]}`) : NaN;
  if (!(n >= INT32_MIN && n <= INT32_MAX)) return fail(unreadableMaxArgument(names.query, value));
  if (n < 0) return fail(negativeMaxArgument(names.camel, value));
  return ok(Math.min(n, cap) || 0); // `|| 0`: "-0" is 0, not -0
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** ListObjectsV2's continuation token: the page's last entry, opaque and URL-safe (src/domain/tokens.ts). */
export function encodeContinuationToken(last: string): string {
  let binary = "";
  for (const byte of utf8.encode(last)) binary += String.fromCharCode(byte);
  // The entry travels as base64 inside the token, so a key of control characters stays as short as any other.
  return encodeToken("L", btoa(binary));
}

export function decodeContinuationToken(token: string): string | undefined {
  const payload = decodeToken<unknown>("L", token);
  if (typeof payload !== "string") return undefined;
  try {
    const binary = atob(payload);
    return utf8Strict.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

// ---- the two operations ----

/** The listing query parameters, as the query string carries them (null or undefined: absent). */
export interface ListObjectsQuery {
  prefix?: string | null;
  delimiter?: string | null;
  "max-keys"?: string | null;
  "encoding-type"?: string | null;
  /** V2 */
  "continuation-token"?: string | null;
  "start-after"?: string | null;
  "fetch-owner"?: string | null;
  /** V1 */
  marker?: string | null;
}

/** The members of a ListBucketResult other than Name; values already url-encoded when encodingType is set. */
export interface ListObjectsV2Output<T> {
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  encodingType?: "url";
  keyCount: number;
  isTruncated: boolean;
  continuationToken?: string;
  nextContinuationToken?: string;
  startAfter?: string;
  contents: T[];
  commonPrefixes: string[];
  /** Contents carry Owner only with fetch-owner=true. */
  fetchOwner: boolean;
}

export interface ListObjectsV1Output<T> {
  prefix: string;
  delimiter?: string;
  /** Always present, empty when no marker was sent. */
  marker: string;
  nextMarker?: string;
  maxKeys: number;
  encodingType?: "url";
  isTruncated: boolean;
  contents: T[];
  commonPrefixes: string[];
}

interface CommonParameters {
  prefix: string;
  delimiter: string | undefined;
  maxKeys: number;
  encodingType: "url" | undefined;
}

function commonParameters(query: ListObjectsQuery): Result<CommonParameters> {
  const encodingType = parseEncodingType(query["encoding-type"]);
  if (!encodingType.ok) return encodingType;
  const maxKeys = parseMaxArgument(query["max-keys"], { query: "max-keys", camel: "maxKeys" });
  if (!maxKeys.ok) return maxKeys;
  return ok({
    prefix: query.prefix ?? "",
    delimiter: query.delimiter ? query.delimiter : undefined, // an empty delimiter is none (and not echoed)
    maxKeys: maxKeys.value,
    encodingType: encodingType.value,
  });
}

function encoded<T extends { key: string }>(page: Page<T>, encode: (text: string) => string) {
  return {
    contents: page.contents.map((item) => ({ ...item, key: encode(item.key) })),
    commonPrefixes: page.commonPrefixes.map(encode),
  };
}

/**
 * ListObjectsV2. A continuation token wins over start-after, which is then not echoed (recorded);
 * an empty or unreadable token is InvalidArgument "The continuation token provided is incorrect".
 */
export function listObjectsV2<T extends { key: string }>(
  source: KeySource<T>,
  query: ListObjectsQuery,
): Result<ListObjectsV2Output<T>> {
  const parameters = commonParameters(query);
  if (!parameters.ok) return parameters;
  const { prefix, delimiter, maxKeys, encodingType } = parameters.value;
  const token = query["continuation-token"];
  let after: string | undefined;
  if (token !== null && token !== undefined) {
    after = decodeContinuationToken(token);
    if (after === undefined) return fail(invalidContinuationToken());
  } else if (query["start-after"]) {
    after = query["start-after"];
  }
  const page = listPage(source, { prefix, delimiter, maxKeys, after });
  const encode = encodingType === "url" ? s3UrlEncode : (text: string) => text;
  const tokenGiven = token !== null && token !== undefined;
  return ok({
    prefix: encode(prefix),
    ...(delimiter === undefined ? {} : { delimiter: encode(delimiter) }),
    maxKeys,
    ...(encodingType === undefined ? {} : { encodingType }),
    keyCount: page.contents.length + page.commonPrefixes.length,
    isTruncated: page.isTruncated,
    ...(tokenGiven ? { continuationToken: token } : {}),
    ...(page.isTruncated && page.last !== undefined ? { nextContinuationToken: encodeContinuationToken(page.last) } : {}),
    ...(!tokenGiven && query["start-after"] ? { startAfter: encode(query["start-after"]) } : {}),
    ...encoded(page, encode),
    fetchOwner: query["fetch-owner"] === "true",
  });
}

/**
 * ListObjects (V1): Marker is always echoed; NextMarker (the page's last entry) only when a delimiter
 * was given and the page is truncated (recorded; without a delimiter the client continues from its
 * last key). Contents always carry Owner.
 */
export function listObjectsV1<T extends { key: string }>(
  source: KeySource<T>,
  query: ListObjectsQuery,
): Result<ListObjectsV1Output<T>> {
  const parameters = commonParameters(query);
  if (!parameters.ok) return parameters;
  const { prefix, delimiter, maxKeys, encodingType } = parameters.value;
  const marker = query.marker ?? "";
  const page = listPage(source, { prefix, delimiter, maxKeys, after: marker === "" ? undefined : marker });
  const encode = encodingType === "url" ? s3UrlEncode : (text: string) => text;
  return ok({
    prefix: encode(prefix),
    ...(delimiter === undefined ? {} : { delimiter: encode(delimiter) }),
    marker: encode(marker),
    ...(delimiter !== undefined && page.isTruncated && page.last !== undefined ? { nextMarker: encode(page.last) } : {}),
    maxKeys,
    ...(encodingType === undefined ? {} : { encodingType }),
    isTruncated: page.isTruncated,
    ...encoded(page, encode),
  });
}
