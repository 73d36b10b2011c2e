/**
 * DynamoDB UpdateExpression and ProjectionExpression: every clause into the contract's UpdateActions,
 * lifion-kinesis's and the Enhanced Client's updates (missing-parts §4), and AWS's error texts.
 */
import { describe, expect, it } from "vitest";
import type { AttributeValue } from "../../src/domain/dynamodb/contract";
import { parseCondition, parseProjection, parseUpdate } from "../../src/domain/dynamodb/expression-parser";
import { ctxOf, N, p, path, S, upd, updateError, val } from "./dynamodb-expression-fixtures";
import { failure, value } from "./results";

describe("updates: constructs", () => {
  it("SET with values, paths, + and -, if_not_exists, list_append, parentheses", () => {
    const values = { ":v": N("1"), ":l": { L: [] } as AttributeValue };
    expect(
      upd(
        "SET a = :v, b = c + :v, d = c - :v, e = if_not_exists(e, :v), f = list_append(if_not_exists(f, :l), :l), g = (c + :v)",
        undefined,
        values,
      ),
    ).toEqual({
      set: [
        { path: p("a"), value: { kind: "operand", operand: val(N("1")) } },
        {
          path: p("b"),
          value: {
            kind: "plus",
            left: { kind: "operand", operand: path("c") },
            right: { kind: "operand", operand: val(N("1")) },
          },
        },
        {
          path: p("d"),
          value: {
            kind: "minus",
            left: { kind: "operand", operand: path("c") },
            right: { kind: "operand", operand: val(N("1")) },
          },
        },
        { path: p("e"), value: { kind: "if_not_exists", path: p("e"), value: { kind: "operand", operand: val(N("1")) } } },
        {
          path: p("f"),
          value: {
            kind: "list_append",
            left: { kind: "if_not_exists", path: p("f"), value: { kind: "operand", operand: val({ L: [] }) } },
            right: { kind: "operand", operand: val({ L: [] }) },
          },
        },
        {
          path: p("g"),
          value: {
            kind: "plus",
            left: { kind: "operand", operand: path("c") },
            right: { kind: "operand", operand: val(N("1")) },
          },
        },
      ],
      remove: [],
      add: [],
      delete: [],
    });
  });

  it("REMOVE, ADD and DELETE, clauses in any order, keywords in any case", () => {
    const values = { ":n": N("1"), ":s": { SS: ["x"] } as AttributeValue };
    expect(upd("delete s :s add n :n, m :s remove r, q[1] set a = :n", undefined, values)).toEqual({
      set: [{ path: p("a"), value: { kind: "operand", operand: val(N("1")) } }],
      remove: [p("r"), p("q", 1)],
      add: [
        { path: p("n"), value: N("1") },
        { path: p("m"), value: { SS: ["x"] } },
      ],
      delete: [{ path: p("s"), value: { SS: ["x"] } }],
    });
  });

  it("lifion-kinesis: five-level SET paths, REMOVE then SET, if_not_exists", () => {
    const names = { "#a0": "consumers", "#a1": "c1", "#a2": "shards", "#b": "shard-0", "#c": "checkpoint" };
    const ctx = ctxOf(names, { ":x": S("seq") });
    expect(value(parseUpdate("SET #a0.#a1.#a2.#b.#c = :x", ctx)).set[0]!.path).toEqual(
      p("consumers", "c1", "shards", "shard-0", "checkpoint"),
    );
    expect(value(parseCondition("attribute_not_exists(#a0.#a1.#a2.#b)", ctx)).kind).toBe("function");
    expect(ctx.unused()).toBeUndefined();

    const clear = upd(
      "REMOVE #a.#0, #a.#1 SET #b = :x",
      { "#a": "consumers", "#0": "old1", "#1": "old2", "#b": "version" },
      { ":x": S("v2") },
    );
    expect(clear.remove).toEqual([p("consumers", "old1"), p("consumers", "old2")]);
    expect(clear.set).toEqual([{ path: p("version"), value: { kind: "operand", operand: val(S("v2")) } }]);

    const lock = upd(
      "SET #a.#b.#c = :x, #a.#b.#d = :y, #a.#b.#e = if_not_exists(#a.#b.#e, :w)",
      { "#a": "enhancedConsumers", "#b": "n", "#c": "isActive", "#d": "version", "#e": "since" },
      { ":x": { NULL: true }, ":y": S("v"), ":w": N("0") },
    );
    expect(lock.set[2]!.value).toEqual({
      kind: "if_not_exists",
      path: p("enhancedConsumers", "n", "since"),
      value: { kind: "operand", operand: val(N("0")) },
    });
  });

  it("Enhanced Client: SET #AMZN_MAPPED_x = :AMZN_MAPPED_x, …", () => {
    const actions = upd(
      "SET #AMZN_MAPPED_sts = :AMZN_MAPPED_sts, #AMZN_MAPPED_lut = :AMZN_MAPPED_lut",
      { "#AMZN_MAPPED_sts": "sts", "#AMZN_MAPPED_lut": "lut" },
      { ":AMZN_MAPPED_sts": { M: {} }, ":AMZN_MAPPED_lut": N("17") },
    );
    expect(actions.set.map((a) => a.path)).toEqual([p("sts"), p("lut")]);
  });
});

describe("updates: AWS's errors", () => {
  it("empty, syntax", () => {
    expect(updateError("")).toBe("Invalid UpdateExpression: The expression can not be empty;");
    expect(updateError("INVALID SYNTAX HERE")).toBe(
      'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"',
    );
    expect(updateError("ADD hits : incr", undefined, { ":incr": N("1") })).toBe(
      'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"',
    );
    expect(
      updateError("SET #attr1 = :val1, #attr2 = :val2,", { "#attr1": "a", "#attr2": "b" }, { ":val1": N("1"), ":val2": N("2") }),
    ).toBe('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","');
    expect(updateError("SET a = :v, #, b = :v", undefined, { ":v": N("1") })).toBe(
      'Invalid UpdateExpression: Syntax error; token: "#", near: ", #,"',
    );
    expect(updateError("SET a = b + c + d")).toBe('Invalid UpdateExpression: Syntax error; token: "+", near: "c + d"');
    expect(updateError("ADD a b")).toBe('Invalid UpdateExpression: Syntax error; token: "b", near: "a b"');
  });

  it("each section once", () => {
    expect(updateError("set a = #c set c = :d")).toBe(
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
    );
    expect(updateError("remove #d set a = b remove e")).toBe(
      'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;',
    );
  });

  it("reserved words, function names and places, before the section rule", () => {
    expect(updateError(" set #c = :c set abOrt = true ")).toBe(
      "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt",
    );
    expect(updateError("set #c = if_not_exist(:c) set c = d")).toBe(
      "Invalid UpdateExpression: Invalid function name; function: if_not_exist",
    );
    expect(updateError("set a = size(b)")).toBe(
      "Invalid UpdateExpression: The function is not allowed in an update expression; function: size",
    );
  });

  it("undefined names before undefined values, then paths", () => {
    expect(updateError("SET a = :v, #c = b", { "#a": "a" })).toBe(
      "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #c",
    );
    expect(updateError("SET #a = if_not_exists(:c)", { "#a": "a" })).toBe(
      "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :c",
    );
  });

  it("overlapping and conflicting paths", () => {
    expect(updateError("SET a = :v REMOVE a.b", undefined, { ":v": N("1") })).toBe(
      "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
    );
    expect(updateError("set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)", { "#c": "c" })).toBe(
      "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [1], a], path two: [c]",
    );
    expect(updateError("set #c[3].#d = a, #c.#d[3] = if_not_exists(a)", { "#c": "c", "#d": "[3]" })).toBe(
      "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3], [3]]",
    );
    expect(updateError("remove a.#c set a[1] = #d", { "#c": "c", "#d": "d" })).toBe(
      "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]",
    );
    expect(upd("SET a.b = :v, a.c = :v, a.d[0] = :v, a.d[1] = :v", undefined, { ":v": N("1") }).set).toHaveLength(4);
  });

  it("operand types of ADD and DELETE, of + - and list_append; operand counts; document paths", () => {
    expect(updateError("add a.b :a", undefined, { ":a": S("a") })).toBe(
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND",
    );
    expect(updateError("delete a :n", undefined, { ":n": N("1") })).toBe(
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND",
    );
    expect(updateError("set a = a + :s", undefined, { ":s": S("x") })).toBe(
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S",
    );
    expect(updateError("set a = list_append(:n, a)", undefined, { ":n": N("1") })).toBe(
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N",
    );
    expect(updateError("set a = if_not_exists(c)")).toBe(
      "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1",
    );
    expect(updateError("set a = if_not_exists(:a, c)", undefined, { ":a": S("a") })).toBe(
      "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists",
    );
  });
});

describe("projections", () => {
  it("comma-separated paths, names resolved", () => {
    expect(value(parseProjection("a, #b.c[2], d", ctxOf({ "#b": "b" })))).toEqual([p("a"), p("b", "c", 2), p("d")]);
  });

  it("AWS's errors", () => {
    const err = (text: string, names?: Record<string, string>) => failure(parseProjection(text, ctxOf(names))).message;
    expect(err("")).toBe("Invalid ProjectionExpression: The expression can not be empty;");
    expect(err("id,")).toBe('Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","');
    expect(err("my-attribute")).toBe('Invalid ProjectionExpression: Syntax error; token: "-", near: "my-attribute"');
    expect(err("a, name")).toBe("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name");
    expect(err("a, #n")).toBe(
      "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #n",
    );
    expect(err("a.b, a")).toBe(
      "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]",
    );
    expect(err("a.b, a[0]")).toBe(
      "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]",
    );
  });
});
