/**
 * The grammar of DynamoDB expressions, read into a syntax tree that still holds placeholders,
 * parentheses and token positions: the checks AWS makes after reading (./expression-checks.ts) need
 * all three. Only syntax is decided here; the first error is AWS's syntax error text, or its
 * "redundant parentheses" refusal, which DynamoDB gives as soon as it reads the outer parenthesis.
 *
 *   condition := and (OR and)*          and := not (AND not)*          not := NOT not | primary
 *   primary   := "(" condition ")" | operand comparator operand | operand BETWEEN operand AND operand
 *              | operand IN "(" operand ("," operand)* ")" | function
 *   operand   := :value | path | function | "(" operand ")"
 *   path      := (id | #name) ("." (id | #name) | "[" int "]")*
 *   update    := (SET set ("," set)* | REMOVE path ("," path)* | (ADD | DELETE) path :value ("," …)*)+
 *   set       := path "=" term (("+" | "-") term)?        term := "(" setvalue ")" | operand
 *   projection:= path ("," path)*
 */
import type { Comparator } from "./contract";
import { syntaxErrorText, tokenize, type Token, type TokenKind } from "./expression-lexer";

export type RawPart =
  { kind: "name"; name: string; placeholder: boolean; token: Token } | { kind: "index"; text: string; token: Token };

export type RawNode =
  | { k: "path"; parts: RawPart[] }
  | { k: "value"; name: string; token: Token }
  | { k: "call"; name: string; args: RawNode[]; token: Token }
  | { k: "paren"; inner: RawNode }
  | { k: "compare"; op: Comparator; a: RawNode; b: RawNode }
  | { k: "between"; a: RawNode; low: RawNode; high: RawNode }
  | { k: "in"; a: RawNode; list: RawNode[] }
  | { k: "and" | "or"; a: RawNode; b: RawNode }
  | { k: "not"; a: RawNode }
  | { k: "arith"; op: "+" | "-"; a: RawNode; b: RawNode };

export type RawPath = Extract<RawNode, { k: "path" }>;
export type UpdateKeyword = "SET" | "REMOVE" | "ADD" | "DELETE";
export interface RawAction {
  path: RawPath;
  /** SET: the value; ADD / DELETE: the :value; REMOVE: none. */
  value?: RawNode;
}
export interface RawClause {
  keyword: UpdateKeyword;
  token: Token;
  actions: RawAction[];
}

export type SyntaxResult<T> = { ok: true; value: T } | { ok: false; message: string };

const COMPARATORS = new Set<TokenKind>(["=", "<>", "<", "<=", ">", ">="]);

/** Strips parentheses around an operand or condition. */
export function unwrap(node: RawNode): RawNode {
  while (node.k === "paren") node = node.inner;
  return node;
}

/** Whether a node can stand where an operand does (a function call can be either). */
const isOperand = (node: RawNode): boolean => {
  const inner = unwrap(node);
  return inner.k === "path" || inner.k === "value" || inner.k === "call";
};

/**
 * Thrown inside the recursive descent only, and always caught by `run` below: unwinding a deep
 * recursion by hand would hide the grammar. It never leaves this module.
 */
class Stop {
  constructor(readonly message: string) {}
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)]!;
  }
  private is(kind: TokenKind): boolean {
    return this.peek().kind === kind;
  }
  private next(): Token {
    return this.tokens[this.at++]!;
  }
  private fail(): never {
    throw new Stop(syntaxErrorText(this.text, this.tokens, Math.min(this.at, this.tokens.length - 1)));
  }
  private expect(kind: TokenKind): Token {
    if (!this.is(kind)) this.fail();
    return this.next();
  }
  end(): void {
    if (!this.is("eof")) this.fail();
  }

  private paren(inner: RawNode): RawNode {
    if (inner.k === "paren") throw new Stop("The expression has redundant parentheses;");
    return { k: "paren", inner };
  }

  /** `allowBare`: inside parentheses, where `(a)` may turn out to be an operand of a comparison. */
  condition(allowBare = false): RawNode {
    // A bare operand comes back only when `)` follows it, so the loops below cannot extend it.
    let left = this.and(allowBare);
    while (this.is("OR")) {
      this.next();
      left = { k: "or", a: left, b: this.and(false) };
    }
    return left;
  }

  private and(allowBare: boolean): RawNode {
    let left = this.not(allowBare);
    while (this.is("AND")) {
      this.next();
      left = { k: "and", a: left, b: this.not(false) };
    }
    return left;
  }

  private not(allowBare: boolean): RawNode {
    if (!this.is("NOT")) return this.primary(allowBare);
    this.next();
    return { k: "not", a: this.not(false) };
  }

  private primary(allowBare: boolean): RawNode {
    if (!this.is("(")) return this.afterOperand(this.operand(), allowBare);
    this.next();
    const inner = this.condition(true);
    this.expect(")");
    const node = this.paren(inner);
    return isOperand(inner) ? this.afterOperand(node, allowBare) : node;
  }

  private afterOperand(a: RawNode, allowBare: boolean): RawNode {
    const token = this.peek();
    if (COMPARATORS.has(token.kind)) {
      this.next();
      return { k: "compare", op: token.kind as Comparator, a, b: this.operand() };
    }
    if (token.kind === "BETWEEN") {
      this.next();
      const low = this.operand();
      this.expect("AND");
      return { k: "between", a, low, high: this.operand() };
    }
    if (token.kind === "IN") {
      this.next();
      this.expect("(");
      const list = this.operandList();
      this.expect(")");
      return { k: "in", a, list };
    }
    if (unwrap(a).k === "call") return a;
    if (allowBare && token.kind === ")") return a;
    this.fail();
  }

  private operandList(): RawNode[] {
    const list = [this.operand()];
    while (this.is(",")) {
      this.next();
      list.push(this.operand());
    }
    return list;
  }

  operand(): RawNode {
    const token = this.peek();
    if (token.kind === "value") {
      this.next();
      return { k: "value", name: token.text, token };
    }
    if (token.kind === "(") {
      this.next();
      const inner = this.operand();
      this.expect(")");
      return this.paren(inner);
    }
    if (token.kind === "id" && this.peek(1).kind === "(") {
      this.next();
      this.next();
      const args = this.operandList();
      this.expect(")");
      return { k: "call", name: token.text, args, token };
    }
    return this.path();
  }

  path(): RawPath {
    const first = this.peek();
    if (first.kind !== "id" && first.kind !== "name") this.fail();
    this.next();
    const parts: RawPart[] = [{ kind: "name", name: first.text, placeholder: first.kind === "name", token: first }];
    for (;;) {
      if (this.is(".")) {
        this.next();
        const token = this.peek();
        if (token.kind !== "id" && token.kind !== "name") this.fail();
        this.next();
        parts.push({ kind: "name", name: token.text, placeholder: token.kind === "name", token });
      } else if (this.is("[")) {
        this.next();
        const token = this.expect("int");
        this.expect("]");
        parts.push({ kind: "index", text: token.text, token });
      } else {
        return { k: "path", parts };
      }
    }
  }

  update(): RawClause[] {
    const clauses: RawClause[] = [];
    do {
      const token = this.peek();
      const keyword = token.kind;
      if (keyword !== "SET" && keyword !== "REMOVE" && keyword !== "ADD" && keyword !== "DELETE") this.fail();
      this.next();
      const actions = [this.action(keyword)];
      while (this.is(",")) {
        this.next();
        actions.push(this.action(keyword));
      }
      clauses.push({ keyword, token, actions });
    } while (!this.is("eof"));
    return clauses;
  }

  private action(keyword: UpdateKeyword): RawAction {
    const path = this.path();
    if (keyword === "REMOVE") return { path };
    if (keyword === "SET") {
      this.expect("=");
      return { path, value: this.setValue() };
    }
    const token = this.expect("value");
    return { path, value: { k: "value", name: token.text, token } };
  }

  private setValue(): RawNode {
    const a = this.setTerm();
    const op = this.peek().kind;
    if (op !== "+" && op !== "-") return a;
    this.next();
    return { k: "arith", op, a, b: this.setTerm() };
  }

  private setTerm(): RawNode {
    if (!this.is("(")) return this.operand();
    this.next();
    const inner = this.setValue();
    this.expect(")");
    return this.paren(inner);
  }

  projection(): RawPath[] {
    const paths = [this.path()];
    while (this.is(",")) {
      this.next();
      paths.push(this.path());
    }
    return paths;
  }
}

function run<T>(text: string, read: (parser: Parser) => T): SyntaxResult<T> {
  try {
    const parser = new Parser(text);
    const value = read(parser);
    parser.end();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof Stop) return { ok: false, message: error.message };
    throw error;
  }
}

export const readCondition = (text: string) => run(text, (p) => p.condition());
export const readUpdate = (text: string) => run(text, (p) => p.update());
export const readProjection = (text: string) => run(text, (p) => p.projection());
