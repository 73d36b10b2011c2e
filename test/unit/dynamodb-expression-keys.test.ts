/**
 * DynamoDB KeyConditionExpression narrowed to a Query's key condition, and the placeholder maps of a
 * request (ExpressionAttributeNames / Values): AWS's error texts and order; and random text through
 * every parser.
 */
import { describe, expect, it } from "vitest";
import type { AttributeValue } from "../../src/domain/dynamodb/contract";
import { checkPlaceholderMaps, EXPRESSION_PARAMETERS } from "../../src/domain/dynamodb/expression-names";
import { parseKeyCondition, parseProjection, parseUpdate } from "../../src/domain/dynamodb/expression-parser";
import { cond, ctxOf, N, S } from "./dynamodb-expression-fixtures";
import { failure, value } from "./results";

describe("key conditions", () => {
  const schema = { hash: "pk", range: "sk" };
  const key = (
    text: string,
    values: Record<string, AttributeValue>,
    names?: Record<string, string>,
    s: Parameters<typeof parseKeyCondition>[2] = schema,
  ) => parseKeyCondition(text, ctxOf(names, values), s);
  const keyError = (...args: Parameters<typeof key>) => failure(key(...args)).message;

  it("hash alone, hash with each range operator, either order, flipped comparisons", () => {
    expect(value(key("pk = :h", { ":h": S("a") }))).toEqual({ hashKey: { name: "pk", value: S("a") } });
    for (const op of ["=", "<", "<=", ">", ">="] as const) {
      expect(value(key(`pk = :h AND sk ${op} :r`, { ":h": S("a"), ":r": N("1") })).rangeKey).toEqual({
        name: "sk",
        op,
        value: N("1"),
      });
    }
    expect(value(key(":r < sk AND pk = :h", { ":h": S("a"), ":r": N("1") })).rangeKey).toEqual({
      name: "sk",
      op: ">",
      value: N("1"),
    });
    expect(
      value(key("#pk = :h and #sk BETWEEN :a AND :b", { ":h": S("a"), ":a": N("1"), ":b": N("2") }, { "#pk": "pk", "#sk": "sk" }))
        .rangeKey,
    ).toEqual({
      name: "sk",
      op: "between",
      low: N("1"),
      high: N("2"),
    });
    expect(value(key("begins_with(sk, :p) AND pk = :h", { ":h": S("a"), ":p": S("x") })).rangeKey).toEqual({
      name: "sk",
      op: "begins_with",
      prefix: S("x"),
    });
  });

  it("KCL 3.x: the lease-owner index", () => {
    expect(
      value(key("leaseOwner = :leaseOwner", { ":leaseOwner": S("w") }, undefined, { hash: "leaseOwner", range: "leaseKey" })),
    ).toEqual({
      hashKey: { name: "leaseOwner", value: S("w") },
    });
  });

  it("AWS's errors", () => {
    const h = { ":h": S("a"), ":r": N("1") };
    expect(keyError("pk = :h OR sk = :r", h)).toBe("Invalid operator used in KeyConditionExpression: OR");
    expect(keyError("NOT pk = :h", { ":h": S("a") })).toBe("Invalid operator used in KeyConditionExpression: NOT");
    expect(keyError("pk IN (:h)", { ":h": S("a") })).toBe("Invalid operator used in KeyConditionExpression: IN");
    expect(keyError("pk <> :h", { ":h": S("a") })).toBe("Invalid operator used in KeyConditionExpression: <>");
    expect(keyError("pk = :h AND attribute_exists(sk)", { ":h": S("a") })).toBe(
      "Invalid operator used in KeyConditionExpression: attribute_exists",
    );
    expect(keyError("size(pk) = :r", { ":r": N("1") })).toBe("KeyConditionExpressions cannot contain nested operations");
    expect(keyError("pk = sk", {})).toBe(
      "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
    );
    expect(keyError(":h = :r", h)).toBe("Invalid condition in KeyConditionExpression: No key attribute specified");
    expect(keyError("pk.a = :h", { ":h": S("a") })).toBe("KeyConditionExpressions cannot have conditions on nested attributes");
    expect(keyError("pk = :h AND pk = :h", { ":h": S("a") })).toBe(
      "KeyConditionExpressions must only contain one condition per key",
    );
    expect(keyError("pk = :h AND sk = :r AND x = :r", h)).toBe("Conditions can be of length 1 or 2 only");
    expect(keyError("sk = :r", h)).toBe("Query condition missed key schema element: pk");
    expect(keyError("pk = :h AND x = :r", h)).toBe("Query condition missed key schema element: sk");
    expect(keyError("pk = :h AND sk = :r", h, undefined, { hash: "pk" })).toBe("Query key condition not supported");
    expect(keyError("pk > :h", { ":h": S("a") })).toBe("Query key condition not supported");
    expect(keyError("pk = :r", h, undefined, { hash: "pk", hashType: "S" })).toBe(
      "One or more parameter values were invalid: Condition parameter type does not match schema type",
    );
    expect(keyError("pk = :e", { ":e": S("") })).toBe(
      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
    );
    expect(keyError("pk = :h AND begins_with(sk, :r)", h)).toBe(
      "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
    );
    expect(keyError("", {})).toBe("Invalid KeyConditionExpression: The expression can not be empty;");
  });
});

describe("the placeholder maps", () => {
  it("AWS's checks on the maps themselves", () => {
    expect(ctxOf({}).check()?.message).toBe("ExpressionAttributeNames must not be empty");
    expect(ctxOf(undefined, {}).check()?.message).toBe("ExpressionAttributeValues must not be empty");
    expect(ctxOf({ a: "a" }).check()?.message).toBe('ExpressionAttributeNames contains invalid key: Syntax error; key: "a"');
    expect(ctxOf(undefined, { b: N("1") }).check()?.message).toBe(
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
    );
    expect(ctxOf({ "#a": "" }).check()?.message).toBe(
      "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a",
    );
    expect(ctxOf({ "#a": "a" }, { ":b": N("1") }).check()).toBeUndefined();
  });

  it("maps sent without an expression that could use them", () => {
    expect(checkPlaceholderMaps({ ExpressionAttributeNames: { "#a": "a" } }, [], EXPRESSION_PARAMETERS.PutItem)?.message).toBe(
      "ExpressionAttributeNames can only be specified when using expressions",
    );
    expect(
      checkPlaceholderMaps({ ExpressionAttributeValues: { ":a": N("1") } }, [], EXPRESSION_PARAMETERS.PutItem)?.message,
    ).toBe("ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null");
    expect(
      checkPlaceholderMaps({ ExpressionAttributeValues: { ":a": N("1") } }, [], EXPRESSION_PARAMETERS.UpdateItem)?.message,
    ).toBe(
      "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null",
    );
    expect(
      checkPlaceholderMaps({ ExpressionAttributeValues: { ":a": N("1") } }, ["ProjectionExpression"], EXPRESSION_PARAMETERS.Scan)
        ?.message,
    ).toBe("ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null");
    expect(
      checkPlaceholderMaps({ ExpressionAttributeValues: { ":a": N("1") } }, [], EXPRESSION_PARAMETERS.GetItem),
    ).toBeUndefined();
    expect(
      checkPlaceholderMaps({ ExpressionAttributeNames: { "#a": "a" } }, ["ProjectionExpression"], EXPRESSION_PARAMETERS.GetItem),
    ).toBeUndefined();
  });

  it("unused keys listed in the order of DynamoDB's Java HashSet", () => {
    // String.hashCode: "#a" 1182 → bucket 14, "#b" 1183 → 15, "#zz" 37539 → 3 (of 16); not the request's order.
    const ctx = ctxOf({ "#a": "b", "#b": "c", "#zz": "a" });
    expect(ctx.unused()?.message).toBe("Value provided in ExpressionAttributeNames unused in expressions: keys: {#zz, #a, #b}");
  });
});

describe("any text", () => {
  it("gets a Result, never an exception, from every parser", () => {
    const pieces = [
      "a",
      "#n",
      ":v",
      ":s",
      "(",
      ")",
      "[",
      "0",
      "]",
      ".",
      ",",
      "=",
      "<",
      ">=",
      "<>",
      "+",
      "-",
      "AND",
      "OR",
      "NOT",
      "BETWEEN",
      "IN",
      "SET",
      "REMOVE",
      "ADD",
      "DELETE",
      "size",
      "contains",
      "if_not_exists",
      "list_append",
      "attribute_type",
      "begins_with",
      "#",
      ":",
      "~",
      " ",
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join(
        " ",
      );
      const ctx = () => ctxOf({ "#n": "n" }, { ":v": N("1"), ":s": S("x") });
      for (const result of [
        cond(text, { "#n": "n" }, { ":v": N("1"), ":s": S("x") }),
        parseUpdate(text, ctx()),
        parseProjection(text, ctx()),
        parseKeyCondition(text, ctx(), { hash: "a", range: "n" }),
      ]) {
        expect(typeof result.ok).toBe("boolean");
      }
    }
  });
});
