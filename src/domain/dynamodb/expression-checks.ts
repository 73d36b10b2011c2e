/**
 * What AWS checks in an expression once it reads: function names and where each may stand, reserved
 * words, placeholders, operand counts and types, BETWEEN bounds, and for updates repeated sections
 * and clashing paths. AWS reports the first problem of the first kind in a fixed order of kinds, not
 * the first problem in the text: `attribute_exists(views, #a)` is refused for the reserved word, not
 * for its two operands. The order is dynalite's (its grammars collect one error per kind and were
 * tested against AWS); texts it lacks are observed DynamoDB answers. Messages come back without the
 * "Invalid <Parameter>: " prefix, which the caller adds.
 */
import type { AttributeValue } from "./contract";
import type { ExpressionContext } from "./expression-names";
import { pathClash, pathText, samePath } from "./expression-paths";
import { unwrap, type RawClause, type RawNode, type RawPath } from "./expression-syntax";
import { compareNumbers } from "./numbers";
import { isReservedWord } from "./reserved-words";

type Place = "condition" | "operand";
interface Visit {
  node: RawNode;
  place: Place;
}

const CONDITION_FUNCTIONS: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
};
const OPERAND_FUNCTIONS: Record<string, number> = { size: 1 };
const UPDATE_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 };
const ARITY: Record<string, number> = { ...CONDITION_FUNCTIONS, ...OPERAND_FUNCTIONS, ...UPDATE_FUNCTIONS };
const has = (table: Record<string, number>, name: string) => Object.prototype.hasOwnProperty.call(table, name);
const NEEDS_PATH = new Set(["attribute_exists", "attribute_not_exists", "attribute_type", "if_not_exists"]);

const TYPE_NAMES = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];
// Both listings as DynamoDB prints them (its Java sets' order), observed.
const VALID_TYPES = "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}";
const ANY_TYPE = "{SS,M,DECIMAL,DOUBLESET,HDS,N,B,DICT,INTSET,BOOL,HD,BS,INT,DECIMALSET,NULL,FLOAT,FS,S,L,NS,DOUBLE}";
const LONG_TYPE: Record<string, string> = {
  S: "STRING",
  N: "NUMBER",
  B: "BINARY",
  BOOL: "BOOLEAN",
  NULL: "NULL",
  L: "LIST",
  M: "MAP",
  SS: "STRING_SET",
  NS: "NUMBER_SET",
  BS: "BINARY_SET",
};
const MAX_DEPTH = 32;
const MAX_IN = 100;

export const typeOf = (value: AttributeValue): string => Object.keys(value)[0]!;

function children({ node, place }: Visit): Visit[] {
  const operands = (...nodes: RawNode[]) => nodes.map((n) => ({ node: n, place: "operand" as const }));
  switch (node.k) {
    case "paren":
      return [{ node: node.inner, place }];
    case "and":
    case "or":
      return [
        { node: node.a, place: "condition" },
        { node: node.b, place: "condition" },
      ];
    case "not":
      return [{ node: node.a, place: "condition" }];
    case "compare":
    case "arith":
      return operands(node.a, node.b);
    case "between":
      return operands(node.a, node.low, node.high);
    case "in":
      return operands(node.a, ...node.list);
    case "call":
      return operands(...node.args);
    default:
      return [];
  }
}

function preorder(roots: Visit[]): Visit[] {
  const out: Visit[] = [];
  const visit = (v: Visit) => {
    out.push(v);
    children(v).forEach(visit);
  };
  roots.forEach(visit);
  return out;
}

function postorder(roots: Visit[]): Visit[] {
  const out: Visit[] = [];
  const visit = (v: Visit) => {
    children(v).forEach(visit);
    out.push(v);
  };
  roots.forEach(visit);
  return out;
}

/** Runs each check over the visits in turn; the first message of the first check that finds one. */
function first(visits: Visit[], ...checks: ((v: Visit) => string | undefined)[]): string | undefined {
  for (const check of checks) {
    for (const visit of visits) {
      const message = check(visit);
      if (message) return message;
    }
  }
  return undefined;
}

const paths = (visits: Visit[]) => visits.map((v) => v.node).filter((n): n is RawPath => n.k === "path");

// ---- the kinds of problem, one function each ----

const unknownFunction = ({ node }: Visit) =>
  node.k === "call" && !has(ARITY, node.name) ? `Invalid function name; function: ${node.name}` : undefined;

const misplacedInCondition = ({ node, place }: Visit) => {
  if (node.k !== "call") return undefined;
  if (has(UPDATE_FUNCTIONS, node.name)) return `The function is not allowed in a condition expression; function: ${node.name}`;
  if ((place === "condition") !== has(CONDITION_FUNCTIONS, node.name)) {
    return `The function is not allowed to be used this way in an expression; function: ${node.name}`;
  }
  return undefined;
};

const misplacedInUpdate = ({ node }: Visit) =>
  node.k === "call" && !has(UPDATE_FUNCTIONS, node.name)
    ? `The function is not allowed in an update expression; function: ${node.name}`
    : undefined;

function reservedOrIndex({ node }: Visit): string | undefined {
  if (node.k !== "path") return undefined;
  for (const part of node.parts) {
    if (part.kind === "index") {
      if (part.text.length > 10 || Number(part.text) > 2147483647) {
        return `List index is not within the allowable range; index: [${part.text}]`;
      }
    } else if (!part.placeholder && isReservedWord(part.name)) {
      return `Attribute name is a reserved keyword; reserved keyword: ${part.name}`;
    }
  }
  return undefined;
}

const undefinedName = (ctx: ExpressionContext) => (visit: Visit) => {
  if (visit.node.k !== "path") return undefined;
  for (const part of visit.node.parts) {
    if (part.kind === "name" && part.placeholder && !ctx.hasName(part.name)) {
      return `An expression attribute name used in the document path is not defined; attribute name: ${part.name}`;
    }
  }
  if (visit.node.parts.length > MAX_DEPTH) {
    return `The document path has too many nesting levels; nesting levels: ${visit.node.parts.length}`;
  }
  return undefined;
};

const undefinedValue =
  (ctx: ExpressionContext) =>
  ({ node }: Visit) =>
    node.k === "value" && !ctx.hasValue(node.name)
      ? `An expression attribute value used in expression is not defined; attribute value: ${node.name}`
      : undefined;

const operandCount = ({ node }: Visit) =>
  node.k === "call" && node.args.length !== ARITY[node.name]
    ? `Incorrect number of operands for operator or function; operator or function: ${node.name}, number of operands: ${node.args.length}`
    : undefined;

function distinctFirst(ctx: ExpressionContext) {
  const check = (operator: string, head: RawNode, rest: RawNode[]) => {
    const a = unwrap(head);
    if (a.k !== "path") return undefined;
    const same = rest.some((r) => {
      const b = unwrap(r);
      return b.k === "path" && samePath(a, b, ctx);
    });
    return same
      ? `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathText(a, ctx)}`
      : undefined;
  };
  return ({ node }: Visit) => {
    if (node.k === "compare") return check(node.op, node.a, [node.b]);
    if (node.k === "between") return check("BETWEEN", node.a, [node.low, node.high]);
    if (node.k === "in") return check("IN", node.a, node.list);
    if (node.k === "call" && node.name !== "size" && node.name !== "list_append")
      return check(node.name, node.args[0]!, node.args.slice(1));
    return undefined;
  };
}

/** A value's type where it is known before any item is read: a :value, or size() (a number). */
function staticType(node: RawNode, ctx: ExpressionContext): string | undefined {
  const n = unwrap(node);
  if (n.k === "value") {
    const value = ctx.peekValue(n.name);
    return value ? typeOf(value) : undefined;
  }
  return n.k === "call" && n.name === "size" ? "N" : undefined;
}

const typeProblem = (operator: string, type: string) =>
  `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`;

function operandTypes(ctx: ExpressionContext) {
  const allowed = (operator: string, nodes: RawNode[], types: string[]) => {
    for (const n of nodes) {
      const type = staticType(n, ctx);
      if (type && !types.includes(type)) return typeProblem(operator, type);
    }
    return undefined;
  };
  const scalar = ["S", "N", "B"];
  return ({ node }: Visit): string | undefined => {
    switch (node.k) {
      case "compare":
        return node.op === "=" || node.op === "<>" ? undefined : allowed(node.op, [node.a, node.b], scalar);
      case "between":
        return allowed("BETWEEN", [node.a, node.low, node.high], scalar) ?? betweenBounds(node.low, node.high, ctx);
      case "in":
        return node.list.length > MAX_IN
          ? `The IN operator is provided with too many operands; number of operands: ${node.list.length}`
          : undefined;
      case "arith":
        return allowed(node.op, [node.a, node.b], ["N"]);
      case "call":
        return functionOperands(node.name, node.args, ctx, allowed);
      default:
        return undefined;
    }
  };
}

function functionOperands(
  name: string,
  args: RawNode[],
  ctx: ExpressionContext,
  allowed: (operator: string, nodes: RawNode[], types: string[]) => string | undefined,
): string | undefined {
  if (NEEDS_PATH.has(name) && unwrap(args[0]!).k !== "path") {
    return `Operator or function requires a document path; operator or function: ${name}`;
  }
  switch (name) {
    case "size":
      return allowed(name, args, ["S", "B", "SS", "NS", "BS", "L", "M"]);
    case "begins_with":
      return allowed(name, args, ["S", "B"]);
    case "list_append":
      return allowed(name, args, ["L"]);
    case "attribute_type": {
      const second = unwrap(args[1]!);
      if (second.k !== "value") return typeProblem(name, second.k === "call" && second.name === "size" ? "N" : ANY_TYPE);
      const value = ctx.peekValue(second.name)!;
      if (!("S" in value)) return typeProblem(name, typeOf(value));
      return TYPE_NAMES.includes(value.S)
        ? undefined
        : `Invalid attribute type name found; type: ${value.S}, valid types: ${VALID_TYPES}`;
    }
    default:
      return undefined;
  }
}

/** Bounds given as two values are checked before any item is read: same type, low ≤ high. */
function betweenBounds(low: RawNode, high: RawNode, ctx: ExpressionContext): string | undefined {
  const a = unwrap(low);
  const b = unwrap(high);
  if (a.k !== "value" || b.k !== "value") return undefined;
  const x = ctx.peekValue(a.name)!;
  const y = ctx.peekValue(b.name)!;
  const bounds = `lower bound operand: ${boundText(x)}, upper bound operand: ${boundText(y)}`;
  if (typeOf(x) !== typeOf(y)) return `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`;
  return scalarOrder(x, y) > 0
    ? `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`
    : undefined;
}

/** How DynamoDB (Java) prints a bound: the AttributeValue's toString, a ByteBuffer for binary. */
function boundText(value: AttributeValue): string {
  if ("B" in value) return `AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=${value.B.length} cap=${value.B.length}]}`;
  if ("S" in value) return `AttributeValue: {S:${value.S}}`;
  if ("N" in value) return `AttributeValue: {N:${value.N}}`;
  return `AttributeValue: {${typeOf(value)}:${JSON.stringify(Object.values(value)[0])}}`;
}

const utf8 = new TextEncoder();
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** S by UTF-8 bytes, B by unsigned bytes, N numerically: DynamoDB's order of scalars of one type. */
function scalarOrder(a: AttributeValue, b: AttributeValue): number {
  if ("N" in a && "N" in b) return compareNumbers(a.N, b.N);
  if ("S" in a && "S" in b) return compareBytes(utf8.encode(a.S), utf8.encode(b.S));
  if ("B" in a && "B" in b) return compareBytes(a.B, b.B);
  return 0;
}

// ---- the three kinds of expression ----

export function checkConditionTree(root: RawNode, ctx: ExpressionContext): string | undefined {
  const roots: Visit[] = [{ node: root, place: "condition" }];
  const pre = preorder(roots);
  const post = postorder(roots);
  return (
    first(pre, unknownFunction, misplacedInCondition, reservedOrIndex) ??
    first(pre, (v) => undefinedName(ctx)(v) ?? undefinedValue(ctx)(v)) ??
    first(post, operandCount, distinctFirst(ctx), operandTypes(ctx))
  );
}

export function checkUpdateTree(clauses: RawClause[], ctx: ExpressionContext): string | undefined {
  const roots: Visit[] = clauses.flatMap((clause) =>
    clause.actions.flatMap((action) =>
      [action.path, ...(action.value ? [action.value] : [])].map((node) => ({ node, place: "operand" as const })),
    ),
  );
  const pre = preorder(roots);
  const problem = first(pre, reservedOrIndex, unknownFunction, misplacedInUpdate) ?? repeatedSection(clauses);
  if (problem) return problem;
  return (
    first(pre, undefinedName(ctx), undefinedValue(ctx)) ??
    pathClash(
      clauses.flatMap((clause) => clause.actions.map((action) => action.path)),
      ctx,
    ) ??
    addDeleteOperands(clauses, ctx) ??
    first(postorder(roots), operandCount, operandTypes(ctx), distinctFirst(ctx))
  );
}

export function checkProjectionTree(list: RawPath[], ctx: ExpressionContext): string | undefined {
  const pre = preorder(list.map((node) => ({ node, place: "operand" as const })));
  return first(pre, reservedOrIndex) ?? first(pre, undefinedName(ctx)) ?? pathClash(paths(pre), ctx);
}

function repeatedSection(clauses: RawClause[]): string | undefined {
  const seen = new Set<string>();
  for (const clause of clauses) {
    if (seen.has(clause.keyword)) return `The "${clause.keyword}" section can only be used once in an update expression;`;
    seen.add(clause.keyword);
  }
  return undefined;
}

/** ADD takes a number or a set, DELETE a set; AWS names the types long-hand here. */
function addDeleteOperands(clauses: RawClause[], ctx: ExpressionContext): string | undefined {
  for (const clause of clauses) {
    if (clause.keyword !== "ADD" && clause.keyword !== "DELETE") continue;
    const ok = clause.keyword === "ADD" ? ["N", "SS", "NS", "BS"] : ["SS", "NS", "BS"];
    for (const action of clause.actions) {
      const type = staticType(action.value!, ctx);
      if (type && !ok.includes(type)) {
        return `Incorrect operand type for operator or function; operator: ${clause.keyword}, operand type: ${LONG_TYPE[type]}, typeSet: ALLOWED_FOR_${clause.keyword}_OPERAND`;
      }
    }
  }
  return undefined;
}
