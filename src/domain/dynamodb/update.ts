/**
 * Applying an update (UpdateExpression's SET / REMOVE / ADD / DELETE, or AttributeUpdates turned into
 * the same actions) to an item, as DynamoDB does (developer guide, "Update expressions"):
 * - every right-hand side and every path addresses the item as it was before the update: SET values
 *   are all computed first, and list indexes in REMOVE / SET name the original positions (removals
 *   happen together at the end, so `REMOVE l[0], l[2]` drops the first and third elements);
 * - SET on a list index past the end appends; several appends land in the order of their indexes
 *   ("the elements are sorted in order by element number");
 * - the parent of a nested path must exist and be of the right kind (a map for `.name`, a list for
 *   `[n]`), else "The document path provided in the update expression is invalid for update"
 *   (lifion-kinesis relies on this error to learn that a parent map is missing);
 * - a key attribute cannot be touched at all, not even set to its own value.
 * Overlapping or conflicting paths ("Two document paths overlap …") are the parser's check.
 */
import { fail, ok, type Result } from "../errors";
import { attributeType, setHas } from "./compare";
import type { AttributeValue, Item, Path, UpdateActions, UpdateValue } from "./contract";
import { validation } from "./errors";
import { sizeOf } from "./evaluate";
import { addNumbers, subtractNumbers } from "./numbers";
import { getPath } from "./paths";

const INVALID_PATH = "The document path provided in the update expression is invalid for update";
const WRONG_OPERAND = "An operand in the update expression has an incorrect data type";
const MISSING_OPERAND = "The provided expression refers to an attribute that does not exist in the item";
/** AttributeUpdates' wording for an ADD / DELETE on an attribute of another type (dynalite's, from AWS). */
const LEGACY_MISMATCH = "Type mismatch for attribute to update";

/** The type words of "Incorrect operand type" messages. STRING, LIST and MAP are AWS's; the rest follow them (unverified). */
const OPERAND_TYPE_WORDS: Record<string, string> = {
  S: "STRING",
  N: "NUMBER",
  B: "BINARY",
  BOOL: "BOOLEAN",
  NULL: "NULL",
  L: "LIST",
  M: "MAP",
};

export function applyUpdate(item: Item | undefined, key: Item, actions: UpdateActions): Result<Item> {
  const keyProblem = touchesKey(key, actions);
  if (keyProblem) return fail(keyProblem);
  const original = item ?? key;

  const values: AttributeValue[] = [];
  for (const action of actions.set) {
    const value = resolveValue(action.value, original);
    if (!value.ok) return value;
    values.push(cloneValue(value.value));
  }

  const doc = new Document(cloneItem(original));
  for (const [i, action] of actions.set.entries()) {
    const done = doc.set(action.path, values[i]!);
    if (!done.ok) return done;
  }
  for (const path of actions.remove) {
    const done = doc.remove(path);
    if (!done.ok) return done;
  }
  for (const action of actions.add) {
    const done = doc.add(action.path, action.value, action.legacy === true);
    if (!done.ok) return done;
  }
  for (const action of actions.delete) {
    const done = doc.delete(action.path, action.value, action.legacy === true);
    if (!done.ok) return done;
  }
  return ok(doc.finish());
}

function touchesKey(key: Item, actions: UpdateActions) {
  const heads = new Set(
    [
      ...actions.set.map((a) => a.path),
      ...actions.remove,
      ...actions.add.map((a) => a.path),
      ...actions.delete.map((a) => a.path),
    ].map((p) => (p[0] && "name" in p[0] ? p[0].name : undefined)),
  );
  const name = Object.keys(key).find((k) => heads.has(k));
  return name === undefined
    ? undefined
    : validation(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`);
}

function resolveValue(value: UpdateValue, item: Item): Result<AttributeValue> {
  switch (value.kind) {
    case "operand": {
      const { operand } = value;
      if (operand.kind === "value") return ok(operand.value);
      const found = getPath(item, operand.path);
      if (found === undefined) return fail(validation(MISSING_OPERAND));
      if (operand.kind === "path") return ok(found);
      const size = sizeOf(found);
      return size === undefined ? fail(validation(WRONG_OPERAND)) : ok({ N: String(size) });
    }
    case "plus":
    case "minus": {
      const left = resolveValue(value.left, item);
      if (!left.ok) return left;
      if (!("N" in left.value)) return fail(validation(WRONG_OPERAND));
      const right = resolveValue(value.right, item);
      if (!right.ok) return right;
      if (!("N" in right.value)) return fail(validation(WRONG_OPERAND));
      const n = value.kind === "plus" ? addNumbers(left.value.N, right.value.N) : subtractNumbers(left.value.N, right.value.N);
      return n.ok ? ok({ N: n.value }) : n;
    }
    case "if_not_exists": {
      const found = getPath(item, value.path);
      return found !== undefined ? ok(found) : resolveValue(value.value, item);
    }
    case "list_append": {
      const left = resolveValue(value.left, item);
      if (!left.ok) return left;
      if (!("L" in left.value)) return fail(validation(WRONG_OPERAND));
      const right = resolveValue(value.right, item);
      if (!right.ok) return right;
      if (!("L" in right.value)) return fail(validation(WRONG_OPERAND));
      return ok({ L: [...left.value.L, ...right.value.L] });
    }
  }
}

/** Where a path's last step lives: a map's members (or the item) by name, or a list by index. */
type Slot = { map: Record<string, AttributeValue>; name: string } | { list: AttributeValue[]; index: number };

/** Removals and appends a list gets at the end, so that every index keeps naming its original element. */
interface PendingList {
  removals: Set<number>;
  appends: Map<number, AttributeValue>;
}

/** The item being updated: maps change in place, list removals and appends wait for `finish`. */
class Document {
  private readonly pending = new Map<AttributeValue[], PendingList>();

  constructor(private readonly item: Item) {}

  set(path: Path, value: AttributeValue): Result<void> {
    const slot = this.locate(path);
    if (!slot.ok) return slot;
    this.write(slot.value, value);
    return ok(undefined);
  }

  remove(path: Path): Result<void> {
    const slot = this.locate(path);
    if (!slot.ok) return slot;
    this.erase(slot.value);
    return ok(undefined);
  }

  add(path: Path, value: AttributeValue, legacy: boolean): Result<void> {
    const slot = this.locate(path);
    if (!slot.ok) return slot;
    const existing = this.read(slot.value);
    const mismatch = () => fail(validation(legacy ? LEGACY_MISMATCH : WRONG_OPERAND));
    let next: AttributeValue;
    if ("N" in value) {
      if (existing && !("N" in existing)) return mismatch();
      const sum = addNumbers(existing && "N" in existing ? existing.N : "0", value.N);
      if (!sum.ok) return sum;
      next = { N: sum.value };
    } else if ("SS" in value || "NS" in value || "BS" in value || ("L" in value && legacy)) {
      const type = attributeType(value) as "SS" | "NS" | "BS" | "L";
      if (existing && attributeType(existing) !== type) return mismatch();
      next = existing ? union(type, existing, value) : cloneValue(value);
    } else {
      return legacy
        ? mismatch()
        : fail(
            validation(
              `Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: ${operandWord(value)}`,
            ),
          );
    }
    this.write(slot.value, next);
    return ok(undefined);
  }

  delete(path: Path, value: AttributeValue, legacy: boolean): Result<void> {
    const slot = this.locate(path);
    if (!slot.ok) return slot;
    const type = attributeType(value);
    if (type !== "SS" && type !== "NS" && type !== "BS") {
      return fail(
        validation(
          `Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: ${operandWord(value)}`,
        ),
      );
    }
    const existing = this.read(slot.value);
    if (existing === undefined) return ok(undefined);
    if (attributeType(existing) !== type) return fail(validation(legacy ? LEGACY_MISMATCH : WRONG_OPERAND));
    const removing = (value as Record<string, (string | Uint8Array)[]>)[type]!;
    const kept = (existing as Record<string, (string | Uint8Array)[]>)[type]!.filter((e) => !setHas(type, removing, e));
    if (kept.length === 0) this.erase(slot.value);
    else this.write(slot.value, { [type]: kept } as AttributeValue);
    return ok(undefined);
  }

  /** Applies the deferred list changes and hands back the item. */
  finish(): Item {
    for (const [list, { removals, appends }] of this.pending) {
      const kept = list.filter((_, i) => !removals.has(i));
      const added = [...appends.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
      list.splice(0, list.length, ...kept, ...added);
    }
    this.pending.clear();
    return this.item;
  }

  private locate(path: Path): Result<Slot> {
    const last = path[path.length - 1];
    if (!last) return fail(validation(INVALID_PATH));
    let parent: AttributeValue | undefined = { M: this.item };
    for (const step of path.slice(0, -1)) {
      if (!parent) break;
      if ("name" in step) parent = "M" in parent && Object.hasOwn(parent.M, step.name) ? parent.M[step.name] : undefined;
      else parent = "L" in parent ? parent.L[step.index] : undefined;
    }
    if (parent && "name" in last && "M" in parent) return ok({ map: parent.M, name: last.name });
    if (parent && "index" in last && "L" in parent) return ok({ list: parent.L, index: last.index });
    return fail(validation(INVALID_PATH));
  }

  private pendingFor(list: AttributeValue[]): PendingList {
    let entry = this.pending.get(list);
    if (!entry) this.pending.set(list, (entry = { removals: new Set(), appends: new Map() }));
    return entry;
  }

  private read(slot: Slot): AttributeValue | undefined {
    if ("map" in slot) return Object.hasOwn(slot.map, slot.name) ? slot.map[slot.name] : undefined;
    return slot.index < slot.list.length ? slot.list[slot.index] : this.pending.get(slot.list)?.appends.get(slot.index);
  }

  private write(slot: Slot, value: AttributeValue): void {
    if ("map" in slot) slot.map[slot.name] = value;
    else if (slot.index < slot.list.length) slot.list[slot.index] = value;
    else this.pendingFor(slot.list).appends.set(slot.index, value);
  }

  private erase(slot: Slot): void {
    if ("map" in slot) delete slot.map[slot.name];
    else if (slot.index < slot.list.length) this.pendingFor(slot.list).removals.add(slot.index);
    else this.pending.get(slot.list)?.appends.delete(slot.index);
  }
}

/** ADD's union: the existing elements in their order, then the new ones not already there. */
function union(type: "SS" | "NS" | "BS" | "L", existing: AttributeValue, added: AttributeValue): AttributeValue {
  if (type === "L")
    return { L: [...(existing as { L: AttributeValue[] }).L, ...(added as { L: AttributeValue[] }).L.map(cloneValue)] };
  const have = [...(existing as Record<string, (string | Uint8Array)[]>)[type]!];
  for (const e of (added as Record<string, (string | Uint8Array)[]>)[type]!) if (!setHas(type, have, e)) have.push(e);
  return { [type]: have } as AttributeValue;
}

function operandWord(value: AttributeValue): string {
  const type = attributeType(value);
  return OPERAND_TYPE_WORDS[type] ?? type;
}

/** Maps and lists are copied (they change in place here); scalars and set elements are shared, never mutated. */
export function cloneValue(value: AttributeValue): AttributeValue {
  if ("M" in value) return { M: cloneItem(value.M) };
  if ("L" in value) return { L: value.L.map(cloneValue) };
  if ("SS" in value) return { SS: [...value.SS] };
  if ("NS" in value) return { NS: [...value.NS] };
  if ("BS" in value) return { BS: [...value.BS] };
  return value;
}

export function cloneItem(item: Item): Item {
  const copy: Item = {};
  for (const [k, v] of Object.entries(item)) copy[k] = cloneValue(v);
  return copy;
}
