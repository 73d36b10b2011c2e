/**
 * AWS JSON 1.0 / 1.1 codec driven by the generated shapes: validates and converts a request body into
 * plain input (blobs → Uint8Array, timestamps → Date), and output back into wire JSON.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
import { Buffer } from "node:buffer";
import type { CodecErrors, MissingMember } from "./codec-errors";
import { decodeMembers } from "./decode-members";
import type { Shape, StructureShape } from "../services/model";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function parseJsonBody(body: Uint8Array, errors: CodecErrors): unknown {
  if (body.length === 0) return {};
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw errors.malformed("Request body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw errors.malformed("Request body is not valid JSON.");
  }
}

export function decodeJsonInput(shape: StructureShape, value: unknown, errors: CodecErrors): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw errors.malformed("Request body must be a JSON object.");
  }
  // With `missingAll` (Coral services) every absent required member is collected and reported at once,
  // after the whole input has been type-checked; otherwise the first one fails the request.
  const missing: MissingMember[] = [];
  const out = decodeMembers(shape, value as Record<string, unknown>, "", errors, missing, decode);
  if (missing.length && errors.missingAll) throw errors.missingAll(missing);
  return out;
}

function decode(
  shape: Shape,
  value: unknown,
  path: string,
  member: string,
  errors: CodecErrors,
  missing: MissingMember[],
): unknown {
  const bad = (expected: string) => errors.invalidType(member, path, expected, value, shape);
  switch (shape.type) {
    case "string":
      if (typeof value !== "string") throw bad("string");
      return value;
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) throw bad("integer");
      return value;
    case "float":
    case "double":
      if (typeof value !== "number") throw bad("number");
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw bad("boolean");
      return value;
    case "blob":
      if (typeof value !== "string" || !isBase64(value)) throw bad("base64 blob");
      return new Uint8Array(Buffer.from(value, "base64"));
    case "timestamp":
      if (typeof value === "number") return new Date(value * 1000);
      if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return new Date(value);
      throw bad("timestamp");
    case "list":
      if (!Array.isArray(value)) throw bad("list");
      return value.map((item, i) => decode(shape.member, item, `${path}.${i + 1}`, member, errors, missing));
    case "map": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw bad("map");
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === null || v === undefined) continue;
        out[k] = decode(shape.value, v, `${path}.${k}`, member, errors, missing);
      }
      return out;
    }
    case "structure":
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw bad("structure");
      return decodeMembers(shape, value as Record<string, unknown>, path, errors, missing, decode);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const isBase64 = (s: string): boolean => BASE64.test(s);

/** Output → wire JSON value: drops absent members, encodes blobs as base64 and timestamps as epoch seconds. */
export function encodeJsonOutput(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case "blob":
      return Buffer.from(value as Uint8Array).toString("base64");
    case "timestamp":
      return value instanceof Date ? value.getTime() / 1000 : value;
    case "list":
      return (value as unknown[]).map((item) => encodeJsonOutput(shape.member, item));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = encodeJsonOutput(shape.value, v);
      return out;
    }
    case "structure": {
      const out: Record<string, unknown> = {};
      const record = value as Record<string, unknown>;
      for (const [name, member] of Object.entries(shape.members)) {
        const encoded = encodeJsonOutput(member, record[name]);
        if (encoded !== undefined) out[name] = encoded;
      }
      return out;
    }
    default:
      return value;
  }
}
