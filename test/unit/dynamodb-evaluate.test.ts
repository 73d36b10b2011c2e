/**
 * Condition evaluation: DynamoDB's comparison semantics (types, order, missing attributes, NULL),
 * the functions, BETWEEN / IN, the legacy operators, and the constant checks with AWS's texts.
 */
import { describe, expect, it } from "vitest";
import type { AttributeValue, Condition, Item, Operand, Path } from "../../src/domain/dynamodb/contract";
import { compareStrings, valuesEqual } from "../../src/domain/dynamodb/compare";
import { evaluateCondition, validateCondition } from "../../src/domain/dynamodb/evaluate";
import { getPath } from "../../src/domain/dynamodb/paths";

const p = (...steps: (string | number)[]): Path => steps.map((s) => (typeof s === "number" ? { index: s } : { name: s }));
const path = (...steps: (string | number)[]): Operand => ({ kind: "path", path: p(...steps) });
const val = (value: AttributeValue): Operand => ({ kind: "value", value });
const size = (...steps: (string | number)[]): Operand => ({ kind: "size", path: p(...steps) });
const cmp = (op: "=" | "<>" | "<" | "<=" | ">" | ">=", left: Operand, right: Operand): Condition => ({
  kind: "compare",
  op,
  left,
  right,
});
const fn = (
  name: "attribute_exists" | "attribute_not_exists" | "attribute_type" | "begins_with" | "contains",
  ...args: Operand[]
): Condition => ({
  kind: "function",
  name,
  args,
});
const bytes = (...b: number[]) => new Uint8Array(b);

function run(condition: Condition, item: Item | undefined): boolean {
  const r = evaluateCondition(condition, item);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
function error(condition: Condition, kind?: "ConditionExpression" | "FilterExpression" | "KeyConditionExpression"): string {
  const r = evaluateCondition(condition, {}, kind);
  if (r.ok) throw new Error("expected an error");
  expect(r.error.code).toBe("ValidationException");
  return r.error.message;
}

const item: Item = {
  s: { S: "hello" },
  n: { N: "10" },
  b: { B: bytes(1, 2, 3) },
  t: { BOOL: true },
  z: { NULL: true },
  ss: { SS: ["a", "b"] },
  ns: { NS: ["1", "2.5"] },
  bs: { BS: [bytes(1), bytes(2, 3)] },
  l: { L: [{ S: "x" }, { N: "1" }, { M: { k: { S: "v" } } }] },
  m: { M: { inner: { M: { deep: { S: "d" } } }, list: { L: [{ N: "7" }] } } },
};

describe("comparisons", () => {
  it("= and <> on equal and different values of one type", () => {
    expect(run(cmp("=", path("s"), val({ S: "hello" })), item)).toBe(true);
    expect(run(cmp("=", path("s"), val({ S: "hell" })), item)).toBe(false);
    expect(run(cmp("<>", path("s"), val({ S: "hell" })), item)).toBe(true);
    expect(run(cmp("<>", path("s"), val({ S: "hello" })), item)).toBe(false);
  });

  it("values of different types are never equal, and <> is true", () => {
    expect(run(cmp("=", path("n"), val({ S: "10" })), item)).toBe(false);
    expect(run(cmp("<>", path("n"), val({ S: "10" })), item)).toBe(true);
    expect(run(cmp("<", path("n"), val({ S: "99" })), item)).toBe(false);
    expect(run(cmp(">=", path("n"), val({ S: "1" })), item)).toBe(false);
  });

  it("numbers compare by value, not by text", () => {
    expect(run(cmp("=", path("n"), val({ N: "10.00" })), item)).toBe(true);
    expect(run(cmp(">", path("n"), val({ N: "9" })), item)).toBe(true);
    expect(run(cmp("<", path("n"), val({ N: "9" })), item)).toBe(false);
    expect(run(cmp("<=", path("n"), val({ N: "10" })), item)).toBe(true);
    expect(run(cmp("<", val({ N: "-5" }), val({ N: "-4" })), item)).toBe(true);
  });

  it("strings order by UTF-8 bytes (code points), not UTF-16 units", () => {
    // U+FF5E is one UTF-16 unit above the surrogates of U+1F600, but below it in UTF-8.
    expect(compareStrings("\uFF5E", "😀")).toBe(-1);
    expect("\uFF5E" < "😀").toBe(false);
    expect(run(cmp("<", val({ S: "\uFF5E" }), val({ S: "😀" })), item)).toBe(true);
    expect(run(cmp("<", val({ S: "B" }), val({ S: "a" })), item)).toBe(true);
    expect(run(cmp("<", val({ S: "ab" }), val({ S: "abc" })), item)).toBe(true);
  });

  it("binary orders by unsigned bytes", () => {
    expect(run(cmp("<", val({ B: bytes(0x7f) }), val({ B: bytes(0x80) })), item)).toBe(true);
    expect(run(cmp(">", path("b"), val({ B: bytes(1, 2) })), item)).toBe(true);
    expect(run(cmp("=", path("b"), val({ B: bytes(1, 2, 3) })), item)).toBe(true);
  });

  it("a missing attribute: = and ordering are false, <> is true", () => {
    expect(run(cmp("=", path("nope"), val({ S: "x" })), item)).toBe(false);
    expect(run(cmp("<", path("nope"), val({ N: "1" })), item)).toBe(false);
    expect(run(cmp("<>", path("nope"), val({ S: "x" })), item)).toBe(true);
    expect(run(cmp("=", path("nope"), path("nada")), item)).toBe(false);
  });

  it("NULL = NULL is true (lifion-kinesis's lock check)", () => {
    expect(run(cmp("=", path("z"), val({ NULL: true })), item)).toBe(true);
    expect(run(cmp("<>", path("z"), val({ NULL: true })), item)).toBe(false);
    expect(run(cmp("=", path("s"), val({ NULL: true })), item)).toBe(false);
  });

  it("BOOL, sets, lists and maps compare for equality only", () => {
    expect(run(cmp("=", path("t"), val({ BOOL: true })), item)).toBe(true);
    expect(run(cmp("=", path("ss"), val({ SS: ["b", "a"] })), item)).toBe(true);
    expect(run(cmp("=", path("ns"), val({ NS: ["2.50", "1"] })), item)).toBe(true);
    expect(run(cmp("=", path("ns"), val({ NS: ["1"] })), item)).toBe(false);
    expect(run(cmp("=", path("bs"), val({ BS: [bytes(2, 3), bytes(1)] })), item)).toBe(true);
    expect(run(cmp("=", path("m", "inner"), val({ M: { deep: { S: "d" } } })), item)).toBe(true);
    expect(run(cmp("=", path("l"), val({ L: [{ N: "1" }, { S: "x" }, { M: { k: { S: "v" } } }] })), item)).toBe(false);
    expect(run(cmp("<", path("ss"), val({ SS: ["z"] })), item)).toBe(false);
    expect(run(cmp("<", path("t"), val({ BOOL: true })), item)).toBe(false);
  });

  it("nested paths and list indexes", () => {
    expect(run(cmp("=", path("m", "inner", "deep"), val({ S: "d" })), item)).toBe(true);
    expect(run(cmp("=", path("m", "list", 0), val({ N: "7" })), item)).toBe(true);
    expect(run(cmp("=", path("l", 2, "k"), val({ S: "v" })), item)).toBe(true);
    expect(getPath(item, p("l", 9))).toBeUndefined();
    expect(getPath(item, p("m", 0))).toBeUndefined();
    expect(getPath(item, p("l", "k"))).toBeUndefined();
    expect(getPath(item, p("s", "x"))).toBeUndefined();
  });

  it("a missing item behaves as an empty one", () => {
    expect(run(fn("attribute_not_exists", path("pk")), undefined)).toBe(true);
    expect(run(fn("attribute_exists", path("pk")), undefined)).toBe(false);
  });
});

describe("logic", () => {
  it("AND, OR, NOT", () => {
    const t = cmp("=", path("s"), val({ S: "hello" }));
    const f = cmp("=", path("s"), val({ S: "bye" }));
    expect(run({ kind: "and", left: t, right: f }, item)).toBe(false);
    expect(run({ kind: "or", left: f, right: t }, item)).toBe(true);
    expect(run({ kind: "not", operand: f }, item)).toBe(true);
    expect(run({ kind: "not", operand: { kind: "and", left: t, right: t } }, item)).toBe(false);
  });

  it("lifion's lockEnhancedConsumer condition: #a.#b.#d = :z AND #a.#b.#c = :v with :v NULL", () => {
    const state: Item = { enhancedConsumers: { M: { c1: { M: { isUsedBy: { NULL: true }, version: { S: "v1" } } } } } };
    const cond: Condition = {
      kind: "and",
      left: cmp("=", path("enhancedConsumers", "c1", "version"), val({ S: "v1" })),
      right: cmp("=", path("enhancedConsumers", "c1", "isUsedBy"), val({ NULL: true })),
    };
    expect(run(cond, state)).toBe(true);
    const taken: Item = { enhancedConsumers: { M: { c1: { M: { isUsedBy: { S: "other" }, version: { S: "v1" } } } } } };
    expect(run(cond, taken)).toBe(false);
  });

  it("the Enhanced Client's delete condition: #key = :value AND attribute_exists(pk)", () => {
    const cond: Condition = {
      kind: "and",
      left: cmp("=", path("wid"), val({ S: "w1" })),
      right: fn("attribute_exists", path("wid")),
    };
    expect(run(cond, { wid: { S: "w1" } })).toBe(true);
    expect(run(cond, undefined)).toBe(false);
  });
});

describe("BETWEEN and IN", () => {
  it("BETWEEN is inclusive and needs one ordered type", () => {
    const between = (operand: Operand, low: AttributeValue, high: AttributeValue): Condition => ({
      kind: "between",
      operand,
      low: val(low),
      high: val(high),
    });
    expect(run(between(path("n"), { N: "10" }, { N: "20" }), item)).toBe(true);
    expect(run(between(path("n"), { N: "1" }, { N: "10" }), item)).toBe(true);
    expect(run(between(path("n"), { N: "11" }, { N: "20" }), item)).toBe(false);
    expect(run(between(path("s"), { S: "a" }, { S: "z" }), item)).toBe(true);
    expect(run(between(path("s"), { N: "1" }, { N: "20" }), item)).toBe(false);
    expect(run(between(path("nope"), { N: "1" }, { N: "20" }), item)).toBe(false);
  });

  it("BETWEEN with lower > upper: AWS's text, named by the parameter", () => {
    const c: Condition = { kind: "between", operand: path("n"), low: val({ N: "5" }), high: val({ N: "1" }) };
    expect(error(c)).toBe(
      "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " +
        "lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}",
    );
    expect(error(c, "FilterExpression")).toMatch(/^Invalid FilterExpression: The BETWEEN operator requires upper bound/);
    const s: Condition = { kind: "between", operand: path("s"), low: val({ S: "b" }), high: val({ S: "a" }) };
    expect(error(s, "KeyConditionExpression")).toBe(
      "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " +
        "lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}",
    );
  });

  it("BETWEEN with bounds of two types", () => {
    const c: Condition = { kind: "between", operand: path("n"), low: val({ N: "1" }), high: val({ S: "a" }) };
    expect(error(c)).toBe(
      "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; " +
        "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}",
    );
  });

  it("the constant checks run even when no item is evaluated", () => {
    const c: Condition = { kind: "between", operand: path("n"), low: val({ N: "5" }), high: val({ N: "1" }) };
    expect(validateCondition({ kind: "not", operand: c })?.message).toMatch(/requires upper bound/);
    expect(validateCondition(cmp("=", path("a"), val({ S: "x" })))).toBeUndefined();
  });

  it("IN matches any listed value of the same type", () => {
    const inList = (operand: Operand, ...list: AttributeValue[]): Condition => ({ kind: "in", operand, list: list.map(val) });
    expect(run(inList(path("n"), { N: "1" }, { N: "10.0" }), item)).toBe(true);
    expect(run(inList(path("n"), { S: "10" }, { N: "11" }), item)).toBe(false);
    expect(run(inList(path("nope"), { S: "10" }), item)).toBe(false);
    expect(run(inList(path("s"), { S: "x" }, { S: "hello" }), item)).toBe(true);
  });
});

describe("functions", () => {
  it("attribute_exists / attribute_not_exists, nested too", () => {
    expect(run(fn("attribute_exists", path("z")), item)).toBe(true);
    expect(run(fn("attribute_exists", path("m", "inner", "deep")), item)).toBe(true);
    expect(run(fn("attribute_not_exists", path("m", "inner", "gone")), item)).toBe(true);
    expect(run(fn("attribute_not_exists", path("s")), item)).toBe(false);
  });

  it("attribute_type with each type", () => {
    for (const [name, type] of [
      ["s", "S"],
      ["n", "N"],
      ["b", "B"],
      ["t", "BOOL"],
      ["z", "NULL"],
      ["ss", "SS"],
      ["ns", "NS"],
      ["bs", "BS"],
      ["l", "L"],
      ["m", "M"],
    ]) {
      expect(run(fn("attribute_type", path(name!), val({ S: type! })), item)).toBe(true);
      expect(run(fn("attribute_type", path(name!), val({ S: type === "S" ? "N" : "S" })), item)).toBe(false);
    }
    expect(run(fn("attribute_type", path("nope"), val({ S: "S" })), item)).toBe(false);
  });

  it("attribute_type with an invalid type name: AWS's text", () => {
    expect(error(fn("attribute_type", path("s"), val({ S: "X" })))).toBe(
      "Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
    );
    expect(error(fn("attribute_type", path("s"), val({ N: "1" })))).toBe(
      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
    );
  });

  it("begins_with on S and B only", () => {
    expect(run(fn("begins_with", path("s"), val({ S: "he" })), item)).toBe(true);
    expect(run(fn("begins_with", path("s"), val({ S: "lo" })), item)).toBe(false);
    expect(run(fn("begins_with", path("b"), val({ B: bytes(1, 2) })), item)).toBe(true);
    expect(run(fn("begins_with", path("b"), val({ B: bytes(2) })), item)).toBe(false);
    expect(run(fn("begins_with", path("n"), val({ N: "1" })), item)).toBe(false);
    expect(run(fn("begins_with", path("ss"), val({ S: "a" })), item)).toBe(false);
  });

  it("contains: substring, byte run, set member, list element", () => {
    expect(run(fn("contains", path("s"), val({ S: "ell" })), item)).toBe(true);
    expect(run(fn("contains", path("s"), val({ S: "xyz" })), item)).toBe(false);
    expect(run(fn("contains", path("b"), val({ B: bytes(2, 3) })), item)).toBe(true);
    expect(run(fn("contains", path("b"), val({ B: bytes(3, 2) })), item)).toBe(false);
    expect(run(fn("contains", path("ss"), val({ S: "a" })), item)).toBe(true);
    expect(run(fn("contains", path("ss"), val({ S: "c" })), item)).toBe(false);
    expect(run(fn("contains", path("ns"), val({ N: "2.50" })), item)).toBe(true);
    expect(run(fn("contains", path("ns"), val({ S: "1" })), item)).toBe(false);
    expect(run(fn("contains", path("bs"), val({ B: bytes(2, 3) })), item)).toBe(true);
    expect(run(fn("contains", path("l"), val({ S: "x" })), item)).toBe(true);
    expect(run(fn("contains", path("l"), val({ M: { k: { S: "v" } } })), item)).toBe(true);
    expect(run(fn("contains", path("l"), val({ S: "y" })), item)).toBe(false);
    expect(run(fn("contains", path("n"), val({ N: "1" })), item)).toBe(false);
    expect(run(fn("contains", path("nope"), val({ S: "a" })), item)).toBe(false);
  });

  it("size: UTF-16 units of a string, bytes, entries; nothing for N, BOOL, NULL", () => {
    expect(run(cmp("=", size("s"), val({ N: "5" })), item)).toBe(true);
    expect(run(cmp("=", size("b"), val({ N: "3" })), item)).toBe(true);
    expect(run(cmp("=", size("ss"), val({ N: "2" })), item)).toBe(true);
    expect(run(cmp("=", size("bs"), val({ N: "2" })), item)).toBe(true);
    expect(run(cmp("=", size("l"), val({ N: "3" })), item)).toBe(true);
    expect(run(cmp("=", size("m"), val({ N: "2" })), item)).toBe(true);
    expect(run(cmp(">", size("s"), val({ N: "4" })), item)).toBe(true);
    // Real DynamoDB: size("é𝄞") = 3 (UTF-16 code units), not 6 (UTF-8 bytes).
    expect(run(cmp("=", size("u"), val({ N: "3" })), { u: { S: "é𝄞" } })).toBe(true);
    expect(run(cmp("=", size("n"), val({ N: "2" })), item)).toBe(false);
    expect(run(cmp("<>", size("t"), val({ N: "1" })), item)).toBe(true);
    expect(run(cmp("=", size("nope"), val({ N: "0" })), item)).toBe(false);
  });
});

describe("legacy operators", () => {
  const legacy = (operator: Parameters<typeof mk>[0], name: string, ...values: AttributeValue[]) => mk(operator, name, values);
  function mk(
    operator:
      | "EQ"
      | "NE"
      | "LE"
      | "LT"
      | "GE"
      | "GT"
      | "NOT_NULL"
      | "NULL"
      | "CONTAINS"
      | "NOT_CONTAINS"
      | "BEGINS_WITH"
      | "IN"
      | "BETWEEN",
    name: string,
    values: AttributeValue[],
  ): Condition {
    return { kind: "legacy", operator, path: [{ name }], values };
  }

  it("EQ / NE, with NE true for a missing attribute", () => {
    expect(run(legacy("EQ", "n", { N: "10" }), item)).toBe(true);
    expect(run(legacy("EQ", "n", { S: "10" }), item)).toBe(false);
    expect(run(legacy("EQ", "ss", { SS: ["b", "a"] }), item)).toBe(true);
    expect(run(legacy("EQ", "nope", { S: "x" }), item)).toBe(false);
    expect(run(legacy("NE", "n", { N: "11" }), item)).toBe(true);
    expect(run(legacy("NE", "n", { N: "10" }), item)).toBe(false);
    expect(run(legacy("NE", "nope", { S: "x" }), item)).toBe(true);
  });

  it("LT / LE / GT / GE / BETWEEN need the same type", () => {
    expect(run(legacy("LT", "n", { N: "11" }), item)).toBe(true);
    expect(run(legacy("LE", "n", { N: "10" }), item)).toBe(true);
    expect(run(legacy("GT", "n", { N: "10" }), item)).toBe(false);
    expect(run(legacy("GE", "s", { S: "hello" }), item)).toBe(true);
    expect(run(legacy("GT", "s", { N: "1" }), item)).toBe(false);
    expect(run(legacy("BETWEEN", "n", { N: "1" }, { N: "10" }), item)).toBe(true);
    expect(run(legacy("BETWEEN", "n", { N: "11" }, { N: "12" }), item)).toBe(false);
    expect(run(legacy("LT", "nope", { N: "1" }), item)).toBe(false);
  });

  it("NULL / NOT_NULL test existence, not the NULL type", () => {
    expect(run(legacy("NULL", "nope"), item)).toBe(true);
    expect(run(legacy("NULL", "z"), item)).toBe(false);
    expect(run(legacy("NOT_NULL", "z"), item)).toBe(true);
    expect(run(legacy("NOT_NULL", "nope"), item)).toBe(false);
  });

  it("CONTAINS / NOT_CONTAINS on strings, binaries and sets", () => {
    expect(run(legacy("CONTAINS", "s", { S: "ell" }), item)).toBe(true);
    expect(run(legacy("CONTAINS", "ss", { S: "b" }), item)).toBe(true);
    expect(run(legacy("CONTAINS", "ns", { N: "1" }), item)).toBe(true);
    expect(run(legacy("CONTAINS", "bs", { B: bytes(1) }), item)).toBe(true);
    expect(run(legacy("CONTAINS", "ss", { S: "z" }), item)).toBe(false);
    expect(run(legacy("NOT_CONTAINS", "ss", { S: "z" }), item)).toBe(true);
    expect(run(legacy("NOT_CONTAINS", "s", { S: "ell" }), item)).toBe(false);
    expect(run(legacy("NOT_CONTAINS", "nope", { S: "a" }), item)).toBe(true);
  });

  it("BEGINS_WITH and IN", () => {
    expect(run(legacy("BEGINS_WITH", "s", { S: "hel" }), item)).toBe(true);
    expect(run(legacy("BEGINS_WITH", "s", { S: "el" }), item)).toBe(false);
    expect(run(legacy("IN", "s", { S: "a" }, { S: "hello" }), item)).toBe(true);
    expect(run(legacy("IN", "s", { S: "a" }), item)).toBe(false);
    expect(run(legacy("IN", "nope", { S: "a" }), item)).toBe(false);
  });

  it("KCL's lease conditions: leaseCounter = Value, leaseOwner Exists:false", () => {
    const lease: Item = { leaseKey: { S: "shardId-0" }, leaseCounter: { N: "4" }, leaseOwner: { S: "w1" } };
    const counterMatches: Condition = {
      kind: "and",
      left: legacy("EQ", "leaseCounter", { N: "4" }),
      right: legacy("EQ", "leaseOwner", { S: "w1" }),
    };
    expect(run(counterMatches, lease)).toBe(true);
    expect(run(legacy("EQ", "leaseCounter", { N: "3" }), lease)).toBe(false);
    expect(run(legacy("NULL", "leaseOwner"), lease)).toBe(false);
    expect(run(legacy("NULL", "leaseKey"), undefined)).toBe(true);
  });
});

describe("value equality", () => {
  it("maps member by member, lists in order", () => {
    expect(valuesEqual({ M: { a: { N: "1" }, b: { S: "x" } } }, { M: { b: { S: "x" }, a: { N: "1.0" } } })).toBe(true);
    expect(valuesEqual({ M: { a: { N: "1" } } }, { M: { a: { N: "1" }, b: { S: "x" } } })).toBe(false);
    expect(valuesEqual({ L: [{ N: "1" }, { N: "2" }] }, { L: [{ N: "2" }, { N: "1" }] })).toBe(false);
    expect(valuesEqual({ NULL: true }, { NULL: true })).toBe(true);
    expect(valuesEqual({ BOOL: false }, { BOOL: true })).toBe(false);
  });
});
