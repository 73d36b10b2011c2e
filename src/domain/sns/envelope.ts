/**
 * What subscribers receive: the JSON envelope of notifications and (un)subscribe confirmations, with
 * AWS's key order, the raw form of RawMessageDelivery, and the Lambda event. Signatures are computed
 * by the caller (signing.ts) over the same fields.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 */
import type { SnsAttributes, StoredMessage } from "./contract";

/** The message a protocol gets: with MessageStructure=json, its own entry or `default`. */
export function messageFor(message: StoredMessage, protocol: string): string {
  if (!message.structured) return message.message;
  return message.structured[protocol] ?? message.structured.default ?? message.message;
}

/** Message attributes inside an envelope: `{"name": {"Type": …, "Value": …}}`, binary as base64. */
export function envelopeAttributes(attributes: SnsAttributes): Record<string, { Type: string; Value: string }> | undefined {
  const names = Object.keys(attributes);
  if (!names.length) return undefined;
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const name of names) {
    const a = attributes[name]!;
    out[name] = { Type: a.DataType, Value: a.BinaryValue ?? a.StringValue ?? "" };
  }
  return out;
}

export interface Signature {
  version: string;
  signature: string;
  certUrl: string;
}

export interface NotificationFields {
  message: StoredMessage;
  protocol: string;
  topicArn: string;
  subscriptionArn: string;
  /** `scheme://host` that URLs in the envelope point to. */
  origin: string;
  fifo: boolean;
}

export const unsubscribeUrl = (origin: string, subscriptionArn: string): string =>
  `${origin}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;

export const subscribeUrl = (origin: string, topicArn: string, token: string): string =>
  `${origin}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`;

/** The fields of a notification that its signature covers. */
export function signableNotification(f: NotificationFields) {
  return {
    Type: "Notification" as const,
    MessageId: f.message.messageId,
    TopicArn: f.topicArn,
    Subject: f.message.subject,
    Message: messageFor(f.message, f.protocol),
    Timestamp: f.message.timestamp,
  };
}

/**
 * The notification envelope, keys in AWS's order. Standard topics sign it; FIFO topics carry a
 * SequenceNumber and no signature fields (AWS-recorded `test_message_to_fifo_sqs`).
 */
export function notificationEnvelope(f: NotificationFields, signature: Signature | undefined): Record<string, unknown> {
  const envelope: Record<string, unknown> = {
    Type: "Notification",
    MessageId: f.message.messageId,
  };
  if (f.fifo && f.message.sequenceNumber) envelope.SequenceNumber = f.message.sequenceNumber;
  envelope.TopicArn = f.topicArn;
  if (f.message.subject !== undefined) envelope.Subject = f.message.subject;
  envelope.Message = messageFor(f.message, f.protocol);
  envelope.Timestamp = f.message.timestamp;
  if (signature && !f.fifo) {
    envelope.SignatureVersion = signature.version;
    envelope.Signature = signature.signature;
    envelope.SigningCertURL = signature.certUrl;
  }
  envelope.UnsubscribeURL = unsubscribeUrl(f.origin, f.subscriptionArn);
  const attributes = envelopeAttributes(f.message.attributes);
  if (attributes) envelope.MessageAttributes = attributes;
  return envelope;
}

export interface ConfirmationFields {
  type: "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  messageId: string;
  token: string;
  topicArn: string;
  subscriptionArn: string;
  timestamp: string;
  origin: string;
}

export function confirmationText(f: ConfirmationFields): string {
  return f.type === "SubscriptionConfirmation"
    ? `You have chosen to subscribe to the topic ${f.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
    : `You have chosen to deactivate subscription ${f.subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
}

export function signableConfirmation(f: ConfirmationFields) {
  return {
    Type: f.type,
    MessageId: f.messageId,
    Token: f.token,
    TopicArn: f.topicArn,
    Message: confirmationText(f),
    SubscribeURL: subscribeUrl(f.origin, f.topicArn, f.token),
    Timestamp: f.timestamp,
  };
}

/** SubscriptionConfirmation / UnsubscribeConfirmation as delivered, keys in AWS's order. */
export function confirmationEnvelope(f: ConfirmationFields, signature: Signature): Record<string, unknown> {
  return {
    ...signableConfirmation(f),
    SignatureVersion: signature.version,
    Signature: signature.signature,
    SigningCertURL: signature.certUrl,
  };
}

/** The event a Lambda function subscribed to a topic is invoked with. */
export function lambdaEvent(f: NotificationFields, signature: Signature | undefined): Record<string, unknown> {
  const envelope = notificationEnvelope(f, signature);
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: f.subscriptionArn,
        Sns: {
          Type: "Notification",
          MessageId: envelope.MessageId,
          ...(envelope.SequenceNumber ? { SequenceNumber: envelope.SequenceNumber } : {}),
          TopicArn: envelope.TopicArn,
          Subject: envelope.Subject ?? null,
          Message: envelope.Message,
          Timestamp: envelope.Timestamp,
          // AWS-recorded `test_publish_lambda_verify_signature[2]`: Lambda events say "1" even when the
          // topic signs with SHA-256 (SignatureVersion 2); the signature itself is the topic's.
          SignatureVersion: envelope.SignatureVersion === undefined ? undefined : "1",
          Signature: envelope.Signature,
          SigningCertUrl: envelope.SigningCertURL,
          UnsubscribeUrl: envelope.UnsubscribeURL,
          MessageAttributes: envelope.MessageAttributes ?? {},
        },
      },
    ],
  };
}
