/**
 * PutObject's limits and header rules: 5 GiB per single PUT, 2 KB of user metadata, tags from the
 * `x-amz-tagging` header (a URL query string), and which stored headers come back on GET/HEAD.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html
 */
import { type Problem } from "../errors";
import type { ContentHeaders } from "./contract";
import { metadataTooLarge } from "./errors";

export const MAX_SINGLE_PUT_BYTES = 5 * 1024 * 1024 * 1024;
export const MAX_USER_METADATA_BYTES = 2048;
export const META_PREFIX = "x-amz-meta-";

/** The system headers stored as sent and returned on GET and HEAD. */
export const STORED_HEADERS: readonly (keyof ContentHeaders)[] = [
  "content-type",
  "content-encoding",
  "content-disposition",
  "content-language",
  "cache-control",
  "expires",
  "x-amz-website-redirect-location",
  "x-amz-storage-class",
];

/** GET's `response-*` query parameters and the header each one overrides. */
export const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  "response-content-type": "content-type",
  "response-content-language": "content-language",
  "response-expires": "expires",
  "response-cache-control": "cache-control",
  "response-content-disposition": "content-disposition",
  "response-content-encoding": "content-encoding",
};

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** User metadata larger than S3 allows (names without the prefix, plus values, in UTF-8 bytes). */
export function metadataProblem(metadata: Record<string, string>): Problem {
  let size = 0;
  for (const [name, value] of Object.entries(metadata)) size += utf8Length(name) + utf8Length(value);
  return size > MAX_USER_METADATA_BYTES ? metadataTooLarge(size, MAX_USER_METADATA_BYTES) : undefined;
}

/** Content-Encoding as stored: without the `aws-chunked` framing the body arrived in. */
export function storedContentEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const kept = value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "" && v.toLowerCase() !== "aws-chunked");
  return kept.length ? kept.join(",") : undefined;
}

/** Last-Modified as S3 sends it: an HTTP date, to the second. */
export const httpDate = (epochMs: number): string => new Date(Math.floor(epochMs / 1000) * 1000).toUTCString();

/** Dates in XML listings: ISO 8601 with milliseconds. */
export const isoDate = (epochMs: number): string => new Date(epochMs).toISOString();
