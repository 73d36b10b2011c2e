/**
 * Subscription attributes: the settable ones with their checks, and what GetSubscriptionAttributes
 * returns (AWS-recorded `test_subscribe_sqs_queue`, `test_subscribe_external_http_endpoint_content_type`).
 * @see https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html
 */
import type { StoredSubscription, TopicState } from "./contract";
import type { ErrorInfo } from "../errors";
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
): { value: string } | ErrorInfo {
  if (!SETTABLE.has(name)) return invalidParameter(where ? `${where}Unknown attribute ${name}` : "AttributeName");
  switch (name) {
    case "RawMessageDelivery": {
      // Case-insensitive, stored in lower case (AWS-recorded `test_create_subscriptions_with_attributes`).
      const lower = value.toLowerCase();
      if (lower !== "true" && lower !== "false")
        return invalidParameter(`${where}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (!RAW_PROTOCOLS.has(ctx.protocol))
        return invalidParameter(`${where}Delivery protocol [${ctx.protocol}] does not support raw message delivery.`);
      return { value: lower };
    }
    case "FilterPolicyScope":
      if (value !== "MessageAttributes" && value !== "MessageBody") {
        return invalidParameter(
          `${where}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
        );
      }
      if (ctx.filterPolicy) {
        const problem = validateFilterPolicy(ctx.filterPolicy, value, where ? "Subscribe" : "SetSubscriptionAttributes");
        if (problem) return problem;
      }
      return { value };
    case "FilterPolicy": {
      if (value === "") return { value };
      const scope = ctx.filterPolicyScope === "MessageBody" ? "MessageBody" : "MessageAttributes";
      const problem = validateFilterPolicy(value, scope, where ? "Subscribe" : "SetSubscriptionAttributes");
      return problem ?? { value };
    }
    case "DeliveryPolicy": {
      if (value === "") return { value };
      const parsed = parseSubscriptionDeliveryPolicy(value);
      return typeof parsed === "string" ? { value: parsed } : parsed;
    }
    case "RedrivePolicy": {
      if (value === "") return { value };
      let arn: unknown;
      try {
        arn = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      } catch {
        return invalidParameter(`${where}RedrivePolicy: failed to parse JSON. Unexpected character`);
      }
      if (typeof arn !== "string" || !parseQueueEndpoint(arn))
        return invalidParameter(`${where}RedrivePolicy: deadLetterTargetArn is an invalid arn`);
      // A standard queue subscribed to a FIFO topic may use a standard DLQ (AWS-recorded
      // `test_validations_for_fifo` sets one without error).
      if (ctx.topicFifo && (ctx.endpoint ?? ".fifo").endsWith(".fifo") && !arn.endsWith(".fifo")) {
        return invalidParameter(`${where}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`);
      }
      return { value };
    }
    default:
      return { value };
  }
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
