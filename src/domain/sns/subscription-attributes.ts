/**
 * Subscription attributes: the settable ones with their checks, and what GetSubscriptionAttributes
 * returns (AWS-recorded `test_subscribe_sqs_queue`, `test_subscribe_external_http_endpoint_content_type`).
 * @see https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html
 */
import type { StoredSubscription, TopicState } from "./contract";
import { fail, ok, type Result } from "../errors";
import { effectiveSubscriptionDeliveryPolicy, parseSubscriptionDeliveryPolicy } from "./delivery-policy";
import { invalidParameter } from "./errors";
import { validateFilterPolicy } from "./filter-policy";
import { parseQueueEndpoint, subscriptionArn, topicArn } from "./names";

const SETTABLE = new Set([
  "DeliveryPolicy",
  "FilterPolicy",
  "FilterPolicyScope",
  "RawMessageDelivery",
  "RedrivePolicy",
  "SubscriptionRoleArn",
  "ReplayPolicy",
]);

/** Protocols whose messages RawMessageDelivery can strip of the envelope. */
const RAW_PROTOCOLS = new Set(["sqs", "http", "https", "firehose"]);

export interface SubscriptionAttributeContext {
  protocol: string;
  /** Current FilterPolicyScope, to validate a FilterPolicy against (and vice versa). */
  filterPolicyScope?: string;
  filterPolicy?: string;
  topicFifo: boolean;
  /** The subscription's endpoint: only a FIFO queue on a FIFO topic needs a FIFO DLQ. */
  endpoint?: string;
}

/**
 * Checks one attribute (SetSubscriptionAttributes takes one at a time; Subscribe checks each) and
 * returns the value as stored, or AWS's error. `where` is "Attributes Reason: " for Subscribe.
 */
export function validateSubscriptionAttribute(
  name: string,
  value: string,
  ctx: SubscriptionAttributeContext,
  where = "",
): Result<string> {
  if (!SETTABLE.has(name)) return fail(invalidParameter(where ? `${where}Unknown attribute ${name}` : "AttributeName"));
  const problem = (detail: string) => fail(invalidParameter(`${where}${detail}`));
  const operation = where ? "Subscribe" : "SetSubscriptionAttributes";
  switch (name) {
    case "RawMessageDelivery": {
      // Case-insensitive, stored in lower case (AWS-recorded `test_create_subscriptions_with_attributes`).
      const lower = value.toLowerCase();
      if (lower !== "true" && lower !== "false")
        return problem(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (!RAW_PROTOCOLS.has(ctx.protocol))
        return problem(`Delivery protocol [${ctx.protocol}] does not support raw message delivery.`);
      return ok(lower);
    }
    case "FilterPolicyScope": {
      if (value !== "MessageAttributes" && value !== "MessageBody") {
        return problem(`FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      }
      const policyProblem = ctx.filterPolicy && validateFilterPolicy(ctx.filterPolicy, value, operation);
      return policyProblem ? fail(policyProblem) : ok(value);
    }
    case "FilterPolicy": {
      if (value === "") return ok(value);
      const scope = ctx.filterPolicyScope === "MessageBody" ? "MessageBody" : "MessageAttributes";
      const policyProblem = validateFilterPolicy(value, scope, operation);
      return policyProblem ? fail(policyProblem) : ok(value);
    }
    case "DeliveryPolicy":
      return value === "" ? ok(value) : parseSubscriptionDeliveryPolicy(value);
    case "RedrivePolicy": {
      if (value === "") return ok(value);
      const redrive = readRedrivePolicy(value);
      if (!redrive) return problem("RedrivePolicy: failed to parse JSON. Unexpected character");
      const arn = redrive.deadLetterTargetArn;
      if (typeof arn !== "string" || !parseQueueEndpoint(arn))
        return problem("RedrivePolicy: deadLetterTargetArn is an invalid arn");
      // A standard queue subscribed to a FIFO topic may use a standard DLQ (AWS-recorded
      // `test_validations_for_fifo` sets one without error).
      if (ctx.topicFifo && (ctx.endpoint ?? ".fifo").endsWith(".fifo") && !arn.endsWith(".fifo")) {
        return problem("RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
      }
      return ok(value);
    }
    default:
      return ok(value);
  }
}

/** A RedrivePolicy as given; undefined when it is not JSON or is `null` (AWS: "failed to parse JSON"). */
export function readRedrivePolicy(redrivePolicy: string): { deadLetterTargetArn?: unknown } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(redrivePolicy);
  } catch {
    return undefined;
  }
  if (parsed === null) return undefined;
  return { deadLetterTargetArn: (parsed as { deadLetterTargetArn?: unknown }).deadLetterTargetArn };
}

/** Everything GetSubscriptionAttributes returns. */
export function subscriptionAttributeMap(topic: TopicState, s: StoredSubscription): Record<string, string> {
  const http = s.protocol === "http" || s.protocol === "https";
  const out: Record<string, string> = {
    ConfirmationWasAuthenticated: String(s.authenticated),
    Endpoint: s.endpoint,
    Owner: s.owner,
    PendingConfirmation: String(s.pending),
    Protocol: s.protocol,
    RawMessageDelivery: s.attributes.RawMessageDelivery ?? "false",
    SubscriptionArn: subscriptionArn({ ...topic, id: s.id }),
    SubscriptionPrincipal: s.attributes.__principal ?? `arn:aws:iam::${s.owner}:root`,
    TopicArn: topicArn(topic),
  };
  for (const [name, value] of Object.entries(s.attributes)) if (!name.startsWith("__")) out[name] = value;
  if (out.FilterPolicy && !out.FilterPolicyScope) out.FilterPolicyScope = "MessageAttributes";
  if (http)
    out.EffectiveDeliveryPolicy = effectiveSubscriptionDeliveryPolicy(
      topic.attributes.DeliveryPolicy,
      s.attributes.DeliveryPolicy,
    );
  return out;
}
