/**
 * DynamoDB numbers: up to 38 significant digits, magnitudes 1E-130 .. 9.99…E+125, compared and added
 * exactly as decimal strings (never through a JavaScript double: `0.1 + 0.2` must be `0.3`, and a
 * 38-digit counter must count). AWS parses with Java's BigDecimal grammar, so that is the grammar here:
 * an optional sign, digits with an optional point, an optional exponent; no spaces, no NaN/Infinity.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
 */
import { fail, ok, type Result } from "../errors";
import { validation } from "./errors";

/**
 * A parsed number: `sign × d₁.d₂…dₙ × 10^exponent`. `digits` has no leading or trailing zeros (so its
 * length is the count of significant digits); zero is sign 0, digits "" and exponent 0.
 */
export interface DecimalNumber {
  sign: -1 | 0 | 1;
  digits: string;
  exponent: number;
}

export const MAX_SIGNIFICANT_DIGITS = 38;
/** 9.99…E+125 is the largest magnitude, 1E-130 the smallest (the developer guide's range). */
export const MAX_EXPONENT = 125;
export const MIN_EXPONENT = -130;

// Texts as AWS words them (dynalite's tests, recorded against AWS; the conversion text is today's).
export const NOT_A_NUMBER = "A value provided cannot be converted into a number";
export const TOO_MANY_DIGITS = "Attempting to store more than 38 significant digits in a Number";
export const OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range";
export const UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range";

const GRAMMAR = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Java's BigDecimal refuses exponents beyond an int; so does AWS (as a value it cannot convert). */
const MAX_EXPONENT_TEXT = 2 ** 31 - 1;

const ZERO: DecimalNumber = { sign: 0, digits: "", exponent: 0 };

/** Parses without the range rules: any text BigDecimal accepts. */
function parseText(text: string): DecimalNumber | undefined {
  const match = GRAMMAR.exec(text);
  if (!match) return undefined;
  const [, signText = "", whole = "", fraction = "", exponentText] = match;
  if (whole === "" && fraction === "") return undefined;
  const shift = exponentText === undefined ? 0 : Number(exponentText);
  if (!Number.isSafeInteger(shift) || Math.abs(shift) > MAX_EXPONENT_TEXT) return undefined;
  const all = whole + fraction;
  const first = all.search(/[1-9]/);
  if (first < 0) return ZERO;
  const digits = all.slice(first).replace(/0+$/, "");
  // The first significant digit sits at position `first`; the point sits after `whole`.
  const exponent = whole.length - first - 1 + shift;
  return { sign: signText === "-" ? -1 : 1, digits, exponent };
}

/** The first rule a parsed number breaks, in AWS's order: magnitude before precision. */
function rangeProblem(n: DecimalNumber): string | undefined {
  if (n.sign === 0) return undefined;
  if (n.exponent > MAX_EXPONENT) return OVERFLOW;
  if (n.exponent < MIN_EXPONENT) return UNDERFLOW;
  if (n.digits.length > MAX_SIGNIFICANT_DIGITS) return TOO_MANY_DIGITS;
  return undefined;
}

/** Parses and checks a number as DynamoDB stores it. */
export function parseNumber(text: string): Result<DecimalNumber> {
  const parsed = parseText(text);
  if (!parsed) return fail(validation(NOT_A_NUMBER));
  const problem = rangeProblem(parsed);
  return problem ? fail(validation(problem)) : ok(parsed);
}

/** Plain notation, never an exponent: what DynamoDB returns (`1e3` → `1000`, `1E-3` → `0.001`). */
export function formatNumber(n: DecimalNumber): string {
  if (n.sign === 0) return "0";
  const sign = n.sign < 0 ? "-" : "";
  const { digits, exponent } = n;
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (exponent >= digits.length - 1) return `${sign}${digits}${"0".repeat(exponent - digits.length + 1)}`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** The canonical form DynamoDB returns (`1.50` → `1.5`, `-0` → `0`, `1e3` → `1000`, `+5` → `5`), or the error. */
export function normalizeNumber(text: string): Result<string> {
  const parsed = parseNumber(text);
  return parsed.ok ? ok(formatNumber(parsed.value)) : parsed;
}

/** Parses text that was validated before; anything else reaching here is a bug. */
function parsed(text: string): DecimalNumber {
  const n = parseText(text);
  if (!n) throw new Error(`not a DynamoDB number: ${JSON.stringify(text)}`);
  return n;
}

/** Orders two parsed numbers: sign, then exponent, then digits (no trailing zeros, so text order works). */
export function compareDecimals(a: DecimalNumber, b: DecimalNumber): -1 | 0 | 1 {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1;
  if (a.sign === 0) return 0;
  let order: -1 | 0 | 1 = 0;
  if (a.exponent !== b.exponent) order = a.exponent < b.exponent ? -1 : 1;
  else if (a.digits !== b.digits) order = a.digits < b.digits ? -1 : 1;
  return a.sign < 0 ? ((-order || 0) as -1 | 0 | 1) : order;
}

export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  return compareDecimals(parsed(a), parsed(b));
}

/** `n` as an integer times a power of ten: `coefficient × 10^scale`. */
function toScaled(n: DecimalNumber): { coefficient: bigint; scale: number } {
  if (n.sign === 0) return { coefficient: 0n, scale: 0 };
  const coefficient = BigInt(n.digits) * BigInt(n.sign);
  return { coefficient, scale: n.exponent - n.digits.length + 1 };
}

function fromScaled(coefficient: bigint, scale: number): DecimalNumber {
  if (coefficient === 0n) return ZERO;
  const negative = coefficient < 0n;
  const text = (negative ? -coefficient : coefficient).toString();
  const digits = text.replace(/0+$/, "");
  return { sign: negative ? -1 : 1, digits, exponent: scale + text.length - 1 };
}

/**
 * The exact sum, held to the stored-number rules. AWS's texts for an out-of-range result are not
 * recorded; the value rules' texts are what it answers for the same limits, so they are used here.
 */
function sum(a: string, b: string, negateB: boolean): Result<string> {
  const x = toScaled(parsed(a));
  const y = toScaled(parsed(b));
  // Zero's scale is arbitrary: aligning to it would only add zeros, so only non-zero terms count.
  const scales = [x, y].filter((v) => v.coefficient !== 0n).map((v) => v.scale);
  const scale = scales.length ? Math.min(...scales) : 0;
  const align = (v: { coefficient: bigint; scale: number }) =>
    v.coefficient === 0n ? 0n : v.coefficient * 10n ** BigInt(v.scale - scale);
  const total = align(x) + (negateB ? -align(y) : align(y));
  const result = fromScaled(total, scale);
  const problem = rangeProblem(result);
  return problem ? fail(validation(problem)) : ok(formatNumber(result));
}

export function addNumbers(a: string, b: string): Result<string> {
  return sum(a, b, false);
}

export function subtractNumbers(a: string, b: string): Result<string> {
  return sum(a, b, true);
}
