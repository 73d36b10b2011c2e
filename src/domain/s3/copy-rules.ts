/**
 * CopyObject's rules: the `x-amz-copy-source` header (`bucket/key` or `/bucket/key`, percent-encoded,
 * optionally `?versionId=`), the metadata and tagging directives, what a copy keeps of its source,
 * and when a copy onto itself is refused. Recorded in test_s3.snapshot.json (test_s3_copy_object_*,
 * test_s3_copy_metadata_*, test_s3_copy_tagging_directive*, test_copy_object_special_character).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
import { fail, ok, type Problem, type Result } from "../errors";
import type { ContentHeaders } from "./contract";
import {
  copySourceTooLarge,
  copyToItself,
  invalidCopySource,
  noSuchVersion,
  unknownMetadataDirective,
  unknownTaggingDirective,
} from "./copy-delete-errors";
import { checkCopySourcePreconditions, type ConditionalHeaders } from "./preconditions";

/** The largest object CopyObject copies in one request (larger ones take UploadPartCopy). */
export const MAX_COPY_SOURCE_BYTES = 5 * 1024 * 1024 * 1024;

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/**
 * `bucket/key?versionId=v`: the version id is split off before decoding (an encoded `%3F` belongs
 * to the key), the rest percent-decoded (`+` stays a plus), then split at the first `/`.
 */
export function parseCopySource(header: string): Result<CopySource> {
  const question = header.indexOf("?");
  const path = question < 0 ? header : header.slice(0, question);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return fail(invalidCopySource());
  }
  if (decoded.startsWith("/")) decoded = decoded.slice(1);
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) return fail(invalidCopySource());
  const source: CopySource = { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
  if (question >= 0) {
    const versionId = new URLSearchParams(header.slice(question + 1)).get("versionId");
    if (versionId !== null && versionId !== "") source.versionId = versionId;
  }
  return ok(source);
}

export type Directive = "COPY" | "REPLACE";

/** x-amz-metadata-directive / x-amz-tagging-directive: absent is COPY; anything but COPY or REPLACE is refused. */
export function parseDirective(value: string | null, kind: "metadata" | "tagging"): Result<Directive> {
  if (value === null) return ok("COPY");
  if (value === "COPY" || value === "REPLACE") return ok(value);
  return fail(kind === "metadata" ? unknownMetadataDirective(value) : unknownTaggingDirective(value));
}

/** Headers that are the object's and never copied from the source: they come from the copy request or not at all. */
const NOT_COPIED: readonly (keyof ContentHeaders)[] = ["x-amz-storage-class", "x-amz-website-redirect-location"];

/**
 * The destination's stored headers: the request's own under REPLACE; under COPY the source's content
 * headers, with the storage class and website redirect of the request (S3 copies neither: a copy is
 * STANDARD unless it says otherwise, recorded in test_s3_copy_object_storage_class).
 */
export function copiedHeaders(directive: Directive, source: ContentHeaders, request: ContentHeaders): ContentHeaders {
  const headers: ContentHeaders = directive === "REPLACE" ? { ...request } : { ...source };
  if (directive === "COPY") {
    for (const name of NOT_COPIED) {
      delete headers[name];
      if (request[name] !== undefined) headers[name] = request[name];
    }
  }
  // STANDARD is what an object is without the header; S3 never sends it back on GET or HEAD.
  if (headers["x-amz-storage-class"] === "STANDARD") delete headers["x-amz-storage-class"];
  return headers;
}

/** What a copy onto its own key must change for S3 to accept it (one is enough, even to the same value). */
export interface InPlaceChanges {
  metadataDirective: Directive;
  storageClass: boolean;
  websiteRedirectLocation: boolean;
  /** x-amz-server-side-encryption or SSE-C / KMS headers. */
  encryption: boolean;
}

export function copyToItselfProblem(
  source: { bucket: string; key: string },
  destination: { bucket: string; key: string },
  changes: InPlaceChanges,
): Problem {
  if (source.bucket !== destination.bucket || source.key !== destination.key) return undefined;
  const changed =
    changes.metadataDirective === "REPLACE" || changes.storageClass || changes.websiteRedirectLocation || changes.encryption;
  return changed ? undefined : copyToItself();
}

/**
 * The source object against the request, once it is found: the version asked for (an unversioned
 * bucket has `null` only), the x-amz-copy-source-if-* conditions, then the 5 GiB limit.
 */
export function copySourceProblem(
  source: CopySource,
  object: { etag: string; lastModified: number; size: number },
  conditions: ConditionalHeaders,
  now: number,
): Problem {
  if (source.versionId !== undefined && source.versionId !== "null") return noSuchVersion(source.key, source.versionId);
  const failed = checkCopySourcePreconditions(conditions, object, now);
  if (failed) return failed;
  return object.size > MAX_COPY_SOURCE_BYTES ? copySourceTooLarge(MAX_COPY_SOURCE_BYTES) : undefined;
}
