/**
 * AddPermission / RemovePermission edit the queue's Policy document, written the way AWS writes it
 * (AWS-validated `test_sqs_permission_lifecycle`): one statement per label, `SQS:<Action>` actions,
 * account root principals, and no Policy at all once the last statement is removed.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
 */
import { fail, ok, type Problem, type Result } from "../errors";
import { invalidParameter, missingParameter, overLimit } from "./errors";

/** Actions a queue owner may grant; batch variants are implied by their single-message action. */
const GRANTABLE = new Set([
  "*",
  "SendMessage",
  "ReceiveMessage",
  "DeleteMessage",
  "ChangeMessageVisibility",
  "GetQueueAttributes",
  "GetQueueUrl",
  "ListDeadLetterSourceQueues",
  "ListQueueTags",
  "PurgeQueue",
  "StartMessageMoveTask",
  "CancelMessageMoveTask",
  "ListMessageMoveTasks",
]);
const OWNER_ONLY = new Set([
  "AddPermission",
  "CreateQueue",
  "DeleteQueue",
  "ListQueues",
  "RemovePermission",
  "SetQueueAttributes",
  "TagQueue",
  "UntagQueue",
]);
const MAX_ACTIONS = 7;
const MAX_STATEMENTS = 20;

interface Statement {
  Sid: string;
  Effect: string;
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: string;
}

interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: Statement[];
}

export interface PermissionRequest {
  label?: string;
  accountIds?: string[];
  actions?: string[];
}

/** Checks an AddPermission request on its own (before the queue's current policy is known). */
export function validatePermission(req: PermissionRequest): Problem {
  if (!req.label) return missingParameter("Label");
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(req.label)) {
    return invalidParameter(
      "Label",
      req.label,
      "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
    );
  }
  if (!req.accountIds?.length) return missingParameter("AWSAccountIds");
  if (!req.actions?.length) return missingParameter("ActionName");
  for (const action of req.actions) {
    if (OWNER_ONLY.has(action)) {
      return invalidParameter("ActionName", `SQS:${action}`, "Only the queue owner is allowed to invoke this action.");
    }
    if (!GRANTABLE.has(action)) {
      return invalidParameter("ActionName", `SQS:${action}`, "Please refer to the appropriate WSDL for a list of valid actions.");
    }
  }
  if (req.actions.length > MAX_ACTIONS) {
    return overLimit(`${req.actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`);
  }
  return undefined;
}

const single = <T>(items: T[]): T | T[] => (items.length === 1 ? items[0]! : items);

/** Returns the new Policy JSON with a statement for the label. */
export function addPermission(
  policyJson: string | undefined,
  queueArn: string,
  req: Required<PermissionRequest>,
): Result<string> {
  const policy: PolicyDocument = policyJson
    ? (JSON.parse(policyJson) as PolicyDocument)
    : { Version: "2008-10-17", Id: `${queueArn}/SQSDefaultPolicy`, Statement: [] };
  policy.Statement ??= [];
  if (policy.Statement.some((s) => s.Sid === req.label)) {
    return fail(invalidParameter("Label", req.label, "Already exists."));
  }
  if (policy.Statement.length >= MAX_STATEMENTS) {
    return fail(overLimit(`${policy.Statement.length + 1} Statements were found, maximum allowed is ${MAX_STATEMENTS}.`));
  }
  policy.Statement.push({
    Sid: req.label,
    Effect: "Allow",
    Principal: { AWS: single(req.accountIds.map((id) => `arn:aws:iam::${id}:root`)) },
    Action: single(req.actions.map((a) => `SQS:${a}`)),
    Resource: queueArn,
  });
  return ok(JSON.stringify(policy));
}

/** Returns the Policy JSON without the label's statement ("" when none remain). */
export function removePermission(policyJson: string | undefined, label: string): Result<string> {
  const policy = policyJson ? (JSON.parse(policyJson) as PolicyDocument) : undefined;
  const statements = policy?.Statement ?? [];
  if (!policy || !statements.some((s) => s.Sid === label)) {
    return fail(invalidParameter("Label", label, "can't find label."));
  }
  policy.Statement = statements.filter((s) => s.Sid !== label);
  return ok(policy.Statement.length ? JSON.stringify(policy) : "");
}
