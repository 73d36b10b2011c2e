/**
 * Attribute values between DynamoDB's JSON (what the codec hands over as documents: B and BS as base64
 * strings) and the AttributeValue of contract.ts (bytes). A value whose members have the wrong JSON
 * type is Coral's SerializationException, as AWS answers it; the rules on well-typed values (exactly
 * one type, empty sets, numbers…) are ./values.ts's.
 */
import { fail, ok, type ErrorInfo, type Result } from "../errors";
import { bytesToBase64, decodeBase64, isBase64 } from "../base64";
import type { AttributeValue, Item } from "./contract";

const serialization = (message: string): ErrorInfo => ({
  code: "SerializationException",
  type: "com.amazon.coral.service#SerializationException",
  message,
  status: 400,
});

function bytesOf(text: unknown): Uint8Array | undefined {
  return typeof text === "string" && isBase64(text) ? decodeBase64(text) : undefined;
}

const tokenOf = (v: unknown) =>
  typeof v === "string"
    ? "STRING_VALUE"
    : typeof v === "number"
      ? "NUMBER_VALUE"
      : typeof v === "boolean"
        ? v
          ? "TRUE_VALUE"
          : "FALSE_VALUE"
        : Array.isArray(v)
          ? "START_ARRAY"
          : "START_OBJECT";

/** One attribute value from JSON. */
export function valueFromWire(raw: unknown): Result<AttributeValue> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return fail(serialization("Start of list found where not expected"));
  const out: Record<string, unknown> = {};
  for (const [type, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    switch (type) {
      case "S":
      case "N":
        if (typeof v !== "string") return fail(serialization(`${tokenOf(v)} can not be converted to a String`));
        out[type] = v;
        break;
      case "BOOL":
      case "NULL":
        if (typeof v !== "boolean") return fail(serialization(`${tokenOf(v)} can not be converted to a Boolean`));
        out[type] = v;
        break;
      case "B": {
        const bytes = bytesOf(v);
        if (!bytes) return fail(serialization(`'${String(v)}' can not be converted to a Blob`));
        out.B = bytes;
        break;
      }
      case "SS":
      case "NS":
        if (!Array.isArray(v) || v.some((s) => typeof s !== "string"))
          return fail(serialization("Unexpected value type in payload"));
        out[type] = v;
        break;
      case "BS": {
        if (!Array.isArray(v)) return fail(serialization("Unexpected value type in payload"));
        const list: Uint8Array[] = [];
        for (const b of v) {
          const bytes = bytesOf(b);
          if (!bytes) return fail(serialization(`'${String(b)}' can not be converted to a Blob`));
          list.push(bytes);
        }
        out.BS = list;
        break;
      }
      case "L": {
        if (!Array.isArray(v)) return fail(serialization("Unexpected value type in payload"));
        const list: AttributeValue[] = [];
        for (const e of v) {
          const value = valueFromWire(e);
          if (!value.ok) return value;
          list.push(value.value);
        }
        out.L = list;
        break;
      }
      case "M": {
        const map = itemFromWire(v);
        if (!map.ok) return map;
        out.M = map.value;
        break;
      }
      // Members DynamoDB does not know are ignored by its deserializer.
    }
  }
  return ok(out as AttributeValue);
}

/** A map of attribute values (an item, a key, ExpressionAttributeValues) from JSON. */
export function itemFromWire(raw: unknown): Result<Item> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return fail(serialization("Start of list found where not expected"));
  const out: Item = {};
  for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    const value = valueFromWire(v);
    if (!value.ok) return value;
    out[name] = value.value;
  }
  return ok(out);
}

export function valueToWire(value: AttributeValue): unknown {
  if ("B" in value) return { B: bytesToBase64(value.B) };
  if ("BS" in value) return { BS: value.BS.map(bytesToBase64) };
  if ("L" in value) return { L: value.L.map(valueToWire) };
  if ("M" in value) return { M: itemToWire(value.M) };
  return value;
}

export function itemToWire(item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) out[name] = valueToWire(value);
  return out;
}
