/**
 * The differential tests' harness: dynalite (the npm package, in memory, on a loopback port) and this
 * service, the same DynamoDB calls sent to both with @aws-sdk/client-dynamodb, their outcomes compared;
 * `differs` pins a known difference on both sides (ours is AWS's answer, the case says why).
 */
import * as ddb from "@aws-sdk/client-dynamodb";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect } from "vitest";
import { credentials, endpoint } from "./clients";
import { sleep } from "./helpers";
import { uniqueAccount } from "./sns-clients";

type Server = { listen(port: number, host: string, cb: () => void): void; close(cb: () => void): void; address(): AddressInfo };
const dynalite = createRequire(import.meta.url)("dynalite") as (options: object) => Server;

let server: Server;
export let theirs: ddb.DynamoDBClient;
export const ours = new ddb.DynamoDBClient({
  endpoint: endpoint(),
  region: "us-east-1",
  credentials: { ...credentials, accessKeyId: uniqueAccount() },
  maxAttempts: 1,
});

/** Starts dynalite for the calling test file (and stops it after). */
export function useDynalite(): void {
  beforeAll(async () => {
    // In memory (no path): nothing on disk, and no native leveldown needed.
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    theirs = new ddb.DynamoDBClient({
      endpoint: `http://127.0.0.1:${server.address().port}`,
      region: "us-east-1",
      credentials,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    theirs?.destroy();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });
}

// The SDK's commands share no base type `send` accepts for all of them.
export type AnyCommand = any;
export type Outcome = { ok: Record<string, unknown> } | { error: { name: string; message: string } };

async function outcome(client: ddb.DynamoDBClient, command: AnyCommand): Promise<Outcome> {
  try {
    const { $metadata: _m, ...rest } = (await client.send(command)) as unknown as Record<string, unknown>;
    return { ok: rest };
  } catch (e) {
    const err = e as { name: string; message: string };
    return { error: { name: err.name, message: err.message } };
  }
}

/** Sends a fresh command (from `make`) to both servers; resolves with both outcomes. */
export async function both(make: () => AnyCommand): Promise<{ ours: Outcome; theirs: Outcome }> {
  return { theirs: await outcome(theirs, make()), ours: await outcome(ours, make()) };
}

/** Both servers answer the same (after `view`, which picks what is compared). */
export async function same(make: () => AnyCommand, view: (o: Outcome) => unknown = (o) => o): Promise<Outcome> {
  const r = await both(make);
  expect(view(r.ours)).toEqual(view(r.theirs));
  return r.ours;
}

/** Both servers fail with the same error name and message. */
export async function sameError(make: () => AnyCommand): Promise<void> {
  const r = await both(make);
  expect(r.theirs).toHaveProperty("error");
  expect(r.ours).toEqual(r.theirs);
}

/**
 * A known difference: each server gives its own answer, both pinned. `ours` is AWS's (the reason says
 * where that comes from); `dynalite` is what dynalite 4.0.0 answers instead.
 */
export async function differs(make: () => AnyCommand, expected: { ours: Outcome; dynalite: Outcome }): Promise<void> {
  const r = await both(make);
  expect(r.ours).toEqual(expected.ours);
  expect(r.theirs).toEqual(expected.dynalite);
}

export const validationError = (message: string): Outcome => ({ error: { name: "ValidationException", message } });

/** Scan order is the store's hash order, which the two do not share: compare items as a sorted set. */
export const unordered = (o: Outcome) => {
  if (!("ok" in o)) return o;
  const { Items, ...rest } = o.ok as { Items?: unknown[] };
  return { ...rest, Items: Items?.map((i) => JSON.stringify(i, Object.keys(i as object).sort())).sort() };
};

let n = 0;
export const tableName = (base: string) => `diff-${base}-${Date.now().toString(36)}-${n++}`;

export async function createBoth(input: ddb.CreateTableCommandInput) {
  const r = await both(() => new ddb.CreateTableCommand(input));
  expect(r.ours).toHaveProperty("ok");
  expect(r.theirs).toHaveProperty("ok");
  for (const client of [ours, theirs]) {
    for (let i = 0; ; i++) {
      const { Table } = await client.send(new ddb.DescribeTableCommand({ TableName: input.TableName }));
      if (Table!.TableStatus === "ACTIVE" && (Table!.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === "ACTIVE"))
        break;
      if (i > 100) throw new Error("not ACTIVE");
      await sleep(50);
    }
  }
  return r;
}

/** What CreateTable/DescribeTable say about the table's shape (dates, ARNs and sizes left out). */
export const shape = (o: Outcome) => {
  if (!("ok" in o)) return o;
  const t = (o.ok.TableDescription ?? o.ok.Table) as ddb.TableDescription;
  return {
    TableName: t.TableName,
    KeySchema: t.KeySchema,
    AttributeDefinitions: [...(t.AttributeDefinitions ?? [])].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!)),
    BillingMode: t.BillingModeSummary?.BillingMode,
    Indexes: t.GlobalSecondaryIndexes?.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection })),
  };
};

/** A hash-key table H and a hash+range table R with a GSI (by-owner), R seeded with 12 items, on both. */
export async function itemTables(): Promise<{ H: string; R: string }> {
  const H = tableName("items");
  const R = tableName("range");
  await createBoth({
    TableName: H,
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
  await createBoth({
    TableName: R,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "N" },
      { AttributeName: "owner", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
    GlobalSecondaryIndexes: [
      {
        IndexName: "by-owner",
        KeySchema: [
          { AttributeName: "owner", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  });
  for (let i = 0; i < 12; i++) {
    const item: Record<string, ddb.AttributeValue> = {
      pk: { S: i < 8 ? "a" : "b" },
      sk: { N: String(i * 10) },
      n: { N: String(i) },
      tag: { S: i % 2 ? "odd" : "even" },
    };
    if (i % 3 === 0) item.owner = { S: `w${i % 2}` };
    await same(() => new ddb.PutItemCommand({ TableName: R, Item: item }));
  }
  return { H, R };
}
