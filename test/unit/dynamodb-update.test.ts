/**
 * Update application: SET (nested members, list indexes, arithmetic, if_not_exists, list_append),
 * REMOVE, ADD, DELETE, the legacy ADD / DELETE variants, AWS's error texts, and projections.
 */
import { describe, expect, it } from "vitest";
import type { AttributeValue, Item, Path, UpdateActions, UpdateValue } from "../../src/domain/dynamodb/contract";
import { projectItem } from "../../src/domain/dynamodb/project";
import { applyUpdate } from "../../src/domain/dynamodb/update";

const p = (...steps: (string | number)[]): Path => steps.map((s) => (typeof s === "number" ? { index: s } : { name: s }));
const v = (value: AttributeValue): UpdateValue => ({ kind: "operand", operand: { kind: "value", value } });
const ref = (...steps: (string | number)[]): UpdateValue => ({ kind: "operand", operand: { kind: "path", path: p(...steps) } });
const actions = (a: Partial<UpdateActions>): UpdateActions => ({ set: [], remove: [], add: [], delete: [], ...a });
const key: Item = { pk: { S: "k" } };

function apply(item: Item | undefined, a: Partial<UpdateActions>): Item {
  const r = applyUpdate(item, key, actions(a));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
function error(item: Item | undefined, a: Partial<UpdateActions>): string {
  const r = applyUpdate(item, key, actions(a));
  if (r.ok) throw new Error("expected an error");
  expect(r.error.code).toBe("ValidationException");
  return r.error.message;
}

const INVALID_PATH = "The document path provided in the update expression is invalid for update";
const WRONG_OPERAND = "An operand in the update expression has an incorrect data type";

describe("SET", () => {
  it("creates the item from its key when there is none", () => {
    expect(apply(undefined, { set: [{ path: p("a"), value: v({ S: "x" }) }] })).toEqual({ pk: { S: "k" }, a: { S: "x" } });
  });

  it("replaces top-level and nested map members", () => {
    const item: Item = { ...key, m: { M: { a: { N: "1" } } } };
    const out = apply(item, {
      set: [
        { path: p("m", "a"), value: v({ N: "2" }) },
        { path: p("m", "b"), value: v({ S: "new" }) },
      ],
    });
    expect(out.m).toEqual({ M: { a: { N: "2" }, b: { S: "new" } } });
    expect(item.m).toEqual({ M: { a: { N: "1" } } }); // the input is not changed
  });

  it("lifion's 5-level SET #a0.#a1.#a2.#b.#c = :x with NULL members", () => {
    const item: Item = { ...key, consumers: { M: { c1: { M: { shards: { M: { s0: { M: {} } } } } } } } };
    const out = apply(item, { set: [{ path: p("consumers", "c1", "shards", "s0", "leaseOwner"), value: v({ NULL: true }) }] });
    expect(out.consumers).toEqual({ M: { c1: { M: { shards: { M: { s0: { M: { leaseOwner: { NULL: true } } } } } } } } });
  });

  it("a missing or wrong-kind parent is 'invalid for update' (lifion relies on it)", () => {
    const item: Item = { ...key, s: { S: "x" }, m: { M: {} }, l: { L: [{ N: "1" }] } };
    expect(error(item, { set: [{ path: p("gone", "a"), value: v({ S: "x" }) }] })).toBe(INVALID_PATH);
    expect(error(undefined, { set: [{ path: p("b", "a"), value: v({ S: "x" }) }] })).toBe(INVALID_PATH);
    expect(error(undefined, { set: [{ path: p("b", 1), value: v({ S: "x" }) }] })).toBe(INVALID_PATH);
    expect(error(item, { set: [{ path: p("s", "a"), value: v({ S: "x" }) }] })).toBe(INVALID_PATH);
    expect(error(item, { set: [{ path: p("m", 0), value: v({ S: "x" }) }] })).toBe(INVALID_PATH);
    expect(error(item, { set: [{ path: p("l", "a"), value: v({ S: "x" }) }] })).toBe(INVALID_PATH);
    expect(error(item, { set: [{ path: p("m", "x", "y"), value: v({ S: "x" }) }] })).toBe(INVALID_PATH);
  });

  it("list indexes replace, and past the end append in index order (dynalite's AWS-checked case)", () => {
    const item: Item = {
      ...key,
      b: { M: { a: { N: "1" }, b: { N: "2" }, c: { N: "3" } } },
      c: { L: [{ N: "1" }, { N: "3" }] },
    };
    const plus = (l: UpdateValue, r: UpdateValue): UpdateValue => ({ kind: "plus", left: l, right: r });
    const minus = (l: UpdateValue, r: UpdateValue): UpdateValue => ({ kind: "minus", left: l, right: r });
    const out = apply(item, {
      set: [
        { path: p("b", "c"), value: plus(ref("c", 1), ref("b", "a")) },
        { path: p("b", "a"), value: ref("pk") },
        { path: p("c", 1), value: ref("pk") },
        { path: p("c", 4), value: minus(ref("b", "a"), ref("b", "b")) },
        { path: p("c", 2), value: ref("b", "c") },
      ],
      add: [
        { path: p("c", 8), value: { SS: ["a"] } },
        { path: p("c", 6), value: { N: "2" } },
      ],
    });
    // Right-hand sides read the item as it was: c[2] = b.c is 3, not the 4 set beside it.
    expect(out.b).toEqual({ M: { a: { S: "k" }, b: { N: "2" }, c: { N: "4" } } });
    expect(out.c).toEqual({ L: [{ N: "1" }, { S: "k" }, { N: "3" }, { N: "-1" }, { N: "2" }, { SS: ["a"] }] });
  });

  it("+ and - on numbers only", () => {
    const item: Item = { ...key, n: { N: "5" }, s: { S: "x" } };
    const plus: UpdateValue = { kind: "plus", left: ref("n"), right: v({ N: "1.5" }) };
    expect(apply(item, { set: [{ path: p("n"), value: plus }] }).n).toEqual({ N: "6.5" });
    const minus: UpdateValue = { kind: "minus", left: ref("n"), right: v({ N: "7" }) };
    expect(apply(item, { set: [{ path: p("n"), value: minus }] }).n).toEqual({ N: "-2" });
    expect(error(item, { set: [{ path: p("n"), value: { kind: "plus", left: ref("s"), right: v({ N: "1" }) } }] })).toBe(
      WRONG_OPERAND,
    );
    expect(error(item, { set: [{ path: p("n"), value: { kind: "minus", left: ref("n"), right: v({ S: "1" }) } }] })).toBe(
      WRONG_OPERAND,
    );
  });

  it("a right-hand path that finds nothing", () => {
    const text = "The provided expression refers to an attribute that does not exist in the item";
    expect(error(undefined, { set: [{ path: p("c"), value: ref("b") }] })).toBe(text);
    expect(error(undefined, { set: [{ path: p("c"), value: { kind: "plus", left: ref("b"), right: v({ N: "1" }) } }] })).toBe(
      text,
    );
    expect(error(undefined, { set: [{ path: p("e"), value: { kind: "list_append", left: ref("b"), right: ref("c") } }] })).toBe(
      text,
    );
  });

  it("if_not_exists keeps an existing value, else takes the fallback (lifion's #a.#b.#e)", () => {
    const ine = (path: Path, fallback: UpdateValue): UpdateValue => ({ kind: "if_not_exists", path, value: fallback });
    const item: Item = { ...key, a: { M: { b: { M: { e: { N: "1" } } } } } };
    const set = [{ path: p("a", "b", "e"), value: ine(p("a", "b", "e"), v({ N: "9" })) }];
    expect(apply(item, { set }).a).toEqual({ M: { b: { M: { e: { N: "1" } } } } });
    const empty: Item = { ...key, a: { M: { b: { M: {} } } } };
    expect(apply(empty, { set }).a).toEqual({ M: { b: { M: { e: { N: "9" } } } } });
    const counter: UpdateValue = { kind: "plus", left: ine(p("n"), v({ N: "0" })), right: v({ N: "1" }) };
    expect(apply(undefined, { set: [{ path: p("n"), value: counter }] }).n).toEqual({ N: "1" });
  });

  it("list_append on lists only", () => {
    const item: Item = { ...key, l: { L: [{ S: "a" }] }, s: { S: "x" } };
    const append: UpdateValue = { kind: "list_append", left: ref("l"), right: v({ L: [{ S: "b" }] }) };
    expect(apply(item, { set: [{ path: p("l"), value: append }] }).l).toEqual({ L: [{ S: "a" }, { S: "b" }] });
    const prepend: UpdateValue = { kind: "list_append", left: v({ L: [{ S: "z" }] }), right: ref("l") };
    expect(apply(item, { set: [{ path: p("l"), value: prepend }] }).l).toEqual({ L: [{ S: "z" }, { S: "a" }] });
    expect(error(item, { set: [{ path: p("l"), value: { kind: "list_append", left: ref("s"), right: ref("l") } }] })).toBe(
      WRONG_OPERAND,
    );
  });

  it("a key attribute cannot be set, removed, added to or deleted from", () => {
    const text = "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key";
    expect(error(undefined, { set: [{ path: p("pk"), value: v({ S: "k" }) }] })).toBe(text);
    expect(error(undefined, { remove: [p("pk")] })).toBe(text);
    expect(error(undefined, { add: [{ path: p("pk"), value: { N: "1" } }] })).toBe(text);
    expect(error(undefined, { delete: [{ path: p("pk", "x"), value: { SS: ["a"] } }] })).toBe(text);
    const sk = applyUpdate(
      undefined,
      { pk: { S: "k" }, sk: { N: "1" } },
      actions({ set: [{ path: p("sk"), value: v({ N: "2" }) }] }),
    );
    expect(sk.ok ? "" : sk.error.message).toBe(
      "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key",
    );
  });
});

describe("REMOVE", () => {
  it("a missing top-level attribute or map member is fine", () => {
    const item: Item = { ...key, m: { M: { a: { N: "1" } } }, x: { S: "x" } };
    expect(apply(item, { remove: [p("gone"), p("m", "gone"), p("x")] })).toEqual({ ...key, m: { M: { a: { N: "1" } } } });
  });

  it("lifion's REMOVE #a.#0, #a.#1 SET #b = :x", () => {
    const item: Item = { ...key, consumers: { M: { c0: { M: {} }, c1: { M: {} }, c2: { M: {} } } }, version: { S: "1" } };
    const out = apply(item, {
      remove: [p("consumers", "c0"), p("consumers", "c1")],
      set: [{ path: p("version"), value: v({ S: "2" }) }],
    });
    expect(out).toEqual({ ...key, consumers: { M: { c2: { M: {} } } }, version: { S: "2" } });
  });

  it("list elements shift; indexes name the original positions", () => {
    const item: Item = { ...key, l: { L: [{ S: "a" }, { S: "b" }, { S: "c" }, { S: "d" }] } };
    expect(apply(item, { remove: [p("l", 1)] }).l).toEqual({ L: [{ S: "a" }, { S: "c" }, { S: "d" }] });
    expect(apply(item, { remove: [p("l", 0), p("l", 2)] }).l).toEqual({ L: [{ S: "b" }, { S: "d" }] });
    expect(apply(item, { remove: [p("l", 9)] }).l).toEqual(item.l);
  });

  it("a missing or wrong-kind parent is 'invalid for update'", () => {
    const item: Item = { ...key, b: { S: "x" }, c: { M: {} }, d: { L: [] } };
    for (const path of [p("b", "a"), p("y", "a"), p("y", 1), p("c", 1), p("d", "x")]) {
      expect(error(item, { remove: [path] })).toBe(INVALID_PATH);
    }
  });
});

describe("ADD", () => {
  it("adds to a number, and creates a missing one (KCL's ownerSwitchesSinceCheckpoint)", () => {
    const item: Item = { ...key, n: { N: "10" } };
    expect(apply(item, { add: [{ path: p("n"), value: { N: "-2.5" } }] }).n).toEqual({ N: "7.5" });
    expect(apply(undefined, { add: [{ path: p("ownerSwitchesSinceCheckpoint"), value: { N: "1" } }] })).toEqual({
      ...key,
      ownerSwitchesSinceCheckpoint: { N: "1" },
    });
  });

  it("unions sets without duplicates, and creates a missing one", () => {
    const item: Item = { ...key, ss: { SS: ["a", "b"] }, ns: { NS: ["1"] } };
    expect(apply(item, { add: [{ path: p("ss"), value: { SS: ["b", "c"] } }] }).ss).toEqual({ SS: ["a", "b", "c"] });
    expect(apply(item, { add: [{ path: p("ns"), value: { NS: ["1.0", "2"] } }] }).ns).toEqual({ NS: ["1", "2"] });
    expect(apply(undefined, { add: [{ path: p("bs"), value: { BS: [new Uint8Array([1])] } }] }).bs).toEqual({
      BS: [new Uint8Array([1])],
    });
  });

  it("a type mismatch: the expression text, and AttributeUpdates' own", () => {
    const item: Item = { ...key, s: { S: "x" }, ss: { SS: ["a"] }, l: { L: [] } };
    expect(error(item, { add: [{ path: p("s"), value: { N: "1" } }] })).toBe(WRONG_OPERAND);
    expect(error(item, { add: [{ path: p("ss"), value: { NS: ["1"] } }] })).toBe(WRONG_OPERAND);
    expect(error(item, { add: [{ path: p("s"), value: { N: "1" }, legacy: true }] })).toBe(
      "Type mismatch for attribute to update",
    );
  });

  it("expressions' ADD takes only numbers and sets; AttributeUpdates' ADD also appends to a list", () => {
    expect(error(undefined, { add: [{ path: p("s"), value: { S: "x" } }] })).toBe(
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
    );
    expect(error(undefined, { add: [{ path: p("l"), value: { L: [] } }] })).toBe(
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST",
    );
    const item: Item = { ...key, l: { L: [{ S: "a" }, { N: "1" }] } };
    const out = apply(item, { add: [{ path: p("l"), value: { L: [{ S: "b" }, { N: "2" }] }, legacy: true }] });
    expect(out.l).toEqual({ L: [{ S: "a" }, { N: "1" }, { S: "b" }, { N: "2" }] });
  });

  it("a nested ADD needs its parent", () => {
    expect(error(undefined, { add: [{ path: p("y", "a"), value: { SS: ["a"] } }] })).toBe(INVALID_PATH);
  });
});

describe("DELETE", () => {
  it("takes elements from a set; an emptied set is removed; a missing one is fine", () => {
    const item: Item = { ...key, ss: { SS: ["a", "b", "c"] }, ns: { NS: ["1", "2"] } };
    expect(apply(item, { delete: [{ path: p("ss"), value: { SS: ["b", "z"] } }] }).ss).toEqual({ SS: ["a", "c"] });
    expect(apply(item, { delete: [{ path: p("ns"), value: { NS: ["1.0", "2"] } }] }).ns).toBeUndefined();
    expect(apply(item, { delete: [{ path: p("gone"), value: { SS: ["a"] } }] })).toEqual(item);
  });

  it("type mismatches and non-set operands", () => {
    const item: Item = { ...key, ss: { SS: ["a"] }, n: { N: "1" } };
    expect(error(item, { delete: [{ path: p("ss"), value: { NS: ["1"] } }] })).toBe(WRONG_OPERAND);
    expect(error(item, { delete: [{ path: p("n"), value: { NS: ["1"] } }] })).toBe(WRONG_OPERAND);
    expect(error(item, { delete: [{ path: p("ss"), value: { NS: ["1"] }, legacy: true }] })).toBe(
      "Type mismatch for attribute to update",
    );
    expect(error(item, { delete: [{ path: p("ss"), value: { S: "a" } }] })).toBe(
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: STRING",
    );
    expect(error(item, { delete: [{ path: p("y", "a"), value: { SS: ["a"] } }] })).toBe(INVALID_PATH);
  });
});

describe("KCL lease updates (AttributeUpdates as actions)", () => {
  it("take a lease: PUT leaseOwner, ADD leaseCounter 1, ADD ownerSwitchesSinceCheckpoint 1, DELETE pendingCheckpoint", () => {
    const lease: Item = {
      leaseKey: { S: "shardId-000" },
      leaseCounter: { N: "7" },
      leaseOwner: { S: "old" },
      checkpoint: { S: "TRIM_HORIZON" },
      pendingCheckpoint: { S: "123" },
      ownerSwitchesSinceCheckpoint: { N: "0" },
      parentShardId: { SS: ["shardId-p"] },
    };
    const r = applyUpdate(
      lease,
      { leaseKey: { S: "shardId-000" } },
      {
        set: [{ path: p("leaseOwner"), value: v({ S: "worker-2" }) }],
        remove: [p("pendingCheckpoint")],
        add: [
          { path: p("leaseCounter"), value: { N: "1" }, legacy: true },
          { path: p("ownerSwitchesSinceCheckpoint"), value: { N: "1" }, legacy: true },
        ],
        delete: [],
      },
    );
    expect(r.ok && r.value).toEqual({
      leaseKey: { S: "shardId-000" },
      leaseCounter: { N: "8" },
      leaseOwner: { S: "worker-2" },
      checkpoint: { S: "TRIM_HORIZON" },
      ownerSwitchesSinceCheckpoint: { N: "1" },
      parentShardId: { SS: ["shardId-p"] },
    });
  });
});

describe("projectItem", () => {
  const item: Item = {
    a: { S: "a" },
    m: { M: { x: { N: "1" }, y: { M: { z: { S: "z" } } }, w: { BOOL: true } } },
    l: { L: [{ S: "0" }, { M: { k: { S: "k" }, j: { S: "j" } } }, { S: "2" }, { S: "3" }] },
  };

  it("top-level names; missing ones are left out", () => {
    expect(projectItem(item, [p("a"), p("gone")])).toEqual({ a: { S: "a" } });
  });

  it("nested members keep their maps, merged", () => {
    expect(projectItem(item, [p("m", "x"), p("m", "y", "z"), p("m", "gone")])).toEqual({
      m: { M: { x: { N: "1" }, y: { M: { z: { S: "z" } } } } },
    });
  });

  it("list indexes keep their list, in index order without gaps", () => {
    expect(projectItem(item, [p("l", 3), p("l", 0), p("l", 9)])).toEqual({ l: { L: [{ S: "0" }, { S: "3" }] } });
    expect(projectItem(item, [p("l", 1, "j"), p("l", 1, "gone")])).toEqual({ l: { L: [{ M: { j: { S: "j" } } }] } });
  });

  it("a path crossing the wrong kind finds nothing; a whole value covers its parts", () => {
    expect(projectItem(item, [p("a", "x"), p("m", 0), p("l", "k")])).toEqual({});
    expect(projectItem(item, [p("m"), p("m", "x")])).toEqual({ m: item.m });
  });

  it("the projection is a copy", () => {
    const out = projectItem(item, [p("m")]);
    (out.m as { M: Record<string, AttributeValue> }).M.x = { N: "99" };
    expect((item.m as { M: Record<string, AttributeValue> }).M.x).toEqual({ N: "1" });
  });
});
