/**
 * The parts of decoding that JSON and CBOR share (structures, lists, maps): members present on the wire are decoded
 * by the codec's own `decode`; required members that are absent are reported through CodecErrors
 * (all together with `missingAll` at the end of the input, else the first one at once).
 *
 * Decoders return the value, or FAILED after recording the failure in the DecodeState: a recursive
 * descent that stops at the first problem without allocating a Result per value. The codecs' entry
 * points turn that into a Result.
 */
import { fail, ok, type ErrorInfo, type Result } from "../domain/errors";
import type { CodecErrors, MissingMember } from "../services/descriptor";
import type { ListShape, MapShape, Shape, StructureShape } from "../services/model";

export const FAILED: unique symbol = Symbol("decode failed");

export interface DecodeState {
  errors: CodecErrors;
  missing: MissingMember[];
  failure?: ErrorInfo;
}

export type MemberDecoder = (shape: Shape, value: unknown, path: string, member: string, state: DecodeState) => unknown;

/** Records the first failure of a decode and returns FAILED. */
export function failed(state: DecodeState, error: ErrorInfo): typeof FAILED {
  state.failure ??= error;
  return FAILED;
}

export function decodeMembers(
  shape: StructureShape,
  value: Record<string, unknown>,
  path: string,
  state: DecodeState,
  decode: MemberDecoder,
): Record<string, unknown> | typeof FAILED {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const raw = value[name];
    if (raw === undefined || raw === null) continue;
    const decoded = decode(member, raw, path ? `${path}.${name}` : name, name, state);
    if (decoded === FAILED) return FAILED;
    out[name] = decoded;
  }
  for (const name of shape.required ?? []) {
    if (out[name] !== undefined) continue;
    const memberPath = path ? `${path}.${name}` : name;
    if (!state.errors.missingAll) return failed(state, state.errors.missing(name, memberPath));
    state.missing.push({ member: name, path: memberPath });
  }
  return out;
}

export function decodeList(
  shape: ListShape,
  value: unknown[],
  path: string,
  member: string,
  state: DecodeState,
  decode: MemberDecoder,
): unknown[] | typeof FAILED {
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = decode(shape.member, value[i], `${path}.${i + 1}`, member, state);
    if (item === FAILED) return FAILED;
    out.push(item);
  }
  return out;
}

/** Map entries without a value are left out, as the SDKs' deserializers do. */
export function decodeMap(
  shape: MapShape,
  value: Record<string, unknown>,
  path: string,
  member: string,
  state: DecodeState,
  decode: MemberDecoder,
): Record<string, unknown> | typeof FAILED {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    const item = decode(shape.value, v, `${path}.${k}`, member, state);
    if (item === FAILED) return FAILED;
    out[k] = item;
  }
  return out;
}

/** A whole input: decodes the top structure, then reports absent members (all at once for Coral). */
export function decodeInput(
  shape: StructureShape,
  value: Record<string, unknown>,
  errors: CodecErrors,
  decode: MemberDecoder,
): Result<Record<string, unknown>> {
  const state: DecodeState = { errors, missing: [] };
  const out = decodeMembers(shape, value, "", state, decode);
  if (out === FAILED) return fail(state.failure!);
  if (state.missing.length && errors.missingAll) return fail(errors.missingAll(state.missing));
  return ok(out);
}
