/**
 * DynamoDB's control plane with @aws-sdk/client-dynamodb: CreateTable (provisioned and on-demand,
 * GSIs and LSIs) and the TableDescription AWS records, duplicates and missing tables with AWS's texts,
 * ListTables pages, DeleteTable through DELETING, UpdateTable adding a GSI that goes CREATING → ACTIVE
 * (what KCL 3 waits for), tags, Time to Live, point-in-time recovery, limits and endpoints.
 */
import * as ddb from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { awsError, credentials, endpoint, uniqueName } from "./clients";
import { sleep } from "./helpers";
import { uniqueAccount } from "./sns-clients";
import { waitActive as waitTableActive } from "./dynamodb-clients";

const account = uniqueAccount();
const client = new ddb.DynamoDBClient({
  endpoint: endpoint(),
  region: "us-east-1",
  credentials: { ...credentials, accessKeyId: account },
  maxAttempts: 1,
});
const name = (base: string) => uniqueName(base).slice(0, 200);
const leaseTable = (TableName: string): ddb.CreateTableCommandInput => ({
  TableName,
  AttributeDefinitions: [{ AttributeName: "leaseKey", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "leaseKey", KeyType: "HASH" }],
  BillingMode: "PAY_PER_REQUEST",
});

const waitActive = (TableName: string) => waitTableActive(client, TableName);

describe("DynamoDB tables", () => {
  it("are created CREATING, then ACTIVE, described as AWS records them", async () => {
    const TableName = name("crud");
    const { TableDescription } = await client.send(
      new ddb.CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      }),
    );
    expect(TableDescription).toMatchObject({
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      DeletionProtectionEnabled: false,
      ItemCount: 0,
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      TableArn: `arn:aws:dynamodb:us-east-1:${account}:table/${TableName}`,
      TableName,
      TableSizeBytes: 0,
      TableStatus: "CREATING",
    });
    expect(TableDescription!.TableId).toMatch(/^[0-9a-f-]{36}$/);
    expect(TableDescription!.CreationDateTime).toBeInstanceOf(Date);
    const table = await waitActive(TableName);
    expect(table.TableId).toBe(TableDescription!.TableId);
    expect(await awsError(() => client.send(new ddb.CreateTableCommand(leaseTable(TableName))))).toMatchObject({
      name: "ResourceInUseException",
      message: `Table already exists: ${TableName}`,
    });
    const deleted = await client.send(new ddb.DeleteTableCommand({ TableName }));
    expect(deleted.TableDescription).toMatchObject({ TableName, TableStatus: "DELETING", ItemCount: 0 });
    expect(deleted.TableDescription!.KeySchema).toBeUndefined();
    await sleep(50);
    for (const call of [
      () => client.send(new ddb.DescribeTableCommand({ TableName })),
      () => client.send(new ddb.DeleteTableCommand({ TableName })),
    ])
      expect(await awsError(call)).toMatchObject({
        name: "ResourceNotFoundException",
        message: `Requested resource not found: Table: ${TableName} not found`,
      });
  });

  it("on demand, with indexes, as the recorded PAY_PER_REQUEST table", async () => {
    const TableName = name("gsi");
    const { TableDescription } = await client.send(
      new ddb.CreateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: "TID", AttributeType: "S" },
          { AttributeName: "TRID", AttributeType: "S" },
          { AttributeName: "at", AttributeType: "N" },
        ],
        KeySchema: [
          { AttributeName: "TID", KeyType: "HASH" },
          { AttributeName: "at", KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        GlobalSecondaryIndexes: [
          {
            IndexName: "TransactionRecordID",
            KeySchema: [{ AttributeName: "TRID", KeyType: "HASH" }],
            Projection: { ProjectionType: "ALL" },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: "byRecord",
            KeySchema: [
              { AttributeName: "TID", KeyType: "HASH" },
              { AttributeName: "TRID", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
        SSESpecification: { Enabled: true },
        Tags: [{ Key: "team", Value: "blue" }],
      }),
    );
    expect(TableDescription!.BillingModeSummary).toMatchObject({ BillingMode: "PAY_PER_REQUEST" });
    expect(TableDescription!.GlobalSecondaryIndexes![0]).toMatchObject({
      IndexArn: `arn:aws:dynamodb:us-east-1:${account}:table/${TableName}/index/TransactionRecordID`,
      IndexName: "TransactionRecordID",
      IndexSizeBytes: 0,
      ItemCount: 0,
      KeySchema: [{ AttributeName: "TRID", KeyType: "HASH" }],
      Projection: { ProjectionType: "ALL" },
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    });
    expect(TableDescription!.LocalSecondaryIndexes![0]).toMatchObject({
      IndexName: "byRecord",
      Projection: { ProjectionType: "KEYS_ONLY" },
    });
    expect(TableDescription!.SSEDescription).toMatchObject({ Status: "ENABLED", SSEType: "KMS" });
    const table = await waitActive(TableName);
    expect(table.BillingModeSummary!.LastUpdateToPayPerRequestDateTime).toBeInstanceOf(Date);
    const tags = await client.send(new ddb.ListTagsOfResourceCommand({ ResourceArn: table.TableArn }));
    expect(tags.Tags).toEqual([{ Key: "team", Value: "blue" }]);
  });

  it("take a new GSI that is CREATING, then ACTIVE (KCL 3's lease-owner index)", async () => {
    const TableName = name("kcl");
    await client.send(new ddb.CreateTableCommand(leaseTable(TableName)));
    await waitActive(TableName);
    const { TableDescription } = await client.send(
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
    expect(TableDescription!.TableStatus).toBe("UPDATING");
    expect(TableDescription!.GlobalSecondaryIndexes![0]).toMatchObject({
      IndexName: "LeaseOwnerToLeaseKeyIndex",
      IndexStatus: "CREATING",
    });
    const table = await waitActive(TableName);
    expect(table.GlobalSecondaryIndexes![0]!.IndexStatus).toBe("ACTIVE");
    await client.send(
      new ddb.UpdateTableCommand({
        TableName,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: "LeaseOwnerToLeaseKeyIndex" } }],
      }),
    );
    expect((await waitActive(TableName)).GlobalSecondaryIndexes).toBeUndefined();
    await client.send(new ddb.UpdateTableCommand({ TableName, DeletionProtectionEnabled: true }));
    await waitActive(TableName);
    expect(await awsError(() => client.send(new ddb.DeleteTableCommand({ TableName })))).toMatchObject({
      name: "ValidationException",
    });
  });

  it("are listed in pages", async () => {
    const lister = new ddb.DynamoDBClient({
      endpoint: endpoint(),
      region: "eu-west-1",
      credentials: { ...credentials, accessKeyId: uniqueAccount() },
      maxAttempts: 1,
    });
    for (const t of ["alpha", "beta", "gamma"]) await lister.send(new ddb.CreateTableCommand(leaseTable(t)));
    expect(await lister.send(new ddb.ListTablesCommand({}))).toMatchObject({ TableNames: ["alpha", "beta", "gamma"] });
    const page = await lister.send(new ddb.ListTablesCommand({ Limit: 2 }));
    expect(page).toMatchObject({ TableNames: ["alpha", "beta"], LastEvaluatedTableName: "beta" });
    const rest = await lister.send(new ddb.ListTablesCommand({ ExclusiveStartTableName: "beta" }));
    expect(rest.TableNames).toEqual(["gamma"]);
    expect(rest.LastEvaluatedTableName).toBeUndefined();
  });

  it("keep tags, Time to Live and point-in-time recovery settings", async () => {
    const TableName = name("settings");
    const { TableDescription } = await client.send(new ddb.CreateTableCommand(leaseTable(TableName)));
    const ResourceArn = TableDescription!.TableArn!;
    await client.send(
      new ddb.TagResourceCommand({
        ResourceArn,
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "2" },
        ],
      }),
    );
    await client.send(new ddb.UntagResourceCommand({ ResourceArn, TagKeys: ["a"] }));
    expect((await client.send(new ddb.ListTagsOfResourceCommand({ ResourceArn }))).Tags).toEqual([{ Key: "b", Value: "2" }]);
    expect((await client.send(new ddb.DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: "DISABLED",
    });
    const ttl = await client.send(
      new ddb.UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: "expires" } }),
    );
    expect(ttl.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: "expires" });
    expect((await client.send(new ddb.DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: "ENABLED",
      AttributeName: "expires",
    });
    expect(
      await awsError(() =>
        client.send(
          new ddb.UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: "expires" } }),
        ),
      ),
    ).toMatchObject({ name: "ValidationException", message: "TimeToLive is already enabled" });
    const before = await client.send(new ddb.DescribeContinuousBackupsCommand({ TableName }));
    expect(before.ContinuousBackupsDescription).toEqual({
      ContinuousBackupsStatus: "ENABLED",
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: "DISABLED" },
    });
    const after = await client.send(
      new ddb.UpdateContinuousBackupsCommand({
        TableName,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    expect(after.ContinuousBackupsDescription!.PointInTimeRecoveryDescription).toMatchObject({
      PointInTimeRecoveryStatus: "ENABLED",
      RecoveryPeriodInDays: 35,
    });
    expect(await client.send(new ddb.DescribeLimitsCommand({}))).toMatchObject({ TableMaxReadCapacityUnits: 40000 });
    const endpoints = await client.send(new ddb.DescribeEndpointsCommand({}));
    expect(endpoints.Endpoints![0]!.Address).toBe(new URL(endpoint()).host);
  });

  it("refuse bad definitions with DynamoDB's ValidationException", async () => {
    const bad: [Partial<ddb.CreateTableCommandInput>, string | RegExp][] = [
      [
        { KeySchema: [{ AttributeName: "id", KeyType: "RANGE" }] },
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
      ],
      [
        { AttributeDefinitions: [{ AttributeName: "other", AttributeType: "S" }] },
        "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [other]",
      ],
      [
        {
          AttributeDefinitions: [
            { AttributeName: "id", AttributeType: "S" },
            { AttributeName: "extra", AttributeType: "S" },
          ],
        },
        "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
      ],
      [
        { BillingMode: "PROVISIONED" },
        "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
      ],
      [{ TableName: "ab" }, /Member must have length greater than or equal to 3/],
    ];
    for (const [change, message] of bad) {
      const input = {
        TableName: name("bad"),
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" as const }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" as const }],
        BillingMode: "PAY_PER_REQUEST" as const,
        ...change,
      };
      const error = await awsError(() => client.send(new ddb.CreateTableCommand(input as ddb.CreateTableCommandInput)));
      expect(error.name, JSON.stringify(change)).toBe("ValidationException");
      if (typeof message === "string") expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
    }
  });
});
