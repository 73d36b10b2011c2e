/**
 * DynamoDB transactions with @aws-sdk/client-dynamodb: TransactWriteItems over two tables, all or
 * nothing, its cancellation reasons (as recorded: test_transaction_write_canceled), the refusal of two
 * actions on one item, ClientRequestToken idempotency, a write to an item held by nobody, and
 * TransactGetItems.
 */
import * as ddb from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { awsError, credentials, endpoint, uniqueName } from "./clients";
import { sleep } from "./helpers";
import { uniqueAccount } from "./sns-clients";

const client = new ddb.DynamoDBClient({
  endpoint: endpoint(),
  region: "us-east-1",
  credentials: { ...credentials, accessKeyId: uniqueAccount() },
  maxAttempts: 1,
});

async function createTable(TableName: string, range?: string) {
  await client.send(
    new ddb.CreateTableCommand({
      TableName,
      AttributeDefinitions: [
        { AttributeName: "id", AttributeType: "S" },
        ...(range ? [{ AttributeName: range, AttributeType: "N" as const }] : []),
      ],
      KeySchema: [
        { AttributeName: "id", KeyType: "HASH" },
        ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : []),
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  for (let i = 0; i < 50; i++) {
    const { Table } = await client.send(new ddb.DescribeTableCommand({ TableName }));
    if (Table!.TableStatus === "ACTIVE") return;
    await sleep(50);
  }
  throw new Error("not ACTIVE");
}

const get = async (TableName: string, Key: Record<string, ddb.AttributeValue>) =>
  (await client.send(new ddb.GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;

async function canceled(input: ddb.TransactWriteItemsCommandInput) {
  try {
    await client.send(new ddb.TransactWriteItemsCommand(input));
  } catch (e) {
    return e as ddb.TransactionCanceledException;
  }
  throw new Error("expected TransactionCanceledException");
}

describe("DynamoDB transactions", () => {
  const users = uniqueName("tx-users");
  const orders = uniqueName("tx-orders");
  beforeAll(() => Promise.all([createTable(users), createTable(orders, "n")]));

  it("writes over two tables in one TransactWriteItems", async () => {
    await client.send(new ddb.PutItemCommand({ TableName: users, Item: { id: { S: "u1" }, balance: { N: "10" } } }));
    await client.send(new ddb.PutItemCommand({ TableName: users, Item: { id: { S: "gone" } } }));
    await client.send(new ddb.PutItemCommand({ TableName: users, Item: { id: { S: "u0" }, balance: { N: "0" } } }));
    const out = await client.send(
      new ddb.TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: users,
              Key: { id: { S: "u1" } },
              UpdateExpression: "SET balance = balance - :p",
              ConditionExpression: "balance >= :p",
              ExpressionAttributeValues: { ":p": { N: "4" } },
            },
          },
          {
            Put: {
              TableName: orders,
              Item: { id: { S: "u1" }, n: { N: "1" }, price: { N: "4" } },
              ConditionExpression: "attribute_not_exists(id)",
            },
          },
          { Delete: { TableName: users, Key: { id: { S: "gone" } } } },
          { ConditionCheck: { TableName: users, Key: { id: { S: "u0" } }, ConditionExpression: "attribute_exists(balance)" } },
        ],
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    expect(out.ConsumedCapacity?.map((c) => c.TableName).sort()).toEqual([orders, users].sort());
    expect(await get(users, { id: { S: "u1" } })).toEqual({ id: { S: "u1" }, balance: { N: "6" } });
    expect(await get(orders, { id: { S: "u1" }, n: { N: "1" } })).toEqual({ id: { S: "u1" }, n: { N: "1" }, price: { N: "4" } });
    expect(await get(users, { id: { S: "gone" } })).toBeUndefined();
  });

  it("cancels everything when one condition fails, with one reason per action", async () => {
    await client.send(new ddb.PutItemCommand({ TableName: users, Item: { id: { S: "u2" }, balance: { N: "1" } } }));
    const e = await canceled({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: users,
            Key: { id: { S: "u2" } },
            ConditionExpression: "balance > :min",
            ExpressionAttributeValues: { ":min": { N: "5" } },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        { Put: { TableName: orders, Item: { id: { S: "u2" }, n: { N: "1" } } } },
      ],
    });
    expect(e.name).toBe("TransactionCanceledException");
    expect(e.message).toBe(
      "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
    );
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.CancellationReasons).toEqual([
      {
        Code: "ConditionalCheckFailed",
        Message: "The conditional request failed",
        Item: { id: { S: "u2" }, balance: { N: "1" } },
      },
      { Code: "None" },
    ]);
    expect(await get(orders, { id: { S: "u2" }, n: { N: "1" } })).toBeUndefined();
  });

  it("writes nothing on one table when a later action's condition fails", async () => {
    const e = await canceled({
      TransactItems: [
        { Put: { TableName: users, Item: { id: { S: "u3" } } } },
        {
          Update: {
            TableName: users,
            Key: { id: { S: "u4" } },
            UpdateExpression: "SET a = :a",
            ConditionExpression: "attribute_exists(id)",
            ExpressionAttributeValues: { ":a": { S: "x" } },
          },
        },
      ],
    });
    expect(e.CancellationReasons).toEqual([
      { Code: "None" },
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
    ]);
    expect(await get(users, { id: { S: "u3" } })).toBeUndefined();
    expect(await get(users, { id: { S: "u4" } })).toBeUndefined();
  });

  it("refuses two actions on one item and bad requests before writing anything", async () => {
    const dup = await awsError(() =>
      client.send(
        new ddb.TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: users, Item: { id: { S: "d1" }, v: { N: "1" } } } },
            { ConditionCheck: { TableName: users, Key: { id: { S: "d1" } }, ConditionExpression: "attribute_not_exists(id)" } },
          ],
        }),
      ),
    );
    expect(dup).toMatchObject({
      name: "ValidationException",
      message: "Transaction request cannot include multiple operations on one item",
    });
    expect(await get(users, { id: { S: "d1" } })).toBeUndefined();
    const missing = await awsError(() =>
      client.send(
        new ddb.TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: uniqueName("nope"), Item: { id: { S: "x" } } } }],
        }),
      ),
    );
    expect(missing).toMatchObject({ name: "ResourceNotFoundException" });
    const badKey = await awsError(() =>
      client.send(
        new ddb.TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName: orders, Key: { id: { S: "x" } } } }] }),
      ),
    );
    expect(badKey).toMatchObject({ name: "ValidationException", message: "The provided key element does not match the schema" });
    const empty = await awsError(() => client.send(new ddb.TransactWriteItemsCommand({ TransactItems: [] })));
    expect(empty.name).toBe("ValidationException");
  });

  it("applies a ClientRequestToken's transaction once, and refuses the token with another request", async () => {
    await client.send(new ddb.PutItemCommand({ TableName: users, Item: { id: { S: "counter" }, n: { N: "0" } } }));
    const request = (by: string): ddb.TransactWriteItemsCommandInput => ({
      ClientRequestToken: "token-1",
      TransactItems: [
        {
          Update: {
            TableName: users,
            Key: { id: { S: "counter" } },
            UpdateExpression: "ADD n :by",
            ExpressionAttributeValues: { ":by": { N: by } },
          },
        },
      ],
    });
    await client.send(new ddb.TransactWriteItemsCommand(request("1")));
    await client.send(new ddb.TransactWriteItemsCommand(request("1")));
    expect(await get(users, { id: { S: "counter" } })).toEqual({ id: { S: "counter" }, n: { N: "1" } });
    expect(await awsError(() => client.send(new ddb.TransactWriteItemsCommand(request("2"))))).toMatchObject({
      name: "IdempotentParameterMismatchException",
      status: 400,
    });
    expect(await get(users, { id: { S: "counter" } })).toEqual({ id: { S: "counter" }, n: { N: "1" } });
  });

  it("reads items from two tables with TransactGetItems", async () => {
    await client.send(
      new ddb.PutItemCommand({ TableName: users, Item: { id: { S: "g1" }, name: { S: "John" }, age: { N: "30" } } }),
    );
    await client.send(new ddb.PutItemCommand({ TableName: orders, Item: { id: { S: "g1" }, n: { N: "7" } } }));
    const out = await client.send(
      new ddb.TransactGetItemsCommand({
        TransactItems: [
          {
            Get: {
              TableName: users,
              Key: { id: { S: "g1" } },
              ProjectionExpression: "#n",
              ExpressionAttributeNames: { "#n": "name" },
            },
          },
          { Get: { TableName: users, Key: { id: { S: "nobody" } } } },
          { Get: { TableName: orders, Key: { id: { S: "g1" }, n: { N: "7" } } } },
        ],
      }),
    );
    expect(out.Responses).toEqual([{ Item: { name: { S: "John" } } }, {}, { Item: { id: { S: "g1" }, n: { N: "7" } } }]);
    const dup = await awsError(() =>
      client.send(
        new ddb.TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName: users, Key: { id: { S: "g1" } } } },
            { Get: { TableName: users, Key: { id: { S: "g1" } } } },
          ],
        }),
      ),
    );
    expect(dup).toMatchObject({
      name: "ValidationException",
      message: "Transaction request cannot include multiple operations on one item",
    });
  });
});
