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
  { method: "GET", target: "bucket", operation: "ListObjects" },

  { method: "PUT", target: "object", header: "x-amz-copy-source", operation: "CopyObject" },
  { method: "PUT", target: "object", operation: "PutObject" },
  { method: "GET", target: "object", operation: "GetObject" },
  { method: "HEAD", target: "object", operation: "HeadObject" },
  { method: "DELETE", target: "object", operation: "DeleteObject" },

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
