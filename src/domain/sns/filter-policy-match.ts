/**
 * Whether a published message passes a subscription's (already validated) filter policy
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html).
 *
 * Both scopes reduce to the same question. The message becomes a set of leaves, each a scalar at a dotted
 * path: the attributes (`store` → "example_corp"; a String.Array gives one leaf per element), or the JSON body
 * flattened (`{"object": {"key": "a"}}` → `object.key` = "a"; arrays add no path step, their elements are
 * leaves of the same path). The policy becomes one or more branches (`$or` multiplies them), each a map from
 * dotted path to conditions. A branch matches when every path has a leaf meeting one of its conditions (or has
 * no leaf at all, for `{"exists": false}`); the policy matches when any branch does.
 *
 * Body leaves drawn from arrays of objects must come from the same element, as AWS's rule engine requires:
 * `{"Records": {"a": [1], "b": [2]}}` does not match `{"Records": [{"a": 1}, {"b": 2}]}`.
 */
import type { FilterPolicyScope } from "./filter-policy-validate";
import {
  inIpRange,
  inNumericRange,
  ipAddress,
  parseCidr,
  sameIp,
  sameNumber,
  type IpRange,
  comparable,
} from "./filter-policy-values";

export interface MessageAttribute {
  Type: string;
  Value: string;
}

export interface FilterableMessage {
  attributes: Record<string, MessageAttribute>;
  body: string;
}

type Scalar = string | number | boolean | null;

type Condition =
  | { kind: "equals"; value: Scalar }
  | { kind: "prefix" | "suffix" | "equalsIgnoreCase"; value: string }
  | { kind: "anythingBut"; strings: string[] }
  | { kind: "anythingButNumber"; numbers: number[] }
  | { kind: "anythingButPrefix"; prefix: string }
  | { kind: "numeric"; low?: Bound; high?: Bound }
  | { kind: "exists"; exists: boolean }
  | { kind: "cidr"; range: IpRange }
  | { kind: "never" };

interface Bound {
  value: number;
  inclusive: boolean;
}

type Branch = Map<string, Condition[]>;

/** A scalar in the message, and which element of each enclosing array it came from. */
interface Leaf {
  value: Scalar;
  arrays: Map<number, number>;
}

const compiled = new WeakMap<object, Branch[]>();

/** Matches a message against a parsed policy. Policies are compiled once and cached by object identity. */
export function matchesFilterPolicy(policy: unknown, message: FilterableMessage, scope: FilterPolicyScope): boolean {
  if (!isObject(policy)) return true;
  let branches = compiled.get(policy);
  if (!branches) {
    branches = expandBranches(policy, "", [new Map()]);
    compiled.set(policy, branches);
  }
  const leaves = scope === "MessageBody" ? bodyLeaves(message.body) : attributeLeaves(message.attributes);
  // Body policies assume a JSON object payload: anything else is filtered out.
  if (!leaves) return false;
  return branches.some((branch) => branchMatches(branch, leaves));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Flattens nesting into dotted paths and multiplies branches at each `$or`, as AWS's compiler does. */
function expandBranches(object: Record<string, unknown>, prefix: string, branches: Branch[]): Branch[] {
  for (const [key, value] of Object.entries(object)) {
    if (key === "$or" && Array.isArray(value)) {
      branches = value.filter(isObject).flatMap((alternative) =>
        expandBranches(
          alternative,
          prefix,
          branches.map((branch) => new Map(branch)),
        ),
      );
      continue;
    }
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      const conditions = value.map(toCondition);
      for (const branch of branches) branch.set(path, conditions);
    } else if (isObject(value)) {
      branches = expandBranches(value, path, branches);
    }
  }
  return branches;
}

function toCondition(rule: unknown): Condition {
  if (!isObject(rule)) return isScalar(rule) ? { kind: "equals", value: rule } : { kind: "never" };
  const [operator, operand] = Object.entries(rule)[0] ?? [];
  switch (operator) {
    case "prefix":
    case "suffix":
      return typeof operand === "string" ? { kind: operator, value: operand } : { kind: "never" };
    case "equals-ignore-case":
      return typeof operand === "string" ? { kind: "equalsIgnoreCase", value: operand } : { kind: "never" };
    case "exists":
      return { kind: "exists", exists: operand === true };
    case "numeric":
      return Array.isArray(operand) ? numericCondition(operand) : { kind: "never" };
    case "cidr": {
      const range = typeof operand === "string" ? parseCidr(operand) : "not a string";
      return typeof range === "string" ? { kind: "never" } : { kind: "cidr", range };
    }
    case "anything-but":
      return anythingButCondition(operand);
    default:
      return { kind: "never" };
  }
}

function numericCondition(terms: unknown[]): Condition {
  const condition: { kind: "numeric"; low?: Bound; high?: Bound } = { kind: "numeric" };
  for (let i = 0; i + 1 < terms.length; i += 2) {
    const [operator, value] = [terms[i], terms[i + 1]];
    if (typeof value !== "number") return { kind: "never" };
    if (operator === "=") {
      condition.low = { value, inclusive: true };
      condition.high = { value, inclusive: true };
    } else if (operator === ">" || operator === ">=") condition.low = { value, inclusive: operator === ">=" };
    else if (operator === "<" || operator === "<=") condition.high = { value, inclusive: operator === "<=" };
  }
  return condition;
}

function anythingButCondition(operand: unknown): Condition {
  if (isObject(operand)) {
    return typeof operand.prefix === "string" ? { kind: "anythingButPrefix", prefix: operand.prefix } : { kind: "never" };
  }
  const values = Array.isArray(operand) ? operand : [operand];
  if (values.every((value) => typeof value === "number")) return { kind: "anythingButNumber", numbers: values };
  return { kind: "anythingBut", strings: values.filter((value) => typeof value === "string") };
}

const isScalar = (value: unknown): value is Scalar => value === null || ["string", "number", "boolean"].includes(typeof value);

/**
 * Attributes as leaves: String and Number attributes are one string or number each; String.Array values are
 * JSON arrays whose elements are leaves of the attribute's name. Binary attributes take no part in filtering,
 * not even in `exists`.
 */
function attributeLeaves(attributes: Record<string, MessageAttribute>): Map<string, Leaf[]> {
  const leaves = new Map<string, Leaf[]>();
  const add = (name: string, value: Scalar): void => {
    const list = leaves.get(name) ?? [];
    list.push({ value, arrays: new Map() });
    leaves.set(name, list);
  };
  for (const [name, { Type: type, Value: value }] of Object.entries(attributes)) {
    if (type.startsWith("String.Array") || type.startsWith("Number.Array")) {
      let elements: unknown;
      try {
        elements = JSON.parse(value);
      } catch {
        continue;
      }
      for (const element of [elements].flat(Infinity)) if (isScalar(element)) add(name, element);
    } else if (type.startsWith("Number")) {
      const number = Number(value);
      add(name, value.trim() !== "" && Number.isFinite(number) ? number : value);
    } else if (type.startsWith("String")) {
      add(name, value);
    }
  }
  return leaves;
}

/** The body's leaves, or undefined when the body is not a JSON object. */
function bodyLeaves(body: string): Map<string, Leaf[]> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const leaves = new Map<string, Leaf[]>();
  let nextArrayId = 0;
  const walk = (value: unknown, path: string, arrays: Map<number, number>): void => {
    if (Array.isArray(value)) {
      const id = nextArrayId++;
      value.forEach((element, index) => walk(element, path, new Map(arrays).set(id, index)));
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key, arrays);
    } else if (isScalar(value)) {
      const list = leaves.get(path) ?? [];
      list.push({ value, arrays });
      leaves.set(path, list);
    }
  };
  walk(parsed, "", new Map());
  return leaves;
}

function branchMatches(branch: Branch, leaves: Map<string, Leaf[]>): boolean {
  const choices: Leaf[][] = [];
  for (const [path, conditions] of branch) {
    const present = leaves.get(path) ?? [];
    if (present.length === 0 && conditions.some((c) => c.kind === "exists" && !c.exists)) continue;
    const candidates = present.filter((leaf) => conditions.some((condition) => satisfies(condition, leaf.value)));
    if (candidates.length === 0) return false;
    choices.push(candidates);
  }
  choices.sort((a, b) => a.length - b.length);
  return consistentPick(choices, []);
}

/** Two leaves can be matched together unless they come from different elements of the same array. */
const consistent = (a: Leaf, b: Leaf): boolean => [...a.arrays].every(([id, index]) => (b.arrays.get(id) ?? index) === index);

/** Picks one leaf per path such that all picks are consistent (depth-first, narrowest path first). */
function consistentPick(choices: Leaf[][], picked: Leaf[]): boolean {
  const [candidates, ...rest] = choices;
  if (!candidates) return true;
  return candidates.some((leaf) => picked.every((other) => consistent(leaf, other)) && consistentPick(rest, [...picked, leaf]));
}

function satisfies(condition: Condition, value: Scalar): boolean {
  switch (condition.kind) {
    case "equals":
      return equalsValue(condition.value, value);
    case "prefix":
      return typeof value === "string" && value.startsWith(condition.value);
    case "suffix":
      return typeof value === "string" && value.endsWith(condition.value);
    case "equalsIgnoreCase":
      return typeof value === "string" && equalsIgnoringCase(value, condition.value);
    case "anythingBut":
      // Only strings can equal a listed string: a number, true, false or null is "anything but" them.
      return typeof value !== "string" || !condition.strings.includes(value);
    case "anythingButNumber":
      return typeof value === "number" && inNumericRange(value) && !condition.numbers.some((n) => sameNumber(n, value));
    case "anythingButPrefix":
      return typeof value !== "string" || !value.startsWith(condition.prefix);
    case "numeric":
      return typeof value === "number" && inNumericRange(value) && withinBounds(value, condition.low, condition.high);
    case "exists":
      return condition.exists;
    case "cidr": {
      const address = typeof value === "string" ? ipAddress(value) : undefined;
      return address !== undefined && inIpRange(address, condition.range);
    }
    case "never":
      return false;
  }
}

/** Exact matching: strings by text (or as the same IP address), numbers by value, literals by identity. */
function equalsValue(expected: Scalar, actual: Scalar): boolean {
  if (typeof expected === "number") return typeof actual === "number" && sameNumber(expected, actual);
  if (typeof expected === "string" && typeof actual === "string") {
    if (expected === actual) return true;
    const [a, b] = [ipAddress(expected), ipAddress(actual)];
    return a !== undefined && b !== undefined && sameIp(a, b);
  }
  return expected === actual;
}

function equalsIgnoringCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

/** Compares at AWS's six-decimal precision, so bounds behave exactly like AWS's. */
function withinBounds(value: number, low: Bound | undefined, high: Bound | undefined): boolean {
  const at = comparable(value);
  if (low) {
    const bound = comparable(low.value);
    if (low.inclusive ? at < bound : at <= bound) return false;
  }
  if (high) {
    const bound = comparable(high.value);
    if (high.inclusive ? at > bound : at >= bound) return false;
  }
  return true;
}
