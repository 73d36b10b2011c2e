/**
 * AWS CBOR 1.1 codec (`Content-Type: application/x-amz-cbor-1.1`), driven by the same generated shapes
 * as the JSON codec: the request model of a JSON 1.1 service (Kinesis), CBOR-encoded. It is what the
 * Java SDK v1/v2, the KCL and the KPL send by default.
 *
 * - Blobs are CBOR byte strings (a base64 text string is accepted too, as Jackson's parser does).
 * - Timestamps are epoch **milliseconds** under tag 1 (the Java SDK writes `tag(1) + long millis`, not
 *   RFC 8949's seconds: aws/aws-sdk-java-v2#4661); a plain number is read as milliseconds as well.
 *   Outputs are written the same way, `tag(1) + integer millis`.
 * - Errors are CBOR maps `{__type, message}` (see responses.ts).
 *
 * Encoding and decoding use `cborg`: pure JavaScript with no native or optional dependencies, no
 * `eval`/`new Function` (forbidden in workerd), strict by default (rejects trailing bytes, non-string
 * map keys, unknown tags), and it reads the indefinite-length maps and strings Jackson writes.
 */
import { Buffer } from "node:buffer";
import { decode as cborDecode, encode as cborEncode, Token, Type, type TagDecoder } from "cborg";
import { fail, ok, type Result } from "../domain/errors";
import type { CodecErrors } from "../services/descriptor";
import { joinChunkedStrings } from "./cbor-chunks";
import { encodeTree } from "./encode-tree";
import { decodeInput, type ScalarReaders } from "./decode-tree";
import { isBase64 } from "./json";
import type { Shape, StructureShape } from "../services/model";

export const CBOR_CONTENT_TYPE = "application/x-amz-cbor-1.1";

/** Tag 1 ("epoch-based date/time"): its content is returned as is; the shape says what it means. */
const epochTag: TagDecoder = (inner) => inner();

const DECODE_OPTIONS = {
  tags: { 1: epochTag },
  allowUndefined: true,
  allowIndefinite: true,
  allowBigInt: true,
  // NaN/Infinity mean nothing in any Kinesis member; Coral's parser rejects them.
  allowNaN: false,
  allowInfinity: false,
} as const;

const ENCODE_OPTIONS = {
  typeEncoders: {
    Date: (date: Date) => {
      const ms = date.getTime();
      return [new Token(Type.tag, 1), ms >= 0 ? new Token(Type.uint, ms) : new Token(Type.negint, ms)];
    },
  },
};

/** CBOR bytes → a plain value (objects, arrays, strings, numbers, bigints, Uint8Arrays). */
export function parseCborBody(body: Uint8Array, errors: CodecErrors): Result<unknown> {
  if (body.length === 0) return ok({});
  try {
    try {
      return ok(cborDecode(body, DECODE_OPTIONS));
    } catch (error) {
      // cborg reads indefinite-length maps and arrays but not chunked strings, which Jackson writes for
      // text longer than ~4,000 characters (a resource policy, say): join the chunks and read again.
      if (!String((error as Error)?.message).includes("indefinite length bytes/strings")) throw error;
      const joined = joinChunkedStrings(body);
      if (joined) return ok(cborDecode(joined, DECODE_OPTIONS));
    }
  } catch {
    // cborg signals malformed input by throwing; here it becomes a value.
  }
  return fail(errors.malformed("Request body is not valid CBOR."));
}

/** Any plain value (as produced by `encodeCborOutput`, or an error body) → CBOR bytes. */
export function encodeCbor(value: unknown): Uint8Array {
  return cborEncode(value, ENCODE_OPTIONS);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Uint8Array);

function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

/**
 * CBOR's scalars: integers may come as bigints, and Coral truncates fractional numbers given for
 * integral members rather than rejecting them; blobs are byte strings (or base64 text, as Jackson
 * accepts); timestamps epoch milliseconds.
 */
const CBOR_READERS: ScalarReaders = {
  integer(value) {
    const n = toNumber(value);
    return n === undefined || !Number.isFinite(n) ? undefined : Math.trunc(n);
  },
  number: toNumber,
  blob(value) {
    if (value instanceof Uint8Array) return value;
    return typeof value === "string" && isBase64(value) ? new Uint8Array(Buffer.from(value, "base64")) : undefined;
  },
  timestamp(value) {
    const ms = toNumber(value);
    return ms === undefined || !Number.isFinite(ms) ? undefined : new Date(ms);
  },
  isRecord,
};

/**
 * Validates and converts a decoded CBOR request into plain input (blobs → Uint8Array, timestamps → Date),
 * with the same reporting as the JSON codec: wrong types through `errors.invalidType`, absent required
 * members through `errors.missingAll` (all of them together) or else `errors.missing` (the first).
 */
export function decodeCborInput(shape: StructureShape, value: unknown, errors: CodecErrors): Result<Record<string, unknown>> {
  if (!isRecord(value)) return fail(errors.malformed("Request body must be a CBOR map."));
  return decodeInput(shape, value, errors, CBOR_READERS);
}

/**
 * Output → the value tree `encodeCbor` writes: drops absent members, keeps blobs as byte strings and
 * turns timestamps into Dates (written as tag 1 + epoch milliseconds). A number given for a timestamp
 * is read as epoch seconds, as the JSON codec writes it.
 */
export const encodeCborOutput = (shape: Shape, value: unknown): unknown => encodeTree(shape, value, cborLeaf);

function cborLeaf(shape: Shape, value: unknown): unknown {
  if (shape.type === "blob") return value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);
  if (shape.type === "timestamp" && typeof value === "number") return new Date(Math.round(value * 1000));
  return value;
}
