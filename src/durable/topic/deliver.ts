/**
 * One delivery attempt to one subscriber, by protocol: SQS queues of this deployment (RPC to the
 * queue object), HTTP/S endpoints (POST with SNS's headers), Lambda function URLs (the Lambda event),
 * and a record for what cannot really leave this service (email, SMS, mobile push, Firehose, Lambda
 * ARNs). The outcome says whether a failure is worth retrying.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html
 */
import { Buffer } from "node:buffer";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { queueObject, snsAccountObject } from "../names";
import type { NewMessage } from "../queue/types";
import { md5Hex, md5OfAttributes, type AttributeValue } from "../../services/sqs/md5";
import { messageSize } from "../../services/sqs/message-validation";
import { serializeAttributes } from "../../services/sqs/send";
import {
  confirmationEnvelope,
  lambdaEvent,
  messageFor,
  notificationEnvelope,
  signableConfirmation,
  signableNotification,
  type ConfirmationFields,
  type NotificationFields,
  type Signature,
} from "../../services/sns/envelope";
import { parseQueueEndpoint } from "../../services/sns/names";
import { signMessage, signingCertPath, type SignableMessage, type SignatureVersion } from "../../services/sns/signing";
import { signingKeys } from "../../services/sns/signing-keys";
import type { SnsAttributes, StoredMessage, TopicState } from "./types";

export type DeliveryOutcome = { ok: true } | { ok: false; retry: boolean; reason: string };

/** SenderId of the messages SNS puts in SQS queues. */
const SNS_SENDER_ID = "AIDAIT2UOQQY3AUEKVGXU";
/** How long an HTTP/S endpoint has to answer before the attempt counts as failed. */
const HTTP_TIMEOUT_MS = 15_000;

export interface Target {
  subscriptionArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: Record<string, string>;
  /** HTTP/S: Content-Type from the effective delivery policy. */
  contentType?: string;
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

const topicArnOf = (t: TopicState) => `arn:aws:sns:${t.region}:${t.account}:${t.name}`;

async function sign(env: Env, topic: TopicState, message: SignableMessage, origin: string): Promise<Signature> {
  const version = (topic.attributes.SignatureVersion ?? "1") as SignatureVersion;
  const keys = await signingKeys(env);
  return { version, signature: await signMessage(keys, message, version), certUrl: `${origin}${signingCertPath(keys.certId)}` };
}

/** The body a subscriber gets, signed unless the topic is FIFO (FIFO envelopes carry no signature). */
export async function body(env: Env, topic: TopicState, target: Target, delivery: Delivery): Promise<string> {
  const topicArn = topicArnOf(topic);
  if (delivery.kind !== "Notification") {
    const fields: ConfirmationFields = {
      type: delivery.kind,
      messageId: delivery.messageId,
      token: delivery.token,
      topicArn,
      subscriptionArn: target.subscriptionArn,
      timestamp: delivery.timestamp,
      origin: delivery.origin,
    };
    return JSON.stringify(confirmationEnvelope(fields, await sign(env, topic, signableConfirmation(fields), delivery.origin)));
  }
  if (target.attributes.RawMessageDelivery === "true") return messageFor(delivery.message, target.protocol);
  const fields: NotificationFields = {
    message: delivery.message,
    protocol: target.protocol,
    topicArn,
    subscriptionArn: target.subscriptionArn,
    origin: delivery.origin,
    fifo: topic.fifo,
  };
  const signature = topic.fifo ? undefined : await sign(env, topic, signableNotification(fields), delivery.origin);
  if (target.protocol === "lambda") return JSON.stringify(lambdaEvent(fields, signature));
  return JSON.stringify(notificationEnvelope(fields, signature));
}

export async function deliver(env: Env, topic: TopicState, target: Target, delivery: Delivery): Promise<DeliveryOutcome> {
  try {
    switch (target.protocol) {
      case "sqs":
        return await toQueue(env, topic, target, delivery, target.endpoint);
      case "http":
      case "https":
        return await toHttp(env, topic, target, delivery);
      case "lambda":
        if (/^https?:\/\//.test(target.endpoint)) return await toHttp(env, topic, target, delivery, "application/json");
        return await record(env, topic, target, delivery);
      default:
        return await record(env, topic, target, delivery);
    }
  } catch (error) {
    return { ok: false, retry: true, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** SNS message attributes as SQS message attributes (raw delivery). */
function sqsAttributes(attributes: SnsAttributes): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] =
      a.BinaryValue !== undefined
        ? { DataType: a.DataType, BinaryValue: new Uint8Array(Buffer.from(a.BinaryValue, "base64")) }
        : { DataType: a.DataType, StringValue: a.StringValue };
  }
  return out;
}

/** Delivers to an SQS queue ARN (also used for subscription dead-letter queues). */
export async function toQueue(
  env: Env,
  topic: TopicState,
  target: Target,
  delivery: Delivery,
  queueArn: string,
): Promise<DeliveryOutcome> {
  const ref = parseQueueEndpoint(queueArn);
  if (!ref) return { ok: false, retry: false, reason: "invalid queue ARN" };
  const text = await body(env, topic, target, delivery);
  const raw = delivery.kind === "Notification" && target.attributes.RawMessageDelivery === "true";
  const attributes = raw ? sqsAttributes(delivery.message.attributes) : undefined;
  const fifoQueue = ref.name.endsWith(".fifo");
  const message: NewMessage = {
    body: text,
    attributes: attributes && Object.keys(attributes).length ? serializeAttributes(attributes) : null,
    md5OfBody: md5Hex(text),
    md5OfAttributes: md5OfAttributes(attributes) ?? null,
    traceHeader: delivery.kind === "Notification" ? (delivery.message.traceHeader ?? null) : null,
    md5OfSystemAttributes: null,
    senderId: SNS_SENDER_ID,
    size: messageSize(text, attributes),
  };
  if (delivery.kind === "Notification") {
    const m = delivery.message;
    if (fifoQueue) {
      message.groupId = m.groupId ?? "default";
      message.deduplicationId = m.deduplicationId ?? m.contentDeduplicationId ?? bytesToHex(sha256(utf8ToBytes(m.message)));
    } else if (!topic.fifo && m.groupId) {
      // Since 2025 a standard topic passes MessageGroupId on to standard queues (fair queues).
      message.groupId = m.groupId;
    }
  } else if (fifoQueue) {
    message.groupId = "subscription-confirmation";
    message.deduplicationId = delivery.messageId;
  }
  const result = await queueObject(env, ref).send([message], false);
  if (!result.ok) return { ok: false, retry: false, reason: result.error.code };
  const [entry] = result.value;
  if (!entry!.ok) return { ok: false, retry: false, reason: entry!.error.code };
  return { ok: true };
}

async function toHttp(
  env: Env,
  topic: TopicState,
  target: Target,
  delivery: Delivery,
  contentType?: string,
): Promise<DeliveryOutcome> {
  const text = await body(env, topic, target, delivery);
  const messageId = delivery.kind === "Notification" ? delivery.message.messageId : delivery.messageId;
  const headers: Record<string, string> = {
    "content-type": contentType ?? target.contentType ?? "text/plain; charset=UTF-8",
    "user-agent": "Amazon Simple Notification Service Agent",
    "x-amz-sns-message-type": delivery.kind,
    "x-amz-sns-message-id": messageId,
    "x-amz-sns-topic-arn": topicArnOf(topic),
  };
  if (delivery.kind !== "SubscriptionConfirmation") headers["x-amz-sns-subscription-arn"] = target.subscriptionArn;
  if (delivery.kind === "Notification" && target.attributes.RawMessageDelivery === "true")
    headers["x-amz-sns-rawdelivery"] = "true";
  const response = await fetch(target.endpoint, {
    method: "POST",
    headers,
    body: text,
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (response.ok) return { ok: true };
  // 4xx: the endpoint refuses the message; retrying will not help (straight to the DLQ, as on AWS).
  return { ok: false, retry: response.status < 400 || response.status >= 500, reason: `HTTP ${response.status}` };
}

/** Protocols that cannot leave this service: keep what would have been sent, readable over HTTP. */
async function record(env: Env, topic: TopicState, target: Target, delivery: Delivery): Promise<DeliveryOutcome> {
  const payload =
    delivery.kind === "Notification" &&
    (target.protocol === "email" || target.protocol === "sms" || target.protocol === "firehose")
      ? messageFor(delivery.message, target.protocol)
      : await body(env, topic, target, delivery);
  await snsAccountObject(env, target.owner, topic.region).record({
    protocol: target.protocol,
    endpoint: target.endpoint,
    topicArn: topicArnOf(topic),
    subscriptionArn: target.subscriptionArn,
    messageId: delivery.kind === "Notification" ? delivery.message.messageId : delivery.messageId,
    kind: delivery.kind,
    payload,
  });
  return { ok: true };
}
