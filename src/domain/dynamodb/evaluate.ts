/**
 * Evaluating a condition (ConditionExpression, FilterExpression, KeyConditionExpression or a legacy
 * Expected / QueryFilter / ScanFilter turned into the same AST) against one item, with DynamoDB's
 * semantics (developer guide, "Comparison operator and function reference"):
 * - a comparison between values of different types is false (`<>` is its negation, so true);
 *   a missing attribute compares false the same way (`a <> :v` is true when `a` is missing);
 * - only S, N and B have an order (`<`, BETWEEN): S by UTF-8 bytes, B by unsigned bytes, N numerically;
 * - NULL = NULL is true (lifion-kinesis's lock check relies on it).
 * The checks AWS makes on constants before reading any item (BETWEEN bounds, attribute_type's type
 * name) are in `validateCondition`, which `evaluateCondition` runs first, so a caller that evaluates
 * no item (an empty Scan) can call it on its own.
 */
import type { Problem, Result } from "../errors";
import { fail, ok } from "../errors";
import type { AttributeValue, Condition, Item, LegacyOperator, Operand } from "./contract";
import { attributeType, bytesInclude, compareValues, describeValue, setHas, valuesEqual } from "./compare";
import { validation } from "./errors";
import { getPath } from "./paths";

/** The parameter an expression came in: AWS names it at the start of each message. */
export type ConditionKind = "ConditionExpression" | "FilterExpression" | "KeyConditionExpression";

const VALID_TYPES = new Set(["B", "NULL", "SS", "BOOL", "L", "BS", "N", "NS", "S", "M"]);

/** AWS's checks on constant operands, made before any item is read. */
export function validateCondition(condition: Condition, kind: ConditionKind = "ConditionExpression"): Problem {
  switch (condition.kind) {
    case "and":
    case "or":
      return validateCondition(condition.left, kind) ?? validateCondition(condition.right, kind);
    case "not":
      return validateCondition(condition.operand, kind);
    case "between": {
      const { low, high } = condition;
      if (low.kind !== "value" || high.kind !== "value") return undefined;
      const bounds = `lower bound operand: ${describeValue(low.value)}, upper bound operand: ${describeValue(high.value)}`;
      if (attributeType(low.value) !== attributeType(high.value)) {
        return validation(`Invalid ${kind}: The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
      }
      if ((compareValues(low.value, high.value) ?? 0) > 0) {
        return validation(
          `Invalid ${kind}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
        );
      }
      return undefined;
    }
    case "function": {
      if (condition.name !== "attribute_type") return undefined;
      const type = condition.args[1];
      if (type?.kind !== "value") return undefined;
      if (!("S" in type.value)) {
        return validation(
          `Invalid ${kind}: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${attributeType(type.value)}`,
        );
      }
      if (!VALID_TYPES.has(type.value.S)) {
        return validation(
          `Invalid ${kind}: Invalid attribute type name found; type: ${type.value.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
        );
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export function evaluateCondition(
  condition: Condition,
  item: Item | undefined,
  kind: ConditionKind = "ConditionExpression",
): Result<boolean> {
  const problem = validateCondition(condition, kind);
  if (problem) return fail(problem);
  return ok(matches(condition, item ?? {}));
}

function matches(condition: Condition, item: Item): boolean {
  switch (condition.kind) {
    case "and":
      return matches(condition.left, item) && matches(condition.right, item);
    case "or":
      return matches(condition.left, item) || matches(condition.right, item);
    case "not":
      return !matches(condition.operand, item);
    case "compare":
      return compare(condition.op, resolve(condition.left, item), resolve(condition.right, item));
    case "between":
      return between(resolve(condition.operand, item), resolve(condition.low, item), resolve(condition.high, item));
    case "in": {
      const value = resolve(condition.operand, item);
      return value !== undefined && condition.list.some((o) => equal(value, resolve(o, item)));
    }
    case "function":
      return callFunction(
        condition.name,
        condition.args.map((a) => resolve(a, item)),
      );
    case "legacy":
      return legacyMatches(condition.operator, getPath(item, condition.path), condition.values);
  }
}

function resolve(operand: Operand, item: Item): AttributeValue | undefined {
  if (operand.kind === "value") return operand.value;
  const value = getPath(item, operand.path);
  if (operand.kind === "path" || value === undefined) return value;
  const n = sizeOf(value);
  return n === undefined ? undefined : { N: String(n) };
}

/**
 * size(): a string's length in UTF-16 code units (real DynamoDB says size("é𝄞") = 3), a binary's
 * bytes, the entries of a set, list or map. N, BOOL and NULL have no size: the comparison is false.
 */
export function sizeOf(value: AttributeValue): number | undefined {
  if ("S" in value) return value.S.length;
  if ("B" in value) return value.B.length;
  if ("SS" in value) return value.SS.length;
  if ("NS" in value) return value.NS.length;
  if ("BS" in value) return value.BS.length;
  if ("L" in value) return value.L.length;
  if ("M" in value) return Object.keys(value.M).length;
  return undefined;
}

const equal = (a: AttributeValue | undefined, b: AttributeValue | undefined): boolean =>
  a !== undefined && b !== undefined && valuesEqual(a, b);

function order(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : compareValues(a, b);
}

function compare(op: string, a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (op === "=") return equal(a, b);
  if (op === "<>") return !equal(a, b);
  const c = order(a, b);
  if (c === undefined) return false;
  if (op === "<") return c < 0;
  if (op === "<=") return c <= 0;
  if (op === ">") return c > 0;
  return c >= 0;
}

function between(v: AttributeValue | undefined, low: AttributeValue | undefined, high: AttributeValue | undefined): boolean {
  const a = order(v, low);
  const b = order(v, high);
  return a !== undefined && b !== undefined && a >= 0 && b <= 0;
}

function beginsWith(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (!a || !b) return false;
  if ("S" in a && "S" in b) return a.S.startsWith(b.S);
  if ("B" in a && "B" in b) return b.B.length <= a.B.length && b.B.every((x, i) => a.B[i] === x);
  return false;
}

/** A substring of an S, a byte run of a B, a member of a set of the operand's type, an element of a list. */
function contains(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (!a || !b) return false;
  if ("S" in a) return "S" in b && a.S.includes(b.S);
  if ("B" in a) return "B" in b && bytesInclude(a.B, b.B);
  if ("SS" in a) return "S" in b && setHas("SS", a.SS, b.S);
  if ("NS" in a) return "N" in b && setHas("NS", a.NS, b.N);
  if ("BS" in a) return "B" in b && setHas("BS", a.BS, b.B);
  if ("L" in a) return a.L.some((e) => valuesEqual(e, b));
  return false;
}

function callFunction(name: string, args: (AttributeValue | undefined)[]): boolean {
  const [a, b] = args;
  switch (name) {
    case "attribute_exists":
      return a !== undefined;
    case "attribute_not_exists":
      return a === undefined;
    case "attribute_type":
      return a !== undefined && b !== undefined && "S" in b && attributeType(a) === b.S;
    case "begins_with":
      return beginsWith(a, b);
    case "contains":
      return contains(a, b);
    default:
      return false;
  }
}

/**
 * The legacy ComparisonOperators (API reference, "Condition" and "ExpectedAttributeValue"). The
 * negative ones (NE, NOT_CONTAINS) hold for a missing attribute, as their expression forms
 * (`a <> :v`, `NOT contains(a, :v)`) do; NULL / NOT_NULL test existence, not the NULL type.
 */
function legacyMatches(operator: LegacyOperator, value: AttributeValue | undefined, args: AttributeValue[]): boolean {
  const [first, second] = args;
  switch (operator) {
    case "EQ":
      return equal(value, first);
    case "NE":
      return !equal(value, first);
    case "LT":
      return compare("<", value, first);
    case "LE":
      return compare("<=", value, first);
    case "GT":
      return compare(">", value, first);
    case "GE":
      return compare(">=", value, first);
    case "NULL":
      return value === undefined;
    case "NOT_NULL":
      return value !== undefined;
    case "CONTAINS":
      return contains(value, first);
    case "NOT_CONTAINS":
      return !contains(value, first);
    case "BEGINS_WITH":
      return beginsWith(value, first);
    case "IN":
      return value !== undefined && args.some((a) => valuesEqual(value, a));
    case "BETWEEN":
      return between(value, first, second);
  }
}
