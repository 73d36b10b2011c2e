/**
 * Key values as text whose plain byte order (SQLite's BINARY collation, and JavaScript's `<`, since it
 * is all ASCII) is DynamoDB's sort-key order, so a table's rows are kept and ranged in key order by an
 * index on one TEXT column:
 * - S: the UTF-8 bytes in hex (DynamoDB orders strings by UTF-8 bytes, which UTF-16 `<` does not);
 * - B: the bytes in hex (unsigned byte order);
 * - N: sign, then exponent, then digits, so that numeric order is text order (below).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
import type { AttributeValue, Item } from "./contract";
import { formatNumber, MAX_EXPONENT, MIN_EXPONENT, parseNumber, type DecimalNumber } from "./numbers";
import type { KeySchemaElement } from "./values";

export type KeyValue = { S: string } | { N: string } | { B: Uint8Array };

/**
 * Between a hash and a range key in `encodeItemKey`: below every character an encoding uses, so a
 * shorter hash key's rows all sort before a longer one's that it prefixes, as its bytes do.
 */
export const KEY_SEPARATOR = "!";

/** Ends a negative number's complemented digits: above every digit, so -1 sorts after -1.5. */
const NEGATIVE_END = ":";
const EXPONENT_OFFSET = -MIN_EXPONENT; // exponents -130..125 become 000..255
const EXPONENT_SPAN = MAX_EXPONENT - MIN_EXPONENT; // 255

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // a leading U+FEFF is part of the key;

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/.test(hex)) throw new Error(`not an encoded key: ${hex}`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

const complement = (digits: string) => digits.replace(/\d/g, (d) => String(9 - Number(d)));

/**
 * `1` for zero; `2` + exponent (3 digits, offset to 000..255) + digits for positives; `0` + the
 * exponent reversed (255 − offset) + each digit's complement (9 − d) + `:` for negatives, so a larger
 * magnitude sorts lower. Digits carry no trailing zeros, so equal numbers encode identically.
 */
export function encodeNumber(n: DecimalNumber): string {
  if (n.sign === 0) return "1";
  if (n.exponent < MIN_EXPONENT || n.exponent > MAX_EXPONENT) throw new Error("encodeNumber: a number out of DynamoDB's range");
  const offset = n.exponent + EXPONENT_OFFSET;
  if (n.sign > 0) return `2${String(offset).padStart(3, "0")}${n.digits}`;
  return `0${String(EXPONENT_SPAN - offset).padStart(3, "0")}${complement(n.digits)}${NEGATIVE_END}`;
}

export function decodeNumber(encoded: string): DecimalNumber {
  const head = encoded[0];
  if (head === "1" && encoded.length === 1) return { sign: 0, digits: "", exponent: 0 };
  const exponentText = encoded.slice(1, 4);
  if (head === "2") return { sign: 1, digits: encoded.slice(4), exponent: Number(exponentText) - EXPONENT_OFFSET };
  if (head === "0" && encoded.endsWith(NEGATIVE_END))
    return {
      sign: -1,
      digits: complement(encoded.slice(4, -1)),
      exponent: EXPONENT_SPAN - Number(exponentText) - EXPONENT_OFFSET,
    };
  throw new Error(`not an encoded number: ${encoded}`);
}

/** Encodes a key value (validated: a number must be a DynamoDB number; anything else is a bug). */
export function encodeKeyValue(value: KeyValue): string {
  if ("S" in value) return toHex(encoder.encode(value.S));
  if ("B" in value) return toHex(value.B);
  const parsed = parseNumber(value.N);
  if (!parsed.ok) throw new Error(`encodeKeyValue: ${parsed.error.message}`);
  return encodeNumber(parsed.value);
}

/** The value back from its encoding and its type (a number in DynamoDB's canonical text). */
export function decodeKeyValue(encoded: string, type: "S" | "N" | "B"): KeyValue {
  if (type === "S") return { S: decoder.decode(fromHex(encoded)) };
  if (type === "B") return { B: fromHex(encoded) };
  return { N: formatNumber(decodeNumber(encoded)) };
}

/**
 * The least text above every encoding that starts with `encodedPrefix` (and every composite key
 * built on one): for `begins_with` on S and B, whose hex prefix is the encoding's prefix.
 */
export const prefixUpperBound = (encodedPrefix: string) => `${encodedPrefix}~`;

function asKeyValue(value: AttributeValue | undefined, name: string): KeyValue {
  if (value && ("S" in value || "N" in value || "B" in value)) return value;
  throw new Error(`encodeItemKey: key attribute ${name} is missing or not S, N or B (validate the key first)`);
}

/**
 * One text per item key: the hash key's encoding, then `!` and the range key's. Unique per key, and
 * ordered by hash key bytes, then by range key, so one partition's items are contiguous and sorted.
 */
export function encodeItemKey(key: Item, schema: KeySchemaElement[]): string {
  const hash = schema.find((element) => element.KeyType === "HASH");
  if (!hash) throw new Error("encodeItemKey: a key schema without a HASH key");
  const range = schema.find((element) => element.KeyType === "RANGE");
  const hashText = encodeKeyValue(asKeyValue(key[hash.AttributeName], hash.AttributeName));
  if (!range) return hashText;
  return `${hashText}${KEY_SEPARATOR}${encodeKeyValue(asKeyValue(key[range.AttributeName], range.AttributeName))}`;
}
