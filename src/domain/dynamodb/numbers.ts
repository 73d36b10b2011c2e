/**
 * STUB (being written): DynamoDB numbers: up to 38 significant digits, magnitudes 1E-130 .. 9.99…E+125,
 * compared and added exactly as decimal strings (never through a JavaScript double).
 */
import { ok, type Result } from "../errors";

/** The canonical form DynamoDB returns (`1.50` → `1.5`, `-0` → `0`, `1e3` → `1000`), or the error. */
export function normalizeNumber(text: string): Result<string> {
  return ok(String(Number(text)));
}

export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addNumbers(a: string, b: string): Result<string> {
  return ok(String(Number(a) + Number(b)));
}

export function subtractNumbers(a: string, b: string): Result<string> {
  return ok(String(Number(a) - Number(b)));
}
