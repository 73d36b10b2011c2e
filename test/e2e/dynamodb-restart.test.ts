/**
 * DynamoDB state survives a SIGKILL of the local server: tables, items (with their secondary-index
 * entries) and settings are there after the restart; and Time to Live deletes expired items from the
 * table's alarm, before and after the restart. This file runs its own server and always stops it.
 */
import * as ddb from "@aws-sdk/client-dynamodb";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { credentials } from "./clients";
import { sleep } from "./helpers";
import { START_TIMEOUT_MS, startServer, stopServers, killServer } from "./local-server";

const clientFor = (endpoint: string) => new ddb.DynamoDBClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });

async function eventually(fn: () => Promise<boolean>, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await sleep(100);
  }
}

describe("DynamoDB after a SIGKILL", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "dynamodb-restart-"));
  afterAll(async () => {
    await stopServers();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(`${stateDir}-build`, { recursive: true, force: true });
  }, 60_000);

  it(
    "keeps tables, items, index entries and settings, and expires items by Time to Live",
    async () => {
      let server = await startServer(stateDir);
      let client = clientFor(server.endpoint);
      const TableName = "orders";
      await client.send(
        new ddb.CreateTableCommand({
          TableName,
          AttributeDefinitions: [
            { AttributeName: "pk", AttributeType: "S" },
            { AttributeName: "sk", AttributeType: "N" },
            { AttributeName: "owner", AttributeType: "S" },
          ],
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: "byOwner",
              KeySchema: [{ AttributeName: "owner", KeyType: "HASH" }],
              Projection: { ProjectionType: "ALL" },
            },
          ],
          BillingMode: "PAY_PER_REQUEST",
          Tags: [{ Key: "kept", Value: "yes" }],
        }),
      );
      await sleep(50);
      await client.send(
        new ddb.UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: "expiresAt" } }),
      );
      const now = Math.floor(Date.now() / 1000);
      for (let i = 0; i < 20; i++)
        await client.send(
          new ddb.PutItemCommand({
            TableName,
            Item: {
              pk: { S: "p" },
              sk: { N: String(i) },
              owner: { S: i % 2 ? "odd" : "even" },
              expiresAt: { N: String(now + 3600) },
            },
          }),
        );
      // Expires while the server is down (a few seconds from now).
      await client.send(
        new ddb.PutItemCommand({ TableName, Item: { pk: { S: "p" }, sk: { N: "100" }, expiresAt: { N: String(now + 3) } } }),
      );
      // Already expired: the alarm deletes it.
      await client.send(
        new ddb.PutItemCommand({ TableName, Item: { pk: { S: "p" }, sk: { N: "101" }, expiresAt: { N: String(now - 10) } } }),
      );
      await eventually(
        async () => !(await client.send(new ddb.GetItemCommand({ TableName, Key: { pk: { S: "p" }, sk: { N: "101" } } }))).Item,
        5_000,
      );
      await killServer(server);

      server = await startServer(stateDir);
      client = clientFor(server.endpoint);
      const { Table } = await client.send(new ddb.DescribeTableCommand({ TableName }));
      expect(Table).toMatchObject({ TableStatus: "ACTIVE" });
      const tags = await client.send(new ddb.ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn }));
      expect(tags.Tags).toEqual([{ Key: "kept", Value: "yes" }]);
      const odd = await client.send(
        new ddb.QueryCommand({
          TableName,
          IndexName: "byOwner",
          KeyConditionExpression: "#o = :o",
          ExpressionAttributeNames: { "#o": "owner" },
          ExpressionAttributeValues: { ":o": { S: "odd" } },
        }),
      );
      expect(odd.Count).toBe(10);
      const all = await client.send(
        new ddb.QueryCommand({
          TableName,
          KeyConditionExpression: "pk = :p AND sk < :max",
          ExpressionAttributeValues: { ":p": { S: "p" }, ":max": { N: "100" } },
        }),
      );
      expect(all.Items!.map((i) => Number(i.sk!.N))).toEqual(Array.from({ length: 20 }, (_, i) => i));
      await eventually(
        async () => !(await client.send(new ddb.GetItemCommand({ TableName, Key: { pk: { S: "p" }, sk: { N: "100" } } }))).Item,
        10_000,
      );
      expect((await client.send(new ddb.DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription).toEqual({
        TimeToLiveStatus: "ENABLED",
        AttributeName: "expiresAt",
      });
    },
    START_TIMEOUT_MS * 2 + 60_000,
  );
});
