/**
 * The part of encoding outputs that JSON and CBOR share: walking lists, maps and structures of the
 * output shape, leaving out absent members; each codec says how a leaf (blob, timestamp, scalar) is written.
 */
import type { Shape } from "../services/model";

export type LeafEncoder = (shape: Shape, value: unknown) => unknown;

export function encodeTree(shape: Shape, value: unknown, leaf: LeafEncoder): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case "list":
      return (value as unknown[]).map((item) => encodeTree(shape.member, item, leaf));
    case "map":
    case "structure": {
      const out: Record<string, unknown> = {};
      const record = value as Record<string, unknown>;
      const entries =
        shape.type === "map" ? Object.keys(record).map((k) => [k, shape.value] as const) : Object.entries(shape.members);
      for (const [name, member] of entries) {
        const encoded = encodeTree(member, record[name], leaf);
        if (encoded !== undefined) out[name] = encoded;
      }
      return out;
    }
    default:
      return leaf(shape, value);
  }
}
