/**
 * The positions AWS's rule compiler reports. It streams over the compact policy text with Jackson, and its
 * errors end in "at [Source: (String)"<policy>"; line: 1, column: N]" where N is wherever that parser stood
 * (see filter-policy-json.ts for how the compact text is made).
 */

/** Jackson quotes at most this much of the source in a location. */
const MAX_SOURCE_SNIPPET = 500;

/** A literal or number at the cursor (the text is valid compact JSON, so this is all that can be there). */
const SCALAR = /true|false|null|-?[0-9][0-9.eE+-]*/y;

export type RuleToken =
  | "START_OBJECT"
  | "END_OBJECT"
  | "START_ARRAY"
  | "END_ARRAY"
  | "FIELD_NAME"
  | "STRING"
  | "NUMBER"
  | "TRUE"
  | "FALSE"
  | "NULL"
  | "END";

interface PendingString {
  end: number;
  value: string;
}

/**
 * A token stream over compact, valid JSON that stands where Jackson's streaming parser would stand, so the
 * rule checks can report Jackson's column. Two habits of that parser decide the column:
 *  - reading a field name also consumes the start of its value (all of a number or literal, just the opening
 *    quote of a string); the next `next()` hands that value out without moving;
 *  - a string value is read lazily: only `text()` moves past its closing quote.
 */
export class RuleCursor {
  private pos = 0;
  private token: RuleToken = "END";
  private tokenText = "";
  private pending: { token: RuleToken; text: string } | undefined;
  private unreadString: PendingString | undefined;
  private readonly containers: Array<"object" | "array"> = [];
  private fieldName = "";

  constructor(private readonly source: string) {}

  /** Jackson's 1-based column (the compact text is a single line). */
  get column(): number {
    return this.pos + 1;
  }

  get currentName(): string {
    return this.fieldName;
  }

  /** The message suffix naming where the parser stands, as Jackson words it. */
  location(): string {
    const overflow = this.source.length - MAX_SOURCE_SNIPPET;
    const snippet =
      overflow > 0 ? `"${this.source.slice(0, MAX_SOURCE_SNIPPET)}"[truncated ${overflow} chars]` : `"${this.source}"`;
    return `[Source: (String)${snippet}; line: 1, column: ${this.column}]`;
  }

  next(): RuleToken {
    if (this.pending) {
      const { token, text } = this.pending;
      this.pending = undefined;
      return this.set(token, text);
    }
    if (this.unreadString) {
      this.pos = this.unreadString.end;
      this.unreadString = undefined;
    }
    if (this.source[this.pos] === ",") this.pos++;
    const char = this.source[this.pos];
    const inObject = this.containers.at(-1) === "object";
    if (char === '"' && inObject && (this.source[this.pos - 1] === "{" || this.source[this.pos - 1] === ",")) {
      const name = this.scanString(this.pos);
      this.pos = name.end + 1; // past the colon
      this.fieldName = name.value;
      const value = this.scanValue();
      this.pending = value;
      return this.set("FIELD_NAME", name.value);
    }
    if (char === undefined) return this.set("END", "");
    if (char === "}" || char === "]") {
      this.pos++;
      this.containers.pop();
      return this.set(char === "}" ? "END_OBJECT" : "END_ARRAY", char);
    }
    const { token, text } = this.scanValue();
    return this.set(token, text);
  }

  /** Jackson's getText(): finishing a lazily read string moves the parser past it. */
  text(): string {
    if (this.token === "STRING" && this.unreadString) {
      this.pos = this.unreadString.end;
      this.unreadString = undefined;
    }
    return this.tokenText;
  }

  private set(token: RuleToken, text: string): RuleToken {
    this.token = token;
    this.tokenText = text;
    return token;
  }

  /** Consumes a value's first token the way Jackson does and returns it. */
  private scanValue(): { token: RuleToken; text: string } {
    const char = this.source[this.pos];
    if (char === "{" || char === "[") {
      this.pos++;
      this.containers.push(char === "{" ? "object" : "array");
      return { token: char === "{" ? "START_OBJECT" : "START_ARRAY", text: char };
    }
    if (char === '"') {
      this.unreadString = this.scanString(this.pos);
      this.pos++;
      return { token: "STRING", text: this.unreadString.value };
    }
    SCALAR.lastIndex = this.pos;
    const literal = SCALAR.exec(this.source)?.[0] ?? "";
    this.pos += literal.length;
    const token = literal === "true" ? "TRUE" : literal === "false" ? "FALSE" : literal === "null" ? "NULL" : "NUMBER";
    return { token, text: literal };
  }

  /** Finds the end of the string starting at `start` (index after its closing quote) and decodes it. */
  private scanString(start: number): PendingString {
    let i = start + 1;
    while (this.source[i] !== '"') i += this.source[i] === "\\" ? 2 : 1;
    return { end: i + 1, value: JSON.parse(this.source.slice(start, i + 1)) as string };
  }
}
