import { describe, expect, it } from "vitest";
import type { Condition } from "../../src/domain/dynamodb/contract";
import { filterKeyProblem } from "../../src/domain/dynamodb/filter-keys";
import { startKeyBoundsProblem, startKeyProblem } from "../../src/domain/dynamodb/start-key";
import type { IndexDefinition, TableDefinition } from "../../src/domain/dynamodb/table-definition";

const index: IndexDefinition = {
  name: "by-owner",
  key: { hash: "owner", range: "sk" },
  projection: { type: "ALL" },
  status: "ACTIVE",
};
const table = {
  name: "t",
  attributes: { pk: "S", sk: "N", owner: "S" },
  key: { hash: "pk", range: "sk" },
  globalIndexes: [index],
  localIndexes: [],
} as unknown as TableDefinition;

const path = (name: string, ...rest: string[]) => ({
  kind: "path" as const,
  path: [{ name }, ...rest.map((n) => ({ name: n }))],
});
const value = { kind: "value" as const, value: { S: "x" } };

describe("filterKeyProblem", () => {
  it("refuses a filter reading the hash or range key, the hash first, by its path head", () => {
    const both: Condition = {
      kind: "and",
      left: { kind: "compare", op: "=", left: path("sk"), right: value },
      right: { kind: "function", name: "attribute_exists", args: [path("pk", "inner")] },
    };
    expect(filterKeyProblem(both, { hash: "pk", range: "sk" }, false)).toBe(
      "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk",
    );
    const legacy: Condition = { kind: "legacy", operator: "EQ", path: [{ name: "sk" }], values: [{ N: "1" }] };
    expect(filterKeyProblem(legacy, { hash: "pk", range: "sk" }, true)).toBe(
      "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk",
    );
  });
  it("accepts filters on other attributes, size() and values included", () => {
    const c: Condition = {
      kind: "not",
      operand: { kind: "between", operand: { kind: "size", path: [{ name: "tag" }] }, low: value, high: value },
    };
    expect(filterKeyProblem(c, { hash: "pk", range: "sk" }, false)).toBeUndefined();
  });
});

describe("startKeyProblem", () => {
  const key = { pk: { S: "a" }, sk: { N: "1" } };
  it("accepts the table's key, and the table's plus the index's for an index", () => {
    expect(startKeyProblem(key, table, undefined, "Scan")).toBeUndefined();
    expect(startKeyProblem({ ...key, owner: { S: "w" } }, table, index, "Query")).toBeUndefined();
  });
  it("refuses extra, missing and mistyped attributes with AWS's texts", () => {
    expect(startKeyProblem({ nope: { S: "x" } }, table, undefined, "Scan")?.message).toBe(
      "The provided starting key is invalid: The provided key element does not match the schema",
    );
    expect(startKeyProblem({ pk: { S: "a" } }, table, undefined, "Query")?.message).toBe("The provided starting key is invalid");
    expect(startKeyProblem({ ...key, nope: { S: "w" } }, table, index, "Query")?.message).toBe(
      "The provided starting key is invalid",
    );
    expect(startKeyProblem({ pk: { S: "a" }, sk: { S: "1" } }, table, undefined, "Query")?.message).toBe(
      "The provided key element does not match the schema",
    );
    expect(startKeyProblem({ pk: { S: "a" }, sk: { S: "1" } }, table, undefined, "Scan")?.message).toBe(
      "The provided starting key is invalid: The provided key element does not match the schema",
    );
    expect(startKeyProblem({ pk: { N: "1" }, sk: { N: "1" }, owner: { S: "w" } }, table, index, "Query")?.message).toBe(
      "The provided starting key is invalid: The provided key element does not match the schema",
    );
  });
});

describe("startKeyBoundsProblem", () => {
  const hashKey = { name: "pk", value: { S: "a" } };
  it("refuses a start key of another partition, or outside the range condition", () => {
    expect(startKeyBoundsProblem({ pk: { S: "b" }, sk: { N: "1" } }, { hashKey })?.message).toBe(
      "The provided starting key is outside query boundaries based on provided conditions",
    );
    const below = { hashKey, rangeKey: { name: "sk", op: "<" as const, value: { N: "30" } } };
    expect(startKeyBoundsProblem({ pk: { S: "a" }, sk: { N: "50" } }, below)?.message).toBe(
      "The provided starting key does not match the range key predicate",
    );
    expect(startKeyBoundsProblem({ pk: { S: "b" }, sk: { N: "10" } }, below)?.message).toBe(
      "The query can return at most one row and cannot be restarted",
    );
  });
  it("accepts start keys inside the condition", () => {
    expect(
      startKeyBoundsProblem(
        { pk: { S: "a" }, sk: { N: "10" } },
        { hashKey, rangeKey: { name: "sk", op: "between", low: { N: "1.0" }, high: { N: "10" } } },
      ),
    ).toBeUndefined();
    expect(
      startKeyBoundsProblem(
        { pk: { S: "a" }, sk: { S: "abc" } },
        { hashKey, rangeKey: { name: "sk", op: "begins_with", prefix: { S: "ab" } } },
      ),
    ).toBeUndefined();
  });
});
