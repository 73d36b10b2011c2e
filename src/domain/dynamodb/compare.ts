/**
 * How DynamoDB orders and equates attribute values, as conditions, filters and updates need it.
 * Only S, N and B have an order (the sort-key order): S by UTF-8 bytes, B by unsigned bytes, N
 * numerically. Equality is defined for every type: sets regardless of element order, maps and lists
 * member by member, numbers by value (`1.0` equals `1`).
 */
import type { AttributeType, AttributeValue } from "./contract";
import { compareNumbers } from "./numbers";

/** The one type tag a value carries (the codec guarantees exactly one). */
export function attributeType(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}

/**
 * UTF-8 byte order equals code point order, which differs from JavaScript's UTF-16 code unit order
 * for characters above U+FFFF against U+E000–U+FFFF: so compare by code points.
 */
export function compareStrings(a: string, b: string): -1 | 0 | 1 {
  const x = a[Symbol.iterator]();
  const y = b[Symbol.iterator]();
  for (;;) {
    const p = x.next();
    const q = y.next();
    if (p.done) return q.done ? 0 : -1;
    if (q.done) return 1;
    const cp = p.value.codePointAt(0)!;
    const cq = q.value.codePointAt(0)!;
    if (cp !== cq) return cp < cq ? -1 : 1;
  }
}

export function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => compareBytes(a, b) === 0;

/** The order of two S, two N or two B values; undefined for any other pair (such comparisons are false). */
export function compareValues(a: AttributeValue, b: AttributeValue): -1 | 0 | 1 | undefined {
  if ("S" in a && "S" in b) return compareStrings(a.S, b.S);
  if ("N" in a && "N" in b) return compareNumbers(a.N, b.N);
  if ("B" in a && "B" in b) return compareBytes(a.B, b.B);
  return undefined;
}

/** Whether `set` (an SS, NS or BS's elements) holds `element`, by the set's own equality. */
export function setHas(type: "SS" | "NS" | "BS", set: readonly (string | Uint8Array)[], element: string | Uint8Array): boolean {
  if (type === "SS") return set.includes(element as string);
  if (type === "NS") return (set as string[]).some((n) => compareNumbers(n, element as string) === 0);
  return (set as Uint8Array[]).some((b) => bytesEqual(b, element as Uint8Array));
}

function setsEqual(type: "SS" | "NS" | "BS", a: readonly (string | Uint8Array)[], b: readonly (string | Uint8Array)[]): boolean {
  return a.length === b.length && a.every((e) => setHas(type, b, e));
}

export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ("S" in a) return "S" in b && a.S === b.S;
  if ("N" in a) return "N" in b && compareNumbers(a.N, b.N) === 0;
  if ("B" in a) return "B" in b && bytesEqual(a.B, b.B);
  if ("BOOL" in a) return "BOOL" in b && a.BOOL === b.BOOL;
  if ("NULL" in a) return "NULL" in b;
  if ("SS" in a) return "SS" in b && setsEqual("SS", a.SS, b.SS);
  if ("NS" in a) return "NS" in b && setsEqual("NS", a.NS, b.NS);
  if ("BS" in a) return "BS" in b && setsEqual("BS", a.BS, b.BS);
  if ("L" in a) return "L" in b && a.L.length === b.L.length && a.L.every((v, i) => valuesEqual(v, b.L[i]!));
  if ("M" in a) {
    if (!("M" in b)) return false;
    const keys = Object.keys(a.M);
    return keys.length === Object.keys(b.M).length && keys.every((k) => k in b.M && valuesEqual(a.M[k]!, b.M[k]!));
  }
  return false;
}

/** Whether `haystack` holds `needle` as a contiguous run of bytes. */
export function bytesInclude(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * A value as AWS prints it inside messages: `AttributeValue: {N:5}`, `AttributeValue: {S:abc}`.
 * Only scalars reach these messages in practice; others print their JSON (marked: unverified wording).
 */
export function describeValue(value: AttributeValue): string {
  const type = attributeType(value);
  if ("S" in value) return `AttributeValue: {S:${value.S}}`;
  if ("N" in value) return `AttributeValue: {N:${value.N}}`;
  if ("B" in value) return `AttributeValue: {B:${btoa(String.fromCharCode(...value.B))}}`;
  if ("BOOL" in value) return `AttributeValue: {BOOL:${value.BOOL}}`;
  if ("NULL" in value) return "AttributeValue: {NULL:true}";
  return `AttributeValue: {${type}:${JSON.stringify((value as Record<string, unknown>)[type])}}`;
}
