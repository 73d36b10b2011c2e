/**
 * AWS JSON 1.0 / 1.1 codec driven by the generated shapes: validates and converts a request body into
 * plain input (blobs → Uint8Array, timestamps → Date), and output back into wire JSON.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
import { decodeBase64, isBase64 } from "../domain/base64";
import { Buffer } from "node:buffer";
import { fail, ok, type Result } from "../domain/errors";
import type { CodecErrors } from "../services/descriptor";
import { encodeTree } from "./encode-tree";
import { decodeInput, type ScalarReaders } from "./decode-tree";
import type { Shape, StructureShape } from "../services/model";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function parseJsonBody(body: Uint8Array, errors: CodecErrors): Result<unknown> {
  if (body.length === 0) return ok({});
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return fail(errors.malformed("Request body is not valid UTF-8."));
  }
  try {
    return ok(JSON.parse(text));
  } catch {
    return fail(errors.malformed("Request body is not valid JSON."));
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** JSON's scalars: integers and numbers as numbers, blobs as base64, timestamps as epoch seconds or ISO 8601. */
const JSON_READERS: ScalarReaders = {
  integer: (value) => (typeof value === "number" && Number.isInteger(value) ? value : undefined),
  number: (value) => (typeof value === "number" ? value : undefined),
  blob: (value) => (typeof value === "string" && isBase64(value) ? decodeBase64(value) : undefined),
  timestamp(value) {
    if (typeof value === "number") return new Date(value * 1000);
    if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return new Date(value);
    return undefined;
  },
  isRecord: isObject,
};

export function decodeJsonInput(shape: StructureShape, value: unknown, errors: CodecErrors): Result<Record<string, unknown>> {
  if (!isObject(value)) return fail(errors.malformed("Request body must be a JSON object."));
  return decodeInput(shape, value, errors, JSON_READERS);
}

export { isBase64 };

/** Output → wire JSON value: drops absent members, encodes blobs as base64 and timestamps as epoch seconds. */
export const encodeJsonOutput = (shape: Shape, value: unknown): unknown => encodeTree(shape, value, jsonLeaf);

function jsonLeaf(shape: Shape, value: unknown): unknown {
  if (shape.type === "blob") return Buffer.from(value as Uint8Array).toString("base64");
  if (shape.type === "timestamp") return value instanceof Date ? value.getTime() / 1000 : value;
  return value;
}
