/**
 * One delivery attempt to one subscriber, by protocol: SQS queues and Firehose delivery streams of
 * this deployment (RPC to the queue or delivery stream object), HTTP/S endpoints (POST with SNS's
 * headers), Lambda function URLs (the Lambda event), and a record for what cannot really leave this
 * service (email, SMS, mobile push, Lambda ARNs). The outcome says whether a failure is worth retrying.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-firehose-as-subscriber.html
 */
import { Buffer } from "node:buffer";
import { deliveryStreamObject, queueObject, snsAccountObject } from "../names";
import type { NewMessage } from "../../domain/sqs/contract";
import type { AttributeValue } from "../../domain/sqs/md5";
import { buildMessage, contentDeduplicationId } from "../../domain/sqs/message";
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
} from "../../domain/sns/envelope";
import { parseFirehoseEndpoint, parseQueueEndpoint } from "../../domain/sns/names";
import { signMessage, signingCertPath, type SignableMessage } from "../../domain/sns/signing";
import type { TopicSettings } from "../../domain/sns/subscribers";
import { signingKeys } from "../signing-keys";
import type { Delivery, DeliveryOutcome, SnsAttributes, Target, TopicState } from "../../domain/sns/contract";

/** SenderId of the messages SNS puts in SQS queues. */
const SNS_SENDER_ID = "AIDAIT2UOQQY3AUEKVGXU";
/** How long an HTTP/S endpoint has to answer before the attempt counts as failed. */
const HTTP_TIMEOUT_MS = 15_000;
/** PutRecordBatch takes at most 500 records: SNS's puts to a delivery stream stay within it. */
const FIREHOSE_BATCH = 500;

/**
 * What deliveries share during one pump round. A signature covers the message, not the subscriber
 * (UnsubscribeURL is not signed), so one RSA signature serves every subscriber of a message.
 */
export interface DeliveryContext {
  env: Env;
  state: TopicState;
  topic: TopicSettings;
  signatures: Map<string, Promise<Signature>>;
}

function sign(ctx: DeliveryContext, message: SignableMessage, origin: string): Promise<Signature> {
  const version = ctx.topic.signatureVersion;
  const key = `${version}\n${origin}\n${message.MessageId}\n${message.Message}`;
  let signature = ctx.signatures.get(key);
  if (!signature) {
    signature = signingKeys(ctx.env).then(async (keys) => ({
      version,
      signature: await signMessage(keys, message, version),
      certUrl: `${origin}${signingCertPath(keys.certId)}`,
    }));
    ctx.signatures.set(key, signature);
  }
  return signature;
}

/** The body a subscriber gets, signed unless the topic is FIFO (FIFO envelopes carry no signature). */
export async function body(ctx: DeliveryContext, target: Target, delivery: Delivery): Promise<string> {
  const topicArn = ctx.topic.arn;
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
    return JSON.stringify(confirmationEnvelope(fields, await sign(ctx, signableConfirmation(fields), delivery.origin)));
  }
  if (target.raw) return messageFor(delivery.message, target.protocol);
  const fields: NotificationFields = {
    message: delivery.message,
    protocol: target.protocol,
    topicArn,
    subscriptionArn: target.subscriptionArn,
    origin: delivery.origin,
    fifo: ctx.topic.fifo,
  };
  const signature = ctx.topic.fifo ? undefined : await sign(ctx, signableNotification(fields), delivery.origin);
  if (target.protocol === "lambda") return JSON.stringify(lambdaEvent(fields, signature));
  return JSON.stringify(notificationEnvelope(fields, signature));
}

const failed = (error: unknown): DeliveryOutcome => ({
  ok: false,
  retry: true,
  reason: error instanceof Error ? error.message : String(error),
});

/** Delivers messages to one subscriber: an SQS queue gets them all in one call, in order. */
export async function deliver(ctx: DeliveryContext, target: Target, deliveries: Delivery[]): Promise<DeliveryOutcome[]> {
  if (target.protocol === "sqs")
    return toQueue(ctx, target, deliveries, target.endpoint).catch((e) => deliveries.map(() => failed(e)));
  if (target.protocol === "firehose") return toFirehose(ctx, target, deliveries).catch((e) => deliveries.map(() => failed(e)));
  return Promise.all(
    deliveries.map(async (delivery) => {
      try {
        if (target.protocol === "http" || target.protocol === "https") return await toHttp(ctx, target, delivery);
        if (target.protocol === "lambda" && /^https?:\/\//.test(target.endpoint))
          return await toHttp(ctx, target, delivery, "application/json");
        return await record(ctx, target, delivery);
      } catch (error) {
        return failed(error);
      }
    }),
  );
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

/** Delivers to an SQS queue ARN (also used for subscription dead-letter queues), one call for all. */
export async function toQueue(
  ctx: DeliveryContext,
  target: Target,
  deliveries: Delivery[],
  queueArn: string,
): Promise<DeliveryOutcome[]> {
  const ref = parseQueueEndpoint(queueArn);
  if (!ref) return deliveries.map(() => ({ ok: false, retry: false, reason: "invalid queue ARN" }));
  const messages = await Promise.all(deliveries.map((d) => queueMessage(ctx, target, d, ref.name.endsWith(".fifo"))));
  const result = await queueObject(ctx.env, ref).send(messages, false);
  // A queue that no longer exists is a client-side error: no retries, straight to the DLQ (as on AWS).
  if (!result.ok) return deliveries.map(() => ({ ok: false, retry: false, reason: result.error.code }));
  return result.value.map((entry) => (entry.ok ? { ok: true } : { ok: false, retry: false, reason: entry.error.code }));
}

async function queueMessage(ctx: DeliveryContext, target: Target, delivery: Delivery, fifoQueue: boolean): Promise<NewMessage> {
  const text = await body(ctx, target, delivery);
  if (delivery.kind !== "Notification") {
    const confirmation = fifoQueue ? { groupId: "subscription-confirmation", deduplicationId: delivery.messageId } : {};
    return buildMessage({ body: text, senderId: SNS_SENDER_ID, ...confirmation });
  }
  const m = delivery.message;
  return buildMessage({
    body: text,
    attributes: target.raw ? sqsAttributes(m.attributes) : undefined,
    traceHeader: m.traceHeader,
    senderId: SNS_SENDER_ID,
    // Since 2025 a standard topic passes MessageGroupId on to standard queues (fair queues).
    groupId: fifoQueue ? (m.groupId ?? "default") : !ctx.topic.fifo ? m.groupId : undefined,
    deduplicationId: fifoQueue ? (m.deduplicationId ?? m.contentDeduplicationId ?? contentDeduplicationId(m.message)) : undefined,
  });
}

/**
 * Delivers to a Firehose delivery stream of this deployment, as PutRecordBatch calls (at most 500
 * records each): a record per message, the raw message with RawMessageDelivery, else the JSON
 * notification (AWS's Firehose example carries no signature fields:
 * https://docs.aws.amazon.com/sns/latest/dg/firehose-archived-message-format-S3.html).
 */
export async function toFirehose(ctx: DeliveryContext, target: Target, deliveries: Delivery[]): Promise<DeliveryOutcome[]> {
  const ref = parseFirehoseEndpoint(target.endpoint);
  if (!ref) return deliveries.map(() => ({ ok: false, retry: false, reason: "invalid delivery stream ARN" }));
  const records = await Promise.all(deliveries.map((d) => firehoseRecord(ctx, target, d)));
  const stub = deliveryStreamObject(ctx.env, ref);
  const outcomes: DeliveryOutcome[] = [];
  for (let i = 0; i < records.length; i += FIREHOSE_BATCH) {
    const batch = records.slice(i, i + FIREHOSE_BATCH);
    const result = await stub.put(batch);
    const outcome: DeliveryOutcome = result.ok
      ? { ok: true }
      : { ok: false, retry: firehoseRetryable(result.error), reason: result.error.code };
    for (let n = 0; n < batch.length; n++) outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * A delivery stream that no longer exists, or refuses the records (a KinesisStreamAsSource stream),
 * is a client-side error: no retries, straight to the dead-letter queue, as for a deleted queue. One
 * that exists but is not ACTIVE yet, or a throttled one, is retried by the AWS-managed policy.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
 */
function firehoseRetryable(error: { code: string; message: string }): boolean {
  if (error.code === "InvalidArgumentException") return false;
  // "Firehose <name> under account <account> not found." (vs "… is not ACTIVE.", which is transient)
  return !(error.code === "ResourceNotFoundException" && error.message.endsWith("not found."));
}

/**
 * The record SNS puts for one delivery. The S3 example on AWS's page shows the JSON notifications
 * "separated by line breaks" in the delivered object, and Firehose itself adds no delimiter, so a
 * JSON notification ends with a newline; a raw message goes as it is ("the message body is delivered").
 */
async function firehoseRecord(ctx: DeliveryContext, target: Target, delivery: Delivery): Promise<Uint8Array> {
  if (delivery.kind !== "Notification") return utf8.encode(await body(ctx, target, delivery));
  if (target.raw) return utf8.encode(messageFor(delivery.message, target.protocol));
  const fields: NotificationFields = {
    message: delivery.message,
    protocol: target.protocol,
    topicArn: ctx.topic.arn,
    subscriptionArn: target.subscriptionArn,
    origin: delivery.origin,
    fifo: ctx.topic.fifo,
  };
  return utf8.encode(`${JSON.stringify(notificationEnvelope(fields, undefined))}\n`);
}

const utf8 = new TextEncoder();

async function toHttp(ctx: DeliveryContext, target: Target, delivery: Delivery, contentType?: string): Promise<DeliveryOutcome> {
  const text = await body(ctx, target, delivery);
  const messageId = delivery.kind === "Notification" ? delivery.message.messageId : delivery.messageId;
  const headers: Record<string, string> = {
    // (Un)subscribe confirmations are text/plain whatever the delivery policy says (AWS-recorded
    // `test_subscribe_external_http_endpoint_content_type`); the policy's type is for notifications.
    "content-type":
      delivery.kind === "Notification"
        ? (contentType ?? target.contentType ?? "text/plain; charset=UTF-8")
        : "text/plain; charset=UTF-8",
    "user-agent": "Amazon Simple Notification Service Agent",
    "accept-encoding": "gzip,deflate",
    "x-amz-sns-message-type": delivery.kind,
    "x-amz-sns-message-id": messageId,
    "x-amz-sns-topic-arn": ctx.topic.arn,
  };
  if (delivery.kind !== "SubscriptionConfirmation") headers["x-amz-sns-subscription-arn"] = target.subscriptionArn;
  if (delivery.kind === "Notification" && target.raw) headers["x-amz-sns-rawdelivery"] = "true";
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

/**
 * Protocols that cannot leave this service: keep what would have been sent, readable over HTTP.
 * Mobile push goes through the platform endpoint's rules (disabled endpoints fail) with the
 * platform's entry of a MessageStructure=json message; SMS through opt-outs and the sandbox.
 */
async function record(ctx: DeliveryContext, target: Target, delivery: Delivery): Promise<DeliveryOutcome> {
  const account = snsAccountObject(ctx.env, target.owner, ctx.state.region);
  const messageId = delivery.kind === "Notification" ? delivery.message.messageId : delivery.messageId;
  const base = {
    protocol: target.protocol,
    endpoint: target.endpoint,
    topicArn: ctx.topic.arn,
    subscriptionArn: target.subscriptionArn,
    messageId,
    kind: delivery.kind,
  };
  if (delivery.kind === "Notification" && target.protocol === "application") {
    const platform = /:endpoint\/([^/]+)\//.exec(target.endpoint)?.[1] ?? "default";
    const pushed = await account.push({ ...base, payload: messageFor(delivery.message, platform) });
    return pushed.ok ? { ok: true } : { ok: false, retry: false, reason: pushed.error.code };
  }
  if (delivery.kind === "Notification" && target.protocol === "sms") {
    await account.sendSms({ ...base, payload: messageFor(delivery.message, "sms"), attributes: {} });
    return { ok: true };
  }
  const payload =
    delivery.kind === "Notification" && target.protocol === "email"
      ? messageFor(delivery.message, target.protocol)
      : await body(ctx, target, delivery);
  await account.record({ ...base, payload });
  return { ok: true };
}
