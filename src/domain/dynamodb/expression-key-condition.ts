/**
 * A Query's KeyConditionExpression, already read as a condition, narrowed to what Query can use: the
 * partition key `= :v` and at most one sort key condition (= < <= > >= BETWEEN begins_with), joined by
 * AND in either order. Texts and order from dynalite's validations/index.js (convertKeyCondition) and
 * actions/query.js, both tested against AWS: first the shape of each condition, in the order written,
 * then the count, then the table's key schema (partition key, then sort key).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
import type { AttributeValue, Condition, KeyCondition, Operand } from "./contract";
import { fail, ok, type Result } from "../errors";
import { validation } from "./errors";

export interface KeySchemaNames {
  hash: string;
  range?: string;
  /** The key attributes' types, when known: a value of another type is refused. */
  hashType?: "S" | "N" | "B";
  rangeType?: "S" | "N" | "B";
}

type RangeOp = "=" | "<" | "<=" | ">" | ">=" | "between" | "begins_with";
interface Part {
  name: string;
  op: RangeOp;
  values: AttributeValue[];
}

/** `:v < key` reads as `key > :v`. */
const FLIPPED = { "=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as const;

function collect(condition: Condition, parts: Part[]): string | undefined {
  switch (condition.kind) {
    case "and":
      return collect(condition.left, parts) ?? collect(condition.right, parts);
    case "or":
    case "not":
    case "in":
      return `Invalid operator used in KeyConditionExpression: ${condition.kind.toUpperCase()}`;
    case "legacy":
      return "Query key condition not supported";
    case "compare":
      if (condition.op === "<>") return "Invalid operator used in KeyConditionExpression: <>";
      return part(condition.op, [condition.left, condition.right], parts);
    case "between":
      if (condition.operand.kind !== "path") {
        return "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand";
      }
      return part("between", [condition.operand, condition.low, condition.high], parts);
    case "function":
      if (condition.name !== "begins_with") return `Invalid operator used in KeyConditionExpression: ${condition.name}`;
      if (condition.args[0]?.kind !== "path") {
        return "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand";
      }
      return part("begins_with", condition.args, parts);
  }
}

function part(op: RangeOp, operands: Operand[], parts: Part[]): string | undefined {
  let name: string | undefined;
  let at = 0;
  const values: AttributeValue[] = [];
  for (const [i, operand] of operands.entries()) {
    if (operand.kind === "size") return "KeyConditionExpressions cannot contain nested operations";
    if (operand.kind === "value") {
      values.push(operand.value);
      continue;
    }
    if (name !== undefined) return "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition";
    if (operand.path.length > 1) return "KeyConditionExpressions cannot have conditions on nested attributes";
    const head = operand.path[0]!;
    name = "name" in head ? head.name : String(head.index);
    at = i;
  }
  if (name === undefined) return "Invalid condition in KeyConditionExpression: No key attribute specified";
  if (parts.some((p) => p.name === name)) return "KeyConditionExpressions must only contain one condition per key";
  const flipped = at !== 0 && op in FLIPPED ? FLIPPED[op as keyof typeof FLIPPED] : op;
  parts.push({ name, op: flipped, values });
  return undefined;
}

const typeMismatch = (part: Part, type?: string) => type !== undefined && part.values.some((value) => !(type in value));

export function keyConditionOf(condition: Condition, schema: KeySchemaNames): Result<KeyCondition> {
  const refuse = (message: string) => fail(validation(message));
  const parts: Part[] = [];
  const shape = collect(condition, parts);
  if (shape) return refuse(shape);
  if (parts.length !== 1 && parts.length !== 2) return refuse("Conditions can be of length 1 or 2 only");

  const hash = parts.find((p) => p.name === schema.hash);
  if (schema.range === undefined && parts.length > 1) return refuse("Query key condition not supported");
  if (!hash) return refuse(`Query condition missed key schema element: ${schema.hash}`);
  if (typeMismatch(hash, schema.hashType))
    return refuse("One or more parameter values were invalid: Condition parameter type does not match schema type");
  if (hash.op !== "=") return refuse("Query key condition not supported");

  const range = schema.range === undefined ? undefined : parts.find((p) => p.name === schema.range);
  if (parts.length > 1 && !range) return refuse(`Query condition missed key schema element: ${schema.range}`);
  if (range && typeMismatch(range, schema.rangeType)) {
    return refuse("One or more parameter values were invalid: Condition parameter type does not match schema type");
  }
  for (const p of [hash, range]) {
    if (p?.values.some((value) => "S" in value && value.S === "")) {
      return refuse(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${p.name}`,
      );
    }
  }

  const result: KeyCondition = { hashKey: { name: hash.name, value: hash.values[0]! } };
  if (range) {
    if (range.op === "between")
      result.rangeKey = { name: range.name, op: "between", low: range.values[0]!, high: range.values[1]! };
    else if (range.op === "begins_with") result.rangeKey = { name: range.name, op: "begins_with", prefix: range.values[0]! };
    else result.rangeKey = { name: range.name, op: range.op, value: range.values[0]! };
  }
  return ok(result);
}
