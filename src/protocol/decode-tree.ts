/**
 * The part of decoding a request that JSON and CBOR share: walking structures, lists and maps of the
 * input shape, checking strings and booleans, and reporting absent required members through
 * CodecErrors (all together with `missingAll` at the end of the input, else the first one at once).
 * Each codec says how its numbers, blobs and timestamps are read (`ScalarReaders`).
 *
 * The walk returns the value, or FAILED after recording the failure in the DecodeState: a recursive
 * descent that stops at the first problem without allocating a Result per value. `decodeInput`
 * turns that into a Result.
 */
import { fail, ok, type ErrorInfo, type Result } from "../domain/errors";
import type { CodecErrors, MissingMember } from "../services/descriptor";
import type { Shape, StructureShape } from "../services/model";

export const FAILED: unique symbol = Symbol("decode failed");

export interface DecodeState {
  errors: CodecErrors;
  missing: MissingMember[];
  failure?: ErrorInfo;
}

/** How a codec reads its own scalars: the value, or undefined when the wire value has the wrong type. */
export interface ScalarReaders {
  integer(value: unknown): number | undefined;
  number(value: unknown): number | undefined;
  blob(value: unknown): Uint8Array | undefined;
  timestamp(value: unknown): Date | undefined;
  /** What the codec's structures and maps look like once parsed. */
  isRecord(value: unknown): value is Record<string, unknown>;
}

/** Records the first failure of a decode and returns FAILED. */
export function failed(state: DecodeState, error: ErrorInfo): typeof FAILED {
  state.failure ??= error;
  return FAILED;
}

/** A whole input: decodes the top structure, then reports absent members (all at once for Coral). */
export function decodeInput(
  shape: StructureShape,
  value: Record<string, unknown>,
  errors: CodecErrors,
  readers: ScalarReaders,
): Result<Record<string, unknown>> {
  const state: DecodeState = { errors, missing: [] };
  const out = decodeStructure(shape, value, "", state, readers);
  if (out === FAILED) return fail(state.failure!);
  if (state.missing.length && errors.missingAll) return fail(errors.missingAll(state.missing));
  return ok(out);
}

function decodeStructure(
  shape: StructureShape,
  value: Record<string, unknown>,
  path: string,
  state: DecodeState,
  readers: ScalarReaders,
): Record<string, unknown> | typeof FAILED {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const raw = value[name];
    if (raw === undefined || raw === null) continue;
    const decoded = decodeValue(member, raw, path ? `${path}.${name}` : name, name, state, readers);
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

function decodeValue(
  shape: Shape,
  value: unknown,
  path: string,
  member: string,
  state: DecodeState,
  readers: ScalarReaders,
): unknown {
  let scalar: unknown;
  switch (shape.type) {
    case "string":
      return typeof value === "string" ? value : invalid(shape, value, path, member, state, "string");
    case "document":
      return value;
    case "boolean":
      return typeof value === "boolean" ? value : invalid(shape, value, path, member, state, "boolean");
    case "integer":
    case "long":
      scalar = readers.integer(value);
      return scalar === undefined ? invalid(shape, value, path, member, state, "integer") : scalar;
    case "float":
    case "double":
      scalar = readers.number(value);
      return scalar === undefined ? invalid(shape, value, path, member, state, "number") : scalar;
    case "blob":
      scalar = readers.blob(value);
      return scalar === undefined ? invalid(shape, value, path, member, state, "base64 blob") : scalar;
    case "timestamp":
      scalar = readers.timestamp(value);
      return scalar === undefined ? invalid(shape, value, path, member, state, "timestamp") : scalar;
    case "structure":
      return readers.isRecord(value)
        ? decodeStructure(shape, value, path, state, readers)
        : invalid(shape, value, path, member, state, "structure");
    case "list": {
      if (!Array.isArray(value)) return invalid(shape, value, path, member, state, "list");
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const item = decodeValue(shape.member, value[i], `${path}.${i + 1}`, member, state, readers);
        if (item === FAILED) return FAILED;
        out.push(item);
      }
      return out;
    }
    case "map": {
      if (!readers.isRecord(value)) return invalid(shape, value, path, member, state, "map");
      const out: Record<string, unknown> = {};
      // Entries without a value are left out, as the SDKs' deserializers do.
      for (const [k, v] of Object.entries(value)) {
        if (v === null || v === undefined) continue;
        const item = decodeValue(shape.value, v, `${path}.${k}`, member, state, readers);
        if (item === FAILED) return FAILED;
        out[k] = item;
      }
      return out;
    }
  }
}

/** A value of the wrong type, in the service's words. */
function invalid(
  shape: Shape,
  value: unknown,
  path: string,
  member: string,
  state: DecodeState,
  expected: string,
): typeof FAILED {
  return failed(state, state.errors.invalidType(member, path, expected, value, shape));
}
