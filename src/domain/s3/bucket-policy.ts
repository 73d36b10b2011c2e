/**
 * A bucket policy's shape, checked as PutBucketPolicy does before it stores the document: JSON whose
 * first byte is `{`, a `Statement` (one or a list), each with an `Effect` of Allow or Deny, a
 * principal, an action and a resource, and actions S3 knows. The document is stored as sent and
 * returned byte for byte; it is not evaluated yet (the hosted sandbox will evaluate it).
 * Recorded texts: "Policies must be valid JSON and the first byte must be '{'" and "Missing required
 * field Statement"; the others are the texts S3 answers as users have reported them.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-policy-language-overview.html
 */
import type { Problem } from "../errors";
import { malformedPolicy } from "./settings-errors";

/** S3 refuses documents over 20 KB. */
export const MAX_POLICY_BYTES = 20 * 1024;

const VERSIONS = ["2008-10-17", "2012-10-17"];
const TOP_LEVEL = new Set(["Version", "Id", "Statement"]);
const STATEMENT_FIELDS = new Set([
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const strings = (v: unknown): string[] | undefined =>
  typeof v === "string" ? [v] : Array.isArray(v) && v.every((s) => typeof s === "string") ? (v as string[]) : undefined;

/** `s3:GetObject`, `s3:Get*`, `s3:*` or `*`; case-insensitive as IAM is. */
const isS3Action = (action: string): boolean => action === "*" || /^s3:[A-Za-z0-9*?]+$/i.test(action);

/** `arn:aws:s3:::bucket` or below it (wildcards allowed), or `*`. */
const isBucketResource = (resource: string, bucket: string): boolean => {
  if (resource === "*") return true;
  const match = /^arn:aws[a-z-]*:s3:::([^/]+)(\/.*)?$/.exec(resource);
  if (!match) return false;
  const pattern = new RegExp(
    `^${match[1]!
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return pattern.test(bucket);
};

function statementProblem(statement: unknown, bucket: string): Problem {
  if (!isObject(statement)) return malformedPolicy("Invalid policy syntax.");
  for (const field of Object.keys(statement)) if (!STATEMENT_FIELDS.has(field)) return malformedPolicy(`Unknown field ${field}`);
  if (statement.Effect === undefined) return malformedPolicy("Missing required field Effect");
  if (statement.Effect !== "Allow" && statement.Effect !== "Deny")
    return malformedPolicy(`Invalid effect: ${String(statement.Effect)}`);
  if (statement.Principal === undefined && statement.NotPrincipal === undefined)
    return malformedPolicy("Missing required field Principal");
  const principal = statement.Principal ?? statement.NotPrincipal;
  if (principal !== "*" && !isObject(principal)) return malformedPolicy("Invalid principal in policy");
  const actions = strings(statement.Action ?? statement.NotAction);
  if (statement.Action === undefined && statement.NotAction === undefined)
    return malformedPolicy("Missing required field Action");
  if (!actions || !actions.length || !actions.every(isS3Action)) return malformedPolicy("Policy has invalid action");
  if (statement.Resource === undefined && statement.NotResource === undefined)
    return malformedPolicy("Missing required field Resource");
  const resources = strings(statement.Resource ?? statement.NotResource);
  if (!resources || !resources.length || !resources.every((r) => isBucketResource(r, bucket)))
    return malformedPolicy("Policy has invalid resource");
  if (statement.Condition !== undefined && !isObject(statement.Condition)) return malformedPolicy("Invalid Condition in policy");
  return undefined;
}

/** What is wrong with a policy document for `bucket`, as PutBucketPolicy words it; undefined when it may be stored. */
export function policyProblem(text: string, bucket: string): Problem {
  const tooLarge = new TextEncoder().encode(text).length > MAX_POLICY_BYTES;
  if (tooLarge) return malformedPolicy("Policies must be less than 20480 bytes");
  let document: unknown;
  try {
    document = text.startsWith("{") ? JSON.parse(text) : undefined;
  } catch {
    document = undefined;
  }
  if (!isObject(document)) return malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  for (const field of Object.keys(document)) if (!TOP_LEVEL.has(field)) return malformedPolicy(`Unknown field ${field}`);
  if (document.Version !== undefined && !VERSIONS.includes(document.Version as string))
    return malformedPolicy("The policy must contain a valid version string");
  if (document.Statement === undefined) return malformedPolicy("Missing required field Statement");
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  if (!statements.length) return malformedPolicy("Could not parse the policy: Statement is empty!");
  for (const statement of statements) {
    const problem = statementProblem(statement, bucket);
    if (problem) return problem;
  }
  return undefined;
}
