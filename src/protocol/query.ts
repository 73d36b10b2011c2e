/**
 * AWS query protocol codec: `application/x-www-form-urlencoded` parameters in, XML out, both driven
 * by the generated shapes (member names, `locationName`s, flattened lists and maps, `resultWrapper`).
 * Key naming follows the SDKs' query serializers: `Attribute.1.Name`, `AttributeName.1`,
 * `SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue`, `Foo.member.1`, `Foo.entry.1.key`.
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
import { Buffer } from "node:buffer";
import { fail, ok, type Result } from "../domain/errors";
import type { CodecErrors } from "../services/descriptor";
import { failed, FAILED, type DecodeState } from "./decode-tree";
import { isBase64 } from "./json";
import type { OperationModel, Shape, StructureShape } from "../services/model";
import { element, escapeXml, XML_DECLARATION } from "./xml";

export type QueryParams = Map<string, string>;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** Parses form-encoded text strictly: bad percent-escapes and invalid UTF-8 are errors, not U+FFFD. */
export function parseForm(text: string, params: QueryParams, errors: CodecErrors): Result<QueryParams> {
  if (!text) return ok(params);
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1));
    if (typeof key !== "string") return fail(errors.malformed(key.problem));
    if (typeof value !== "string") return fail(errors.malformed(value.problem));
    params.set(key, value);
  }
  return ok(params);
}

const MALFORMED_ESCAPE = "The query string contains a malformed percent-escape.";

function decodeComponent(raw: string): string | { problem: string } {
  const text = raw.replace(/\+/g, " ");
  if (!text.includes("%")) return text;
  // Worst case every UTF-16 unit of a literal run becomes 3 UTF-8 bytes.
  const bytes = new Uint8Array(text.length * 3);
  let length = 0;
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { problem: MALFORMED_ESCAPE };
      bytes[length++] = parseInt(hex, 16);
      i += 3;
    } else {
      let end = text.indexOf("%", i);
      if (end < 0) end = text.length;
      length += utf8Encoder.encodeInto(text.slice(i, end), bytes.subarray(length)).written;
      i = end;
    }
  }
  try {
    return utf8.decode(bytes.subarray(0, length));
  } catch {
    return { problem: "The query string contains invalid UTF-8." };
  }
}

/** Decodes the operation's input structure from flat query parameters. */
export function decodeQueryInput(
  shape: StructureShape,
  params: QueryParams,
  errors: CodecErrors,
): Result<Record<string, unknown>> {
  const state: DecodeState = { errors, missing: [] };
  const out = decodeStructure(shape, params, "", state, keyIndex(params));
  return out === FAILED ? fail(state.failure!) : ok(out);
}

/** Every key prefix (`A`, `A.1`, `A.1.Name`) once, so lists and structures can be probed cheaply. */
function keyIndex(params: QueryParams): Set<string> {
  const prefixes = new Set<string>();
  for (const key of params.keys()) {
    let dot = key.indexOf(".");
    while (dot >= 0) {
      prefixes.add(key.slice(0, dot));
      dot = key.indexOf(".", dot + 1);
    }
    prefixes.add(key);
  }
  return prefixes;
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

function decodeStructure(
  shape: StructureShape,
  params: QueryParams,
  prefix: string,
  state: DecodeState,
  keys: Set<string>,
): Record<string, unknown> | typeof FAILED {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const value = decodeMember(member, name, prefix, params, state, keys);
    if (value === FAILED) return FAILED;
    if (value !== undefined) out[name] = value;
  }
  for (const name of shape.required ?? []) {
    if (out[name] === undefined)
      return failed(state, state.errors.missing(name, join(prefix, shape.members[name]?.name ?? name)));
  }
  return out;
}

/** Candidate keys of a member: its serialization name, then its model name (newer members have no locationName). */
function decodeMember(
  member: Shape,
  name: string,
  prefix: string,
  params: QueryParams,
  state: DecodeState,
  keys: Set<string>,
): unknown {
  const primary = join(prefix, member.name ?? name);
  const value = decode(member, primary, name, params, state, keys);
  if (value !== undefined || !member.name || member.name === name) return value;
  return decode(member, join(prefix, name), name, params, state, keys);
}

function decode(shape: Shape, key: string, member: string, params: QueryParams, state: DecodeState, keys: Set<string>): unknown {
  switch (shape.type) {
    case "structure":
      return keys.has(key) ? decodeStructure(shape, params, key, state, keys) : undefined;
    case "list": {
      if (!keys.has(key) && !(shape.flattened && shape.member.name && keys.has(renameLast(key, shape.member.name)))) {
        return undefined;
      }
      const base = shape.flattened
        ? shape.member.name && keys.has(renameLast(key, shape.member.name))
          ? renameLast(key, shape.member.name)
          : key
        : `${key}.${shape.member.name ?? "member"}`;
      // `Foo=` (empty) is how the query protocol sends an empty list.
      if (params.get(key) === "" && !keys.has(`${base}.1`)) return [];
      const out: unknown[] = [];
      for (const i of indices(base, keys)) {
        const item = decode(shape.member, `${base}.${i}`, member, params, state, keys);
        if (item === FAILED) return FAILED;
        out.push(item);
      }
      return out;
    }
    case "map": {
      if (!keys.has(key)) return undefined;
      const base = shape.flattened ? key : `${key}.entry`;
      const out: Record<string, unknown> = {};
      for (const i of indices(base, keys)) {
        const k = params.get(`${base}.${i}.${shape.key.name ?? "key"}`);
        if (k === undefined) return failed(state, state.errors.missing(member, `${base}.${i}.${shape.key.name ?? "key"}`));
        const v = decode(shape.value, `${base}.${i}.${shape.value.name ?? "value"}`, member, params, state, keys);
        if (v === FAILED) return FAILED;
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    default:
      return decodeScalar(shape.type, params.get(key), key, member, state);
  }
}

function decodeScalar(type: string, raw: string | undefined, key: string, member: string, state: DecodeState): unknown {
  if (raw === undefined) return undefined;
  const bad = (expected: string) => failed(state, state.errors.invalidType(member, key, expected, raw));
  switch (type) {
    case "integer":
    case "long": {
      if (!/^[+-]?\d+$/.test(raw.trim())) return bad("integer");
      const n = Number(raw.trim());
      return Number.isSafeInteger(n) ? n : bad("integer");
    }
    case "float":
    case "double": {
      const n = Number(raw);
      return raw.trim() === "" || Number.isNaN(n) ? bad("number") : n;
    }
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : bad("boolean");
    case "blob":
      return isBase64(raw) ? new Uint8Array(Buffer.from(raw, "base64")) : bad("base64 blob");
    case "timestamp": {
      const t = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
      return Number.isNaN(t) ? bad("timestamp") : new Date(t);
    }
    default:
      return raw;
  }
}

function renameLast(key: string, name: string): string {
  const dot = key.lastIndexOf(".");
  return dot < 0 ? name : `${key.slice(0, dot)}.${name}`;
}

/** The list positions present under `base` (`base.1`, `base.2`…), in numeric order. */
function indices(base: string, keys: Set<string>): number[] {
  const found: number[] = [];
  for (let i = 1; keys.has(`${base}.${i}`); i++) found.push(i);
  return found;
}

/** `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata><RequestId>` as the query protocol answers. */
export function encodeXmlResponse(
  operation: string,
  model: OperationModel,
  output: object,
  requestId: string,
  xmlNamespace: string,
): string {
  const result = encodeMembers(model.output, output as Record<string, unknown>);
  const wrapped = Object.keys(model.output.members).length ? element(model.resultWrapper, result) : "";
  return (
    `${XML_DECLARATION}<${operation}Response xmlns="${xmlNamespace}">${wrapped}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

function encodeMembers(shape: StructureShape, value: Record<string, unknown>): string {
  let xml = "";
  for (const [name, member] of Object.entries(shape.members)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    xml += encodeNamed(member, member.name ?? name, v);
  }
  return xml;
}

function encodeNamed(shape: Shape, name: string, value: unknown): string {
  switch (shape.type) {
    case "structure":
      return element(name, encodeMembers(shape, value as Record<string, unknown>));
    case "list": {
      const items = value as unknown[];
      if (shape.flattened) return items.map((item) => encodeNamed(shape.member, shape.member.name ?? name, item)).join("");
      const inner = shape.member.name ?? "member";
      return element(name, items.map((item) => encodeNamed(shape.member, inner, item)).join(""));
    }
    case "map": {
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([k, v]) => encodeNamed(shape.key, shape.key.name ?? "key", k) + encodeNamed(shape.value, shape.value.name ?? "value", v),
      );
      if (shape.flattened) return entries.map((e) => element(name, e)).join("");
      return element(name, entries.map((e) => element("entry", e)).join(""));
    }
    case "blob":
      return element(name, Buffer.from(value as Uint8Array).toString("base64"));
    case "timestamp":
      return element(name, value instanceof Date ? value.toISOString() : escapeXml(String(value)));
    default:
      return element(name, escapeXml(String(value)));
  }
}
