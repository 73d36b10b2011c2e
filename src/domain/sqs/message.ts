/**
 * Building an SQS message as a queue stores it: digests, stored attributes, size and deduplication
 * ids. The one builder for every sender: SendMessage(Batch) after validation, and SNS delivering to
 * a queue of this deployment.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
import { Buffer } from "node:buffer";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { NewMessage } from "./contract";
import { md5Hex, md5OfAttributes, type AttributeValue } from "./md5";
import { messageSize } from "./message-validation";

export interface MessageParts {
  body: string;
  attributes?: Record<string, AttributeValue>;
  /** Message system attributes (AWSTraceHeader), digested separately. */
  systemAttributes?: Record<string, AttributeValue>;
  /** X-Ray header; defaults to the AWSTraceHeader system attribute. */
  traceHeader?: string;
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
  /** Used when the FIFO queue has ContentBasedDeduplication and no explicit id was sent. */
  contentDeduplicationId?: string;
  senderId: string;
}

/** Content-based deduplication ids are the SHA-256 of the body (not of the attributes). */
export const contentDeduplicationId = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));

export function buildMessage(parts: MessageParts): NewMessage {
  const { body, attributes, systemAttributes } = parts;
  const hasAttributes = attributes !== undefined && Object.keys(attributes).length > 0;
  return {
    body,
    attributes: hasAttributes ? serializeAttributes(attributes) : null,
    md5OfBody: md5Hex(body),
    md5OfAttributes: md5OfAttributes(attributes) ?? null,
    traceHeader: parts.traceHeader ?? systemAttributes?.AWSTraceHeader?.StringValue ?? null,
    md5OfSystemAttributes: md5OfAttributes(systemAttributes) ?? null,
    delaySeconds: parts.delaySeconds,
    groupId: parts.groupId,
    deduplicationId: parts.deduplicationId,
    contentDeduplicationId: parts.contentDeduplicationId,
    senderId: parts.senderId,
    size: messageSize(body, attributes),
  };
}

/** Stored form of message attributes: JSON with binary values as base64. */
export function serializeAttributes(attributes: Record<string, AttributeValue>): string {
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: Buffer.from(value.BinaryValue).toString("base64") }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  return JSON.stringify(out);
}
