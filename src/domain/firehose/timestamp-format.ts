/**
 * The part of Java's DateTimeFormatter that `!{timestamp:<pattern>}` needs: Firehose takes "strings
 * that are valid Java DateTimeFormatter strings" (https://docs.aws.amazon.com/firehose/latest/dev/
 * s3-prefixes.html#timestamp-namespace) and formats them in English. The letter rules (counts, padding,
 * texts) and the reasons a pattern is refused follow DateTimeFormatterBuilder.appendPattern
 * (https://docs.oracle.com/javase/8/docs/api/java/time/format/DateTimeFormatter.html#patterns).
 * Letters whose output depends on locale week rules or zone display names (Y w W e c F z, p, B g) are
 * valid Java but not carried out here: compilePattern says so instead of printing something else.
 */
import type { WallClock } from "./time-zones";

export type PatternToken = { kind: "literal"; text: string } | { kind: "field"; letter: string; count: number };

export type CompiledPattern =
  | { ok: true; tokens: PatternToken[] }
  /** `unsupported`: valid Java, not done by this emulator. Otherwise Java's own reason. */
  | { ok: false; reason: string; unsupported?: boolean };

/** Letters Java knows but this module does not print (locale week fields, zone names, padding). */
const UNSUPPORTED = new Set(["Y", "w", "W", "e", "c", "F", "z", "p", "B", "g"]);

/** Most letters allowed per field letter (Java's "Too many pattern letters"). */
const MAX_COUNT: Record<string, number> = {
  G: 5,
  M: 5,
  L: 5,
  Q: 5,
  q: 5,
  E: 5,
  a: 1,
  d: 2,
  H: 2,
  h: 2,
  K: 2,
  k: 2,
  m: 2,
  s: 2,
  D: 3,
  X: 5,
  x: 5,
  Z: 5,
};
/** Letters with no upper bound on their count (values padded to the count). */
const OPEN_COUNT = new Set(["y", "u", "S", "A", "n", "N"]);

/** Java's appendPattern, as far as validity goes: the pattern as tokens, or why Java refuses it. */
export function compilePattern(pattern: string): CompiledPattern {
  const tokens: PatternToken[] = [];
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === "literal") last.text += text;
    else tokens.push({ kind: "literal", text });
  };
  let optionalDepth = 0;
  for (let i = 0; i < pattern.length;) {
    const c = pattern.charAt(i);
    if (/[A-Za-z]/.test(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      const problem = checkLetter(c, n);
      if (problem) return problem;
      tokens.push({ kind: "field", letter: c, count: n });
      i += n;
    } else if (c === "'") {
      // 'text' is literal; '' is one quote, inside a literal or outside one.
      let j = i + 1;
      let text = "";
      for (;;) {
        if (j >= pattern.length) return { ok: false, reason: `Pattern ends with an incomplete string literal: ${pattern}` };
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j++];
      }
      literal(j === i + 1 ? "'" : text);
      i = j + 1;
    } else if (c === "[") {
      // Optional sections print whenever their fields are available, and a zoned instant has them all.
      optionalDepth++;
      i++;
    } else if (c === "]") {
      if (optionalDepth === 0) return { ok: false, reason: "Pattern invalid as it contains ] without previous [" };
      optionalDepth--;
      i++;
    } else if (c === "{" || c === "}" || c === "#") {
      return { ok: false, reason: `Pattern includes reserved character: '${c}'` };
    } else {
      literal(c);
      i++;
    }
  }
  return { ok: true, tokens };
}

function checkLetter(c: string, n: number): CompiledPattern | undefined {
  if (UNSUPPORTED.has(c)) {
    return { ok: false, unsupported: true, reason: `The DateTimeFormatter pattern letter ${c}` };
  }
  if (c === "V") return n === 2 ? undefined : { ok: false, reason: "Pattern letter count must be 2: V" };
  if (c === "O") return n === 1 || n === 4 ? undefined : { ok: false, reason: "Pattern letter count must be 1 or 4: O" };
  if (OPEN_COUNT.has(c)) return undefined;
  const max = MAX_COUNT[c];
  if (max === undefined) return { ok: false, reason: `Unknown pattern letter: ${c}` };
  return n > max ? { ok: false, reason: `Too many pattern letters: ${c}` } : undefined;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const QUARTERS = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];

const pad = (v: number, width: number) => String(v).padStart(width, "0");

/** Java's text styles by letter count: 1–3 SHORT, 4 FULL, 5 NARROW. */
const text = (full: string, count: number, short = full.slice(0, 3)) =>
  count === 4 ? full : count === 5 ? full.charAt(0) : short;

/** Formats a compiled pattern at one wall-clock reading. */
export function formatPattern(tokens: PatternToken[], t: WallClock): string {
  let out = "";
  for (const tok of tokens) out += tok.kind === "literal" ? tok.text : formatField(tok.letter, tok.count, t);
  return out;
}

function formatField(letter: string, n: number, t: WallClock): string {
  switch (letter) {
    case "G":
      return n === 4 ? "Anno Domini" : n === 5 ? "A" : "AD";
    case "y":
    case "u":
      // yy is the two-digit reduced year; y and yyy pad to their count; yyyy… pad too.
      return n === 2 ? pad(t.year % 100, 2) : pad(t.year, n);
    case "M":
    case "L":
      return n <= 2 ? pad(t.month, n) : text(MONTHS[t.month - 1] ?? "", n);
    case "Q":
    case "q": {
      const q = Math.ceil(t.month / 3);
      return n <= 2 ? pad(q, n) : n === 3 ? `Q${q}` : n === 4 ? (QUARTERS[q - 1] ?? "") : String(q);
    }
    case "E":
      return text(DAYS[t.dayOfWeek - 1] ?? "", n);
    case "d":
      return pad(t.day, n);
    case "D":
      return pad(t.dayOfYear, n);
    case "a":
      return t.hour < 12 ? "AM" : "PM";
    case "H":
      return pad(t.hour, n);
    case "k":
      return pad(t.hour === 0 ? 24 : t.hour, n);
    case "K":
      return pad(t.hour % 12, n);
    case "h":
      return pad(t.hour % 12 === 0 ? 12 : t.hour % 12, n);
    case "m":
      return pad(t.minute, n);
    case "s":
      return pad(t.second, n);
    case "S":
      // A fraction of the second, truncated or zero-extended to n digits (instants here are in ms).
      return pad(t.millisecond, 3).padEnd(n, "0").slice(0, n);
    case "A":
      return pad(((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + t.millisecond, n);
    case "n":
      return pad(t.millisecond * 1_000_000, n);
    case "N":
      return pad((((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + t.millisecond) * 1_000_000, n);
    case "V":
      return t.zone;
    case "O":
      return localizedOffset(t.offsetSeconds, n === 4);
    case "X":
      return offset(t.offsetSeconds, n, "Z");
    case "x":
      return offset(t.offsetSeconds, n, undefined);
    case "Z":
      return n <= 3
        ? offset(t.offsetSeconds, 2, undefined)
        : n === 4
          ? localizedOffset(t.offsetSeconds, true)
          : offset(t.offsetSeconds, 5, "Z");
  }
  throw new Error(`compilePattern let through pattern letter ${letter}`);
}

/**
 * X/x by count: +HHmm, +HHMM, +HH:MM, +HHMMss, +HH:MM:ss (lower-case parts only when non-zero);
 * X writes `Z` for a zero offset, x writes the digits.
 */
function offset(total: number, n: number, zero: string | undefined): string {
  if (total === 0 && zero) return zero;
  const sign = total < 0 ? "-" : "+";
  const abs = Math.abs(total);
  const [h, m, s] = [Math.floor(abs / 3600), Math.floor(abs / 60) % 60, abs % 60];
  const colon = n === 3 || n === 5 ? ":" : "";
  let out = `${sign}${pad(h, 2)}`;
  if (n === 1) return m ? `${out}${pad(m, 2)}` : out;
  out += `${colon}${pad(m, 2)}`;
  if (n >= 4 && s) out += `${colon}${pad(s, 2)}`;
  return out;
}

/** O / OOOO and ZZZZ: `GMT+9`, `GMT+09:00`; `GMT` for zero. */
function localizedOffset(total: number, full: boolean): string {
  if (total === 0) return "GMT";
  const sign = total < 0 ? "-" : "+";
  const abs = Math.abs(total);
  const [h, m, s] = [Math.floor(abs / 3600), Math.floor(abs / 60) % 60, abs % 60];
  if (full) return `GMT${sign}${pad(h, 2)}:${pad(m, 2)}${s ? `:${pad(s, 2)}` : ""}`;
  return `GMT${sign}${h}${m || s ? `:${pad(m, 2)}` : ""}${s ? `:${pad(s, 2)}` : ""}`;
}
