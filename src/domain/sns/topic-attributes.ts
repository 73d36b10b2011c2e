/**
 * Topic attributes: which can be set (and when), their checks, and what GetTopicAttributes returns
 * (AWS-recorded `test_create_topic_with_attributes`, `test_topic_delivery_policy_crud`).
 * @see https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html
 */
import { fail, ok, type Problem, type Result } from "../errors";
import { effectiveTopicDeliveryPolicy, parseTopicDeliveryPolicy, storedTopicDeliveryPolicy } from "./delivery-policy";
import { invalidParameter } from "./errors";
import { topicArn, type TopicRef } from "./names";

export type TopicAttributes = Record<string, string>;

const FEEDBACK_PROTOCOLS = ["HTTP", "Firehose", "Lambda", "Application", "SQS"];
const FEEDBACK = FEEDBACK_PROTOCOLS.flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);
const SETTABLE = new Set([
  "DeliveryPolicy",
  "DisplayName",
  "Policy",
  "TracingConfig",
  "KmsMasterKeyId",
  "SignatureVersion",
  ...FEEDBACK,
]);
const FIFO_ONLY = new Set(["ContentBasedDeduplication", "FifoThroughputScope", "ArchivePolicy"]);

export interface TopicAttributeContext {
  fifo: boolean;
  creating: boolean;
}

/** Checks the attributes of CreateTopic or SetTopicAttributes; returns them as stored. */
export function validateTopicAttributes(input: TopicAttributes, ctx: TopicAttributeContext): Result<TopicAttributes> {
  const out: TopicAttributes = {};
  for (const [name, value] of Object.entries(input)) {
    if (name === "FifoTopic") {
      if (!ctx.creating) return fail(invalidParameter("AttributeName"));
      if (value !== "true" && value !== "false")
        return fail(invalidParameter("Attributes Reason: FifoTopic: Invalid value [" + value + "]. Must be true or false."));
      continue;
    }
    if (FIFO_ONLY.has(name)) {
      if (!ctx.fifo) return fail(invalidParameter(`Attributes Reason: ${name}: Invalid attribute name: ${name}`));
    } else if (!SETTABLE.has(name)) {
      return fail(invalidParameter(ctx.creating ? `Attributes Reason: Unknown attribute ${name}` : "AttributeName"));
    }
    const problem = checkValue(name, value);
    if (problem) return fail(problem);
    out[name] = name === "DeliveryPolicy" && value !== "" ? storedTopicDeliveryPolicy(JSON.parse(value)) : value;
  }
  return ok(out);
}

function checkValue(name: string, value: string): Problem {
  switch (name) {
    case "SignatureVersion":
      return value === "1" || value === "2"
        ? undefined
        : invalidParameter(`Attributes Reason: SignatureVersion: Invalid value [${value}]. Should be one of [1, 2]`);
    case "TracingConfig":
      return value === "PassThrough" || value === "Active"
        ? undefined
        : invalidParameter(`Attributes Reason: TracingConfig: Invalid value [${value}]. Should be one of [PassThrough, Active]`);
    case "ContentBasedDeduplication":
      return value === "true" || value === "false"
        ? undefined
        : invalidParameter(`Attributes Reason: ContentBasedDeduplication: Invalid value [${value}]. Must be true or false.`);
    case "FifoThroughputScope":
      return value === "Topic" || value === "MessageGroup"
        ? undefined
        : invalidParameter(
            `Attributes Reason: FifoThroughputScope: Invalid value [${value}]. Should be one of [Topic, MessageGroup]`,
          );
    case "DeliveryPolicy": {
      if (value === "") return undefined;
      const parsed = parseTopicDeliveryPolicy(value);
      return parsed.ok ? undefined : parsed.error;
    }
    case "Policy":
    case "ArchivePolicy": {
      if (value === "") return undefined;
      try {
        const parsed: unknown = JSON.parse(value);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return undefined;
      } catch {
        // fall through
      }
      return invalidParameter(`Attributes Reason: ${name}: failed to parse JSON.`);
    }
    default:
      return undefined;
  }
}

/** The policy every new topic gets: the owner account may do everything with it. */
export function defaultTopicPolicy(topic: TopicRef): string {
  return JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: topicArn(topic),
        Condition: { StringEquals: { "AWS:SourceOwner": topic.account } },
      },
    ],
  });
}

/** Stored attributes of a new topic: defaults, then what CreateTopic asked for. */
export function initialTopicAttributes(topic: TopicRef, fifo: boolean, requested: TopicAttributes): TopicAttributes {
  return {
    DisplayName: "",
    Policy: defaultTopicPolicy(topic),
    ...(fifo ? { FifoTopic: "true", ContentBasedDeduplication: "false" } : {}),
    ...requested,
  };
}

/** Applies SetTopicAttributes: an empty value removes optional JSON attributes. */
export function applyTopicAttributes(current: TopicAttributes, changes: TopicAttributes): TopicAttributes {
  const next = { ...current, ...changes };
  for (const name of ["DeliveryPolicy", "KmsMasterKeyId", "ArchivePolicy"]) if (next[name] === "") delete next[name];
  return next;
}

export interface SubscriptionCounts {
  confirmed: number;
  pending: number;
  deleted: number;
}

/** Everything GetTopicAttributes returns: stored attributes plus computed ones. */
export function topicAttributeMap(topic: TopicRef, stored: TopicAttributes, counts: SubscriptionCounts): TopicAttributes {
  return {
    ...stored,
    EffectiveDeliveryPolicy: effectiveTopicDeliveryPolicy(stored.DeliveryPolicy),
    Owner: topic.account,
    SubscriptionsConfirmed: String(counts.confirmed),
    SubscriptionsDeleted: String(counts.deleted),
    SubscriptionsPending: String(counts.pending),
    TopicArn: topicArn(topic),
  };
}

/** CreateTopic on an existing name succeeds only with the same attributes (and tags). */
export function sameTopicAttributes(current: TopicAttributes, requested: TopicAttributes): boolean {
  return Object.entries(requested).every(
    ([name, value]) => (current[name] ?? (name === "DisplayName" ? "" : undefined)) === value,
  );
}
