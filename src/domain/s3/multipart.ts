/**
 * Multipart upload rules: part numbers, part sizes, CompleteMultipartUpload's validation, the final
 * ETag and composite checksum, checksum modes, upload ids, and ListParts / ListMultipartUploads
 * pagination as pure functions over sorted inputs. Recorded in test_s3.snapshot.json
 * (test_multipart_*, test_complete_multipart_*, test_multipart_parts_checksum_exceptions_*,
 * test_multipart_checksum_type_compatibility) and test_s3_list_operations.snapshot.json
 * (TestS3ListParts, TestS3ListMultipartUploads).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
import { md5 } from "@noble/hashes/legacy.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { fail, ok, type Problem, type Result } from "../errors";
import { commonPrefixOf, compareUtf8, parseEncodingType, parseMaxArgument, s3UrlEncode } from "./listing";
import { bareEtag } from "./preconditions";
import {
  checksumModeMismatch,
  checksumTypeIncompatible,
  checksumTypeWithoutAlgorithm,
  completionPartNumberTooLow,
  entityTooSmall,
  invalidPart,
  invalidPartNumberArgument,
  invalidPartOrder,
  invalidUploadIdMarker,
  malformedXML,
  noPartsSpecified,
  objectSizeMismatch,
  partChecksumBadDigest,
  partChecksumMissing,
  partChecksumTypeMismatch,
  unsupportedChecksumAlgorithm,
} from "./rule-errors";

export const MIN_PART_NUMBER = 1;
export const MAX_PART_NUMBER = 10_000;
/** Every part but the last must be at least 5 MiB. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
export const MAX_PARTS_PER_PAGE = 1000;
export const MAX_UPLOADS_PER_PAGE = 1000;

/** UploadPart / UploadPartCopy / GetObject's `partNumber`: an integer 1..10,000. */
export function parsePartNumber(value: string | null | undefined): Result<number> {
  const text = value ?? "";
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= MIN_PART_NUMBER && n <= MAX_PART_NUMBER)) return fail(invalidPartNumberArgument(text));
  return ok(n);
}

/** An upload id: URL-safe base64 of the caller's random bytes (at least 16), opaque to clients. */
export function formatUploadId(random: Uint8Array): string {
  if (random.length < 16) throw new Error("an upload id needs at least 16 random bytes");
  let binary = "";
  for (const byte of random) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// ---- checksums ----

export const CHECKSUM_ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export type ChecksumType = "COMPOSITE" | "FULL_OBJECT";

/** How an upload checksums its parts: none, or an algorithm and a type. */
export interface UploadChecksum {
  algorithm?: ChecksumAlgorithm;
  type?: ChecksumType;
}

const isAlgorithm = (value: string): value is ChecksumAlgorithm => (CHECKSUM_ALGORITHMS as readonly string[]).includes(value);

/**
 * CreateMultipartUpload's x-amz-checksum-algorithm and x-amz-checksum-type. Without a type, CRC64NVME
 * is FULL_OBJECT and the others COMPOSITE; COMPOSITE CRC64NVME and FULL_OBJECT SHA-1/SHA-256 do not exist.
 */
export function resolveUploadChecksum(
  algorithm: string | null | undefined,
  type: string | null | undefined,
): Result<UploadChecksum> {
  if (!algorithm) return type ? fail(checksumTypeWithoutAlgorithm()) : ok({});
  const upper = algorithm.toUpperCase();
  if (!isAlgorithm(upper)) return fail(unsupportedChecksumAlgorithm());
  const resolved: ChecksumType =
    type === "COMPOSITE" || type === "FULL_OBJECT" ? type : upper === "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE";
  const incompatible = resolved === "COMPOSITE" ? upper === "CRC64NVME" : upper === "SHA1" || upper === "SHA256";
  if (incompatible) return fail(checksumTypeIncompatible(resolved, upper.toLowerCase()));
  return ok({ algorithm: upper, type: resolved });
}

/** UploadPart with a checksum (header or x-amz-sdk-checksum-algorithm) of another algorithm than the upload's. */
export function checkPartChecksumAlgorithm(upload: UploadChecksum, given: ChecksumAlgorithm | undefined): Problem {
  if (!upload.algorithm || !given || given === upload.algorithm) return undefined;
  return partChecksumTypeMismatch(upload.algorithm.toLowerCase(), given.toLowerCase());
}

const concat = (chunks: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
};

const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const toBase64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));

/** The ETag of a completed upload: `"<md5 hex of the parts' binary MD5s, concatenated>-<N>"`, quoted. */
export function multipartEtag(partEtags: readonly string[]): string {
  const digest = md5(concat(partEtags.map((etag) => hexToBytes(bareEtag(etag)))));
  return `"${bytesToHex(digest)}-${partEtags.length}"`;
}

/**
 * A COMPOSITE checksum: `<base64 of hash(the parts' binary checksums, concatenated)>-<N>`. `hash` is the
 * upload's algorithm over bytes (src/domain/s3/checksums.ts), `partChecksums` the parts' base64 values.
 */
export function compositeChecksum(partChecksums: readonly string[], hash: (bytes: Uint8Array) => Uint8Array): string {
  return `${toBase64(hash(concat(partChecksums.map(fromBase64))))}-${partChecksums.length}`;
}

// ---- CompleteMultipartUpload ----

/** A part as the CompleteMultipartUpload body names it. */
export interface RequestedPart {
  /** Absent when the Part element had none (MalformedXML). */
  partNumber?: number;
  etag?: string;
  /** The ChecksumCRC32 / ChecksumSHA256 … members given for the part. */
  checksums?: Partial<Record<ChecksumAlgorithm, string>>;
}

/** A part as stored. */
export interface StoredPart {
  partNumber: number;
  etag: string;
  size: number;
  /** Base64 checksum in the upload's algorithm, when it has one. */
  checksum?: string;
}

export interface Completion {
  uploadId: string;
  /** The body's parts; undefined when the request had no body. */
  requested: readonly RequestedPart[] | undefined;
  stored: ReadonlyMap<number, StoredPart>;
  upload: UploadChecksum;
  /** The request's x-amz-checksum-type, if any. */
  checksumType?: string | null;
  /** The request's x-amz-mp-object-size, if any. */
  objectSize?: string | null;
}

type NamedPart = RequestedPart & { partNumber: number; etag: string };

function checkPartChecksums(part: NamedPart, stored: StoredPart, completion: Completion): Problem {
  const { algorithm, type } = completion.upload;
  const given = Object.entries(part.checksums ?? {}).filter(([, v]) => v !== undefined && v !== "");
  for (const [name] of given) {
    if (!algorithm) return invalidPart(completion.uploadId, part.partNumber, bareEtag(part.etag));
    if (name !== algorithm) return partChecksumBadDigest(name.toLowerCase(), part.partNumber);
  }
  const own = algorithm ? part.checksums?.[algorithm] : undefined;
  if (algorithm && type === "COMPOSITE" && !own) return partChecksumMissing(algorithm.toLowerCase(), part.partNumber);
  if (own && own !== stored.checksum) return invalidPart(completion.uploadId, part.partNumber, bareEtag(part.etag));
  return undefined;
}

/**
 * The parts a CompleteMultipartUpload assembles, in order, or the first problem in AWS's order: no
 * body (InvalidRequest), no part or a part without PartNumber or ETag (MalformedXML); a part number
 * below 1 (InvalidArgument; above 10,000 is just not found); a checksum mode other than the upload's;
 * part numbers not strictly ascending (InvalidPartOrder); then part by part: unknown part or ETag (InvalidPart),
 * part checksums, a part other than the last under 5 MiB (EntityTooSmall); finally x-amz-mp-object-size.
 */
export function validateCompletion(completion: Completion): Result<StoredPart[]> {
  const { uploadId, requested, stored } = completion;
  if (requested === undefined) return fail(noPartsSpecified());
  if (requested.length === 0) return fail(malformedXML());
  const named: NamedPart[] = [];
  for (const part of requested) {
    if (part.etag === undefined || part.partNumber === undefined || !Number.isInteger(part.partNumber))
      return fail(malformedXML());
    if (part.partNumber < MIN_PART_NUMBER) return fail(completionPartNumberTooLow());
    named.push(part as NamedPart);
  }
  if (completion.checksumType && completion.checksumType !== completion.upload.type) {
    return fail(checksumModeMismatch(completion.upload.type ?? "null"));
  }
  for (let i = 1; i < named.length; i++) {
    if (named[i]!.partNumber <= named[i - 1]!.partNumber) return fail(invalidPartOrder(uploadId)); // duplicates too
  }
  const parts: StoredPart[] = [];
  for (const [i, part] of named.entries()) {
    const found = stored.get(part.partNumber);
    if (!found || bareEtag(found.etag) !== bareEtag(part.etag))
      return fail(invalidPart(uploadId, part.partNumber, bareEtag(part.etag)));
    const checksumProblem = checkPartChecksums(part, found, completion);
    if (checksumProblem) return fail(checksumProblem);
    if (i < named.length - 1 && found.size < MIN_PART_SIZE) {
      return fail(entityTooSmall(found.size, MIN_PART_SIZE, part.partNumber, bareEtag(found.etag)));
    }
    parts.push(found);
  }
  const total = parts.reduce((n, p) => n + p.size, 0);
  if (completion.objectSize !== null && completion.objectSize !== undefined && Number(completion.objectSize) !== total) {
    return fail(objectSizeMismatch(completion.objectSize, total));
  }
  return ok(parts);
}

// ---- ListParts ----

export interface PartsPage<T> {
  partNumberMarker: number;
  /** The last part listed, or 0 for an empty page (recorded, truncated or not). */
  nextPartNumberMarker: number;
  maxParts: number;
  isTruncated: boolean;
  parts: T[];
}

/** ListParts over the upload's parts sorted by part number. An empty marker or max-parts counts as absent (recorded). */
export function listPartsPage<T extends { partNumber: number }>(
  parts: readonly T[],
  query: { "part-number-marker"?: string | null; "max-parts"?: string | null },
): Result<PartsPage<T>> {
  const marker = parseMaxArgument(
    query["part-number-marker"],
    { query: "part-number-marker", camel: "part-number-marker" },
    0,
    Infinity,
  );
  if (!marker.ok) return marker;
  const maxText = query["max-parts"];
  const maxParts = parseMaxArgument(
    maxText === "" ? undefined : maxText,
    { query: "max-parts", camel: "max-parts" },
    MAX_PARTS_PER_PAGE,
    MAX_PARTS_PER_PAGE,
  );
  if (!maxParts.ok) return maxParts;
  const after = parts.filter((p) => p.partNumber > marker.value);
  const page = after.slice(0, maxParts.value);
  return ok({
    partNumberMarker: marker.value,
    nextPartNumberMarker: page.length > 0 ? page[page.length - 1]!.partNumber : 0,
    maxParts: maxParts.value,
    isTruncated: after.length > page.length,
    parts: page,
  });
}

// ---- ListMultipartUploads ----

export interface UploadsQuery {
  prefix?: string | null;
  delimiter?: string | null;
  "key-marker"?: string | null;
  "upload-id-marker"?: string | null;
  "max-uploads"?: string | null;
  "encoding-type"?: string | null;
}

/** Values url-encoded when encodingType is set. */
export interface UploadsPage<T> {
  /** Only when the request gave one. */
  prefix?: string;
  delimiter?: string;
  keyMarker: string;
  /** Empty unless a key marker was given (without one, upload-id-marker is ignored). */
  uploadIdMarker: string;
  /** The last upload listed, empty when the page lists none (recorded, even when it is truncated). */
  nextKeyMarker: string;
  nextUploadIdMarker: string;
  maxUploads: number;
  encodingType?: "url";
  isTruncated: boolean;
  uploads: T[];
  commonPrefixes: string[];
}

/**
 * ListMultipartUploads over the bucket's uploads sorted by key (UTF-8 byte order) and, within a key,
 * by initiation (recorded: not by upload id, whatever the docs say). With a key marker, the listing
 * starts after that key, or with an upload-id marker after that upload of that key (an upload of
 * another key is InvalidArgument); a key marker inside a common prefix skips the prefix.
 */
export function listUploadsPage<T extends { key: string; uploadId: string }>(
  uploads: readonly T[],
  query: UploadsQuery,
): Result<UploadsPage<T>> {
  const encodingType = parseEncodingType(query["encoding-type"]);
  if (!encodingType.ok) return encodingType;
  const maxUploads = parseMaxArgument(
    query["max-uploads"],
    { query: "max-uploads", camel: "max-uploads" },
    MAX_UPLOADS_PER_PAGE,
    MAX_UPLOADS_PER_PAGE,
  );
  if (!maxUploads.ok) return maxUploads;
  const prefix = query.prefix ?? "";
  const delimiter = query.delimiter ? query.delimiter : undefined;
  const keyMarker = query["key-marker"] ? query["key-marker"] : undefined;
  const uploadIdMarker = keyMarker !== undefined && query["upload-id-marker"] ? query["upload-id-marker"] : undefined;

  let start = 0;
  if (keyMarker !== undefined && uploadIdMarker !== undefined) {
    const at = uploads.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker);
    if (at < 0) return fail(invalidUploadIdMarker(uploadIdMarker));
    start = at + 1;
  } else if (keyMarker !== undefined) {
    while (start < uploads.length && compareUtf8(uploads[start]!.key, keyMarker) <= 0) start++;
  }
  const skipped = keyMarker === undefined ? undefined : commonPrefixOf(keyMarker, prefix, delimiter);

  const page: T[] = [];
  const commonPrefixes: string[] = [];
  let isTruncated = false;
  let count = 0;
  for (let i = start; i < uploads.length; i++) {
    const upload = uploads[i]!;
    if (!upload.key.startsWith(prefix)) continue;
    const commonPrefix = commonPrefixOf(upload.key, prefix, delimiter);
    if (commonPrefix !== undefined && (commonPrefix === skipped || commonPrefix === commonPrefixes[commonPrefixes.length - 1]))
      continue;
    if (count === maxUploads.value) {
      isTruncated = true;
      break;
    }
    count++;
    if (commonPrefix === undefined) page.push(upload);
    else commonPrefixes.push(commonPrefix);
  }
  const last = page[page.length - 1];
  const encode = encodingType.value === "url" ? s3UrlEncode : (text: string) => text;
  return ok({
    ...(query.prefix === null || query.prefix === undefined ? {} : { prefix: encode(prefix) }),
    ...(delimiter === undefined ? {} : { delimiter: encode(delimiter) }),
    keyMarker: encode(keyMarker ?? ""),
    uploadIdMarker: uploadIdMarker ?? "",
    nextKeyMarker: last ? encode(last.key) : "",
    nextUploadIdMarker: last ? last.uploadId : "",
    maxUploads: maxUploads.value,
    ...(encodingType.value === undefined ? {} : { encodingType: encodingType.value }),
    isTruncated,
    uploads: page.map((u) => ({ ...u, key: encode(u.key) })),
    commonPrefixes: commonPrefixes.map(encode),
  });
}
