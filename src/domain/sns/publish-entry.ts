/**
 * What Publish and PublishBatch check of a message (size, subject, MessageStructure, attributes, FIFO
 * group and deduplication ids), with AWS's wording, and the entry a topic stores.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { fail, ok, type Result } from "../errors";
import type { PublishEntry, SnsAttributes } from "./contract";
import { invalidParameter } from "./errors";
import { attributesSize, prepareAttributes, type AttributeInput } from "./message-attributes";

/** 256 KB: message and attributes together, for a Publish and for a whole PublishBatch. */
export const MAX_MESSAGE_BYTES = 262_144;
const utf8 = new TextEncoder();

export const messageBytes = (message: string): number => utf8.encode(message).length;

export interface MessageInput {
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, AttributeInput>;
}

export interface EntryInput extends MessageInput {
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface CheckedMessage {
  message: string;
  /** MessageStructure=json: the message parsed, one entry per protocol or platform. */
  structure?: Record<string, unknown>;
  attributes: SnsAttributes;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * What Publish checks whatever the target: message, subject, structure, attributes, size. A topic
 * needs a `default` entry in a structured message; a phone number or platform endpoint takes its own.
 */
export function checkMessage(input: MessageInput, needsDefault: boolean): Result<CheckedMessage> {
  const message = input.Message;
  if (message === "") return fail(invalidParameter("Empty message"));
  const subject = input.Subject;
  if (subject !== undefined && (subject === "" || subject.length >= 100 || /[\x00-\x1f\x7f]/.test(subject)))
    return fail(invalidParameter("Subject"));
  let structure: Record<string, unknown> | undefined;
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== "json") return fail(invalidParameter("MessageStructure"));
    const parsed = parseJson(message);
    if (parsed === undefined) return fail(invalidParameter("Message Structure - JSON message body failed to parse"));
    if (!isObject(parsed) || (needsDefault && typeof parsed.default !== "string"))
      return fail(invalidParameter("Message Structure - No default entry in JSON message body"));
    structure = parsed;
  }
  const attributes = prepareAttributes(input.MessageAttributes);
  if (!attributes.ok) return attributes;
  if (messageBytes(message) + attributesSize(attributes.value) > MAX_MESSAGE_BYTES)
    return fail(invalidParameter("Message too long"));
  return ok({ message, structure, attributes: attributes.value });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const ID = /^[!-~]{1,128}$/;

/** Validates one message for a topic; returns the entry the topic stores. */
export function prepareEntry(input: EntryInput, fifo: boolean, traceHeader?: string): Result<PublishEntry> {
  const checked = checkMessage(input, true);
  if (!checked.ok) return checked;
  for (const [name, value] of [
    ["MessageGroupId", input.MessageGroupId],
    ["MessageDeduplicationId", input.MessageDeduplicationId],
  ] as const) {
    if (value !== undefined && !ID.test(value))
      return fail(
        invalidParameter(`${name} Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`),
      );
  }
  if (fifo && input.MessageGroupId === undefined)
    return fail(invalidParameter("The MessageGroupId parameter is required for FIFO topics"));
  if (!fifo && input.MessageDeduplicationId !== undefined) {
    return fail(
      invalidParameter(
        "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
      ),
    );
  }
  const { message, structure, attributes } = checked.value;
  return ok({
    message,
    subject: input.Subject,
    // Entries that are not strings are passed on as JSON text.
    structured:
      structure &&
      Object.fromEntries(Object.entries(structure).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
    attributes,
    groupId: input.MessageGroupId,
    deduplicationId: input.MessageDeduplicationId,
    // Content-based deduplication hashes the message only, not the attributes.
    contentDeduplicationId:
      fifo && input.MessageDeduplicationId === undefined ? bytesToHex(sha256(utf8ToBytes(message))) : undefined,
    traceHeader,
  });
}
