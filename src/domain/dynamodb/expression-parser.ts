/**
 * DynamoDB's expressions (ConditionExpression, FilterExpression, KeyConditionExpression,
 * UpdateExpression, ProjectionExpression) read into the one AST of ./contract.ts, with AWS's
 * ValidationException texts: "Invalid <Parameter>: <reason>". Every expression of one request goes
 * through the same ExpressionContext, and the caller asks `ctx.unused()` after the last of them.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */
import type { AttributeValue, Condition, KeyCondition, Operand, Projection, UpdateActions, UpdateValue } from "./contract";
import { fail, ok, type Result } from "../errors";
import { validation } from "./errors";
import { checkConditionTree, checkProjectionTree, checkUpdateTree } from "./expression-checks";
import { keyConditionOf, type KeySchemaNames } from "./expression-key-condition";
import type { ExpressionContext, ExpressionParameter } from "./expression-names";
import { toPath } from "./expression-paths";
import { readCondition, readProjection, readUpdate, unwrap, type RawNode, type SyntaxResult } from "./expression-syntax";

export type ConditionParameter = "ConditionExpression" | "FilterExpression" | "KeyConditionExpression";

/** AWS's limit on one expression, in UTF-8 bytes. */
const MAX_EXPRESSION_BYTES = 4096;

/** The checks before reading, then the grammar, then the checks on what was read. */
function read<T>(
  text: string,
  parameter: ExpressionParameter,
  syntax: (text: string) => SyntaxResult<T>,
  check: (tree: T) => string | undefined,
): Result<T> {
  const refuse = (reason: string) => fail(validation(`Invalid ${parameter}: ${reason}`));
  if (text === "") return refuse("The expression can not be empty;");
  const size = new TextEncoder().encode(text).length;
  if (size > MAX_EXPRESSION_BYTES)
    return refuse(`Expression size has exceeded the maximum allowed size; expression size: ${size}`);
  const tree = syntax(text);
  if (!tree.ok) return refuse(tree.message);
  const problem = check(tree.value);
  return problem ? refuse(problem) : ok(tree.value);
}

export function parseCondition(
  text: string,
  ctx: ExpressionContext,
  parameter: ConditionParameter = "ConditionExpression",
): Result<Condition> {
  const tree = read(text, parameter, readCondition, (root) => checkConditionTree(root, ctx));
  return tree.ok ? ok(toCondition(tree.value, ctx)) : tree;
}

/**
 * A KeyConditionExpression read and narrowed in one step. AWS checks unused placeholders between the
 * two (a request with both problems gets the unused one), so a handler that parses several expressions
 * calls parseCondition(…, "KeyConditionExpression"), then `ctx.unused()`, then keyConditionOf.
 */
export function parseKeyCondition(text: string, ctx: ExpressionContext, keySchema: KeySchemaNames): Result<KeyCondition> {
  const condition = parseCondition(text, ctx, "KeyConditionExpression");
  return condition.ok ? keyConditionOf(condition.value, keySchema) : condition;
}

export function parseUpdate(text: string, ctx: ExpressionContext): Result<UpdateActions> {
  const tree = read(text, "UpdateExpression", readUpdate, (clauses) => checkUpdateTree(clauses, ctx));
  if (!tree.ok) return tree;
  const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
  for (const clause of tree.value) {
    for (const action of clause.actions) {
      const path = toPath(action.path, ctx);
      if (clause.keyword === "SET") actions.set.push({ path, value: toUpdateValue(action.value!, ctx) });
      else if (clause.keyword === "REMOVE") actions.remove.push(path);
      else {
        const value = ctx.value((action.value as { name: string }).name)!;
        (clause.keyword === "ADD" ? actions.add : actions.delete).push({ path, value });
      }
    }
  }
  return ok(actions);
}

export function parseProjection(text: string, ctx: ExpressionContext): Result<Projection> {
  const tree = read(text, "ProjectionExpression", readProjection, (list) => checkProjectionTree(list, ctx));
  return tree.ok ? ok(tree.value.map((path) => toPath(path, ctx))) : tree;
}

// ---- the checked tree into the contract's form (placeholders resolved and marked used) ----

function toOperand(node: RawNode, ctx: ExpressionContext): Operand {
  const n = unwrap(node);
  if (n.k === "value") return { kind: "value", value: ctx.value(n.name)! };
  if (n.k === "path") return { kind: "path", path: toPath(n, ctx) };
  if (n.k === "call" && n.name === "size") {
    const arg = unwrap(n.args[0]!);
    // size() of a :value is accepted by AWS's checks; it reads as the path-less operand it is.
    if (arg.k === "value") return { kind: "value", value: sizeOfValue(ctx.value(arg.name)!) };
    if (arg.k === "path") return { kind: "size", path: toPath(arg, ctx) };
  }
  throw new Error(`unchecked operand ${n.k}`); // the checks above refuse every other shape
}

function toCondition(node: RawNode, ctx: ExpressionContext): Condition {
  const n = unwrap(node);
  switch (n.k) {
    case "and":
    case "or":
      return { kind: n.k, left: toCondition(n.a, ctx), right: toCondition(n.b, ctx) };
    case "not":
      return { kind: "not", operand: toCondition(n.a, ctx) };
    case "compare":
      return { kind: "compare", op: n.op, left: toOperand(n.a, ctx), right: toOperand(n.b, ctx) };
    case "between":
      return { kind: "between", operand: toOperand(n.a, ctx), low: toOperand(n.low, ctx), high: toOperand(n.high, ctx) };
    case "in":
      return { kind: "in", operand: toOperand(n.a, ctx), list: n.list.map((item) => toOperand(item, ctx)) };
    case "call":
      return {
        kind: "function",
        name: n.name as Extract<Condition, { kind: "function" }>["name"],
        args: n.args.map((arg) => toOperand(arg, ctx)),
      };
    default:
      throw new Error(`unchecked condition ${n.k}`);
  }
}

function toUpdateValue(node: RawNode, ctx: ExpressionContext): UpdateValue {
  const n = unwrap(node);
  if (n.k === "arith") {
    return { kind: n.op === "+" ? "plus" : "minus", left: toUpdateValue(n.a, ctx), right: toUpdateValue(n.b, ctx) };
  }
  if (n.k === "call" && n.name === "if_not_exists") {
    return {
      kind: "if_not_exists",
      path: toPath(unwrap(n.args[0]!) as Extract<RawNode, { k: "path" }>, ctx),
      value: toUpdateValue(n.args[1]!, ctx),
    };
  }
  if (n.k === "call" && n.name === "list_append") {
    return { kind: "list_append", left: toUpdateValue(n.args[0]!, ctx), right: toUpdateValue(n.args[1]!, ctx) };
  }
  return { kind: "operand", operand: toOperand(n, ctx) };
}

/**
 * size() of a literal, which AWS's checks let through: members of a set, list or map, bytes of B, and
 * for S the UTF-16 length (DynamoDB is Java; `String.length()`), the one reading with no better source.
 */
function sizeOfValue(value: AttributeValue): AttributeValue {
  const inner: unknown = Object.values(value)[0];
  const size =
    typeof inner === "string" || Array.isArray(inner) || inner instanceof Uint8Array
      ? inner.length
      : Object.keys(inner as object).length;
  return { N: String(size) };
}
