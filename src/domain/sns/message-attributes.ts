/**
 * Publish's message attributes, checked with SNS's own wording (AWS-recorded
 * `test_publish_message_with_invalid_attributes` and friends; code ParameterValueInvalid).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
 */
import { Buffer } from "node:buffer";
import type { SnsAttributes } from "./contract";
import { fail, ok, type Problem, type Result } from "../errors";
import { invalidParameterValue } from "./errors";

export interface AttributeInput {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

const utf8 = new TextEncoder();

function checkName(name: string): Problem {
  if (utf8.encode(name).length >= 256)
    return invalidParameterValue("Length of message attribute name must be less than 256 bytes.");
  const bad = /[^A-Za-z0-9_.-]/.exec(name);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase();
    return invalidParameterValue(
      `Invalid non-alphanumeric character '#x${code}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
    );
  }
  if (name.startsWith(".")) return invalidParameterValue("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith(".")) return invalidParameterValue("Invalid message attribute name ending with character '.' was found.");
  if (name.includes("..")) return invalidParameterValue("Message attribute name can not have successive '.' character.");
  return undefined;
}

function checkValue(name: string, a: AttributeInput): Problem {
  const type = a.DataType ?? "";
  const base = /^(String\.Array|String|Number|Binary)(\..+)?$/.exec(type)?.[1];
  if (!base) {
    return invalidParameterValue(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  if (base === "Binary") {
    if (a.BinaryValue === undefined)
      return invalidParameterValue(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
    if (!a.BinaryValue.length) {
      return invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type 'Binary'.`,
      );
    }
    return undefined;
  }
  const shown = base === "String.Array" ? "String.Array" : base;
  if (a.StringValue === undefined)
    return invalidParameterValue(`The message attribute '${name}' with type '${shown}' must use field 'String'.`);
  if (a.StringValue === "") {
    return invalidParameterValue(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${shown}'.`,
    );
  }
  if (base === "Number" && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a.StringValue.trim())) {
    return invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
  }
  if (base === "String.Array" && !isJsonArray(a.StringValue)) {
    return invalidParameterValue(`The message attribute '${name}' has an invalid String.Array value.`);
  }
  return undefined;
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Validates and converts attributes to their stored form (binary as base64). */
export function prepareAttributes(input: Record<string, AttributeInput> | undefined): Result<SnsAttributes> {
  const out: SnsAttributes = {};
  for (const [name, a] of Object.entries(input ?? {})) {
    const problem = checkName(name) ?? checkValue(name, a);
    if (problem) return fail(problem);
    out[name] =
      a.BinaryValue !== undefined
        ? { DataType: a.DataType!, BinaryValue: Buffer.from(a.BinaryValue).toString("base64") }
        : { DataType: a.DataType!, StringValue: a.StringValue };
  }
  return ok(out);
}

/** Bytes that count against the 256 KB limit: message plus attribute names, types and values. */
export function attributesSize(attributes: SnsAttributes): number {
  let size = 0;
  for (const [name, a] of Object.entries(attributes)) {
    size += utf8.encode(name).length + utf8.encode(a.DataType).length;
    size += a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue, "base64").length : utf8.encode(a.StringValue ?? "").length;
  }
  return size;
}
