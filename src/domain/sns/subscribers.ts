/**
 * What publishing and delivery read of a topic's and a subscription's attributes, parsed once (when
 * the topic wakes or the attributes change) into typed values: the signature version, FIFO
 * deduplication, delivery policies, filter policies, raw delivery, dead-letter queues.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
 */
import type { PublishEntry, SubscriberSnapshot, Target, TopicState } from "./contract";
import {
  AWS_MANAGED_RETRY,
  CUSTOMER_MANAGED_RETRY,
  effectiveHttpPolicy,
  parsePolicyDocument,
  topicHttpPolicy,
  type Json,
  type TopicHttpPolicy,
} from "./delivery-policy";
import { matchesFilterPolicy, type FilterPolicyScope, type MessageAttribute } from "./filter-policy";
import { topicArn } from "./names";
import type { SignatureVersion } from "./signing";
import { readRedrivePolicy } from "./subscription-attributes";

export interface TopicSettings {
  arn: string;
  fifo: boolean;
  signatureVersion: SignatureVersion;
  /** FIFO: without a MessageDeduplicationId, the message's SHA-256 is its id. */
  contentBasedDeduplication: boolean;
  /** FIFO: deduplication ids count per message group (FifoThroughputScope=MessageGroup), else per topic. */
  dedupPerMessageGroup: boolean;
  /** What HTTP/S subscriptions follow unless they have their own policy. */
  http: TopicHttpPolicy;
}

export function topicSettings(state: TopicState): TopicSettings {
  const attributes = state.attributes;
  return {
    arn: topicArn(state),
    fifo: state.fifo,
    // Validated when set: "1" or "2"; topics start at 1.
    signatureVersion: attributes.SignatureVersion === "2" ? "2" : "1",
    contentBasedDeduplication: attributes.ContentBasedDeduplication === "true",
    dedupPerMessageGroup: attributes.FifoThroughputScope === "MessageGroup",
    http: topicHttpPolicy(attributes.DeliveryPolicy),
  };
}

export interface SubscriptionSettings {
  raw: boolean;
  filter?: { policy: unknown; scope: FilterPolicyScope };
  deadLetterQueue?: string;
  /** The subscription's own DeliveryPolicy (HTTP/S). */
  deliveryPolicy?: Json;
}

/** Reads a subscription's (validated, stored) attributes. */
export function subscriptionSettings(attributes: Record<string, string>): SubscriptionSettings {
  const settings: SubscriptionSettings = { raw: attributes.RawMessageDelivery === "true" };
  if (attributes.FilterPolicy) {
    const scope = attributes.FilterPolicyScope === "MessageBody" ? "MessageBody" : "MessageAttributes";
    settings.filter = { policy: JSON.parse(attributes.FilterPolicy) as unknown, scope };
  }
  const arn = attributes.RedrivePolicy ? readRedrivePolicy(attributes.RedrivePolicy)?.deadLetterTargetArn : undefined;
  if (typeof arn === "string") settings.deadLetterQueue = arn;
  const deliveryPolicy = parsePolicyDocument(attributes.DeliveryPolicy);
  if (deliveryPolicy) settings.deliveryPolicy = deliveryPolicy;
  return settings;
}

/** Whether a subscription's filter policy (if any) lets a published entry through. */
export function subscriptionMatches(settings: SubscriptionSettings, entry: PublishEntry): boolean {
  if (!settings.filter) return true;
  const attributes: Record<string, MessageAttribute> = {};
  for (const [name, a] of Object.entries(entry.attributes))
    attributes[name] = { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? "" };
  return matchesFilterPolicy(settings.filter.policy, { attributes, body: entry.message }, settings.filter.scope);
}

const isHttp = (protocol: string) => protocol === "http" || protocol === "https";

/** A subscriber as its deliveries see it. HTTP/S follow their delivery policy; others AWS's fixed ones. */
export function targetOf(topic: TopicSettings, subscriber: SubscriberSnapshot, settings: SubscriptionSettings): Target {
  const http = isHttp(subscriber.protocol) ? effectiveHttpPolicy(topic.http, settings.deliveryPolicy) : undefined;
  const managed = ["sqs", "lambda", "firehose"].includes(subscriber.protocol);
  return {
    subscriptionArn: subscriber.subscriptionArn,
    protocol: subscriber.protocol,
    endpoint: subscriber.endpoint,
    owner: subscriber.owner,
    attributes: subscriber.attributes,
    raw: settings.raw,
    contentType: http?.contentType,
    retry: http?.retry ?? (managed ? AWS_MANAGED_RETRY : CUSTOMER_MANAGED_RETRY),
    deadLetterQueue: settings.deadLetterQueue,
  };
}
