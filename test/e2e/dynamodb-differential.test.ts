/**
 * Differential test, tables and items: the same DynamoDB calls, with @aws-sdk/client-dynamodb, against
 * dynalite and against this service (./dynamodb-differential.ts); results (items, Count/ScannedCount,
 * LastEvaluatedKey) and errors (name and message) must be the same. Where the two differ, the case
 * pins both answers with `differs` and says which one is AWS's (ours, always, after the fixes this
 * test brought).
 */
import * as ddb from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Outcome,
  createBoth,
  differs,
  itemTables,
  same,
  shape,
  tableName,
  unordered,
  useDynalite,
} from "./dynamodb-differential";

useDynalite();

describe("DynamoDB against dynalite: tables", () => {
  it("creates hash, hash+range and GSI tables alike", async () => {
    for (const input of [
      {
        TableName: tableName("h"),
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      },
      {
        TableName: tableName("hr"),
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "N" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
      {
        TableName: tableName("gsi"),
        AttributeDefinitions: [
          { AttributeName: "id", AttributeType: "S" },
          { AttributeName: "owner", AttributeType: "S" },
        ],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
        GlobalSecondaryIndexes: [
          {
            IndexName: "by-owner",
            KeySchema: [{ AttributeName: "owner", KeyType: "HASH" }],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
      },
    ] satisfies ddb.CreateTableCommandInput[]) {
      const created = await createBoth(input);
      expect(shape(created.ours)).toEqual(shape(created.theirs));
      await same(() => new ddb.DescribeTableCommand({ TableName: input.TableName }), shape);
      // Known difference: dynalite's ResourceInUseException has no message (the SDK shows
      // "UnknownError"); AWS words it "Table already exists: <name>".
      await differs(() => new ddb.CreateTableCommand(input), {
        ours: { error: { name: "ResourceInUseException", message: `Table already exists: ${input.TableName}` } },
        dynalite: { error: { name: "ResourceInUseException", message: "UnknownError" } },
      });
    }
  });
});

describe("DynamoDB against dynalite: items", () => {
  let H = "";
  let R = "";
  beforeAll(async () => {
    ({ H, R } = await itemTables());
  });

  const get = (Key: Record<string, ddb.AttributeValue>, extra: Partial<ddb.GetItemCommandInput> = {}) =>
    same(() => new ddb.GetItemCommand({ TableName: H, Key, ...extra }));

  it("puts and gets numbers as DynamoDB normalizes them", async () => {
    const numbers = [
      "1.50",
      "-0",
      "0.000",
      "00012",
      "1e3",
      "-1.23E-5",
      "12345678901234567890123456789012345678",
      "0.1234567890123456789012345678901234567",
      "1E125",
      "-1E-130",
    ];
    await same(
      () =>
        new ddb.PutItemCommand({
          TableName: H,
          Item: {
            id: { S: "num" },
            ...Object.fromEntries(numbers.map((v, i) => [`n${i}`, { N: v }])),
            ns: { NS: ["1.0", "2", "-0.50"] },
          },
        }),
    );
    const got = await get({ id: { S: "num" } });
    expect(got).toHaveProperty("ok.Item.n0", { N: "1.5" });
  });

  it("puts and gets sets, nested maps and lists, binary, null and booleans", async () => {
    const Item = {
      id: { S: "doc" },
      ss: { SS: ["b", "a"] },
      bs: { BS: [new Uint8Array([1, 2]), new Uint8Array([3])] },
      m: { M: { inner: { L: [{ S: "x" }, { N: "2" }, { M: { deep: { BOOL: true } } }] }, nul: { NULL: true } } },
      b: { B: new Uint8Array([0, 255]) },
      empty: { S: "" },
    };
    await same(() => new ddb.PutItemCommand({ TableName: H, Item }));
    const got = await get({ id: { S: "doc" } });
    // Sets come back in an order neither AWS nor dynalite promises: compare as sets.
    expect(new Set((got as { ok: { Item: { ss: { SS: string[] } } } }).ok.Item.ss.SS)).toEqual(new Set(["a", "b"]));
    await get(
      { id: { S: "doc" } },
      { ProjectionExpression: "m.inner[2].deep, #e, m.nul", ExpressionAttributeNames: { "#e": "empty" } },
    );
    await get({ id: { S: "doc" } }, { AttributesToGet: ["b", "missing"] });
    await get({ id: { S: "none" } });
    // Both accept an empty member name inside a map (not checked against AWS here).
    await same(() => new ddb.PutItemCommand({ TableName: H, Item: { id: { S: "empty-member" }, m: { M: { "": { S: "x" } } } } }));
    await get({ id: { S: "empty-member" } });
    await get({ id: { S: "doc" } }, { ProjectionExpression: "m.inner[5], nothing" });
  });

  it("updates with expressions and returns values alike", async () => {
    const Key = { id: { S: "up" } };
    const update = (input: Partial<ddb.UpdateItemCommandInput>) =>
      same(() => new ddb.UpdateItemCommand({ TableName: H, Key, ...input }));
    await update({
      UpdateExpression: "SET a = :one, l = :list, m = :map, c = if_not_exists(c, :zero) + :one ADD s :set, counter :one",
      ExpressionAttributeValues: {
        ":one": { N: "1" },
        ":zero": { N: "0" },
        ":list": { L: [{ S: "x" }] },
        ":map": { M: {} },
        ":set": { SS: ["p"] },
      },
      ReturnValues: "ALL_NEW",
    });
    await update({
      UpdateExpression: "SET l = list_append(l, :more), m.#k = :v, a = a - :half REMOVE nothing DELETE s :set",
      ExpressionAttributeNames: { "#k": "key.with.dots" },
      ExpressionAttributeValues: { ":more": { L: [{ N: "2" }] }, ":v": { S: "v" }, ":half": { N: "0.5" }, ":set": { SS: ["p"] } },
      ReturnValues: "UPDATED_NEW",
    });
    await update({ UpdateExpression: "REMOVE l[0], m", ReturnValues: "UPDATED_OLD" });
    await update({
      UpdateExpression: "SET a = :a",
      ConditionExpression: "a = :old",
      ExpressionAttributeValues: { ":a": { N: "7" }, ":old": { N: "0.5" } },
      ReturnValues: "ALL_OLD",
    });
    // Conditional failure.
    await update({
      UpdateExpression: "SET a = :a",
      ConditionExpression: "attribute_not_exists(a)",
      ExpressionAttributeValues: { ":a": { N: "8" } },
    });
    await update({
      UpdateExpression: "SET a = :a",
      ConditionExpression: "size(l) > :n AND begins_with(id, :p)",
      ExpressionAttributeValues: { ":a": { N: "9" }, ":n": { N: "0" }, ":p": { S: "u" } },
      ReturnValues: "ALL_NEW",
    });
    await get(Key);
  });

  it("updates, puts and deletes with the legacy parameters", async () => {
    const Key = { id: { S: "legacy" } };
    await same(
      () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, c: { N: "0" } }, Expected: { id: { Exists: false } } }),
    );
    await same(
      () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, c: { N: "0" } }, Expected: { id: { Exists: false } } }),
    );
    await same(
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          Expected: { c: { Value: { N: "0" } }, owner: { Exists: false } },
          AttributeUpdates: {
            owner: { Action: "PUT", Value: { S: "w" } },
            c: { Action: "ADD", Value: { N: "1" } },
            ss: { Action: "ADD", Value: { SS: ["x", "y"] } },
          },
          ReturnValues: "ALL_NEW",
        }),
    );
    await same(
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          Expected: { c: { ComparisonOperator: "GT", AttributeValueList: [{ N: "5" }] } },
          AttributeUpdates: { owner: { Action: "DELETE" } },
        }),
    );
    await same(
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          Expected: {
            c: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "0" }, { N: "5" }] },
            owner: { ComparisonOperator: "NOT_NULL" },
          },
          ConditionalOperator: "AND",
          AttributeUpdates: { owner: { Action: "DELETE" }, ss: { Action: "DELETE", Value: { SS: ["x"] } } },
          ReturnValues: "ALL_OLD",
        }),
    );
    await same(() => new ddb.DeleteItemCommand({ TableName: H, Key, Expected: { owner: { Exists: true } } }));
    await same(
      () =>
        new ddb.DeleteItemCommand({
          TableName: H,
          Key,
          ConditionExpression: "c = :c",
          ExpressionAttributeValues: { ":c": { N: "1" } },
          ReturnValues: "ALL_OLD",
        }),
    );
    await get(Key);
    await same(() => new ddb.DeleteItemCommand({ TableName: H, Key, ReturnValues: "ALL_OLD" }));
  });

  it("queries with key conditions, filters, projections, Limit paging and both directions", async () => {
    const query = (input: Partial<ddb.QueryCommandInput>) => same(() => new ddb.QueryCommand({ TableName: R, ...input }));
    await query({ KeyConditionExpression: "pk = :a", ExpressionAttributeValues: { ":a": { S: "a" } } });
    await query({
      KeyConditionExpression: "pk = :a AND sk BETWEEN :lo AND :hi",
      ExpressionAttributeValues: { ":a": { S: "a" }, ":lo": { N: "15" }, ":hi": { N: "55" } },
      ScanIndexForward: false,
    });
    await query({
      KeyConditionExpression: "pk = :a AND sk > :lo",
      FilterExpression: "tag = :t",
      ExpressionAttributeValues: { ":a": { S: "a" }, ":lo": { N: "5" }, ":t": { S: "odd" } },
      ProjectionExpression: "sk, tag",
    });
    await query({
      KeyConditionExpression: "pk = :a",
      FilterExpression: "n >= :three",
      ExpressionAttributeValues: { ":a": { S: "a" }, ":three": { N: "3" } },
      Select: "COUNT",
    });
    await query({
      KeyConditions: {
        pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "b" }] },
        sk: { ComparisonOperator: "GE", AttributeValueList: [{ N: "90" }] },
      },
    });
    // Limit paging, with a filter (Limit counts what was read, not what matched).
    let ExclusiveStartKey: Record<string, ddb.AttributeValue> | undefined;
    for (let page = 0; page < 6; page++) {
      const r = await query({
        KeyConditionExpression: "pk = :a",
        FilterExpression: "tag = :t",
        ExpressionAttributeValues: { ":a": { S: "a" }, ":t": { S: "even" } },
        Limit: 3,
        ExclusiveStartKey,
      });
      ExclusiveStartKey = (r as { ok: { LastEvaluatedKey?: typeof ExclusiveStartKey } }).ok.LastEvaluatedKey;
      if (!ExclusiveStartKey) break;
    }
    // The index, and paging on it (its LastEvaluatedKey carries the table's key too).
    await query({
      IndexName: "by-owner",
      KeyConditionExpression: "#o = :w",
      ExpressionAttributeNames: { "#o": "owner" },
      ExpressionAttributeValues: { ":w": { S: "w0" } },
    });
    await query({
      IndexName: "by-owner",
      KeyConditionExpression: "#o = :w",
      ExpressionAttributeNames: { "#o": "owner" },
      ExpressionAttributeValues: { ":w": { S: "w1" } },
      Limit: 1,
    });
  });

  it("scans with filters, projections and Limit", async () => {
    const scan = (input: Partial<ddb.ScanCommandInput>, view?: (o: Outcome) => unknown) =>
      same(() => new ddb.ScanCommand({ TableName: R, ...input }), view);
    await scan({}, unordered);
    await scan(
      {
        FilterExpression: "n BETWEEN :a AND :b OR contains(tag, :d)",
        ExpressionAttributeValues: { ":a": { N: "2" }, ":b": { N: "4" }, ":d": { S: "dd" } },
      },
      unordered,
    );
    await scan(
      { ProjectionExpression: "pk, n", FilterExpression: "attribute_exists(#o)", ExpressionAttributeNames: { "#o": "owner" } },
      unordered,
    );
    await scan({ ScanFilter: { tag: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "odd" }] } }, Select: "COUNT" });
    // One item per page: Count and ScannedCount agree; which item comes first is the store's order.
    const counts = (o: Outcome) =>
      "ok" in o ? { Count: o.ok.Count, ScannedCount: o.ok.ScannedCount, more: !!o.ok.LastEvaluatedKey } : o;
    await scan({ Limit: 1 }, counts);
    await scan({ Limit: 5, FilterExpression: "n > :big", ExpressionAttributeValues: { ":big": { N: "100" } } }, counts);
  });
});
