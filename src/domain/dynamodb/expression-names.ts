/**
 * ExpressionAttributeNames and ExpressionAttributeValues of one request: the placeholders every
 * expression of that request (UpdateExpression, ConditionExpression, …) resolves through one context,
 * which remembers what was used, since AWS refuses a request that defines a placeholder no expression
 * uses. Texts from dynalite's validations/index.js (tested against AWS) and observed DynamoDB answers.
 */
import type { AttributeValue } from "./contract";
import type { Problem } from "../errors";
import { validation } from "./errors";

/** Every expression parameter, as the request names it (the word after "Invalid " in AWS's errors). */
export type ExpressionParameter =
  "ConditionExpression" | "FilterExpression" | "KeyConditionExpression" | "UpdateExpression" | "ProjectionExpression";

/** The expression parameters each operation takes, in the order AWS lists them in its errors. */
export const EXPRESSION_PARAMETERS = {
  GetItem: ["ProjectionExpression"],
  BatchGetItem: ["ProjectionExpression"],
  TransactGetItems: ["ProjectionExpression"],
  PutItem: ["ConditionExpression"],
  DeleteItem: ["ConditionExpression"],
  ConditionCheck: ["ConditionExpression"],
  UpdateItem: ["UpdateExpression", "ConditionExpression"],
  Scan: ["ProjectionExpression", "FilterExpression"],
  Query: ["ProjectionExpression", "FilterExpression", "KeyConditionExpression"],
} as const satisfies Record<string, readonly ExpressionParameter[]>;

const NAME_KEY = /^#[0-9A-Za-z_]+$/;
const VALUE_KEY = /^:[0-9A-Za-z_]+$/;
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/**
 * AWS's refusal of placeholder maps sent without any expression that could use them. `present`:
 * the expression parameters the request carries; `accepted`: those the operation takes
 * (EXPRESSION_PARAMETERS). A ProjectionExpression uses no values, so it does not excuse them.
 */
export function checkPlaceholderMaps(
  request: { ExpressionAttributeNames?: unknown; ExpressionAttributeValues?: unknown },
  present: readonly ExpressionParameter[],
  accepted: readonly ExpressionParameter[],
): Problem {
  if (request.ExpressionAttributeNames != null && present.length === 0) {
    return validation("ExpressionAttributeNames can only be specified when using expressions");
  }
  const usingValues = accepted.filter((name) => name !== "ProjectionExpression");
  if (
    request.ExpressionAttributeValues != null &&
    usingValues.length > 0 &&
    !usingValues.some((name) => present.includes(name))
  ) {
    const verb = usingValues.length > 1 ? "are" : "is";
    return validation(
      `ExpressionAttributeValues can only be specified when using expressions: ${usingValues.join(" and ")} ${verb} null`,
    );
  }
  return undefined;
}

export class ExpressionContext {
  private readonly names: Map<string, string>;
  private readonly values: Map<string, AttributeValue>;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(
    private readonly namesGiven?: Record<string, string>,
    private readonly valuesGiven?: Record<string, AttributeValue>,
  ) {
    this.names = new Map(Object.entries(namesGiven ?? {}));
    this.values = new Map(Object.entries(valuesGiven ?? {}));
  }

  /**
   * The checks AWS makes on the maps themselves before it reads any expression: not empty, keys of the
   * placeholder form, names not empty. The values' own validity (types, numbers) is the values
   * module's check and comes after this one.
   */
  check(): Problem {
    if (this.namesGiven) {
      if (this.names.size === 0) return validation("ExpressionAttributeNames must not be empty");
      for (const [key, name] of this.names) {
        const problem = checkKey("ExpressionAttributeNames", key, NAME_KEY);
        if (problem) return problem;
        if (name === "")
          return validation(`ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`);
      }
    }
    if (this.valuesGiven) {
      if (this.values.size === 0) return validation("ExpressionAttributeValues must not be empty");
      for (const key of this.values.keys()) {
        const problem = checkKey("ExpressionAttributeValues", key, VALUE_KEY);
        if (problem) return problem;
      }
    }
    return undefined;
  }

  hasName(placeholder: string): boolean {
    return this.names.has(placeholder);
  }
  hasValue(placeholder: string): boolean {
    return this.values.has(placeholder);
  }

  /** The attribute name behind `#placeholder`, marking it used; undefined when not defined. */
  name(placeholder: string): string | undefined {
    const name = this.names.get(placeholder);
    if (name !== undefined) this.usedNames.add(placeholder);
    return name;
  }

  /** The value behind `:placeholder`, marking it used; undefined when not defined. */
  value(placeholder: string): AttributeValue | undefined {
    const value = this.values.get(placeholder);
    if (value !== undefined) this.usedValues.add(placeholder);
    return value;
  }

  /** A look at a value without counting it as used (for type checks made before the use). */
  peekValue(placeholder: string): AttributeValue | undefined {
    return this.values.get(placeholder);
  }

  /** A look at a name without counting it as used (for path comparisons made before the use). */
  peekName(placeholder: string): string | undefined {
    return this.names.get(placeholder);
  }

  /** After every expression of the request is parsed: AWS's refusal of placeholders none of them used. */
  unused(): Problem {
    const names = [...this.names.keys()].filter((key) => !this.usedNames.has(key));
    if (names.length > 0) {
      return validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${javaSetOrder(names, this.names.size).join(", ")}}`,
      );
    }
    const values = [...this.values.keys()].filter((key) => !this.usedValues.has(key));
    if (values.length > 0) {
      return validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${javaSetOrder(values, this.values.size).join(", ")}}`,
      );
    }
    return undefined;
  }
}

function checkKey(parameter: string, key: string, form: RegExp): Problem {
  const size = utf8Length(key);
  // The wording of the too-long refusal, observed; AWS's limit on a placeholder is 255 bytes.
  if (size > 255) {
    return validation(
      `${parameter} contains invalid key: The expression attribute map contains a key that is too long; size of key: ${size}`,
    );
  }
  if (!form.test(key)) return validation(`${parameter} contains invalid key: Syntax error; key: "${key}"`);
  return undefined;
}

/**
 * DynamoDB (Java) lists unused keys in the iteration order of a java.util.HashSet built from all the
 * request's keys: buckets by the spread String.hashCode, then insertion order within a bucket.
 */
export function javaSetOrder(keys: string[], total = keys.length): string[] {
  let capacity = 1;
  const wanted = Math.max(Math.floor(total / 0.75) + 1, 16);
  while (capacity < wanted) capacity *= 2;
  const bucket = (key: string) => {
    let hash = 0;
    for (let i = 0; i < key.length; i++) hash = (Math.imul(31, hash) + key.charCodeAt(i)) | 0;
    return ((hash ^ (hash >>> 16)) & (capacity - 1)) >>> 0;
  };
  return keys
    .map((key, index) => ({ key, index, slot: bucket(key) }))
    .sort((a, b) => a.slot - b.slot || a.index - b.index)
    .map((entry) => entry.key);
}
