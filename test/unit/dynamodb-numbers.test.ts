import { describe, expect, it } from "vitest";
import {
  addNumbers,
  compareNumbers,
  normalizeNumber,
  NOT_A_NUMBER,
  OVERFLOW,
  parseNumber,
  subtractNumbers,
  TOO_MANY_DIGITS,
  UNDERFLOW,
} from "../../src/domain/dynamodb/numbers";
import type { Result } from "../../src/domain/errors";

const value = (r: Result<string>) => (r.ok ? r.value : `error: ${r.error.message}`);
const problem = (r: Result<unknown>) => (r.ok ? undefined : r.error);

/** An independent oracle: the number as an exact rational coefficient × 10^scale, from the text alone. */
function rational(text: string): { c: bigint; s: number } {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const frac = m[3] ?? "";
  const c = BigInt(`${m[2] ?? ""}${frac}` || "0") * (m[1] === "-" ? -1n : 1n);
  return { c, s: Number(m[4] ?? 0) - frac.length };
}
function oracleCompare(a: string, b: string): number {
  const x = rational(a);
  const y = rational(b);
  const s = Math.min(x.s, y.s);
  const xa = x.c * 10n ** BigInt(x.s - s);
  const ya = y.c * 10n ** BigInt(y.s - s);
  return xa < ya ? -1 : xa > ya ? 1 : 0;
}

/** A random valid DynamoDB number in many spellings (signs, leading zeros, exponents, points). */
function randomNumber(rand: () => number): string {
  const digits = 1 + Math.floor(rand() * 38);
  let d = String(1 + Math.floor(rand() * 9));
  for (let i = 1; i < digits; i++) d += String(Math.floor(rand() * 10));
  const exponent = -130 + Math.floor(rand() * 256); // of the first digit
  const sign = rand() < 0.5 ? "-" : rand() < 0.2 ? "+" : "";
  if (rand() < 0.05) return rand() < 0.5 ? "0" : "-0.000";
  // d₁.d₂… × 10^exponent written as an integer mantissa and an exponent
  return `${sign}${rand() < 0.3 ? "00" : ""}${d}e${exponent - digits + 1}`;
}

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("DynamoDB numbers: canonical text", () => {
  it.each([
    ["1.50", "1.5"],
    ["-0", "0"],
    ["0.000", "0"],
    ["+5", "5"],
    ["1e3", "1000"],
    ["1E+3", "1000"],
    ["1e-3", "0.001"],
    ["-1.2e1", "-12"],
    ["007", "7"],
    [".5", "0.5"],
    ["5.", "5"],
    ["-.5e-2", "-0.005"],
    ["123.456", "123.456"],
    ["0e999", "0"],
    ["100", "100"],
    ["12345.6789e2", "1234567.89"],
  ])("%s → %s", (input, output) => {
    expect(value(normalizeNumber(input))).toBe(output);
  });

  it("keeps AWS's extremes (dynalite's 'really long numbers', as AWS returned them)", () => {
    expect(value(normalizeNumber("0000012345678901234567890123456789012345678"))).toBe("12345678901234567890123456789012345678");
    expect(value(normalizeNumber("-00001.23456789012345678901234567890123456780000"))).toBe(
      "-1.2345678901234567890123456789012345678",
    );
    expect(value(normalizeNumber("0009.99999999999999999999999999999999999990000e125"))).toBe("9".repeat(38) + "0".repeat(88));
    expect(value(normalizeNumber("-0009.99999999999999999999999999999999999990000e125"))).toBe(
      "-" + "9".repeat(38) + "0".repeat(88),
    );
    expect(value(normalizeNumber("0001.000e-130"))).toBe("0." + "0".repeat(129) + "1");
    expect(value(normalizeNumber("-0001.000e-130"))).toBe("-0." + "0".repeat(129) + "1");
    // Trailing zeros of an integer are not significant digits.
    expect(value(normalizeNumber("1" + "0".repeat(125)))).toBe("1" + "0".repeat(125));
  });

  it("refuses what is not a number, with AWS's text", () => {
    for (const text of [
      "",
      " 1",
      "1 ",
      "abc",
      "1e",
      "e5",
      ".",
      "-",
      "+-1",
      "0x10",
      "NaN",
      "Infinity",
      "1,5",
      "1.2.3",
      "1e5.5",
      '"42"',
      "1e99999999999",
    ])
      expect(problem(normalizeNumber(text))).toMatchObject({ code: "ValidationException", message: NOT_A_NUMBER });
  });

  it("refuses more than 38 significant digits", () => {
    expect(problem(normalizeNumber("123456789012345678901234567890123456789"))?.message).toBe(TOO_MANY_DIGITS);
    expect(problem(normalizeNumber("-1.23456789012345678901234567890123456789"))?.message).toBe(TOO_MANY_DIGITS);
    expect(TOO_MANY_DIGITS).toBe("Attempting to store more than 38 significant digits in a Number");
    // 38 digits with zeros around them are fine
    expect(normalizeNumber("000" + "1".repeat(38) + "000").ok).toBe(true);
  });

  it("refuses magnitudes beyond 9.99…E+125 and below 1E-130", () => {
    for (const text of ["1e126", "-1e126", "10e125", "1" + "0".repeat(126)])
      expect(problem(normalizeNumber(text))?.message).toBe(OVERFLOW);
    for (const text of ["1e-131", "-1e-131", "0.1e-130"]) expect(problem(normalizeNumber(text))?.message).toBe(UNDERFLOW);
    expect(normalizeNumber("9.9999999999999999999999999999999999999e125").ok).toBe(true);
    expect(normalizeNumber("1e-130").ok).toBe(true);
    // magnitude is checked before precision, as AWS does
    expect(problem(normalizeNumber("1".repeat(39) + "e200"))?.message).toBe(OVERFLOW);
  });

  it("parses into sign, digits and exponent", () => {
    expect(parseNumber("-0.00120")).toEqual({ ok: true, value: { sign: -1, digits: "12", exponent: -3 } });
    expect(parseNumber("0")).toEqual({ ok: true, value: { sign: 0, digits: "", exponent: 0 } });
  });
});

describe("DynamoDB numbers: comparison", () => {
  it("orders exactly, past a double's precision", () => {
    expect(compareNumbers("1", "1.0")).toBe(0);
    expect(compareNumbers("-0", "0")).toBe(0);
    expect(compareNumbers("10", "9")).toBe(1);
    expect(compareNumbers("-10", "-9")).toBe(-1);
    expect(compareNumbers("0.1", "1e-1")).toBe(0);
    expect(compareNumbers("12345678901234567890123456789012345678", "12345678901234567890123456789012345679")).toBe(-1);
    expect(compareNumbers("1e-130", "0")).toBe(1);
    expect(compareNumbers("-1e-130", "0")).toBe(-1);
    expect(compareNumbers("1.5", "1.49999999999999999999999999999999999")).toBe(1);
  });

  it("agrees with exact rational comparison on random numbers", () => {
    const rand = seeded(42);
    for (let i = 0; i < 3000; i++) {
      const a = randomNumber(rand);
      const b = rand() < 0.1 ? a.replace(/e(-?\d+)$/, (_, e) => `0e${Number(e) - 1}`) : randomNumber(rand);
      expect(compareNumbers(a, b), `${a} vs ${b}`).toBe(oracleCompare(a, b));
    }
  });

  it("throws for text that was never validated (a bug, not a client error)", () => {
    expect(() => compareNumbers("x", "1")).toThrow();
  });
});

describe("DynamoDB numbers: arithmetic", () => {
  it.each([
    ["0.1", "0.2", "0.3"],
    ["1", "-1", "0"],
    ["-5", "3", "-2"],
    ["99999999999999999999999999999999999999", "-1", "99999999999999999999999999999999999998"],
    ["1e125", "1e125", "2" + "0".repeat(125)],
    ["1.5", "0", "1.5"],
    ["0", "0", "0"],
    ["1e-130", "1e-130", "0." + "0".repeat(129) + "2"],
  ])("%s + %s = %s", (a, b, total) => {
    expect(value(addNumbers(a, b))).toBe(total);
  });

  it.each([
    ["0.3", "0.1", "0.2"],
    ["1", "1", "0"],
    ["-5", "3", "-8"],
    ["1", "1e-37", "0.9999999999999999999999999999999999999"],
  ])("%s - %s = %s", (a, b, difference) => {
    expect(value(subtractNumbers(a, b))).toBe(difference);
  });

  it("holds results to the stored-number rules", () => {
    expect(problem(addNumbers("9.9999999999999999999999999999999999999e125", "1e88"))?.message).toBe(OVERFLOW);
    expect(problem(subtractNumbers("-9e125", "1e125"))?.message).toBe(OVERFLOW);
    expect(problem(addNumbers("1", "1e-40"))?.message).toBe(TOO_MANY_DIGITS);
    expect(problem(addNumbers("99999999999999999999999999999999999999", "0.1"))?.message).toBe(TOO_MANY_DIGITS);
    // 38 nines + 1 is 1e38: one significant digit, fine
    expect(value(addNumbers("9".repeat(38), "1"))).toBe("1" + "0".repeat(38));
  });

  it("agrees with exact rational arithmetic on random numbers", () => {
    const rand = seeded(7);
    for (let i = 0; i < 2000; i++) {
      const a = randomNumber(rand);
      const b = randomNumber(rand);
      const sum = addNumbers(a, b);
      if (!sum.ok) continue;
      // a + b - b = a, compared exactly; and a + b compares to a as b compares to 0
      expect(oracleCompare(sum.value, a), `${a} + ${b}`).toBe(oracleCompare(b, "0"));
      const back = subtractNumbers(sum.value, b);
      if (back.ok) expect(oracleCompare(back.value, a), `${a} + ${b} - ${b}`).toBe(0);
    }
  });
});
