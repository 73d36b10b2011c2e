/** Plain data that crosses RPC between the SNS service layer and a TopicObject, and what its outbox stores. */
import type { RetryPolicy } from "./delivery-policy";
import type { TopicAttributes } from "./topic-attributes";

export interface TopicState {
  account: string;
  region: string;
  name: string;
  fifo: boolean;
  attributes: TopicAttributes;
  tags: Record<string, string>;
  dataProtectionPolicy?: string;
  createdAt: number;
  /** How many subscriptions were removed (SubscriptionsDeleted). */
  deletedSubscriptions: number;
}

/** CreateTopic: `attributes` as the topic starts with, `requested` as asked (to compare with an existing topic). */
export interface CreateTopicRequest {
  account: string;
  region: string;
  name: string;
  fifo: boolean;
  attributes: TopicAttributes;
  requested: TopicAttributes;
  tags: Record<string, string>;
  dataProtectionPolicy?: string;
}

/** Message attributes as SNS carries them (BinaryValue as base64). */
export type SnsAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

/** A validated Publish / PublishBatch entry. */
export interface PublishEntry {
  message: string;
  subject?: string;
  /** Per-protocol messages when MessageStructure=json (has `default`). */
  structured?: Record<string, string>;
  attributes: SnsAttributes;
  groupId?: string;
  deduplicationId?: string;
  /** SHA-256 of the message, the deduplication id under ContentBasedDeduplication. */
  contentDeduplicationId?: string;
  /** X-Ray trace header of the Publish request, passed on to SQS subscribers. */
  traceHeader?: string;
}

export interface Published {
  messageId: string;
  sequenceNumber?: string;
}

/** What a delivery needs of a published message, stored once per message. */
export interface StoredMessage extends PublishEntry {
  messageId: string;
  sequenceNumber?: string;
  timestamp: string;
}

export interface SubscribeRequest {
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: Record<string, string>;
  /** Same-account SQS, Lambda, Firehose, SMS and application subscriptions need no confirmation. */
  needsConfirmation: boolean;
  origin: string;
}

/** A subscription as its topic stores it, with its confirmation token. */
export interface StoredSubscription extends SubscriptionInfo {
  token: string | null;
  tokenExpiresAt: number | null;
  authenticateOnUnsubscribe: boolean;
}

export interface SubscriptionInfo {
  id: string;
  protocol: string;
  endpoint: string;
  owner: string;
  pending: boolean;
  attributes: Record<string, string>;
  authenticated: boolean;
}

/** A subscription or unsubscribe confirmation waiting in the outbox. */
export interface ConfirmationPayload {
  kind: "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  messageId: string;
  token: string;
  timestamp: string;
  origin: string;
  /** Unsubscribe confirmations go to a subscription that no longer exists. */
  target?: SubscriberSnapshot;
}

/** A subscriber as an unsubscribe confirmation remembers it (the subscription is gone by then). */
export interface SubscriberSnapshot {
  subscriptionArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: Record<string, string>;
}

/** One subscriber as a delivery sees it: its attributes and the topic's, read into what they decide. */
export interface Target extends SubscriberSnapshot {
  /** RawMessageDelivery: the message alone, without the envelope. */
  raw: boolean;
  /** HTTP/S: Content-Type from the effective delivery policy. */
  contentType?: string;
  /** How failed deliveries are retried. */
  retry: RetryPolicy;
  /** Where a notification goes when its retries are used up (RedrivePolicy), if anywhere. */
  deadLetterQueue?: string;
}

export type Delivery =
  | { kind: "Notification"; message: StoredMessage; origin: string }
  | {
      kind: "SubscriptionConfirmation" | "UnsubscribeConfirmation";
      messageId: string;
      token: string;
      timestamp: string;
      origin: string;
    };

export type DeliveryOutcome = { ok: true } | { ok: false; retry: boolean; reason: string };
