/**
 * JSON reading for filter policies, in the words of the Java parser (Jackson) SNS runs.
 *
 * AWS checks a policy in two passes, and each shows up in its error texts:
 *  1. It parses the attribute value as JSON. Syntax errors read "failed to parse JSON. <Jackson message>" with a
 *     redacted source and the line/column of the fault (test_sns.snapshot.json: `{invalidjson}` → column 2).
 *  2. It re-serializes the parsed policy compactly and hands that text to its rule compiler, which streams over
 *     it. Rule errors quote the compact text and the column where the parser stood when it gave up
 *     (test_sns_filter_policy.snapshot.json: `{"key":[["value"]]}` → column 10, though the test sent
 *     `{"key": [["value"]]}`).
 * `readPolicyJson` is pass 1 and produces the compact text; filter-policy-cursor.ts replays pass 2's positions.
 */

const REDACTED_SOURCE = "REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)";
const VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

export type ReadResult = { ok: true; compact: string } | { ok: false; message: string };

/**
 * What a reading step returns when the text is not valid JSON, after recording Jackson's message in the
 * reader: the descent stops at the first fault, and an invalid policy is an expected input, not a bug.
 */
const FAILED: unique symbol = Symbol("invalid JSON");
type Failed = typeof FAILED;
/** A step that produces nothing but output: it moved on (undefined) or FAILED. */
type Step = Failed | undefined;

/** Parses `text` as strict JSON (what Jackson accepts by default) and re-serializes it as Jackson would. */
export function readPolicyJson(text: string): ReadResult {
  const reader = new StrictReader(text);
  const compact = reader.readDocument();
  return compact === FAILED ? { ok: false, message: reader.fault! } : { ok: true, compact };
}

/** `Unexpected character ('x' (code 120))`: how Jackson names a character in its errors. */
function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${char}' (code ${code} / 0x${code.toString(16)})`;
  return `'${char}' (code ${code})`;
}

/** A recursive-descent parser that emits compact JSON while it validates. */
class StrictReader {
  private pos = 0;
  private out = "";
  /** Jackson's message for the first fault, once a step has returned FAILED. */
  fault: string | undefined;

  constructor(private readonly text: string) {}

  readDocument(): string | Failed {
    if (this.skipSpace() === FAILED) return FAILED;
    if (this.pos >= this.text.length) return this.fail("No content to map due to end-of-input", this.pos);
    if (this.readValue() === FAILED || this.skipSpace() === FAILED) return FAILED;
    if (this.pos < this.text.length) return this.unexpected("expected end-of-input");
    return this.out;
  }

  /** Line and column as Jackson counts them (1-based; `\r\n` is one line break). */
  private location(at: number): string {
    let line = 1;
    let rowStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "\n" || (c === "\r" && this.text[i + 1] !== "\n")) {
        line++;
        rowStart = i + 1;
      }
    }
    return `[Source: ${REDACTED_SOURCE}; line: ${line}, column: ${at - rowStart + 1}]`;
  }

  private fail(message: string, at: number): Failed {
    this.fault ??= `${message}\n at ${this.location(at)}`;
    return FAILED;
  }

  /** Jackson points at the offending character itself. */
  private unexpected(expectation: string): Failed {
    const char = String.fromCodePoint(this.text.codePointAt(this.pos) ?? 0);
    return this.fail(`Unexpected character (${describeChar(char)}): ${expectation}`, this.pos);
  }

  private endOfInput(container: "Object" | "Array", start: number): Failed {
    return this.fail(
      `Unexpected end-of-input: expected close marker for ${container} (start marker at ${this.location(start)})`,
      this.text.length,
    );
  }

  private skipSpace(): Step {
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos]!;
      if (c === " " || c === "\t" || c === "\n" || c === "\r") continue;
      if (c === "/") {
        return this.unexpected(
          "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
        );
      }
      if (c < " ") {
        return this.fail(
          `Illegal character (${describeChar(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`,
          this.pos,
        );
      }
      return undefined;
    }
    return undefined;
  }

  /** White space inside a container, where the input must not end. */
  private skipSpaceWithin(container: "Object" | "Array", start: number): Step {
    if (this.skipSpace() === FAILED) return FAILED;
    return this.pos < this.text.length ? undefined : this.endOfInput(container, start);
  }

  private readValue(): Step {
    const c = this.text[this.pos];
    if (c === "{") return this.readObject();
    if (c === "[") return this.readArray();
    if (c === '"') {
      const value = this.readString();
      if (value === FAILED) return FAILED;
      this.out += compactString(value);
      return undefined;
    }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.readNumber();
    for (const literal of ["true", "false", "null"]) {
      if (this.text.startsWith(literal, this.pos) && !isIdentifierPart(this.text[this.pos + literal.length])) {
        this.pos += literal.length;
        this.out += literal;
        return undefined;
      }
    }
    if (c !== undefined && isIdentifierPart(c)) {
      // Jackson reads the whole would-be keyword before complaining about it.
      const start = this.pos;
      while (this.pos < this.text.length && isIdentifierPart(this.text[this.pos]) && this.pos - start < 256) this.pos++;
      return this.fail(`Unrecognized token '${this.text.slice(start, this.pos)}': was expecting ${VALID_VALUES}`, this.pos);
    }
    return this.unexpected(`expected a valid value ${VALID_VALUES}`);
  }

  private readObject(): Step {
    return this.readContainer("Object", "}", (start) => {
      if (this.text[this.pos] !== '"') return this.unexpected("was expecting double-quote to start field name");
      const name = this.readString();
      if (name === FAILED) return FAILED;
      this.out += compactString(name) + ":";
      if (this.skipSpaceWithin("Object", start) === FAILED) return FAILED;
      if (this.text[this.pos] !== ":") return this.unexpected("was expecting a colon to separate field name and value");
      this.pos++;
      if (this.skipSpaceWithin("Object", start) === FAILED) return FAILED;
      return this.readValue();
    });
  }

  private readArray(): Step {
    return this.readContainer("Array", "]", () => this.readValue());
  }

  /** An object or array from its opening marker: entries separated by commas, as Jackson reads them. */
  private readContainer(container: "Object" | "Array", close: "}" | "]", readEntry: (start: number) => Step): Step {
    const start = this.pos;
    this.out += this.text[this.pos++];
    if (this.skipSpaceWithin(container, start) === FAILED) return FAILED;
    if (this.text[this.pos] !== close) {
      for (;;) {
        if (readEntry(start) === FAILED || this.skipSpaceWithin(container, start) === FAILED) return FAILED;
        if (this.text[this.pos] === close) break;
        if (this.text[this.pos] !== ",") return this.unexpected(`was expecting comma to separate ${container} entries`);
        this.pos++;
        this.out += ",";
        if (this.skipSpaceWithin(container, start) === FAILED) return FAILED;
      }
    }
    this.pos++;
    this.out += close;
    return undefined;
  }

  /** Reads a string token starting at its opening quote and returns its decoded value. */
  private readString(): string | Failed {
    let value = "";
    this.pos++;
    for (;;) {
      if (this.pos >= this.text.length) {
        return this.fail("Unexpected end-of-input: was expecting closing quote for a string value", this.text.length);
      }
      const c = this.text[this.pos]!;
      if (c === '"') {
        this.pos++;
        return value;
      }
      if (c < " ") {
        return this.fail(
          `Illegal unquoted character (${describeChar(c)}): has to be escaped using backslash to be included in string value`,
          this.pos,
        );
      }
      if (c !== "\\") {
        value += c;
        this.pos++;
        continue;
      }
      const escape = this.text[++this.pos];
      const simple = escape === undefined ? undefined : SIMPLE_ESCAPES[escape];
      if (simple !== undefined) {
        value += simple;
        this.pos++;
      } else if (escape === "u") {
        let code = 0;
        for (let i = 0; i < 4; i++) {
          this.pos++;
          const digit = parseInt(this.text[this.pos] ?? "", 16);
          if (Number.isNaN(digit)) {
            if (this.pos >= this.text.length) return this.fail("Unexpected end-of-input in character escape sequence", this.pos);
            return this.unexpected("expected a hex-digit for character escape sequence");
          }
          code = code * 16 + digit;
        }
        value += String.fromCharCode(code);
        this.pos++;
      } else if (escape === undefined) {
        return this.fail("Unexpected end-of-input in character escape sequence", this.pos);
      } else {
        return this.fail(`Unrecognized character escape ${describeChar(escape)}`, this.pos);
      }
    }
  }

  private readNumber(): Step {
    const start = this.pos;
    const digits = (): number => {
      const from = this.pos;
      while (this.text[this.pos] !== undefined && this.text[this.pos]! >= "0" && this.text[this.pos]! <= "9") this.pos++;
      return this.pos - from;
    };
    const expectDigit = (what: string): Failed => {
      if (this.pos >= this.text.length) return this.fail("Unexpected end-of-input in a Number value", this.pos);
      const char = this.text[this.pos]!;
      return this.fail(`Unexpected character (${describeChar(char)}) in numeric value: ${what}`, this.pos);
    };
    if (this.text[this.pos] === "-") this.pos++;
    const intStart = this.pos;
    if (digits() === 0) return expectDigit("expected digit (0-9) to follow minus sign, for valid numeric value");
    if (this.text[intStart] === "0" && this.pos - intStart > 1) {
      return this.fail("Invalid numeric value: Leading zeroes not allowed", intStart + 1);
    }
    let integral = true;
    if (this.text[this.pos] === ".") {
      integral = false;
      this.pos++;
      if (digits() === 0) return expectDigit("Decimal point not followed by a digit");
    }
    if (this.text[this.pos] === "e" || this.text[this.pos] === "E") {
      integral = false;
      this.pos++;
      if (this.text[this.pos] === "+" || this.text[this.pos] === "-") this.pos++;
      if (digits() === 0) return expectDigit("Exponent indicator not followed by a digit");
    }
    const literal = this.text.slice(start, this.pos);
    this.out += integral ? (literal === "-0" ? "0" : literal) : javaDouble(Number(literal));
    return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** Java's Character.isJavaIdentifierPart, close enough for naming a bad token. */
function isIdentifierPart(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}\p{Sc}]/u.test(char);
}

/** Jackson escapes like JSON.stringify, but with upper-case hex digits. */
function compactString(value: string): string {
  return JSON.stringify(value).replace(/\\u00([0-9a-f]{2})/g, (_, hex: string) => `\\u00${hex.toUpperCase()}`);
}

/**
 * Java's Double.toString, which Jackson uses to write back a parsed float: `1.5`, `100.0`, `1.0E-4`, `1.5E10`.
 * A float too large for a double becomes the quoted string "Infinity", as Jackson writes non-finite numbers.
 */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return JSON.stringify(value > 0 ? "Infinity" : "-Infinity");
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  const [mantissa = "0", exponentText = "0"] = abs.toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent >= 0) {
      const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      return `${sign}${integer}.${digits.slice(exponent + 1) || "0"}`;
    }
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${exponent}`;
}
