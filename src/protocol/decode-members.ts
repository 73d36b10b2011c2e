/**
 * The part of decoding a structure that JSON and CBOR share: members present on the wire are decoded
 * by the codec's own `decode`; required members that are absent are reported through CodecErrors
 * (all together with `missingAll`, which the caller throws at the end, else the first one at once).
 */
import type { CodecErrors, MissingMember } from "./codec-errors";
import type { Shape, StructureShape } from "../services/model";

export type MemberDecoder = (
  shape: Shape,
  value: unknown,
  path: string,
  member: string,
  errors: CodecErrors,
  missing: MissingMember[],
) => unknown;

export function decodeMembers(
  shape: StructureShape,
  value: Record<string, unknown>,
  path: string,
  errors: CodecErrors,
  missing: MissingMember[],
  decode: MemberDecoder,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const raw = value[name];
    if (raw === undefined || raw === null) continue;
    out[name] = decode(member, raw, path ? `${path}.${name}` : name, name, errors, missing);
  }
  for (const name of shape.required ?? []) {
    if (out[name] !== undefined) continue;
    const memberPath = path ? `${path}.${name}` : name;
    if (!errors.missingAll) throw errors.missing(name, memberPath);
    missing.push({ member: name, path: memberPath });
  }
  return out;
}
