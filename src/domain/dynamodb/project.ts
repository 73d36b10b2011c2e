/**
 * ProjectionExpression / AttributesToGet: the parts of an item the paths name, in the item's shape.
 * Nested paths keep their maps (`a.b` gives `{a: {M: {b}}}`); list indexes keep their lists, with the
 * picked elements in index order and no gaps (`l[3], l[1]` gives `{l: {L: [l1, l3]}}`); paths that
 * find nothing (missing, or crossing a value of the wrong kind) are left out.
 */
import type { AttributeValue, Item, Projection } from "./contract";
import { cloneValue } from "./update";
import { getPath } from "./paths";

/** What the projection picks, as a tree: a whole value, or the parts of a map or list. */
type Node = { value: AttributeValue } | { members: Map<string, Node> } | { elements: Map<number, Node> };

export function projectItem(item: Item, projection: Projection): Item {
  const root = new Map<string, Node>();
  for (const path of projection) {
    const value = getPath(item, path);
    const [first, ...rest] = path;
    if (value === undefined || !first || !("name" in first)) continue;
    // Walk down, creating containers; a whole value already picked covers anything beneath it.
    let children: Map<string | number, Node> = root;
    let key: string | number = first.name;
    let covered = false;
    for (const step of rest) {
      const existing = children.get(key);
      if (existing && "value" in existing) {
        covered = true;
        break;
      }
      const want = "name" in step ? "members" : "elements";
      let node = existing && want in existing ? existing : undefined;
      if (!node) {
        node = want === "members" ? { members: new Map() } : { elements: new Map() };
        children.set(key, node);
      }
      children = ("members" in node ? node.members : (node as { elements: Map<number, Node> }).elements) as Map<
        string | number,
        Node
      >;
      key = "name" in step ? step.name : step.index;
    }
    if (!covered) children.set(key, { value });
  }
  const out: Item = {};
  for (const [name, node] of root) out[name] = build(node);
  return out;
}

function build(node: Node): AttributeValue {
  if ("value" in node) return cloneValue(node.value);
  if ("members" in node) {
    const m: Record<string, AttributeValue> = {};
    for (const [name, child] of node.members) m[name] = build(child);
    return { M: m };
  }
  return { L: [...node.elements.entries()].sort(([a], [b]) => a - b).map(([, child]) => build(child)) };
}
