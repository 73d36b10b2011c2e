/**
 * An object's headers on the way in (PutObject: content headers, user metadata, tags) and on the way
 * out (GetObject, HeadObject: ETag, Last-Modified, stored headers, `x-amz-meta-*`, checksums when
 * asked with `x-amz-checksum-mode: ENABLED`, `response-*` overrides on GET).
 */
import { checksumHeader, type ChecksumAlgorithm } from "../../domain/s3/checksums";
import type { ContentHeaders, ObjectRecord } from "../../domain/s3/contract";
import { httpDate, META_PREFIX, RESPONSE_OVERRIDES, STORED_HEADERS, storedContentEncoding } from "../../domain/s3/object-rules";

export function contentHeadersOf(headers: Headers): ContentHeaders {
  const stored: ContentHeaders = {};
  for (const name of STORED_HEADERS) {
    const value = headers.get(name);
    if (value !== null) stored[name] = value;
  }
  const encoding = storedContentEncoding(stored["content-encoding"]);
  if (encoding === undefined) delete stored["content-encoding"];
  else stored["content-encoding"] = encoding;
  return stored;
}

export function userMetadataOf(headers: Headers): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of headers) if (name.startsWith(META_PREFIX)) metadata[name.slice(META_PREFIX.length)] = value;
  return metadata;
}

export interface ObjectHeaderOptions {
  checksumMode: boolean;
  /** GET's query, for `response-*` overrides. */
  overrides?: URLSearchParams;
  /** A range is served: whole-object checksums are not sent. */
  partial?: boolean;
}

export function objectResponseHeaders(
  object: Omit<ObjectRecord, "segments">,
  options: ObjectHeaderOptions,
): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {
    etag: object.etag,
    "last-modified": httpDate(object.lastModified),
    "accept-ranges": "bytes",
    "content-type": "binary/octet-stream",
    "x-amz-server-side-encryption": "AES256",
  };
  for (const [name, value] of Object.entries(object.headers)) headers[name] = value;
  for (const [name, value] of Object.entries(object.metadata)) headers[`${META_PREFIX}${name}`] = value;
  if (object.tags.length) headers["x-amz-tagging-count"] = String(object.tags.length);
  const checksums = Object.entries(object.checksums) as [ChecksumAlgorithm, string][];
  if (options.checksumMode && !options.partial && checksums.length) {
    for (const [algorithm, value] of checksums) headers[checksumHeader(algorithm)] = value;
    headers["x-amz-checksum-type"] = "FULL_OBJECT";
  }
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = options.overrides?.get(param);
    if (value !== null && value !== undefined) headers[header] = value;
  }
  return headers;
}
