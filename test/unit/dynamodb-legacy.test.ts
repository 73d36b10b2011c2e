/**
 * The legacy parameters as the expression AST: Expected, AttributeUpdates, KeyConditions, QueryFilter /
 * ScanFilter, AttributesToGet, and the refusal to mix them with expressions, with AWS's texts; then
 * KCL's lease writes end to end through evaluation and update.
 */
import { describe, expect, it } from "vitest";
import type { Result } from "../../src/domain/errors";
import type { Item } from "../../src/domain/dynamodb/contract";
import { evaluateCondition } from "../../src/domain/dynamodb/evaluate";
import {
  attributesToGetToProjection,
  attributeUpdatesToActions,
  checkAttributesToGet,
  checkNotMixed,
  expectedToCondition,
  filterToCondition,
  keyConditionsToKeyCondition,
  type ExpectedAttributeValue,
  type LegacyCondition,
} from "../../src/domain/dynamodb/legacy";
import { applyUpdate } from "../../src/domain/dynamodb/update";

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
function message<T>(r: Result<T>): string {
  if (r.ok) throw new Error("expected an error");
  expect(r.error.code).toBe("ValidationException");
  return r.error.message;
}
const PREFIX = "One or more parameter values were invalid: ";

describe("expectedToCondition", () => {
  const holds = (expected: Record<string, ExpectedAttributeValue>, item: Item | undefined, op?: string) =>
    value(evaluateCondition(value(expectedToCondition(expected, op))!, item));

  it("no Expected, or an empty one, is no condition", () => {
    expect(value(expectedToCondition(undefined))).toBeUndefined();
    expect(value(expectedToCondition({}))).toBeUndefined();
  });

  it("Value alone (or with Exists: true) means EQ; Exists: false means absent", () => {
    expect(value(expectedToCondition({ a: { Value: { S: "x" } } }))).toEqual({
      kind: "legacy",
      operator: "EQ",
      path: [{ name: "a" }],
      values: [{ S: "x" }],
    });
    expect(holds({ a: { Value: { S: "x" }, Exists: true } }, { a: { S: "x" } })).toBe(true);
    expect(holds({ a: { Exists: false } }, {})).toBe(true);
    expect(holds({ a: { Exists: false } }, { a: { NULL: true } })).toBe(false);
  });

  it("ComparisonOperator with Value or AttributeValueList", () => {
    expect(holds({ n: { ComparisonOperator: "GT", Value: { N: "1" } } }, { n: { N: "2" } })).toBe(true);
    expect(holds({ n: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "1" }, { N: "3" }] } }, { n: { N: "3" } })).toBe(
      true,
    );
    expect(holds({ n: { ComparisonOperator: "NOT_NULL" } }, {})).toBe(false);
    expect(holds({ n: { ComparisonOperator: "NE", AttributeValueList: [{ N: "1" }] } }, {})).toBe(true);
    expect(
      holds({ s: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [{ S: "hello" }] } }, { s: { S: "hello-world" } }),
    ).toBe(true);
  });

  it("ConditionalOperator AND (the default) and OR", () => {
    const expected = { a: { Value: { S: "1" } }, b: { Value: { S: "2" } } };
    expect(holds(expected, { a: { S: "1" }, b: { S: "x" } })).toBe(false);
    expect(holds(expected, { a: { S: "1" }, b: { S: "x" } }, "AND")).toBe(false);
    expect(holds(expected, { a: { S: "1" }, b: { S: "x" } }, "OR")).toBe(true);
    expect(holds(expected, { a: { S: "1" }, b: { S: "2" } })).toBe(true);
  });

  it("each of AWS's refusals", () => {
    expect(message(expectedToCondition({ a: {} }))).toBe(`${PREFIX}Value must be provided when Exists is null for Attribute: a`);
    expect(message(expectedToCondition({ a: { Exists: true } }))).toBe(
      `${PREFIX}Value must be provided when Exists is true for Attribute: a`,
    );
    expect(message(expectedToCondition({ a: { Exists: false, Value: { S: "a" } } }))).toBe(
      `${PREFIX}Value cannot be used when Exists is false for Attribute: a`,
    );
    expect(message(expectedToCondition({ a: { Value: { S: "a" }, AttributeValueList: [{ S: "a" }] } }))).toBe(
      `${PREFIX}Value and AttributeValueList cannot be used together for Attribute: a`,
    );
    expect(message(expectedToCondition({ a: { Exists: true, ComparisonOperator: "LT" } }))).toBe(
      `${PREFIX}Exists and ComparisonOperator cannot be used together for Attribute: a`,
    );
    expect(message(expectedToCondition({ a: { ComparisonOperator: "LT" } }))).toBe(
      `${PREFIX}Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a`,
    );
    expect(message(expectedToCondition({ a: { AttributeValueList: [{ S: "a" }] } }))).toBe(
      `${PREFIX}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`,
    );
    expect(message(expectedToCondition({ a: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "a" }, { S: "b" }] } }))).toBe(
      `${PREFIX}Invalid number of argument(s) for the EQ ComparisonOperator`,
    );
    expect(message(expectedToCondition({ a: { ComparisonOperator: "NULL", AttributeValueList: [{ S: "a" }] } }))).toBe(
      `${PREFIX}Invalid number of argument(s) for the NULL ComparisonOperator`,
    );
    expect(message(expectedToCondition({ a: { ComparisonOperator: "BETWEEN", Value: { N: "1" } } }))).toBe(
      `${PREFIX}Invalid number of argument(s) for the BETWEEN ComparisonOperator`,
    );
    expect(message(expectedToCondition({ a: { ComparisonOperator: "IN", AttributeValueList: [] } }))).toBe(
      `${PREFIX}Invalid number of argument(s) for the IN ComparisonOperator`,
    );
    expect(message(expectedToCondition({ a: { ComparisonOperator: "IN", AttributeValueList: [{ S: "b" }, { N: "1" }] } }))).toBe(
      `${PREFIX}AttributeValues inside AttributeValueList must be of same type`,
    );
    expect(
      message(expectedToCondition({ a: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "5" }, { N: "1" }] } })),
    ).toBe("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
  });
});

describe("filterToCondition (QueryFilter / ScanFilter)", () => {
  const filter = (f: Record<string, LegacyCondition>, op?: string) => value(filterToCondition(f, op));

  it("matches as the legacy operators do, joined by ConditionalOperator", () => {
    const f = filter(
      { a: { ComparisonOperator: "CONTAINS", AttributeValueList: [{ S: "x" }] }, b: { ComparisonOperator: "NULL" } },
      "OR",
    );
    expect(value(evaluateCondition(f!, { a: { SS: ["x"] }, b: { N: "1" } }))).toBe(true);
    expect(value(evaluateCondition(f!, { a: { SS: ["y"] }, b: { N: "1" } }))).toBe(false);
    expect(value(filterToCondition(undefined))).toBeUndefined();
  });

  it("operators refuse value types they cannot compare", () => {
    for (const op of ["LT", "LE", "GT", "GE", "IN"] as const) {
      for (const v of [{ BOOL: true }, { NULL: true as const }, { SS: ["a"] }, { M: {} }, { L: [] }]) {
        const type = Object.keys(v)[0];
        expect(message(filterToCondition({ a: { ComparisonOperator: op, AttributeValueList: [v] } }))).toBe(
          `${PREFIX}ComparisonOperator ${op} is not valid for ${type} AttributeValue type`,
        );
      }
    }
    expect(message(filterToCondition({ a: { ComparisonOperator: "CONTAINS", AttributeValueList: [{ NS: ["1"] }] } }))).toBe(
      `${PREFIX}ComparisonOperator CONTAINS is not valid for NS AttributeValue type`,
    );
    expect(message(filterToCondition({ a: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [{ N: "1" }] } }))).toBe(
      `${PREFIX}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`,
    );
    expect(message(filterToCondition({ a: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ L: [] }, { L: [] }] } }))).toBe(
      `${PREFIX}ComparisonOperator BETWEEN is not valid for L AttributeValue type`,
    );
    expect(value(filterToCondition({ a: { ComparisonOperator: "EQ", AttributeValueList: [{ M: {} }] } }))).toBeDefined();
  });

  it("argument counts, mixed types and reversed bounds", () => {
    expect(message(filterToCondition({ a: { ComparisonOperator: "EQ" } }))).toBe(
      `${PREFIX}Invalid number of argument(s) for the EQ ComparisonOperator`,
    );
    expect(message(filterToCondition({ a: { ComparisonOperator: "IN", AttributeValueList: [{ S: "b" }, { N: "1" }] } }))).toBe(
      `${PREFIX}AttributeValues inside AttributeValueList must be of same type`,
    );
    expect(
      message(filterToCondition({ a: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ S: "b" }, { S: "a" }] } })),
    ).toBe("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
  });
});

describe("keyConditionsToKeyCondition", () => {
  const schema = { hash: "pk", range: "sk", types: { pk: "S", sk: "N" } as Record<string, "S" | "N" | "B"> };
  const eq = (v: { S: string } | { N: string }): LegacyCondition => ({ ComparisonOperator: "EQ", AttributeValueList: [v] });

  it("hash alone, and each range operator", () => {
    expect(value(keyConditionsToKeyCondition({ pk: eq({ S: "a" }) }, schema))).toEqual({
      hashKey: { name: "pk", value: { S: "a" } },
    });
    expect(
      value(
        keyConditionsToKeyCondition(
          { pk: eq({ S: "a" }), sk: { ComparisonOperator: "GE", AttributeValueList: [{ N: "2" }] } },
          schema,
        ),
      ),
    ).toEqual({ hashKey: { name: "pk", value: { S: "a" } }, rangeKey: { name: "sk", op: ">=", value: { N: "2" } } });
    const between = { ComparisonOperator: "BETWEEN" as const, AttributeValueList: [{ N: "1" }, { N: "3" }] };
    expect(value(keyConditionsToKeyCondition({ sk: between, pk: eq({ S: "a" }) }, schema)).rangeKey).toEqual({
      name: "sk",
      op: "between",
      low: { N: "1" },
      high: { N: "3" },
    });
    const prefix = { hash: "leaseOwner", range: "leaseKey" };
    const begins = { ComparisonOperator: "BEGINS_WITH" as const, AttributeValueList: [{ S: "shard" }] };
    expect(value(keyConditionsToKeyCondition({ leaseOwner: eq({ S: "w" }), leaseKey: begins }, prefix)).rangeKey).toEqual({
      name: "leaseKey",
      op: "begins_with",
      prefix: { S: "shard" },
    });
  });

  it("each of AWS's refusals", () => {
    expect(message(keyConditionsToKeyCondition({}, schema))).toBe("Conditions can be of length 1 or 2 only");
    expect(message(keyConditionsToKeyCondition({ sk: eq({ N: "1" }) }, schema))).toBe(
      "Query condition missed key schema element: pk",
    );
    expect(message(keyConditionsToKeyCondition({ pk: eq({ S: "a" }), other: eq({ S: "b" }) }, schema))).toBe(
      "Query condition missed key schema element: sk",
    );
    expect(message(keyConditionsToKeyCondition({ pk: eq({ S: "a" }), other: eq({ S: "b" }) }, { hash: "pk" }))).toBe(
      "Query key condition not supported",
    );
    expect(
      message(keyConditionsToKeyCondition({ pk: { ComparisonOperator: "GT", AttributeValueList: [{ S: "a" }] } }, schema)),
    ).toBe("Query key condition not supported");
    expect(message(keyConditionsToKeyCondition({ pk: { ComparisonOperator: "NOT_NULL" } }, schema))).toBe(
      "Attempted conditional constraint is not an indexable operation",
    );
    expect(
      message(
        keyConditionsToKeyCondition(
          { pk: eq({ S: "a" }), sk: { ComparisonOperator: "NE", AttributeValueList: [{ N: "1" }] } },
          schema,
        ),
      ),
    ).toBe("Attempted conditional constraint is not an indexable operation");
    expect(message(keyConditionsToKeyCondition({ pk: eq({ N: "1" }) }, schema))).toBe(
      `${PREFIX}Condition parameter type does not match schema type`,
    );
  });
});

describe("attributeUpdatesToActions", () => {
  it("PUT (the default) sets, DELETE removes or takes from a set, ADD adds", () => {
    const actions = value(
      attributeUpdatesToActions({
        a: { Action: "PUT", Value: { S: "x" } },
        b: { Value: { N: "1" } },
        c: { Action: "DELETE" },
        d: { Action: "DELETE", Value: { SS: ["x"] } },
        e: { Action: "ADD", Value: { N: "1" } },
      }),
    );
    expect(actions.set.map((s) => s.path)).toEqual([[{ name: "a" }], [{ name: "b" }]]);
    expect(actions.remove).toEqual([[{ name: "c" }]]);
    expect(actions.delete).toEqual([{ path: [{ name: "d" }], value: { SS: ["x"] }, legacy: true }]);
    expect(actions.add).toEqual([{ path: [{ name: "e" }], value: { N: "1" }, legacy: true }]);
  });

  it("each of AWS's refusals", () => {
    expect(message(attributeUpdatesToActions({ a: { Action: "PUT" } }))).toBe(
      `${PREFIX}Only DELETE action is allowed when no attribute value is specified`,
    );
    expect(message(attributeUpdatesToActions({ a: { Action: "ADD" } }))).toBe(
      `${PREFIX}Only DELETE action is allowed when no attribute value is specified`,
    );
    expect(message(attributeUpdatesToActions({ a: { Action: "DELETE", Value: { S: "x" } } }))).toBe(
      `${PREFIX}DELETE action with value is not supported for the type S`,
    );
    expect(message(attributeUpdatesToActions({ a: { Action: "ADD", Value: { M: {} } } }))).toBe(
      `${PREFIX}ADD action is not supported for the type M`,
    );
    expect(value(attributeUpdatesToActions({ a: { Action: "ADD", Value: { L: [] } } })).add).toHaveLength(1);
  });

  it("the key attribute is refused when applied", () => {
    const actions = value(attributeUpdatesToActions({ leaseKey: { Action: "PUT", Value: { S: "other" } } }));
    const r = applyUpdate(undefined, { leaseKey: { S: "shardId-0" } }, actions);
    expect(message(r)).toBe(`${PREFIX}Cannot update attribute leaseKey. This attribute is part of the key`);
  });
});

describe("AttributesToGet", () => {
  it("names become top-level paths; duplicates are refused", () => {
    expect(attributesToGetToProjection(["a", "b"])).toEqual([[{ name: "a" }], [{ name: "b" }]]);
    expect(checkAttributesToGet(["a", "b"])).toBeUndefined();
    expect(checkAttributesToGet(["a", "b", "a"])?.message).toBe(`${PREFIX}Duplicate value in attribute name: a`);
  });
});

describe("checkNotMixed", () => {
  it("AWS's text, listing what was mixed", () => {
    expect(checkNotMixed({ Expected: {}, ConditionExpression: "attribute_not_exists(pk)" })?.message).toBe(
      "Can not use both expression and non-expression parameters in the same request: " +
        "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
    );
    expect(checkNotMixed({ AttributeUpdates: {}, UpdateExpression: "SET a = :v" }, "UpdateItem")?.message).toBe(
      "Can not use both expression and non-expression parameters in the same request: " +
        "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}",
    );
    expect(
      checkNotMixed(
        { QueryFilter: {}, AttributesToGet: ["a"], FilterExpression: "a = :a", KeyConditionExpression: "pk = :p" },
        "Query",
      )?.message,
    ).toBe(
      "Can not use both expression and non-expression parameters in the same request: " +
        "Non-expression parameters: {AttributesToGet, QueryFilter} Expression parameters: {FilterExpression, KeyConditionExpression}",
    );
  });

  it("one kind alone is fine; KeyConditions may come with a FilterExpression", () => {
    expect(checkNotMixed({ Expected: {}, AttributeUpdates: {} })).toBeUndefined();
    expect(checkNotMixed({ UpdateExpression: "SET a = :v", ConditionExpression: "a = :v" })).toBeUndefined();
    expect(checkNotMixed({ KeyConditions: {}, FilterExpression: "a = :a" }, "Query")).toBeUndefined();
    expect(checkNotMixed({ KeyConditions: {}, KeyConditionExpression: "pk = :p" }, "Query")?.message).toMatch(
      /Non-expression parameters: \{KeyConditions\} Expression parameters: \{KeyConditionExpression\}$/,
    );
  });
});

describe("KCL's lease writes, end to end", () => {
  const key: Item = { leaseKey: { S: "shardId-000000000000" } };
  const lease: Item = {
    ...key,
    leaseCounter: { N: "3" },
    leaseOwner: { S: "worker-1" },
    checkpoint: { S: "TRIM_HORIZON" },
    ownerSwitchesSinceCheckpoint: { N: "0" },
  };

  it("create: PutItem with Expected leaseKey Exists:false passes once", () => {
    const cond = value(expectedToCondition({ leaseKey: { Exists: false } }))!;
    expect(value(evaluateCondition(cond, undefined))).toBe(true);
    expect(value(evaluateCondition(cond, lease))).toBe(false);
  });

  it("take: Expected leaseCounter Value, leaseOwner Value; PUT owner, ADD counter and switches", () => {
    const cond = value(expectedToCondition({ leaseCounter: { Value: { N: "3" } }, leaseOwner: { Value: { S: "worker-1" } } }))!;
    expect(value(evaluateCondition(cond, lease))).toBe(true);
    const actions = value(
      attributeUpdatesToActions({
        leaseOwner: { Action: "PUT", Value: { S: "worker-2" } },
        leaseCounter: { Action: "ADD", Value: { N: "1" } },
        ownerSwitchesSinceCheckpoint: { Action: "ADD", Value: { N: "1" } },
        pendingCheckpoint: { Action: "DELETE" },
      }),
    );
    const taken = value(applyUpdate(lease, key, actions));
    expect(taken).toEqual({
      ...lease,
      leaseOwner: { S: "worker-2" },
      leaseCounter: { N: "4" },
      ownerSwitchesSinceCheckpoint: { N: "1" },
    });
    // The old owner's next renewal (leaseCounter = 3) now fails its condition.
    expect(value(evaluateCondition(cond, taken))).toBe(false);
  });

  it("take an unowned lease: Expected leaseOwner Exists:false", () => {
    const unowned: Item = { ...key, leaseCounter: { N: "0" } };
    const cond = value(expectedToCondition({ leaseCounter: { Value: { N: "0" } }, leaseOwner: { Exists: false } }))!;
    expect(value(evaluateCondition(cond, unowned))).toBe(true);
    expect(value(evaluateCondition(cond, lease))).toBe(false);
  });

  it("evict: DELETE leaseOwner without a value removes it", () => {
    const actions = value(
      attributeUpdatesToActions({ leaseOwner: { Action: "DELETE" }, leaseCounter: { Action: "ADD", Value: { N: "1" } } }),
    );
    const evicted = value(applyUpdate(lease, key, actions));
    expect(evicted.leaseOwner).toBeUndefined();
    expect(evicted.leaseCounter).toEqual({ N: "4" });
  });
});
