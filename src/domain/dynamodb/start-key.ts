/**
 * An ExclusiveStartKey must be a key of what is read: the table's key attributes, plus the index's when
 * a Query or Scan reads an index, nothing else, each of its declared type. Otherwise AWS refuses it
 * before reading: "The provided starting key is invalid" (with the key check's reason after a colon
 * where it has one). Texts and order from dynalite's Query and Scan actions (tested against AWS).
 */
import type { Problem } from "../errors";
import { compareBytes, compareValues, valuesEqual } from "./compare";
import type { AttributeValue, Item, KeyCondition } from "./contract";
import { validation } from "./errors";
import type { IndexDefinition, TableDefinition } from "./table-definition";
import { attributeDefinitions, schemaElements } from "./table-keys";
import { validateKey } from "./values";

const INVALID = "The provided starting key is invalid";

export function startKeyProblem(
  start: Item,
  t: TableDefinition,
  index: IndexDefinition | undefined,
  operation: "Query" | "Scan",
): Problem {
  const names = new Set([t.key.hash, t.key.range, index?.key.hash, index?.key.range].filter((n): n is string => n !== undefined));
  if (Object.keys(start).length !== names.size) {
    return validation(
      operation === "Scan" && !index ? `${INVALID}: The provided key element does not match the schema` : INVALID,
    );
  }
  // The key read (the index's, or the table's for a Query) first, its reasons unprefixed.
  const read = index?.key ?? (operation === "Query" ? t.key : undefined);
  if (read) {
    const readKey: Item = {};
    for (const name of [read.hash, read.range]) {
      if (name === undefined) continue;
      if (!start[name]) return validation(INVALID);
      readKey[name] = start[name]!;
    }
    const problem = validateKey(readKey, schemaElements(read), attributeDefinitions(t));
    if (problem) return problem;
  }
  const tableKey: Item = {};
  for (const name of [t.key.hash, t.key.range]) if (name !== undefined && start[name]) tableKey[name] = start[name]!;
  const problem = validateKey(tableKey, schemaElements(t.key), attributeDefinitions(t));
  return problem ? validation(`${INVALID}: ${problem.message}`) : undefined;
}

function inRange(value: AttributeValue | undefined, range: NonNullable<KeyCondition["rangeKey"]>): boolean {
  if (!value) return false;
  if (range.op === "begins_with") {
    const p = range.prefix;
    if ("S" in value && "S" in p) return value.S.startsWith(p.S);
    return "B" in value && "B" in p && compareBytes(value.B.subarray(0, p.B.length), p.B) === 0;
  }
  if (range.op === "between") {
    const low = compareValues(value, range.low);
    const high = compareValues(value, range.high);
    return low !== undefined && high !== undefined && low >= 0 && high <= 0;
  }
  const order = compareValues(value, range.value);
  if (order === undefined) return false;
  return { "=": order === 0, "<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0 }[range.op];
}

/**
 * A Query's ExclusiveStartKey must lie inside its key condition: the same partition, and a range key
 * the range condition holds for. Texts and checks' order from dynalite's Query action (tested
 * against AWS), the last one included as AWS words it.
 */
export function startKeyBoundsProblem(start: Item, key: KeyCondition): Problem {
  const samePartition = valuesEqual(start[key.hashKey.name] ?? { NULL: true }, key.hashKey.value);
  if (!key.rangeKey)
    return samePartition
      ? undefined
      : validation("The provided starting key is outside query boundaries based on provided conditions");
  if (!inRange(start[key.rangeKey.name], key.rangeKey))
    return validation("The provided starting key does not match the range key predicate");
  return samePartition ? undefined : validation("The query can return at most one row and cannot be restarted");
}
