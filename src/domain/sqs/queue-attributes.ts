/**
 * Queue attributes: names, defaults, range checks and the SSE / FIFO rules of CreateQueue and
 * SetQueueAttributes. Pure functions; the queue object stores what these return.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
import { fail, ok, type ErrorInfo, type Result } from "../errors";
import { invalidAttributeName, invalidAttributeValue, invalidParameter, invalidParameterValue, unknownAttribute } from "./errors";
import { parseQueueArn } from "./queue-names";

export type QueueAttributes = Record<string, string>;

/** Attributes every new queue has (AWS-validated `test_set_queue_attributes_default_values`). */
export const STANDARD_DEFAULTS: QueueAttributes = {
  DelaySeconds: "0",
  MaximumMessageSize: "1048576",
  MessageRetentionPeriod: "345600",
  ReceiveMessageWaitTimeSeconds: "0",
  VisibilityTimeout: "30",
  SqsManagedSseEnabled: "true",
};

export const FIFO_DEFAULTS: QueueAttributes = {
  FifoQueue: "true",
  ContentBasedDeduplication: "false",
  DeduplicationScope: "queue",
  FifoThroughputLimit: "perQueue",
};

const INTEGER_RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const FIFO_ONLY = ["FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"];
const WRITABLE = new Set([
  ...Object.keys(INTEGER_RANGES),
  "Policy",
  "RedrivePolicy",
  "RedriveAllowPolicy",
  "KmsMasterKeyId",
  "SqsManagedSseEnabled",
  ...FIFO_ONLY,
]);

/** Computed by the queue at read time; accepted by GetQueueAttributes, never by Set. */
export const READ_ONLY = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
];

export const ALL_ATTRIBUTE_NAMES = new Set(["All", ...WRITABLE, ...READ_ONLY]);

/** Whether a GetQueueAttributes call asks for a message count, the only attributes that read messages. */
export const wantsCounts = (names: readonly string[]): boolean =>
  names.some((name) => name === "All" || name.startsWith("ApproximateNumberOfMessages"));

/** KMS attributes set back to their defaults disappear from the output, as on AWS. */
const DEFAULT_KMS_REUSE = "300";

export interface AttributeContext {
  fifo: boolean;
  /** True for CreateQueue: FifoQueue may be given (once); Set may not change the queue type. */
  creating: boolean;
}

/** Redrive policy as stored and as returned (AWS normalises maxReceiveCount to a number). */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: "allowAll" | "denyAll" | "byQueue";
  sourceQueueArns?: string[];
}

/**
 * Validates the attributes of a CreateQueue or SetQueueAttributes call and returns them normalised
 * (integers without leading zeros, JSON policies re-serialised). The first problem wins, as on AWS.
 */
export function validateAttributes(input: QueueAttributes, ctx: AttributeContext): Result<QueueAttributes> {
  const out: QueueAttributes = {};
  for (const [name, raw] of Object.entries(input)) {
    if (!WRITABLE.has(name)) return fail(unknownAttribute(name));
    const value = String(raw);
    if (FIFO_ONLY.includes(name) && !ctx.fifo) {
      if (name === "DeduplicationScope" || name === "FifoThroughputLimit") {
        return fail(invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`));
      }
      // Even FifoQueue=false: AWS-validated test_create_standard_queue_with_fifo_attribute_raises_error.
      return fail(unknownAttribute(name));
    }
    const range = INTEGER_RANGES[name];
    if (range) {
      // No surrounding whitespace: " 6" is "Invalid value for the parameter …" (notes §4).
      const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < range[0] || n > range[1]) return fail(invalidValue(name));
      out[name] = String(n);
      continue;
    }
    switch (name) {
      case "SqsManagedSseEnabled":
      case "ContentBasedDeduplication":
        if (value !== "true" && value !== "false") return fail(invalidValue(name));
        out[name] = value;
        break;
      case "FifoQueue":
        // Setting FifoQueue=true again on a FIFO queue is accepted (AWS-validated test_set_unsupported_attribute_fifo).
        if (!ctx.creating && value !== "true") {
          return fail(
            invalidAttributeValue("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported."),
          );
        }
        if (value !== "true") return fail(invalidValue(name));
        out[name] = value;
        break;
      case "DeduplicationScope":
        if (value !== "queue" && value !== "messageGroup") return fail(invalidValue(name));
        out[name] = value;
        break;
      case "FifoThroughputLimit":
        if (value !== "perQueue" && value !== "perMessageGroupId") return fail(invalidValue(name));
        out[name] = value;
        break;
      case "Policy": {
        const policy = value === "" ? "" : parseJsonObject(value);
        if (policy === undefined) return fail(invalidValue(name));
        out[name] = policy === "" ? "" : JSON.stringify(policy);
        break;
      }
      case "RedrivePolicy":
      case "RedriveAllowPolicy": {
        if (value === "") {
          out[name] = "";
          break;
        }
        const policy = name === "RedrivePolicy" ? parseRedrivePolicy(value) : parseRedriveAllowPolicy(value);
        if (!policy.ok) return policy;
        out[name] = JSON.stringify(policy.value);
        break;
      }
      default:
        out[name] = value;
    }
  }
  if (out.KmsMasterKeyId && out.SqsManagedSseEnabled === "true") {
    return fail(
      invalidAttributeName(
        "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.",
      ),
    );
  }
  if (out.FifoThroughputLimit === "perMessageGroupId" && out.DeduplicationScope === "queue") {
    return fail(
      invalidAttributeValue("The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup."),
    );
  }
  return ok(out);
}

const invalidValue = (name: string): ErrorInfo => invalidAttributeValue(`Invalid value for the parameter ${name}.`);

function parseJsonObject(value: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function parseRedrivePolicy(value: string): Result<RedrivePolicy> {
  const policy = parseJsonObject(value);
  if (!policy) {
    return fail(
      invalidParameterValue("Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map."),
    );
  }
  const invalid = (reason: string) => fail(invalidParameter("RedrivePolicy", value, reason));
  const extra = Object.keys(policy).find((k) => k !== "deadLetterTargetArn" && k !== "maxReceiveCount");
  if (extra) return invalid("Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].");
  const arn = policy.deadLetterTargetArn;
  // maxReceiveCount is checked first: AWS answers `{}` with the maxReceiveCount text (notes §6).
  if (policy.maxReceiveCount === undefined) {
    return invalid("Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  }
  if (arn === undefined) return invalid("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  if (typeof arn !== "string" || !parseQueueArn(arn)) return invalid("Invalid value for deadLetterTargetArn.");
  const raw = policy.maxReceiveCount;
  const count = typeof raw === "number" ? raw : typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    return invalid(`Invalid value for maxReceiveCount: ${String(raw)}, valid values are from 1 to 1000 both inclusive.`);
  }
  return ok({ deadLetterTargetArn: arn, maxReceiveCount: count });
}

const UNSUPPORTED_ALLOW_POLICY =
  "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.";

export function parseRedriveAllowPolicy(value: string): Result<RedriveAllowPolicy> {
  const policy = parseJsonObject(value);
  const unsupported = fail(invalidParameterValue(UNSUPPORTED_ALLOW_POLICY));
  if (!policy) return unsupported;
  const invalid = (reason: string) =>
    fail(invalidParameter("RedriveAllowPolicy", value, `Amazon SQS can't create the redrive allow policy. ${reason}`));
  const permission = policy.redrivePermission;
  const arns = policy.sourceQueueArns;
  const unknownKey = Object.keys(policy).some((k) => k !== "redrivePermission" && k !== "sourceQueueArns");
  if (
    unknownKey ||
    (permission !== "allowAll" && permission !== "denyAll" && permission !== "byQueue") ||
    (arns !== undefined && (!Array.isArray(arns) || !arns.every((a) => typeof a === "string")))
  ) {
    return unsupported;
  }
  if (permission !== "byQueue") {
    if (arns !== undefined)
      return invalid("To specify one or more source queue ARNs, you must set redrivePermission to byQueue.");
    return ok({ redrivePermission: permission });
  }
  const list = (arns ?? []) as string[];
  if (list.length === 0) {
    return invalid("When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.");
  }
  if (list.length > 10) return invalid("The maximum number of source queue ARNs you can specify is 10.");
  return ok({ redrivePermission: permission, sourceQueueArns: list });
}

/**
 * Applies validated changes to stored attributes: empty policies and KMS attributes back at their
 * defaults are removed, and choosing KMS turns SQS-managed SSE off (AWS-validated
 * `test_set_queue_attributes_default_values`).
 */
export function applyAttributes(current: QueueAttributes, changes: QueueAttributes): QueueAttributes {
  const next = { ...current, ...changes };
  for (const name of ["Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId"]) {
    if (next[name] === "") delete next[name];
  }
  if (changes.KmsMasterKeyId) next.SqsManagedSseEnabled = "false";
  if (next.KmsMasterKeyId === undefined && next.KmsDataKeyReusePeriodSeconds === DEFAULT_KMS_REUSE) {
    delete next.KmsDataKeyReusePeriodSeconds;
  }
  if (next.KmsMasterKeyId && next.KmsDataKeyReusePeriodSeconds === undefined) {
    next.KmsDataKeyReusePeriodSeconds = DEFAULT_KMS_REUSE;
  }
  return next;
}

/**
 * CreateQueue on an existing name succeeds only if every attribute it names has the queue's current
 * value; otherwise it names the first that differs.
 */
export function firstDifferentAttribute(current: QueueAttributes, requested: QueueAttributes): string | undefined {
  for (const [name, value] of Object.entries(requested)) {
    const have = current[name] ?? (name === "KmsDataKeyReusePeriodSeconds" ? DEFAULT_KMS_REUSE : "");
    if (have !== value) return name;
  }
  return undefined;
}
