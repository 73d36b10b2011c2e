/**
 * Which S3 operation a request is: its method, what it addresses (the service, a bucket, an object)
 * and its sub-resource query parameters (`?tagging`, `?uploads`, `?list-type=2`…) or a header
 * (`x-amz-copy-source`). Adding an operation is one entry here and its handler in src/services/s3.
 * A request no entry matches is answered as S3 does: MethodNotAllowed when the resource takes other
 * methods, NotImplemented for a sub-resource this emulator does not have.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */
import type { Result } from "../../domain/errors";
import { fail, ok } from "../../domain/errors";
import { methodNotAllowed, notImplemented } from "../../domain/s3/errors";

export type Target = "service" | "bucket" | "object";

export interface OperationRule {
  method: "GET" | "HEAD" | "PUT" | "POST" | "DELETE";
  target: Target;
  /** A query parameter that must be present (a sub-resource), with a value when given as `name=value`. */
  query?: string;
  /** A header that must be present. */
  header?: string;
  operation: string;
}

/** More specific rules (with a query or header) win over plain ones; otherwise first match wins. */
export const OPERATION_RULES: readonly OperationRule[] = [
  { method: "GET", target: "service", operation: "ListBuckets" },

  { method: "PUT", target: "bucket", operation: "CreateBucket" },
  { method: "HEAD", target: "bucket", operation: "HeadBucket" },
  { method: "DELETE", target: "bucket", operation: "DeleteBucket" },
  { method: "GET", target: "bucket", query: "location", operation: "GetBucketLocation" },
  { method: "GET", target: "bucket", query: "list-type=2", operation: "ListObjectsV2" },
  // event notifications
  { method: "PUT", target: "bucket", query: "notification", operation: "PutBucketNotificationConfiguration" },
  { method: "GET", target: "bucket", query: "notification", operation: "GetBucketNotificationConfiguration" },
  { method: "GET", target: "bucket", operation: "ListObjects" },

  { method: "PUT", target: "object", header: "x-amz-copy-source", operation: "CopyObject" },
  { method: "PUT", target: "object", operation: "PutObject" },
  { method: "GET", target: "object", operation: "GetObject" },
  { method: "HEAD", target: "object", operation: "HeadObject" },
  { method: "DELETE", target: "object", operation: "DeleteObject" },

  // tagging and bucket settings (an OPTIONS preflight never gets here: cors-hook.ts answers it before authentication)
  { method: "GET", target: "object", query: "tagging", operation: "GetObjectTagging" },
  { method: "PUT", target: "object", query: "tagging", operation: "PutObjectTagging" },
  { method: "DELETE", target: "object", query: "tagging", operation: "DeleteObjectTagging" },
  { method: "GET", target: "object", query: "acl", operation: "GetObjectAcl" },
  { method: "PUT", target: "object", query: "acl", operation: "PutObjectAcl" },
  { method: "GET", target: "bucket", query: "tagging", operation: "GetBucketTagging" },
  { method: "PUT", target: "bucket", query: "tagging", operation: "PutBucketTagging" },
  { method: "DELETE", target: "bucket", query: "tagging", operation: "DeleteBucketTagging" },
  { method: "GET", target: "bucket", query: "policy", operation: "GetBucketPolicy" },
  { method: "PUT", target: "bucket", query: "policy", operation: "PutBucketPolicy" },
  { method: "DELETE", target: "bucket", query: "policy", operation: "DeleteBucketPolicy" },
  { method: "GET", target: "bucket", query: "cors", operation: "GetBucketCors" },
  { method: "PUT", target: "bucket", query: "cors", operation: "PutBucketCors" },
  { method: "DELETE", target: "bucket", query: "cors", operation: "DeleteBucketCors" },
  { method: "GET", target: "bucket", query: "versioning", operation: "GetBucketVersioning" },
  { method: "PUT", target: "bucket", query: "versioning", operation: "PutBucketVersioning" },
  { method: "GET", target: "bucket", query: "lifecycle", operation: "GetBucketLifecycleConfiguration" },
  { method: "PUT", target: "bucket", query: "lifecycle", operation: "PutBucketLifecycleConfiguration" },
  { method: "DELETE", target: "bucket", query: "lifecycle", operation: "DeleteBucketLifecycle" },
  { method: "GET", target: "bucket", query: "encryption", operation: "GetBucketEncryption" },
  { method: "PUT", target: "bucket", query: "encryption", operation: "PutBucketEncryption" },
  { method: "DELETE", target: "bucket", query: "encryption", operation: "DeleteBucketEncryption" },
  { method: "GET", target: "bucket", query: "acl", operation: "GetBucketAcl" },
  { method: "PUT", target: "bucket", query: "acl", operation: "PutBucketAcl" },
  // multipart upload (a copy source with ?uploadId is UploadPartCopy: query and header outrank either)
  { method: "POST", target: "object", query: "uploads", operation: "CreateMultipartUpload" },
  { method: "PUT", target: "object", query: "uploadId", operation: "UploadPart" },
  { method: "PUT", target: "object", query: "uploadId", header: "x-amz-copy-source", operation: "UploadPartCopy" },
  { method: "POST", target: "object", query: "uploadId", operation: "CompleteMultipartUpload" },
  { method: "DELETE", target: "object", query: "uploadId", operation: "AbortMultipartUpload" },
  { method: "GET", target: "object", query: "uploadId", operation: "ListParts" },
  { method: "GET", target: "bucket", query: "uploads", operation: "ListMultipartUploads" },
  // listing and copying (ListObjects/V2 and CopyObject are above)
  { method: "POST", target: "bucket", query: "delete", operation: "DeleteObjects" },
];

/** Sub-resources S3 has and this emulator (not yet) does: a request naming one is NotImplemented. */
const KNOWN_SUBRESOURCES = [
  "accelerate",
  "acl",
  "analytics",
  "attributes",
  "cors",
  "delete",
  "encryption",
  "intelligent-tiering",
  "inventory",
  "legal-hold",
  "lifecycle",
  "logging",
  "metadataTable",
  "metrics",
  "notification",
  "object-lock",
  "ownershipControls",
  "partNumber",
  "policy",
  "policyStatus",
  "publicAccessBlock",
  "replication",
  "requestPayment",
  "restore",
  "retention",
  "select",
  "tagging",
  "torrent",
  "uploadId",
  "uploads",
  "versioning",
  "versions",
  "website",
];

const matches = (rule: OperationRule, query: URLSearchParams, headers: Headers): boolean => {
  if (rule.header && !headers.has(rule.header)) return false;
  if (!rule.query) return true;
  const eq = rule.query.indexOf("=");
  if (eq < 0) return query.has(rule.query);
  return query.get(rule.query.slice(0, eq)) === rule.query.slice(eq + 1);
};

const specificity = (rule: OperationRule): number => (rule.query ? 2 : 0) + (rule.header ? 1 : 0);

export function targetOf(bucket: string | undefined, key: string | undefined): Target {
  return bucket === undefined ? "service" : key === undefined ? "bucket" : "object";
}

export function resolveOperation(
  method: string,
  target: Target,
  query: URLSearchParams,
  headers: Headers,
  rules: readonly OperationRule[] = OPERATION_RULES,
): Result<string> {
  const candidates = rules.filter((r) => r.method === method && r.target === target && matches(r, query, headers));
  const subresource = KNOWN_SUBRESOURCES.find((s) => query.has(s));
  if (candidates.length) {
    const best = candidates.reduce((a, b) => (specificity(b) > specificity(a) ? b : a));
    // A sub-resource no rule of this method claims: a plain rule would do the wrong thing with it.
    if (subresource && !best.query) return fail(notImplemented());
    return ok(best.operation);
  }
  if (subresource) return fail(notImplemented());
  return fail(methodNotAllowed(method, target === "service" ? "SERVICE" : target === "bucket" ? "BUCKET" : "OBJECT"));
}
