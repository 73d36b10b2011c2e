/**
 * DynamoDB's legacy parameters (Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter,
 * AttributesToGet) turned into the AST the expressions use, with AWS's validations and texts (the
 * API reference's "Legacy conditional parameters"; texts as dynalite's AWS-checked tests have them).
 * The KCL writes its leases only this way: `Expected` on leaseKey / leaseCounter / leaseOwner with
 * `Value` or `Exists: false`, and `AttributeUpdates` PUT / DELETE / ADD.
 * The attribute values inside are validated by ./values.ts before they get here.
 */
import type { Problem, Result } from "../errors";
import { fail, ok } from "../errors";
import { attributeType, compareValues } from "./compare";
import type { AttributeValue, Condition, KeyCondition, LegacyOperator, Projection, UpdateActions } from "./contract";
import { validation } from "./errors";

export interface ExpectedAttributeValue {
  Value?: AttributeValue;
  Exists?: boolean;
  ComparisonOperator?: LegacyOperator;
  AttributeValueList?: AttributeValue[];
}

/** One entry of KeyConditions, QueryFilter or ScanFilter. */
export interface LegacyCondition {
  ComparisonOperator: LegacyOperator;
  AttributeValueList?: AttributeValue[];
}

export interface AttributeValueUpdate {
  Action?: "PUT" | "DELETE" | "ADD";
  Value?: AttributeValue;
}

/** The key attributes Query addresses (the table's or the index's), with their types when known. */
export interface KeySchemaNames {
  hash: string;
  range?: string;
  types?: Record<string, "S" | "N" | "B">;
}

const invalid = (text: string) => validation(`One or more parameter values were invalid: ${text}`);
const BETWEEN_ORDER = "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound";

/** How many values each operator takes: [min, max]. */
const ARITY: Record<LegacyOperator, [number, number]> = {
  EQ: [1, 1],
  NE: [1, 1],
  LE: [1, 1],
  LT: [1, 1],
  GE: [1, 1],
  GT: [1, 1],
  CONTAINS: [1, 1],
  NOT_CONTAINS: [1, 1],
  BEGINS_WITH: [1, 1],
  NULL: [0, 0],
  NOT_NULL: [0, 0],
  IN: [1, Infinity],
  BETWEEN: [2, 2],
};

/** The value types each operator accepts in filters and key conditions (EQ and NE take any type). */
const SCALARS = ["S", "N", "B"];
const ALLOWED_TYPES: Partial<Record<LegacyOperator, string[]>> = {
  LE: SCALARS,
  LT: SCALARS,
  GE: SCALARS,
  GT: SCALARS,
  CONTAINS: SCALARS,
  NOT_CONTAINS: SCALARS,
  BEGINS_WITH: ["S", "B"],
  IN: SCALARS,
  BETWEEN: SCALARS,
};

function combine(conditions: Condition[], conditionalOperator?: string): Condition | undefined {
  const kind = conditionalOperator === "OR" ? "or" : "and";
  return conditions.reduce<Condition | undefined>((acc, c) => (acc ? { kind, left: acc, right: c } : c), undefined);
}

const legacyNode = (name: string, operator: LegacyOperator, values: AttributeValue[]): Condition => ({
  kind: "legacy",
  operator,
  path: [{ name }],
  values,
});

function sameType(values: AttributeValue[]): Problem {
  const first = values[0];
  if (!first) return undefined;
  const type = attributeType(first);
  if (values.some((v) => attributeType(v) !== type))
    return invalid("AttributeValues inside AttributeValueList must be of same type");
  return undefined;
}

const betweenReversed = (operator: LegacyOperator, values: AttributeValue[]): boolean =>
  operator === "BETWEEN" && values.length === 2 && (compareValues(values[0]!, values[1]!) ?? 0) > 0;

/** Expected (+ ConditionalOperator) of PutItem, UpdateItem and DeleteItem. Empty → no condition. */
export function expectedToCondition(
  expected: Record<string, ExpectedAttributeValue> | undefined,
  conditionalOperator?: string,
): Result<Condition | undefined> {
  const conditions: Condition[] = [];
  for (const [name, entry] of Object.entries(expected ?? {})) {
    const hasValue = entry.Value !== undefined;
    const list = entry.AttributeValueList;
    if (list !== undefined && hasValue) {
      return fail(invalid(`Value and AttributeValueList cannot be used together for Attribute: ${name}`));
    }
    const operator = entry.ComparisonOperator;
    if (operator !== undefined) {
      if (entry.Exists !== undefined) {
        return fail(invalid(`Exists and ComparisonOperator cannot be used together for Attribute: ${name}`));
      }
      if (operator !== "NULL" && operator !== "NOT_NULL" && list === undefined && !hasValue) {
        return fail(
          invalid(`Value or AttributeValueList must be used with ComparisonOperator: ${operator} for Attribute: ${name}`),
        );
      }
      const values = list ?? (hasValue ? [entry.Value!] : []);
      const [min, max] = ARITY[operator];
      if (values.length < min || values.length > max) {
        return fail(invalid(`Invalid number of argument(s) for the ${operator} ComparisonOperator`));
      }
      if (list) {
        const problem = sameType(list);
        if (problem) return fail(problem);
        if (betweenReversed(operator, list)) return fail(validation(BETWEEN_ORDER));
      }
      conditions.push(legacyNode(name, operator, values));
    } else if (list !== undefined) {
      return fail(invalid(`AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`));
    } else {
      const exists = entry.Exists ?? true;
      if (exists && !hasValue) {
        return fail(
          invalid(`Value must be provided when Exists is ${entry.Exists === undefined ? "null" : "true"} for Attribute: ${name}`),
        );
      }
      if (!exists && hasValue) return fail(invalid(`Value cannot be used when Exists is false for Attribute: ${name}`));
      conditions.push(exists ? legacyNode(name, "EQ", [entry.Value!]) : legacyNode(name, "NULL", []));
    }
  }
  return ok(combine(conditions, conditionalOperator));
}

/** The checks KeyConditions, QueryFilter and ScanFilter share, in AWS's order. */
function validateConditions(conditions: Record<string, LegacyCondition>): Problem {
  for (const entry of Object.values(conditions)) {
    const operator = entry.ComparisonOperator;
    const values = entry.AttributeValueList ?? [];
    const [min, max] = ARITY[operator];
    if (values.length < min || values.length > max) {
      return invalid(`Invalid number of argument(s) for the ${operator} ComparisonOperator`);
    }
    const problem = sameType(values);
    if (problem) return problem;
    const allowed = ALLOWED_TYPES[operator];
    const wrong = allowed && values.find((v) => !allowed.includes(attributeType(v)));
    if (wrong) return invalid(`ComparisonOperator ${operator} is not valid for ${attributeType(wrong)} AttributeValue type`);
    if (betweenReversed(operator, values)) return validation(BETWEEN_ORDER);
  }
  return undefined;
}

/** QueryFilter / ScanFilter (+ ConditionalOperator). Empty → no filter. */
export function filterToCondition(
  filter: Record<string, LegacyCondition> | undefined,
  conditionalOperator?: string,
): Result<Condition | undefined> {
  const problem = validateConditions(filter ?? {});
  if (problem) return fail(problem);
  const conditions = Object.entries(filter ?? {}).map(([name, c]) =>
    legacyNode(name, c.ComparisonOperator, c.AttributeValueList ?? []),
  );
  return ok(combine(conditions, conditionalOperator));
}

const RANGE_OPS: Partial<Record<LegacyOperator, "=" | "<" | "<=" | ">" | ">=">> = {
  EQ: "=",
  LT: "<",
  LE: "<=",
  GT: ">",
  GE: ">=",
};
const NOT_INDEXABLE = new Set<LegacyOperator>(["NULL", "NOT_NULL", "NE", "CONTAINS", "NOT_CONTAINS", "IN"]);

/** Query's KeyConditions, checked against the key schema of the table or index queried. */
export function keyConditionsToKeyCondition(
  conditions: Record<string, LegacyCondition>,
  keySchema: KeySchemaNames,
): Result<KeyCondition> {
  const problem = validateConditions(conditions);
  if (problem) return fail(problem);
  const count = Object.keys(conditions).length;
  if (count !== 1 && count !== 2) return fail(validation("Conditions can be of length 1 or 2 only"));
  const keys: [string, boolean][] = [[keySchema.hash, true]];
  if (keySchema.range !== undefined) keys.push([keySchema.range, false]);
  for (const [name, isHash] of keys) {
    if (isHash && keySchema.range === undefined && count > 1) return fail(validation("Query key condition not supported"));
    const entry = Object.hasOwn(conditions, name) ? conditions[name] : undefined;
    if (!entry) {
      if (isHash || count > 1) return fail(validation(`Query condition missed key schema element: ${name}`));
      continue;
    }
    if (NOT_INDEXABLE.has(entry.ComparisonOperator)) {
      return fail(validation("Attempted conditional constraint is not an indexable operation"));
    }
    const type = keySchema.types?.[name];
    if (type && (entry.AttributeValueList ?? []).some((v) => attributeType(v) !== type)) {
      return fail(invalid("Condition parameter type does not match schema type"));
    }
    if (isHash && entry.ComparisonOperator !== "EQ") return fail(validation("Query key condition not supported"));
  }
  const hashValues = conditions[keySchema.hash]!.AttributeValueList!;
  const result: KeyCondition = { hashKey: { name: keySchema.hash, value: hashValues[0]! } };
  const rangeName = keySchema.range;
  const range = rangeName !== undefined && Object.hasOwn(conditions, rangeName) ? conditions[rangeName] : undefined;
  if (range && rangeName !== undefined) {
    const [first, second] = range.AttributeValueList!;
    const op = range.ComparisonOperator;
    if (op === "BETWEEN") result.rangeKey = { name: rangeName, op: "between", low: first!, high: second! };
    else if (op === "BEGINS_WITH") result.rangeKey = { name: rangeName, op: "begins_with", prefix: first! };
    else result.rangeKey = { name: rangeName, op: RANGE_OPS[op]!, value: first! };
  }
  return ok(result);
}

const SET_TYPES = ["SS", "NS", "BS"];
const ADD_TYPES = ["L", "SS", "NS", "BS", "N"];

/** UpdateItem's AttributeUpdates: PUT (the default) sets, DELETE removes or takes from a set, ADD adds. */
export function attributeUpdatesToActions(updates: Record<string, AttributeValueUpdate> | undefined): Result<UpdateActions> {
  const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
  for (const [name, update] of Object.entries(updates ?? {})) {
    const action = update.Action ?? "PUT";
    const value = update.Value;
    const path = [{ name }];
    if (value === undefined) {
      if (action !== "DELETE") return fail(invalid("Only DELETE action is allowed when no attribute value is specified"));
      actions.remove.push(path);
      continue;
    }
    const type = attributeType(value);
    if (action === "DELETE") {
      if (!SET_TYPES.includes(type)) return fail(invalid(`DELETE action with value is not supported for the type ${type}`));
      actions.delete.push({ path, value, legacy: true });
    } else if (action === "ADD") {
      if (!ADD_TYPES.includes(type)) return fail(invalid(`ADD action is not supported for the type ${type}`));
      actions.add.push({ path, value, legacy: true });
    } else {
      actions.set.push({ path, value: { kind: "operand", operand: { kind: "value", value } } });
    }
  }
  return ok(actions);
}

/** AttributesToGet: top-level names only. Its duplicates are refused by `checkAttributesToGet`. */
export function attributesToGetToProjection(names: string[]): Projection {
  return names.map((name) => [{ name }]);
}

export function checkAttributesToGet(names: string[]): Problem {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return invalid(`Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
  return undefined;
}

export type LegacyOperation = "GetItem" | "PutItem" | "DeleteItem" | "UpdateItem" | "Query" | "Scan";

/** Each operation's expression and non-expression parameters, in the order AWS lists them. */
const PARAMETERS: Record<LegacyOperation | "any", [string[], string[]]> = {
  GetItem: [["ProjectionExpression"], ["AttributesToGet"]],
  PutItem: [["ConditionExpression"], ["Expected"]],
  DeleteItem: [["ConditionExpression"], ["Expected"]],
  UpdateItem: [
    ["UpdateExpression", "ConditionExpression"],
    ["AttributeUpdates", "Expected"],
  ],
  Query: [
    ["ProjectionExpression", "FilterExpression", "KeyConditionExpression"],
    ["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"],
  ],
  Scan: [
    ["ProjectionExpression", "FilterExpression"],
    ["AttributesToGet", "ScanFilter", "ConditionalOperator"],
  ],
  any: [
    ["UpdateExpression", "ConditionExpression", "ProjectionExpression", "FilterExpression", "KeyConditionExpression"],
    ["AttributesToGet", "AttributeUpdates", "Expected", "QueryFilter", "ScanFilter", "ConditionalOperator", "KeyConditions"],
  ],
};

/**
 * AWS refuses legacy and expression parameters in one request. KeyConditions is the exception: it may
 * come with a FilterExpression or ProjectionExpression as long as KeyConditionExpression is absent.
 */
export function checkNotMixed(input: Record<string, unknown>, operation: LegacyOperation | "any" = "any"): Problem {
  const [expressions, legacy] = PARAMETERS[operation];
  const present = (name: string) => input[name] !== undefined && input[name] !== null;
  const used = expressions.filter(present);
  if (used.length === 0) return undefined;
  const keyConditionsAllowed = present("KeyConditions") && !present("KeyConditionExpression");
  const mixed = legacy.filter((name) => present(name) && !(name === "KeyConditions" && keyConditionsAllowed));
  if (mixed.length === 0) return undefined;
  return validation(
    "Can not use both expression and non-expression parameters in the same request: " +
      `Non-expression parameters: {${mixed.join(", ")}} Expression parameters: {${used.join(", ")}}`,
  );
}
