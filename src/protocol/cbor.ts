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
      return ok(cborDecode(joinChunkedStrings(body), DECODE_OPTIONS));
    }
  } catch {
    // cborg and joinChunkedStrings signal malformed input by throwing; here it becomes a value.
    return fail(errors.malformed("Request body is not valid CBOR."));
  }
}

/**
 * Rewrites every indefinite-length (chunked) byte or text string of a CBOR item as one definite-length
 * string, copying everything else byte for byte. Throws on anything malformed.
 */
export function joinChunkedStrings(bytes: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  const at = (pos: number): number => {
    if (pos >= bytes.length) throw new Error("truncated CBOR");
    return bytes[pos]!;
  };
  /** The head at `pos`: major type, additional info, its argument and where the content starts. */
  const head = (pos: number) => {
    const first = at(pos);
    const major = first >> 5;
    const info = first & 31;
    if (info < 24) return { major, info, arg: info, next: pos + 1 };
    if (info === 31) return { major, info, arg: 0, next: pos + 1 };
    if (info > 27) throw new Error("reserved additional information");
    const size = 1 << (info - 24);
    if (pos + size >= bytes.length) throw new Error("truncated CBOR");
    let arg = 0;
    for (let i = 1; i <= size; i++) arg = arg * 256 + bytes[pos + i]!;
    return { major, info, arg, next: pos + 1 + size };
  };
  const definiteHead = (major: number, length: number): Uint8Array => {
    if (length < 24) return Uint8Array.of((major << 5) | length);
    if (length < 0x100) return Uint8Array.of((major << 5) | 24, length);
    if (length < 0x10000) return Uint8Array.of((major << 5) | 25, length >> 8, length & 0xff);
    return Uint8Array.of((major << 5) | 26, length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
  };
  const copy = (pos: number): number => {
    const { major, info, arg, next } = head(pos);
    if (major === 2 || major === 3) {
      if (info !== 31) {
        if (next + arg > bytes.length) throw new Error("truncated CBOR");
        out.push(bytes.subarray(pos, next + arg));
        return next + arg;
      }
      const chunks: Uint8Array[] = [];
      let p = next;
      while (at(p) !== 0xff) {
        const chunk = head(p);
        if (chunk.major !== major || chunk.info === 31 || chunk.next + chunk.arg > bytes.length) throw new Error("bad chunk");
        chunks.push(bytes.subarray(chunk.next, chunk.next + chunk.arg));
        p = chunk.next + chunk.arg;
      }
      out.push(
        definiteHead(
          major,
          chunks.reduce((n, c) => n + c.length, 0),
        ),
        ...chunks,
      );
      return p + 1;
    }
    out.push(bytes.subarray(pos, next));
    if (major === 4 || major === 5) {
      let p = next;
      if (info === 31) {
        while (at(p) !== 0xff) p = copy(p);
        out.push(Uint8Array.of(0xff));
        return p + 1;
      }
      for (let i = 0; i < arg * (major === 5 ? 2 : 1); i++) p = copy(p);
      return p;
    }
    if (major === 6) return copy(next);
    if (major === 7 && info === 31) throw new Error("unexpected break");
    return next;
  };
  let pos = 0;
  while (pos < bytes.length) pos = copy(pos);
  const joined = new Uint8Array(out.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of out) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
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
