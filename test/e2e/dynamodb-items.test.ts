/**
 * DynamoDB items with @aws-sdk/client-dynamodb and @aws-sdk/lib-dynamodb: KCL's lease handling in the
 * legacy parameters (Expected + AttributeUpdates), lifion-kinesis's nested expressions, KCL 3's
 * lease-owner index queried after UpdateTable, Query and Scan paging, conditional failures, and
 * DynamoDB's ValidationExceptions for bad input.
 */
import * as ddb from "@aws-sdk/client-dynamodb";
import * as lib from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { awsError, uniqueName } from "./clients";
import { dynamoClient, waitActive } from "./dynamodb-clients";
import { sleep } from "./helpers";
import { uniqueAccount } from "./sns-clients";

const client = dynamoClient({ accessKeyId: uniqueAccount() });
const doc = lib.DynamoDBDocumentClient.from(client);

async function createTable(input: ddb.CreateTableCommandInput) {
  await client.send(new ddb.CreateTableCommand(input));
  await waitActive(client, input.TableName!);
}

describe("DynamoDB items: KCL's lease table", () => {
  const TableName = uniqueName("leases");
  beforeAll(() =>
    createTable({
      TableName,
      AttributeDefinitions: [{ AttributeName: "leaseKey", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "leaseKey", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );

  it("creates, takes, renews, checkpoints and evicts leases with Expected and AttributeUpdates", async () => {
    const lease = {
      leaseKey: { S: "shardId-000000000000" },
      leaseCounter: { N: "0" },
      checkpoint: { S: "TRIM_HORIZON" },
      ownerSwitchesSinceCheckpoint: { N: "0" },
      parentShardId: { SS: ["shardId-parent"] },
    };
    await client.send(new ddb.PutItemCommand({ TableName, Item: lease, Expected: { leaseKey: { Exists: false } } }));
    expect(
      await awsError(() =>
        client.send(new ddb.PutItemCommand({ TableName, Item: lease, Expected: { leaseKey: { Exists: false } } })),
      ),
    ).toMatchObject({ name: "ConditionalCheckFailedException", message: "The conditional request failed" });
    // Take: the counter must be what we read, the owner absent.
    const taken = await client.send(
      new ddb.UpdateItemCommand({
        TableName,
        Key: { leaseKey: lease.leaseKey },
        Expected: { leaseCounter: { Value: { N: "0" } }, leaseOwner: { Exists: false } },
        AttributeUpdates: {
          leaseOwner: { Action: "PUT", Value: { S: "worker-1" } },
          leaseCounter: { Action: "PUT", Value: { N: "1" } },
          ownerSwitchesSinceCheckpoint: { Action: "ADD", Value: { N: "1" } },
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    expect(taken.Attributes).toMatchObject({
      leaseOwner: { S: "worker-1" },
      leaseCounter: { N: "1" },
      ownerSwitchesSinceCheckpoint: { N: "1" },
    });
    // A stale counter (another worker renewed meanwhile) fails.
    expect(
      await awsError(() =>
        client.send(
          new ddb.UpdateItemCommand({
            TableName,
            Key: { leaseKey: lease.leaseKey },
            Expected: { leaseCounter: { Value: { N: "0" } } },
            AttributeUpdates: { leaseCounter: { Action: "PUT", Value: { N: "2" } } },
          }),
        ),
      ),
    ).toMatchObject({ name: "ConditionalCheckFailedException" });
    // Checkpoint, then evict (leaseOwner DELETE).
    await client.send(
      new ddb.UpdateItemCommand({
        TableName,
        Key: { leaseKey: lease.leaseKey },
        Expected: { leaseCounter: { Value: { N: "1" } }, leaseOwner: { Value: { S: "worker-1" } } },
        AttributeUpdates: {
          checkpoint: { Action: "PUT", Value: { S: "49590338271490256608559692538361571095921575989136588898" } },
          ownerSwitchesSinceCheckpoint: { Action: "PUT", Value: { N: "0" } },
          leaseOwner: { Action: "DELETE" },
        },
      }),
    );
    const { Item } = await client.send(
      new ddb.GetItemCommand({ TableName, Key: { leaseKey: lease.leaseKey }, ConsistentRead: true }),
    );
    expect(Item!.leaseOwner).toBeUndefined();
    expect(Item!.checkpoint).toEqual({ S: "49590338271490256608559692538361571095921575989136588898" });
    expect(Item!.parentShardId).toEqual({ SS: ["shardId-parent"] });
    const scan = await client.send(new ddb.ScanCommand({ TableName, Limit: 10 }));
    expect(scan).toMatchObject({ Count: 1, ScannedCount: 1 });
    await client.send(
      new ddb.DeleteItemCommand({
        TableName,
        Key: { leaseKey: lease.leaseKey },
        Expected: { checkpoint: { Exists: true, Value: Item!.checkpoint } },
      }),
    );
    expect((await client.send(new ddb.GetItemCommand({ TableName, Key: { leaseKey: lease.leaseKey } }))).Item).toBeUndefined();
  });

  it("queries the lease-owner index KCL 3 adds with UpdateTable", async () => {
    for (let i = 0; i < 6; i++)
      await client.send(
        new ddb.PutItemCommand({
          TableName,
          Item: { leaseKey: { S: `shard-${i}` }, leaseOwner: { S: `worker-${i % 2}` }, leaseCounter: { N: String(i) } },
        }),
      );
    await client.send(
      new ddb.UpdateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: "leaseKey", AttributeType: "S" },
          { AttributeName: "leaseOwner", AttributeType: "S" },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: "LeaseOwnerToLeaseKeyIndex",
              KeySchema: [
                { AttributeName: "leaseOwner", KeyType: "HASH" },
                { AttributeName: "leaseKey", KeyType: "RANGE" },
              ],
              Projection: { ProjectionType: "KEYS_ONLY" },
            },
          },
        ],
      }),
    );
    await sleep(20);
    const page1 = await client.send(
      new ddb.QueryCommand({
        TableName,
        IndexName: "LeaseOwnerToLeaseKeyIndex",
        KeyConditionExpression: "leaseOwner = :leaseOwner",
        ExpressionAttributeValues: { ":leaseOwner": { S: "worker-1" } },
        Limit: 2,
      }),
    );
    expect(page1.Items!.map((i) => i.leaseKey!.S)).toEqual(["shard-1", "shard-3"]);
    expect(page1.LastEvaluatedKey).toEqual({ leaseKey: { S: "shard-3" }, leaseOwner: { S: "worker-1" } });
    const page2 = await client.send(
      new ddb.QueryCommand({
        TableName,
        IndexName: "LeaseOwnerToLeaseKeyIndex",
        KeyConditionExpression: "leaseOwner = :leaseOwner",
        ExpressionAttributeValues: { ":leaseOwner": { S: "worker-1" } },
        ExclusiveStartKey: page1.LastEvaluatedKey,
      }),
    );
    expect(page2.Items!.map((i) => i.leaseKey!.S)).toEqual(["shard-5"]);
    expect(page2.LastEvaluatedKey).toBeUndefined();
    // Parallel scan: every item exactly once over the segments.
    const seen: string[] = [];
    for (let segment = 0; segment < 3; segment++) {
      const part = await client.send(
        new ddb.ScanCommand({
          TableName,
          Segment: segment,
          TotalSegments: 3,
          FilterExpression: "begins_with(leaseKey, :p)",
          ExpressionAttributeValues: { ":p": { S: "shard-" } },
        }),
      );
      seen.push(...part.Items!.map((i) => i.leaseKey!.S!));
    }
    expect(seen.sort()).toEqual(["shard-0", "shard-1", "shard-2", "shard-3", "shard-4", "shard-5"]);
  });
});

describe("DynamoDB items: expressions", () => {
  const TableName = uniqueName("state");
  beforeAll(() =>
    createTable({
      TableName,
      AttributeDefinitions: [
        { AttributeName: "consumerGroup", AttributeType: "S" },
        { AttributeName: "streamName", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "consumerGroup", KeyType: "HASH" },
        { AttributeName: "streamName", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
      SSESpecification: { Enabled: true },
    }),
  );
  const Key = { consumerGroup: "group", streamName: "stream" };

  it("runs lifion-kinesis's nested updates through the DocumentClient", async () => {
    await doc.send(
      new lib.PutCommand({
        TableName,
        Item: { ...Key, consumers: {}, enhancedConsumers: {}, shards: {}, streamCreatedOn: "2026-12-02", version: "v1" },
        ConditionExpression: "attribute_not_exists(streamName)",
      }),
    );
    expect(
      await awsError(() =>
        doc.send(new lib.PutCommand({ TableName, Item: Key, ConditionExpression: "attribute_not_exists(streamName)" })),
      ),
    ).toMatchObject({ name: "ConditionalCheckFailedException" });
    await doc.send(
      new lib.UpdateCommand({
        TableName,
        Key,
        UpdateExpression: "SET #a.#b = :x",
        ConditionExpression: "attribute_not_exists(#a.#b)",
        ExpressionAttributeNames: { "#a": "consumers", "#b": "c1" },
        ExpressionAttributeValues: {
          ":x": { appName: "app", pid: 42, isActive: true, isStandalone: false, shards: {}, lease: null },
        },
      }),
    );
    // Five levels: consumers.c1.shards.<shard>.<field>
    await doc.send(
      new lib.UpdateCommand({
        TableName,
        Key,
        UpdateExpression: "SET #a0.#a1.#a2.#b = :x",
        ConditionExpression: "attribute_not_exists(#a0.#a1.#a2.#b)",
        ExpressionAttributeNames: { "#a0": "consumers", "#a1": "c1", "#a2": "shards", "#b": "shard-0" },
        ExpressionAttributeValues: { ":x": { checkpoint: null, depleted: false, leaseOwner: null, version: "0" } },
      }),
    );
    await doc.send(
      new lib.UpdateCommand({
        TableName,
        Key,
        UpdateExpression: "SET #a0.#a1.#a2.#b.#c = :w, #a0.#a1.#a2.#b.#e = :y",
        ConditionExpression: "#a0.#a1.#a2.#b.#e = :z AND #a0.#a1.#a2.#b.#c = :v",
        ExpressionAttributeNames: {
          "#a0": "consumers",
          "#a1": "c1",
          "#a2": "shards",
          "#b": "shard-0",
          "#c": "leaseOwner",
          "#e": "version",
        },
        ExpressionAttributeValues: { ":w": "c1", ":y": "1", ":z": "0", ":v": null },
      }),
    );
    const { Item } = await doc.send(new lib.GetCommand({ TableName, Key, ConsistentRead: true }));
    expect(Item!.consumers.c1.shards["shard-0"]).toEqual({ checkpoint: null, depleted: false, leaseOwner: "c1", version: "1" });
    expect(Item!.consumers.c1.pid).toBe(42);
    // SET under a parent that does not exist is refused (lifion relies on it).
    expect(
      await awsError(() =>
        doc.send(
          new lib.UpdateCommand({
            TableName,
            Key,
            UpdateExpression: "SET #a.#b.#c = :x",
            ExpressionAttributeNames: { "#a": "consumers", "#b": "missing", "#c": "isActive" },
            ExpressionAttributeValues: { ":x": true },
          }),
        ),
      ),
    ).toMatchObject({
      name: "ValidationException",
      message: "The document path provided in the update expression is invalid for update",
    });
    await doc.send(
      new lib.UpdateCommand({
        TableName,
        Key,
        UpdateExpression: "REMOVE #a.#0 SET #b = :x",
        ConditionExpression: "#b = :y",
        ExpressionAttributeNames: { "#a": "consumers", "#0": "c1", "#b": "version" },
        ExpressionAttributeValues: { ":x": "v2", ":y": "v1" },
      }),
    );
    const after = await doc.send(new lib.GetCommand({ TableName, Key, ProjectionExpression: "version, consumers" }));
    expect(after.Item).toEqual({ version: "v2", consumers: {} });
  });

  it("queries a partition in sort order, both ways, with a filter and COUNT", async () => {
    for (let i = 0; i < 12; i++)
      await doc.send(
        new lib.PutCommand({ TableName, Item: { consumerGroup: "q", streamName: `s${String(i).padStart(2, "0")}`, n: i } }),
      );
    const forward = await doc.send(
      new lib.QueryCommand({
        TableName,
        KeyConditionExpression: "consumerGroup = :g AND streamName BETWEEN :a AND :b",
        ExpressionAttributeValues: { ":g": "q", ":a": "s03", ":b": "s07" },
      }),
    );
    expect(forward.Items!.map((i) => i.n)).toEqual([3, 4, 5, 6, 7]);
    const backward = await doc.send(
      new lib.QueryCommand({
        TableName,
        KeyConditionExpression: "consumerGroup = :g",
        FilterExpression: "n > :min",
        ExpressionAttributeValues: { ":g": "q", ":min": 8 },
        ScanIndexForward: false,
      }),
    );
    expect(backward.Items!.map((i) => i.n)).toEqual([11, 10, 9]);
    expect(backward).toMatchObject({ Count: 3, ScannedCount: 12 });
    const counted = await client.send(
      new ddb.QueryCommand({
        TableName,
        KeyConditionExpression: "consumerGroup = :g AND begins_with(streamName, :p)",
        ExpressionAttributeValues: { ":g": { S: "q" }, ":p": { S: "s1" } },
        Select: "COUNT",
      }),
    );
    expect(counted).toMatchObject({ Count: 2 });
    expect(counted.Items).toBeUndefined();
    const legacy = await client.send(
      new ddb.QueryCommand({
        TableName,
        KeyConditions: {
          consumerGroup: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "q" }] },
          streamName: { ComparisonOperator: "GE", AttributeValueList: [{ S: "s10" }] },
        },
      }),
    );
    expect(legacy.Items!.map((i) => i.streamName!.S)).toEqual(["s10", "s11"]);
  });

  it("batches writes and reads", async () => {
    await client.send(
      new ddb.BatchWriteItemCommand({
        RequestItems: {
          [TableName]: Array.from({ length: 5 }, (_, i) => ({
            PutRequest: { Item: { consumerGroup: { S: "b" }, streamName: { S: `k${i}` }, v: { N: String(i) } } },
          })),
        },
      }),
    );
    const got = await client.send(
      new ddb.BatchGetItemCommand({
        RequestItems: {
          [TableName]: { Keys: [0, 2, 9].map((i) => ({ consumerGroup: { S: "b" }, streamName: { S: `k${i}` } })) },
        },
      }),
    );
    expect(got.Responses![TableName]!.map((i) => i.v!.N).sort()).toEqual(["0", "2"]);
    expect(got.UnprocessedKeys).toEqual({});
  });

  it("answers bad input with DynamoDB's ValidationException", async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [
        () => client.send(new ddb.GetItemCommand({ TableName, Key: { consumerGroup: { S: "x" } } })),
        "The provided key element does not match the schema",
      ],
      [
        () =>
          client.send(
            new ddb.PutItemCommand({
              TableName,
              Item: { consumerGroup: { S: "x" }, streamName: { S: "y" }, bad: { N: "1e400" } },
            }),
          ),
        "Number overflow. Attempting to store a number with magnitude larger than supported range",
      ],
      [
        () =>
          client.send(
            new ddb.PutItemCommand({ TableName, Item: { consumerGroup: { S: "x" }, streamName: { S: "y" }, s: { SS: [] } } }),
          ),
        "One or more parameter values were invalid: An string set  may not be empty",
      ],
      [
        () =>
          client.send(
            new ddb.UpdateItemCommand({
              TableName,
              Key: { consumerGroup: { S: "x" }, streamName: { S: "y" } },
              UpdateExpression: "SET a = :v",
            }),
          ),
        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v",
      ],
      [
        () =>
          client.send(
            new ddb.PutItemCommand({
              TableName,
              Item: { consumerGroup: { S: "x" }, streamName: { S: "y" } },
              ExpressionAttributeValues: { ":u": { S: "1" } },
              ConditionExpression: "attribute_exists(a)",
            }),
          ),
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}",
      ],
      [
        () =>
          client.send(
            new ddb.PutItemCommand({
              TableName,
              Item: { consumerGroup: { S: "x" }, streamName: { S: "y" } },
              ConditionExpression: "a = = b",
            }),
          ),
        'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"',
      ],
    ];
    for (const [call, message] of cases) expect(await awsError(call)).toMatchObject({ name: "ValidationException", message });
    expect(
      await awsError(() => client.send(new ddb.GetItemCommand({ TableName: "missing-table", Key: { a: { S: "x" } } }))),
    ).toMatchObject({
      name: "ResourceNotFoundException",
    });
  });
});

describe("DynamoDB items: ReturnValuesOnConditionCheckFailure", () => {
  it("returns the item as it was with the refusal (KCL 3 tells why a lease write failed)", async () => {
    const TableName = uniqueName("rvcf");
    await createTable({
      TableName,
      AttributeDefinitions: [{ AttributeName: "leaseKey", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "leaseKey", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    await client.send(new ddb.PutItemCommand({ TableName, Item: { leaseKey: { S: "s" }, leaseOwner: { S: "w2" } } }));
    try {
      await client.send(
        new ddb.UpdateItemCommand({
          TableName,
          Key: { leaseKey: { S: "s" } },
          UpdateExpression: "SET leaseOwner = :me",
          ConditionExpression: "leaseOwner = :old",
          ExpressionAttributeValues: { ":me": { S: "w1" }, ":old": { S: "w0" } },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      throw new Error("expected a refusal");
    } catch (e) {
      expect(e).toBeInstanceOf(ddb.ConditionalCheckFailedException);
      expect((e as ddb.ConditionalCheckFailedException).Item).toEqual({ leaseKey: { S: "s" }, leaseOwner: { S: "w2" } });
    }
  });
});
