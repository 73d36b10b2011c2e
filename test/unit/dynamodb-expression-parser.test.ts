/**
 * DynamoDB condition expressions (ConditionExpression, FilterExpression, KeyConditionExpression as a
 * condition): every construct into the contract's AST, precedence, the expressions KCL, lifion-kinesis
 * and the Enhanced Client send (missing-parts §4), and AWS's error texts in AWS's order of checks.
 */
import { describe, expect, it } from "vitest";
import type { AttributeValue } from "../../src/domain/dynamodb/contract";
import { parseCondition } from "../../src/domain/dynamodb/expression-parser";
import { cond, condError, ctxOf, N, path, S, val } from "./dynamodb-expression-fixtures";
import { failure, value } from "./results";

describe("conditions: constructs", () => {
  it("comparators, with names and values resolved", () => {
    for (const op of ["=", "<>", "<", "<=", ">", ">="]) {
      expect(value(cond(`#a ${op} :v`, { "#a": "a" }, { ":v": N("1") }))).toEqual({
        kind: "compare",
        op,
        left: path("a"),
        right: val(N("1")),
      });
    }
    expect(value(cond("a=:v", undefined, { ":v": S("x") }))).toMatchObject({ op: "=" });
  });

  it("BETWEEN and IN", () => {
    expect(value(cond("a BETWEEN :lo AND :hi", undefined, { ":lo": N("1"), ":hi": N("5") }))).toEqual({
      kind: "between",
      operand: path("a"),
      low: val(N("1")),
      high: val(N("5")),
    });
    expect(value(cond("a in (:x, :y, b)", undefined, { ":x": S("x"), ":y": S("y") }))).toEqual({
      kind: "in",
      operand: path("a"),
      list: [val(S("x")), val(S("y")), path("b")],
    });
  });

  it("functions, and size() as an operand", () => {
    const values = { ":t": S("N"), ":p": S("pre"), ":n": N("3") };
    expect(value(cond("attribute_exists(a.b)"))).toEqual({ kind: "function", name: "attribute_exists", args: [path("a", "b")] });
    expect(value(cond("attribute_not_exists(a[2])"))).toEqual({
      kind: "function",
      name: "attribute_not_exists",
      args: [path("a", 2)],
    });
    expect(
      value(cond("attribute_type(a, :t) AND begins_with(b, :p) AND contains(c, :p) AND size(d) > :n", undefined, values)),
    ).toEqual({
      kind: "and",
      left: {
        kind: "and",
        left: {
          kind: "and",
          left: { kind: "function", name: "attribute_type", args: [path("a"), val(S("N"))] },
          right: { kind: "function", name: "begins_with", args: [path("b"), val(S("pre"))] },
        },
        right: { kind: "function", name: "contains", args: [path("c"), val(S("pre"))] },
      },
      right: { kind: "compare", op: ">", left: { kind: "size", path: [{ name: "d" }] }, right: val(N("3")) },
    });
  });

  it("keywords in any case, whitespace anywhere", () => {
    expect(value(cond(" NOT\ta = :v\nand b = :v or c = :v ", undefined, { ":v": N("1") })).kind).toBe("or");
  });

  it("precedence: NOT binds tighter than AND, AND tighter than OR; parentheses override", () => {
    const v = { ":v": N("1") };
    const c = (t: string) => ({ kind: "compare", op: "=", left: path(t), right: val(N("1")) });
    expect(value(cond("a = :v OR b = :v AND c = :v", undefined, v))).toEqual({
      kind: "or",
      left: c("a"),
      right: { kind: "and", left: c("b"), right: c("c") },
    });
    expect(value(cond("(a = :v OR b = :v) AND c = :v", undefined, v))).toEqual({
      kind: "and",
      left: { kind: "or", left: c("a"), right: c("b") },
      right: c("c"),
    });
    expect(value(cond("NOT a = :v AND b = :v", undefined, v))).toEqual({
      kind: "and",
      left: { kind: "not", operand: c("a") },
      right: c("b"),
    });
    expect(value(cond("NOT (a = :v AND b = :v)", undefined, v))).toEqual({
      kind: "not",
      operand: { kind: "and", left: c("a"), right: c("b") },
    });
    expect(value(cond("a = :v AND b = :v AND c = :v", undefined, v))).toEqual({
      kind: "and",
      left: { kind: "and", left: c("a"), right: c("b") },
      right: c("c"),
    });
  });

  it("parenthesised operands", () => {
    expect(value(cond("(a) = (:v)", undefined, { ":v": N("1") }))).toEqual({
      kind: "compare",
      op: "=",
      left: path("a"),
      right: val(N("1")),
    });
    expect(value(cond("(a) BETWEEN (:v) AND (:w)", undefined, { ":v": N("1"), ":w": N("2") })).kind).toBe("between");
    expect(value(cond("(attribute_exists(a))")).kind).toBe("function");
  });

  it("document paths: nested names, list indexes, 32 levels", () => {
    expect(value(cond("a.b[0][12].#c = :v", { "#c": "c.d" }, { ":v": N("1") }))).toMatchObject({
      left: path("a", "b", 0, 12, "c.d"),
    });
    const deep = Array.from({ length: 32 }, (_, i) => `p${i}`).join(".");
    expect(cond(`attribute_exists(${deep})`).ok).toBe(true);
    expect(condError(`attribute_exists(${deep}.p32)`)).toBe(
      "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33",
    );
  });

  it("IN takes up to 100 operands", () => {
    const values: Record<string, AttributeValue> = {};
    for (let i = 0; i < 101; i++) values[`:v${i}`] = N(String(i));
    const list = (n: number) => Array.from({ length: n }, (_, i) => `:v${i}`).join(", ");
    expect(cond(`a IN (${list(100)})`, undefined, values).ok).toBe(true);
    expect(condError(`a IN (${list(101)})`, undefined, values)).toBe(
      "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101",
    );
  });
});

describe("conditions: the clients' own expressions", () => {
  it("KCL 3.x: leaseOwner = :leaseOwner", () => {
    expect(value(cond("leaseOwner = :leaseOwner", undefined, { ":leaseOwner": S("w1") }, "KeyConditionExpression"))).toEqual({
      kind: "compare",
      op: "=",
      left: path("leaseOwner"),
      right: val(S("w1")),
    });
  });

  it("Enhanced Client: #AMZN_MAPPED_ names and attribute_exists with a space before the parenthesis", () => {
    const ctx = ctxOf({ "#AMZN_MAPPED_key": "wid", "#AMZN_MAPPED_pk": "wid" }, { ":AMZN_MAPPED_value": S("w") });
    expect(value(parseCondition("#AMZN_MAPPED_key = :AMZN_MAPPED_value AND attribute_exists (#AMZN_MAPPED_pk)", ctx)).kind).toBe(
      "and",
    );
    expect(ctx.unused()).toBeUndefined();
  });

  it("lifion-kinesis: nested attribute_not_exists, NULL = NULL version checks", () => {
    const names = { "#a0": "consumers", "#a1": "c1", "#a2": "shards", "#b": "shard-0" };
    expect(value(cond("attribute_not_exists(#a0.#a1.#a2.#b)", names))).toEqual({
      kind: "function",
      name: "attribute_not_exists",
      args: [path("consumers", "c1", "shards", "shard-0")],
    });
    const lock = cond(
      "#a.#b.#d = :z AND #a.#b.#c = :v",
      { "#a": "enhancedConsumers", "#b": "n", "#c": "isActive", "#d": "version" },
      { ":z": S("v1"), ":v": { NULL: true } },
    );
    expect(value(lock)).toMatchObject({ kind: "and", right: { right: val({ NULL: true }) } });
  });

  it("KCL multi-stream and coordinator filters", () => {
    expect(value(cond("streamName = :streamName", undefined, { ":streamName": S("s") }, "FilterExpression")).kind).toBe(
      "compare",
    );
    expect(value(cond("#et = :etVal", { "#et": "entityType" }, { ":etVal": S("x") }, "FilterExpression")).kind).toBe("compare");
  });
});

describe("conditions: AWS's errors", () => {
  it("the empty expression", () => {
    expect(condError("")).toBe("Invalid ConditionExpression: The expression can not be empty;");
    expect(condError("", undefined, undefined, "FilterExpression")).toBe(
      "Invalid FilterExpression: The expression can not be empty;",
    );
  });

  it("syntax errors name the token and the text around it", () => {
    expect(condError("foo")).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"');
    expect(condError("attribute_not_exists(")).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("');
    expect(condError("a = = :v", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"',
    );
    expect(condError("NOT (#x)", { "#x": "x" }, undefined, "FilterExpression")).toBe(
      'Invalid FilterExpression: Syntax error; token: "<EOF>", near: ")"',
    );
    expect(condError("a = :v AND", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"',
    );
    expect(condError("my-attr = :v", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "-", near: "my-attr"',
    );
    expect(condError("a ~ :v", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "~", near: "a ~ :v"',
    );
    expect(condError("_a = :v", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "_", near: "_a"',
    );
    expect(condError("a[x] = :v", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "x", near: "[x]"',
    );
    expect(condError("(a = :v", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":v"',
    );
    expect(condError("a = :v)", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: ")", near: ":v)"',
    );
    expect(condError("(a AND b = :v)", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "AND", near: "a AND b"',
    );
    expect(condError("a = :v, b = :v", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: ",", near: ":v, b"',
    );
  });

  it("keywords cannot be names", () => {
    expect(condError("size = :v AND in = :v", undefined, { ":v": N("1") })).toBe(
      'Invalid ConditionExpression: Syntax error; token: "in", near: "AND in ="',
    );
  });

  it("redundant parentheses", () => {
    expect(condError("((a = :v))", undefined, { ":v": N("1") })).toBe(
      "Invalid ConditionExpression: The expression has redundant parentheses;",
    );
    expect(condError("((a)) = :v", undefined, { ":v": N("1") })).toBe(
      "Invalid ConditionExpression: The expression has redundant parentheses;",
    );
    expect(cond("((a = :v) AND b = :v)", undefined, { ":v": N("1") }).ok).toBe(true);
  });

  it("reserved words, in the case written; placeholders and CONVERT / SIZE pass", () => {
    expect(condError("status = :v", undefined, { ":v": S("x") })).toBe(
      "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status",
    );
    expect(condError("a.Name = :v", undefined, { ":v": S("x") })).toBe(
      "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Name",
    );
    expect(cond("#s = :v AND size = :v AND convert = :v", { "#s": "status" }, { ":v": S("x") }).ok).toBe(true);
  });

  it("function names, operand counts and placement", () => {
    expect(condError("foo(a)")).toBe("Invalid ConditionExpression: Invalid function name; function: foo");
    expect(condError("attRIbute_exIsts(a)")).toBe(
      "Invalid ConditionExpression: Invalid function name; function: attRIbute_exIsts",
    );
    expect(condError("begins_with(a)")).toBe(
      "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1",
    );
    expect(condError("size(a)")).toBe(
      "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size",
    );
    expect(condError("attribute_exists(a) = b")).toBe(
      "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists",
    );
    expect(condError("size(contains(a, b)) > a")).toBe(
      "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: contains",
    );
    expect(condError("if_not_exists(a, b) = c")).toBe(
      "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists",
    );
  });

  it("undefined and unused placeholders", () => {
    expect(condError("#x = :v", { "#a": "a" }, { ":v": N("1") })).toBe(
      "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
    );
    expect(condError("a = :x", undefined, { ":v": N("1") })).toBe(
      "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x",
    );
    const ctx = ctxOf({ "#a": "a", "#b": "b", "#c": "c" }, { ":x": N("1"), ":y": N("2") });
    expect(parseCondition("#c = :y", ctx).ok).toBe(true);
    expect(failure({ ok: false, error: ctx.unused()! }).message).toBe(
      "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}",
    );
    const values = ctxOf(undefined, { ":x": N("1"), ":y": N("2") });
    expect(parseCondition("a = :y", values).ok).toBe(true);
    expect(values.unused()?.message).toBe("Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}");
  });

  it("the order of kinds: reserved word before operand count, placeholders before operand count", () => {
    expect(condError("attribute_exists(views, #a)", { "#a": "a" })).toBe(
      "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: views",
    );
    expect(condError("begins_with(:hello, #a, #b)", { "#a": "a", "#b": "b" })).toBe(
      "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :hello",
    );
    expect(condError("a = a and whatever((:things)) > a")).toBe(
      "Invalid ConditionExpression: Invalid function name; function: whatever",
    );
  });

  it("operand types, document paths and distinct operands", () => {
    const v = { ":n": N("1"), ":s": S("x"), ":b": { BOOL: true } as AttributeValue, ":t": S("FOO") };
    expect(condError("begins_with(a, :n)", undefined, { ":n": N("1") })).toBe(
      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
    );
    expect(condError("a < :b", undefined, { ":b": v[":b"] })).toBe(
      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL",
    );
    expect(condError("size(:b) > a", undefined, { ":b": v[":b"] })).toBe(
      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: BOOL",
    );
    expect(condError("attribute_type(a, :t)", undefined, { ":t": v[":t"] })).toBe(
      "Invalid ConditionExpression: Invalid attribute type name found; type: FOO, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}",
    );
    expect(condError("attribute_type(a, :n)", undefined, { ":n": N("1") })).toBe(
      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
    );
    expect(condError("attribute_exists(:s)", undefined, { ":s": S("x") })).toBe(
      "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists",
    );
    expect(condError("a.b[1] = #a.b[1]", { "#a": "a" })).toBe(
      "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a, b, [1]]",
    );
    expect(cond(":s = :s", undefined, { ":s": S("x") }).ok).toBe(true);
  });

  it("BETWEEN bounds are checked before any item is read", () => {
    expect(condError("a BETWEEN :hi AND :lo", undefined, { ":lo": N("1"), ":hi": N("5") })).toBe(
      "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}",
    );
    expect(condError("a BETWEEN :lo AND :s", undefined, { ":lo": N("1"), ":s": S("x") })).toBe(
      "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}",
    );
    expect(cond("a BETWEEN :lo AND :lo", undefined, { ":lo": S("é") }).ok).toBe(true);
    // Strings order by UTF-8 bytes: "é" (C3 A9) sorts after "z" (7A).
    expect(cond("a BETWEEN :z AND :e", undefined, { ":z": S("z"), ":e": S("é") }).ok).toBe(true);
    expect(condError("a BETWEEN :e AND :z", undefined, { ":z": S("z"), ":e": S("é") })).toBe(
      "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:é}, upper bound operand: AttributeValue: {S:z}",
    );
  });

  it("list indexes beyond a Java int", () => {
    expect(condError("a[2147483648] = :v", undefined, { ":v": N("1") })).toBe(
      "Invalid ConditionExpression: List index is not within the allowable range; index: [2147483648]",
    );
  });

  it("expression size", () => {
    const long = `a = :v${" ".repeat(4096)}`;
    expect(condError(long, undefined, { ":v": N("1") })).toBe(
      `Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: ${long.length}`,
    );
  });

  it("deep nesting within the size limit neither overflows nor slows", () => {
    const deep = `${"(".repeat(2040)}a = :v${")".repeat(2040)}`;
    expect(condError(deep, undefined, { ":v": N("1") })).toBe(
      "Invalid ConditionExpression: The expression has redundant parentheses;",
    );
    const nots = `${"NOT ".repeat(1020)}a = :v`;
    expect(cond(nots, undefined, { ":v": N("1") }).ok).toBe(true);
  });
});
