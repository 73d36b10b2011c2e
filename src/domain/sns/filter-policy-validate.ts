/**
 * Validation of a subscription's FilterPolicy, with AWS's error texts
 * (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html;
 * texts from ../shared/aws-recordings/sns/test_sns_filter_policy.snapshot.json).
 *
 * AWS checks in this order, and so do we: the size, the JSON syntax, the rules (operators and their operands,
 * walked the way AWS's streaming rule compiler walks them, so the first error wins and carries its column),
 * then SNS's own limits: five keys, no nesting for attribute policies, 150 combinations.
 */
import type { ErrorInfo, Problem } from "../errors";
import { invalidSubscriptionAttribute, type SubscriptionAttributeOperation } from "./errors";
import { RuleCursor, type RuleToken } from "./filter-policy-cursor";
import { readPolicyJson } from "./filter-policy-json";
import { inNumericRange, numericRangeError, parseCidr } from "./filter-policy-values";

export type FilterPolicyScope = "MessageAttributes" | "MessageBody";

const MAX_POLICY_BYTES = 256 * 1024;
const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;

/** Field names the rule compiler keeps for operators; they can't name a property inside `$or`. */
const RESERVED_IN_OR = new Set([
  "exactly",
  "equals-ignore-case",
  "prefix",
  "suffix",
  "anything-but",
  "exists",
  "wildcard",
  "numeric",
  "cidr",
  "=",
  "<",
  "<=",
  ">",
  ">=",
  "regex",
  "not-wildcard",
  "not-equals-ignore-case",
  "date-after",
  "date-on-or-after",
  "date-before",
  "date-on-or-before",
  "in-date-range",
  "ip-address-in-range",
  "ip-address-not-in-range",
]);

/**
 * Checks a FilterPolicy attribute value for a subscription with the given FilterPolicyScope. `operation` picks
 * the wording: Subscribe prefixes "Attributes Reason: ". An empty string is valid: it removes the policy.
 */
export function validateFilterPolicy(
  policy: string,
  scope: FilterPolicyScope,
  operation: SubscriptionAttributeOperation = "SetSubscriptionAttributes",
): Problem {
  const reject = (detail: string): ErrorInfo => invalidSubscriptionAttribute(detail, operation);
  if (policy === "") return undefined;
  if (new TextEncoder().encode(policy).length > MAX_POLICY_BYTES) return reject("FilterPolicy: Filter policy is too large");

  const read = readPolicyJson(policy);
  if (!read.ok) return reject(`FilterPolicy: failed to parse JSON. ${read.message}`);

  const ruleError = checkRules(read.compact);
  if (ruleError !== undefined) return reject(`FilterPolicy: ${ruleError}`);

  const parsed = JSON.parse(read.compact) as PolicyObject;
  if (mostKeysInABranch(parsed) > MAX_KEYS) return reject(`FilterPolicy: Filter policy can not have more than ${MAX_KEYS} keys`);
  if (scope === "MessageAttributes" && isNested(parsed)) {
    return reject("Filter policy scope MessageAttributes does not support nested filter policy");
  }
  if (combinations(parsed, 1) > MAX_COMBINATIONS) return reject("FilterPolicy: Filter policy is too complex");
  return undefined;
}

/** Returns the rule compiler's complaint about the compact policy text, if it has one. */
function checkRules(compact: string): string | undefined {
  const checker = new RuleChecker(new RuleCursor(compact));
  return checker.policy() === FAILED ? checker.fault : undefined;
}

/**
 * What a check returns when the policy breaks a rule, after recording the complaint in the checker: the walk
 * stops at the first one, as the compiler does, and an invalid policy is an expected input, not a bug.
 */
const FAILED: unique symbol = Symbol("invalid filter policy");
type Failed = typeof FAILED;
/** A check that produces nothing: the policy passed it (undefined) or FAILED. */
type Step = Failed | undefined;

const isNumber = (token: RuleToken): boolean => token === "NUMBER";

/**
 * Walks the policy token by token, in the order AWS's rule compiler reads it. Each check fires at the token
 * that compiler would be looking at, because the column in the message depends on it.
 */
class RuleChecker {
  /** The compiler's complaint, once a check has returned FAILED. */
  fault: string | undefined;

  constructor(private readonly cursor: RuleCursor) {}

  policy(): Step {
    if (this.cursor.next() !== "START_OBJECT") return this.fail("Filter is not an object");
    return this.object(false);
  }

  /** Most errors carry the parser's position, as the compiler reports them. */
  private fail(message: string): Failed {
    return this.failWithoutLocation(`${message}\n at ${this.cursor.location()}`);
  }

  /** A few of AWS's checks throw past its compiler's error wrapping, so their messages carry no position. */
  private failWithoutLocation(message: string): Failed {
    this.fault ??= message;
    return FAILED;
  }

  private object(insideOr: boolean): Step {
    let empty = true;
    while (this.cursor.next() !== "END_OBJECT") {
      empty = false;
      const name = this.cursor.currentName;
      if (name === "$or") {
        if (this.or() === FAILED) return FAILED;
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(name)) {
        return this.fail(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
      }
      const token = this.cursor.next();
      if (token === "START_OBJECT") {
        if (this.object(insideOr) === FAILED) return FAILED;
      } else if (token === "START_ARRAY") {
        if (this.values() === FAILED) return FAILED;
      } else return this.fail(`"${name}" must be an object or an array`);
    }
    return empty ? this.fail("Empty objects are not allowed") : undefined;
  }

  private or(): Step {
    if (this.cursor.next() !== "START_ARRAY") return this.fail("It must be an Array followed with $or.");
    let branches = 0;
    for (let token = this.cursor.next(); token !== "END_ARRAY"; token = this.cursor.next()) {
      branches++;
      if (token !== "START_OBJECT") return this.fail("Only JSON object is allowed in array of $or relationship.");
      if (this.object(true) === FAILED) return FAILED;
    }
    return branches < 2 ? this.fail("There must have at least 2 Objects in $or relationship.") : undefined;
  }

  /** The list of accepted values for one key: plain values OR'ed with match expressions. */
  private values(): Step {
    let count = 0;
    for (let token = this.cursor.next(); token !== "END_ARRAY"; token = this.cursor.next()) {
      count++;
      if (token === "START_OBJECT") {
        if (this.matchExpression() === FAILED) return FAILED;
      } else if (token === "STRING") this.cursor.text();
      else if (token !== "NUMBER" && token !== "TRUE" && token !== "FALSE" && token !== "NULL") {
        return this.fail("Match value must be String, number, true, false, or null");
      }
    }
    return count === 0 ? this.fail("Empty arrays are not allowed") : undefined;
  }

  private matchExpression(): Step {
    if (this.cursor.next() !== "FIELD_NAME") return this.fail("Match expression name not found");
    const operator = this.cursor.currentName;
    switch (operator) {
      case "prefix":
      case "suffix":
      case "equals-ignore-case":
        if (this.stringOperand(`${operator} match pattern must be a string`) === FAILED) return FAILED;
        return this.endOfExpression("Only one key allowed in match expression");
      case "cidr": {
        // AWS reuses the prefix wording here.
        const pattern = this.stringOperand("prefix match pattern must be a string");
        if (pattern === FAILED) return FAILED;
        const range = parseCidr(pattern);
        if (typeof range === "string") return this.failWithoutLocation(range);
        return this.endOfExpression("Only one key allowed in match expression");
      }
      case "exists": {
        const token = this.cursor.next();
        if (token !== "TRUE" && token !== "FALSE") return this.fail("exists match pattern must be either true or false.");
        return this.endOfExpression("Only one key allowed in match expression");
      }
      case "numeric":
        if (this.cursor.next() !== "START_ARRAY") return this.fail("Value of numeric must be an array.");
        if (this.numeric() === FAILED) return FAILED;
        return this.endOfExpression("Too many elements in numeric expression");
      case "anything-but":
        return this.anythingBut();
      default:
        return this.fail(`Unrecognized match type ${operator}`);
    }
  }

  private stringOperand(complaint: string): string | Failed {
    if (this.cursor.next() !== "STRING") return this.fail(complaint);
    return this.cursor.text();
  }

  private endOfExpression(complaint: string): Step {
    return this.cursor.next() === "END_OBJECT" ? undefined : this.fail(complaint);
  }

  private numberValue(): number {
    return Number(this.cursor.text());
  }

  private checkNumericRange(...values: number[]): Step {
    return values.every(inNumericRange) ? undefined : this.fail(numericRangeError);
  }

  /** `["=", 5]`, `["<", 5]`, `[">=", 1]`, or a range `[">", 0, "<=", 5]`: lower bound first. */
  private numeric(): Step {
    if (this.cursor.next() !== "STRING") return this.fail(`Invalid member in numeric match: ${this.cursor.text()}`);
    const operator = this.cursor.text();
    const operand = this.cursor.next();
    if (operator !== "=" && operator !== "<" && operator !== "<=" && operator !== ">" && operator !== ">=") {
      return this.fail(`Unrecognized numeric range operator: ${operator}`);
    }
    if (!isNumber(operand)) return this.fail(`Value of ${operator === "=" ? "equals" : operator} must be numeric`);
    const value = this.numberValue();
    const next = this.cursor.next();
    if (operator === ">" || operator === ">=") {
      if (next === "END_ARRAY") return this.checkNumericRange(value);
      return this.upperBound(next, value);
    }
    if (next !== "END_ARRAY") return this.fail("Too many elements in numeric expression");
    return this.checkNumericRange(value);
  }

  private upperBound(token: RuleToken, bottom: number): Step {
    if (token !== "STRING") return this.fail(`Bad value in numeric range: ${this.cursor.text()}`);
    const operator = this.cursor.text();
    if (operator !== "<" && operator !== "<=") return this.fail(`Bad numeric range operator: ${operator}`);
    if (!isNumber(this.cursor.next())) return this.fail(`Value of ${operator} must be numeric`);
    const top = this.numberValue();
    if (this.cursor.next() !== "END_ARRAY") return this.fail("Too many terms in numeric range expression");
    if (bottom >= top) return this.fail("Bottom must be less than top");
    return this.checkNumericRange(bottom, top);
  }

  /**
   * `anything-but` takes a value, a list of values of one type, or `{"prefix": "…"}`. SNS refuses the other
   * nested forms (suffix, equals-ignore-case…) with "Unsupported anything-but pattern" (recorded 2024).
   */
  private anythingBut(): Step {
    const token = this.cursor.next();
    if (token === "START_OBJECT") {
      if (this.cursor.next() !== "FIELD_NAME") return this.fail("Anything-But expression name not found");
      const operator = this.cursor.currentName;
      if (operator !== "prefix") return this.fail(`Unsupported anything-but pattern: ${operator}`);
      const prefix = this.stringOperand("prefix match pattern must be a string");
      if (prefix === FAILED) return FAILED;
      if (prefix === "") return this.fail("Null prefix not allowed");
      if (this.endOfExpression("Only one key allowed in match expression") === FAILED) return FAILED;
      return this.endOfExpression("Only one key allowed in match expression");
    }
    if (token === "START_ARRAY") {
      if (this.anythingButList() === FAILED) return FAILED;
    } else if (token === "STRING") this.cursor.text();
    else if (token === "NUMBER") {
      if (!inNumericRange(this.numberValue())) return this.failWithoutLocation(numericRangeError);
    } else return this.fail("Value of anything-but must be an array or single string/number value.");
    return this.endOfExpression("Too many elements in numeric expression");
  }

  private anythingButList(): Step {
    let strings = 0;
    let numbers = 0;
    for (let token = this.cursor.next(); token !== "END_ARRAY"; token = this.cursor.next()) {
      if (token === "STRING") {
        strings++;
        this.cursor.text();
      } else if (token === "NUMBER") {
        numbers++;
        if (this.checkNumericRange(this.numberValue()) === FAILED) return FAILED;
      } else return this.fail("Inside anything but list, start|null|boolean is not supported.");
    }
    if (strings > 0 === numbers > 0) {
      return this.fail("Inside anything but list, either all values are number or string, mixed type is not supported");
    }
    return undefined;
  }
}

type PolicyObject = { [key: string]: unknown };

const isObject = (value: unknown): value is PolicyObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** `$or` alternatives of a (valid) policy object. */
const alternatives = (value: unknown): PolicyObject[] => (Array.isArray(value) ? value.filter(isObject) : []);

/**
 * The five-key limit counts top-level keys ("for a nested policy, only parent keys are counted"). With `$or`
 * we count per alternative: `{"a", "$or": [{"b"}, {"c"}]}` needs two keys in either case.
 */
function mostKeysInABranch(policy: PolicyObject): number {
  const branches = (object: PolicyObject): Array<Set<string>> => {
    let result: Array<Set<string>> = [new Set()];
    for (const [key, value] of Object.entries(object)) {
      if (key === "$or") {
        result = alternatives(value).flatMap((alternative) =>
          branches(alternative).flatMap((inner) => result.map((outer) => new Set([...outer, ...inner]))),
        );
      } else result.forEach((branch) => branch.add(key));
    }
    return result;
  };
  return Math.max(...branches(policy).map((branch) => branch.size));
}

/** Attribute policies are flat: a key whose value is an object (outside `$or`) nests. */
function isNested(object: PolicyObject): boolean {
  return Object.entries(object).some(([key, value]) => (key === "$or" ? alternatives(value).some(isNested) : isObject(value)));
}

/**
 * The policy's "total combination of values", as AWS counts it: the product of the lengths of the value
 * lists, each multiplied by how deep its key is nested (AWS's example: four values three levels deep and three
 * values two levels deep make 3 × 4 × 2 × 3 = 72), with the alternatives of an `$or` adding up. This
 * reproduces the recorded limits: 152 and 160 are refused, 150 is accepted.
 */
function combinations(object: PolicyObject, depth: number): number {
  let total = 1;
  for (const [key, value] of Object.entries(object)) {
    if (key === "$or") total *= alternatives(value).reduce((sum, alternative) => sum + combinations(alternative, depth), 0);
    else if (Array.isArray(value)) total *= value.length * depth;
    else if (isObject(value)) total *= combinations(value, depth + 1);
  }
  return total;
}
