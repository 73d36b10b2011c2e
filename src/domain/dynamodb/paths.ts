/**
 * Reading a document path (`a.b[2].c`) out of an item. A step that meets the wrong kind of container
 * (a name on a list, an index on a map or a scalar) finds nothing, as a missing attribute does:
 * DynamoDB treats both alike in conditions and projections.
 */
import type { AttributeValue, Item, Path } from "./contract";

export function getPath(item: Item | undefined, path: Path): AttributeValue | undefined {
  if (!item || path.length === 0) return undefined;
  const [first, ...rest] = path;
  if (!first || !("name" in first)) return undefined;
  let current: AttributeValue | undefined = Object.hasOwn(item, first.name) ? item[first.name] : undefined;
  for (const step of rest) {
    if (!current) return undefined;
    current = childOf(current, step);
  }
  return current;
}

/** One step down from a container, or undefined. */
export function childOf(value: AttributeValue, step: Path[number]): AttributeValue | undefined {
  if ("name" in step) return "M" in value && Object.hasOwn(value.M, step.name) ? value.M[step.name] : undefined;
  return "L" in value ? value.L[step.index] : undefined;
}

/** `a.b[2]` as DynamoDB prints paths in messages (`[a, b, [2]]`): used by overlap errors and tests. */
export function formatPath(path: Path): string {
  return `[${path.map((p) => ("name" in p ? p.name : `[${p.index}]`)).join(", ")}]`;
}
