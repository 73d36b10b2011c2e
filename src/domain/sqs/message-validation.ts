/**
 * What SendMessage and SendMessageBatch check before a message reaches its queue: body characters,
 * message attributes, system attributes, group and deduplication ids, and the size that counts
 * against MaximumMessageSize (body + attribute names, types and values).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
import type { Problem } from "../errors";
import { invalidMessageContents, invalidParameter, invalidParameterValue, missingParameter } from "./errors";
import type { AttributeValue } from "./md5";

/** An attribute value as a sender may send it: the model also has list values, which SQS refuses. */
export interface SentAttributeValue extends AttributeValue {
  StringListValues?: string[];
  BinaryListValues?: Uint8Array[];
}

/** #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF; lone surrogates are not characters. */
const FORBIDDEN = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const utf8 = new TextEncoder();
export const byteLength = (s: string): number => utf8.encode(s).length;

function forbiddenCharacter(text: string): string | undefined {
  const m = FORBIDDEN.exec(text);
  return m ? `#x${m[0].codePointAt(0)!.toString(16).toUpperCase()}` : undefined;
}

export function validateBody(body: string | undefined): Problem {
  if (body === undefined || body === "") return missingParameter("MessageBody");
  const bad = forbiddenCharacter(body);
  if (bad) {
    return invalidMessageContents(
      `Invalid binary character '${bad}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`,
    );
  }
  return undefined;
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.\-\u00C0-\u024F]+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MAX_ATTRIBUTES = 10;

/** Checks user message attributes; returns the first problem, worded as AWS words it. */
export function validateMessageAttributes(attributes: Record<string, SentAttributeValue> | undefined): Problem {
  const names = Object.keys(attributes ?? {});
  if (names.length > MAX_ATTRIBUTES) {
    return invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  for (const name of names) {
    const value = attributes![name]!;
    const problem = validateAttributeName(name) ?? validateAttributeValue(name, value, "user");
    if (problem) return problem;
  }
  return undefined;
}

function validateAttributeName(name: string): Problem {
  if (!name) return invalidParameterValue("The request must contain non-empty message (user) attribute names.");
  if (byteLength(name) > 256) return invalidParameterValue("Message (user) attribute name must be shorter than 256 bytes.");
  if (/^(aws\.|amazon\.)/i.test(name)) {
    return invalidParameterValue(
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.",
    );
  }
  if (!ATTRIBUTE_NAME.test(name) || name.startsWith(".") || name.endsWith(".") || name.includes("..")) {
    return invalidParameterValue(
      `Message (user) attribute name '${name}' can only contain upper and lower case characters, digits, periods, hyphens and underscores; must not start or end with a period and must not contain two consecutive periods.`,
    );
  }
  return undefined;
}

function validateAttributeValue(name: string, value: SentAttributeValue, kind: "user" | "system"): Problem {
  const type = value.DataType ?? "";
  if (!type)
    return invalidParameterValue(`The message (${kind}) attribute '${name}' must contain a non-empty message attribute type.`);
  if (byteLength(type) > 256) return invalidParameterValue(`Message (${kind}) attribute type must be shorter than 256 bytes.`);
  const base = /^(String|Number|Binary)(\.[^\s]+)?$/.exec(type)?.[1];
  if (!base) {
    return invalidParameterValue(
      `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if (value.StringListValues?.length || value.BinaryListValues?.length) {
    return invalidParameterValue("Message attribute list values in SendMessage operation are not supported.");
  }
  if (base === "Binary") {
    if (value.StringValue !== undefined || !value.BinaryValue?.length) {
      return invalidParameterValue(`Message (${kind}) attribute '${name}' must contain a non-empty value of type 'Binary'.`);
    }
    return undefined;
  }
  if (value.BinaryValue !== undefined || !value.StringValue) {
    return invalidParameterValue(`Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`);
  }
  if (base === "Number" && !validNumber(value.StringValue)) {
    return invalidParameterValue(`Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
  }
  const bad = forbiddenCharacter(value.StringValue);
  if (bad) {
    return invalidParameterValue(`Message (${kind}) attribute '${name}' contains invalid character '${bad}'.`);
  }
  return undefined;
}

/** SQS numbers: up to 38 significant digits, between 10^-128 and 10^126. */
function validNumber(text: string): boolean {
  if (!NUMBER.test(text.trim())) return false;
  const digits = text
    .replace(/[eE].*$/, "")
    .replace(/[^0-9]/g, "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  if (digits.length > 38) return false;
  const n = Math.abs(Number(text));
  return n === 0 || (n >= 1e-128 && n <= 1e126);
}

/** Only AWSTraceHeader (a String) may be set by senders. */
export function validateSystemAttributes(attributes: Record<string, SentAttributeValue> | undefined): Problem {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (name !== "AWSTraceHeader") return invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    if (value.DataType !== "String") {
      return invalidParameterValue(`Message system attribute '${name}' must be of type 'String'.`);
    }
    const problem = validateAttributeValue(name, value, "system");
    if (problem) return problem;
  }
  return undefined;
}

/** Body plus each attribute's name, type and value: what counts against MaximumMessageSize. */
export function messageSize(body: string, attributes: Record<string, AttributeValue> | undefined): number {
  let size = byteLength(body);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += byteLength(name) + byteLength(value.DataType);
    size += value.BinaryValue ? value.BinaryValue.length : byteLength(value.StringValue ?? "");
  }
  return size;
}

/** MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId: 1–128 of alphanumerics and punctuation. */
export function validateMessageId(parameter: string, value: string | undefined): Problem {
  if (value === undefined) return undefined;
  if (/^[!-~]{1,128}$/.test(value)) return undefined;
  return invalidParameter(
    parameter,
    value,
    `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
  );
}

export function validateDelaySeconds(value: number | undefined): Problem {
  if (value === undefined || (value >= 0 && value <= 900)) return undefined;
  return invalidParameter("DelaySeconds", value, "DelaySeconds must be >= 0 and <= 900.");
}
