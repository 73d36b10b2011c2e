/**
 * A Query's filter may not read the key attributes of the table or index it queries (those belong in
 * the key condition): AWS refuses "Filter Expression can only contain non-primary key attributes:
 * Primary key attribute: <name>" (QueryFilter in the legacy form), the hash key checked before the
 * range key. Texts from dynalite's Query action (tested against AWS). A Scan's filter may read keys.
 */
import type { Condition, Operand, Path } from "./contract";

function heads(condition: Condition, into: Set<string>): void {
  const operand = (o: Operand) => {
    if (o.kind !== "value") addPath(o.path);
  };
  const addPath = (path: Path) => {
    const first = path[0];
    if (first && "name" in first) into.add(first.name);
  };
  switch (condition.kind) {
    case "compare":
      return [condition.left, condition.right].forEach(operand);
    case "between":
      return [condition.operand, condition.low, condition.high].forEach(operand);
    case "in":
      return [condition.operand, ...condition.list].forEach(operand);
    case "and":
    case "or":
      heads(condition.left, into);
      return heads(condition.right, into);
    case "not":
      return heads(condition.operand, into);
    case "function":
      return condition.args.forEach(operand);
    case "legacy":
      return addPath(condition.path);
  }
}

/** The message for a Query filter that reads a key attribute, or undefined. */
export function filterKeyProblem(filter: Condition, key: { hash: string; range?: string }, legacy: boolean): string | undefined {
  const read = new Set<string>();
  heads(filter, read);
  const name = [key.hash, key.range].find((k) => k !== undefined && read.has(k));
  return name === undefined
    ? undefined
    : `${legacy ? "QueryFilter" : "Filter Expression"} can only contain non-primary key attributes: Primary key attribute: ${name}`;
}
