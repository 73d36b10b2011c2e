import { describe, expect, it } from "vitest";
import {
  decodeKeyValue,
  encodeItemKey,
  encodeKeyValue,
  KEY_SEPARATOR,
  prefixUpperBound,
  type KeyValue,
} from "../../src/domain/dynamodb/key-encoding";
import { normalizeNumber } from "../../src/domain/dynamodb/numbers";

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Plain comparison, as SQLite's BINARY collation compares (the encodings are ASCII, so `<` is memcmp). */
const textOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byteOrder = (a: Uint8Array, b: Uint8Array) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** Exact numeric order from the text alone (independent of numbers.ts). */
function numericOrder(a: string, b: string): number {
  const parse = (t: string) => {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t)!;
    const frac = m[3] ?? "";
    return { c: BigInt(`${m[2] ?? ""}${frac}` || "0") * (m[1] === "-" ? -1n : 1n), s: Number(m[4] ?? 0) - frac.length };
  };
  const x = parse(a);
  const y = parse(b);
  const s = Math.min(x.s, y.s);
  const d = x.c * 10n ** BigInt(x.s - s) - y.c * 10n ** BigInt(y.s - s);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Random valid numbers across the whole range: both signs, 1..38 digits, tiny and huge exponents. */
function randomNumber(rand: () => number): string {
  if (rand() < 0.03) return rand() < 0.5 ? "0" : "-0.0";
  const count = 1 + Math.floor(rand() * 38);
  let digits = String(1 + Math.floor(rand() * 9));
  for (let i = 1; i < count; i++) digits += String(Math.floor(rand() * 10));
  // Often near neighbours: small exponents and few digits collide on prefixes, the hard cases.
  const exponent = rand() < 0.3 ? Math.floor(rand() * 5) - 2 : -130 + Math.floor(rand() * 256);
  return `${rand() < 0.5 ? "-" : ""}${digits}e${exponent - count + 1}`;
}

function randomString(rand: () => number): string {
  const pool = ["a", "b", "z", "A", "0", "~", "\u0000", "é", "€", "\uffff", "\ue000", "😀", "𝄞", "\u007f", "\u0080"];
  let s = "";
  const length = Math.floor(rand() * 6);
  for (let i = 0; i < length; i++) s += pool[Math.floor(rand() * pool.length)];
  return s;
}

describe("key encoding: numbers", () => {
  it("orders exactly as the numbers do, for many random decimals", () => {
    const rand = seeded(2024);
    for (let i = 0; i < 5000; i++) {
      const a = randomNumber(rand);
      const b = rand() < 0.2 ? a.replace(/^(-?\d)/, (d) => d + (rand() < 0.5 ? "1" : "0")) : randomNumber(rand);
      if (!normalizeNumber(b).ok) continue;
      expect(textOrder(encodeKeyValue({ N: a }), encodeKeyValue({ N: b })), `${a} vs ${b}`).toBe(numericOrder(a, b));
    }
  });

  it("sorts a list of numbers into numeric order", () => {
    const rand = seeded(99);
    const numbers = Array.from({ length: 2000 }, () => randomNumber(rand));
    const byEncoding = [...numbers].sort((a, b) => textOrder(encodeKeyValue({ N: a }), encodeKeyValue({ N: b })));
    const byValue = [...numbers].sort(numericOrder);
    const canonical = (n: string) => (normalizeNumber(n) as { value: string }).value;
    expect(byEncoding.map(canonical)).toEqual(byValue.map(canonical));
  });

  it("handles the edges: extremes, prefixes, zero", () => {
    const ordered = [
      "-9.9999999999999999999999999999999999999e125",
      "-1e125",
      "-2",
      "-1.5",
      "-1.05",
      "-1",
      "-0.5",
      "-1e-130",
      "0",
      "1e-130",
      "0.5",
      "1",
      "1.05",
      "1.5",
      "2",
      "10",
      "1e125",
      "9.9999999999999999999999999999999999999e125",
    ];
    const encoded = ordered.map((n) => encodeKeyValue({ N: n }));
    expect([...encoded].sort()).toEqual(encoded);
    expect(new Set(encoded).size).toBe(ordered.length);
  });

  it("encodes equal numbers identically and decodes to the canonical text", () => {
    expect(encodeKeyValue({ N: "1.50" })).toBe(encodeKeyValue({ N: "15e-1" }));
    expect(encodeKeyValue({ N: "-0" })).toBe(encodeKeyValue({ N: "0.000" }));
    for (const n of ["0", "1.5", "-1.5", "1e125", "-1e-130", "12345678901234567890123456789012345678", "-0.001"])
      expect(decodeKeyValue(encodeKeyValue({ N: n }), "N")).toEqual({ N: (normalizeNumber(n) as { value: string }).value });
  });

  it("refuses a number that was never validated (a bug)", () => {
    expect(() => encodeKeyValue({ N: "x" })).toThrow();
    expect(() => encodeKeyValue({ N: "1e200" })).toThrow();
  });
});

describe("key encoding: strings and binaries", () => {
  it("orders strings by UTF-8 bytes, not UTF-16 units", () => {
    // In UTF-8, U+E000 (EE 80 80) sorts before U+1F600 (F0 9F 98 80); in UTF-16 it sorts after (E000 > D83D).
    expect("\ue000" < "😀").toBe(false);
    expect(textOrder(encodeKeyValue({ S: "\ue000" }), encodeKeyValue({ S: "😀" }))).toBe(-1);
    const rand = seeded(5);
    const encoder = new TextEncoder();
    for (let i = 0; i < 3000; i++) {
      const a = randomString(rand);
      const b = rand() < 0.3 ? a + randomString(rand) : randomString(rand);
      const expected = byteOrder(encoder.encode(a), encoder.encode(b));
      expect(textOrder(encodeKeyValue({ S: a }), encodeKeyValue({ S: b })), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(
        expected,
      );
    }
  });

  it("orders binaries as unsigned bytes", () => {
    const rand = seeded(11);
    for (let i = 0; i < 3000; i++) {
      const a = new Uint8Array(Array.from({ length: Math.floor(rand() * 5) }, () => Math.floor(rand() * 256)));
      const b =
        rand() < 0.3
          ? new Uint8Array([...a, Math.floor(rand() * 256)])
          : new Uint8Array(Array.from({ length: Math.floor(rand() * 5) }, () => Math.floor(rand() * 256)));
      expect(textOrder(encodeKeyValue({ B: a }), encodeKeyValue({ B: b }))).toBe(byteOrder(a, b));
    }
    expect(textOrder(encodeKeyValue({ B: new Uint8Array([0x7f]) }), encodeKeyValue({ B: new Uint8Array([0x80]) }))).toBe(-1);
  });

  it("round-trips", () => {
    for (const s of ["", "abc", "\ufeffbom", "😀€\u0000"])
      expect(decodeKeyValue(encodeKeyValue({ S: s }), "S")).toEqual({ S: s });
    const bytes = new Uint8Array([0, 1, 254, 255]);
    expect(decodeKeyValue(encodeKeyValue({ B: bytes }), "B")).toEqual({ B: bytes });
  });

  it("bounds a begins_with prefix", () => {
    const prefix = encodeKeyValue({ S: "ab" });
    const upper = prefixUpperBound(prefix);
    for (const s of ["ab", "abc", "ab\uffff", "ab😀"]) {
      const e = encodeKeyValue({ S: s });
      expect(e >= prefix && e < upper, s).toBe(true);
    }
    for (const s of ["a", "ac", "b", "aa\uffff"]) {
      const e = encodeKeyValue({ S: s });
      expect(e >= prefix && e < upper, s).toBe(false);
    }
  });
});

describe("item keys", () => {
  const schema = [
    { AttributeName: "pk", KeyType: "HASH" },
    { AttributeName: "sk", KeyType: "RANGE" },
  ];

  it("is the hash key's encoding alone for a hash-only table", () => {
    expect(encodeItemKey({ pk: { S: "a" }, other: { S: "x" } }, [{ AttributeName: "pk", KeyType: "HASH" }])).toBe(
      encodeKeyValue({ S: "a" }),
    );
  });

  it("groups by hash key and orders by range key within it", () => {
    const rand = seeded(3);
    const keys: { pk: string; sk: string }[] = [];
    for (let i = 0; i < 1500; i++)
      keys.push({ pk: ["a", "ab", "b", "", "a\u0000"][Math.floor(rand() * 5)]!, sk: randomNumber(rand) });
    const encoder = new TextEncoder();
    const expected = [...keys].sort((x, y) => byteOrder(encoder.encode(x.pk), encoder.encode(y.pk)) || numericOrder(x.sk, y.sk));
    const actual = [...keys].sort((x, y) =>
      textOrder(
        encodeItemKey({ pk: { S: x.pk }, sk: { N: x.sk } }, schema),
        encodeItemKey({ pk: { S: y.pk }, sk: { N: y.sk } }, schema),
      ),
    );
    const canon = (k: { pk: string; sk: string }) => `${k.pk}|${(normalizeNumber(k.sk) as { value: string }).value}`;
    expect(actual.map(canon)).toEqual(expected.map(canon));
  });

  it("puts the separator between the parts, whatever order the schema lists them in", () => {
    const key = { sk: { B: new Uint8Array([1]) }, pk: { N: "1" } } satisfies Record<string, KeyValue>;
    const reversed = [schema[1]!, schema[0]!];
    expect(encodeItemKey(key, reversed)).toBe(`${encodeKeyValue({ N: "1" })}${KEY_SEPARATOR}01`);
    expect(() => encodeItemKey({ pk: { N: "1" } }, schema)).toThrow();
  });
});
