/**
 * The tokens of DynamoDB's expression language, shared by every kind of expression (condition, filter,
 * key condition, update, projection), and the one syntax error text AWS gives for all of them:
 * `Syntax error; token: "<tok>", near: "<text from the token before to the token after>"`, with
 * `<EOF>` as the token when the text ends too early. Observed answers (e.g. `ADD hits : incr` →
 * token ":", near "hits : incr"; `foo` → token "<EOF>", near "foo") fix the window: from the start of
 * the previous token to the end of the next one, as the client wrote it.
 */

export type TokenKind =
  | "id" // a bare attribute name or function name
  | "name" // #placeholder
  | "value" // :placeholder
  | "int" // a list index
  | Keyword
  | "="
  | "<>"
  | "<"
  | "<="
  | ">"
  | ">="
  | "("
  | ")"
  | "["
  | "]"
  | ","
  | "."
  | "+"
  | "-"
  | "bad" // a character no rule takes, or a lone `#` / `:`
  | "eof";

/** Words the grammar itself uses; DynamoDB reads them as keywords in every kind of expression. */
export type Keyword = "AND" | "OR" | "NOT" | "BETWEEN" | "IN" | "SET" | "REMOVE" | "ADD" | "DELETE";
const KEYWORDS = new Set<string>(["AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE"]);

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const isLetter = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const isDigit = (c: string) => c >= "0" && c <= "9";
const isWordPart = (c: string) => isLetter(c) || isDigit(c) || c === "_";
const PUNCTUATION = new Set(["=", "<", ">", "(", ")", "[", "]", ",", ".", "+", "-"]);

/** Splits an expression; the last token is always `eof`. Never fails: what no rule takes is `bad`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number) => tokens.push({ kind, text: text.slice(start, i), start, end: i });
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (isLetter(c)) {
      // Names start with a letter (the developer guide's rule); `_a` is a syntax error.
      while (i < text.length && isWordPart(text[i]!)) i++;
      const upper = text.slice(start, i).toUpperCase();
      push(KEYWORDS.has(upper) ? (upper as Keyword) : "id", start);
    } else if (c === "#" || c === ":") {
      i++;
      while (i < text.length && isWordPart(text[i]!)) i++;
      push(i === start + 1 ? "bad" : c === "#" ? "name" : "value", start);
    } else if (isDigit(c)) {
      // A leading zero is a number of its own: `a[01]` reads as `a[0` then `1`.
      i++;
      if (c !== "0") while (i < text.length && isDigit(text[i]!)) i++;
      push("int", start);
    } else if ((c === "<" || c === ">") && text[i + 1] === "=") {
      i += 2;
      push(`${c}=` as TokenKind, start);
    } else if (c === "<" && text[i + 1] === ">") {
      i += 2;
      push("<>", start);
    } else if (PUNCTUATION.has(c)) {
      i++;
      push(c as TokenKind, start);
    } else {
      // One whole code point, so that an emoji is quoted whole in the error.
      i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      push("bad", start);
    }
  }
  tokens.push({ kind: "eof", text: "<EOF>", start: text.length, end: text.length });
  return tokens;
}

/** AWS's syntax error for the token at `index` (without the "Invalid <Parameter>: " prefix). */
export function syntaxErrorText(text: string, tokens: Token[], index: number): string {
  const token = tokens[index]!;
  const from = index > 0 ? tokens[index - 1]!.start : 0;
  const to = index + 1 < tokens.length ? tokens[index + 1]!.end : token.end;
  return `Syntax error; token: "${token.text}", near: "${text.slice(from, to)}"`;
}
