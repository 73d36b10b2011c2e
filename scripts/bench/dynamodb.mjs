// DynamoDB workloads, run the same way against this service and dynalite: PutItem, GetItem and
// conditional UpdateItem on distinct keys, and Query reading whole partitions of 100 items, each with
// `workers` clients at once. Items are about 200 bytes; rates are calls per second.
import { loadClient } from "./http.mjs";
import { parallel, timed } from "./kinesis.mjs";

/** DynamoDB over AWS JSON 1.0, as @aws-sdk/client-dynamodb sends it. */
export function dynamodbClient(endpoint) {
  return loadClient(endpoint, {
    signingName: "dynamodb",
    headers: (action) => ({ "content-type": "application/x-amz-json-1.0", "x-amz-target": `DynamoDB_20120810.${action}` }),
    encode: (_action, input) => JSON.stringify(input),
    decode: (text) => (text ? JSON.parse(text) : {}),
  });
}

const PARTITION_ITEMS = 100;
const PARTITIONS = 8;

/** Creates an on-demand table and waits until it is ACTIVE (bounded: 60 s). */
async function createTable(ddb, prefix, range) {
  const TableName = `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await ddb.send("CreateTable", {
    TableName,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      ...(range ? [{ AttributeName: "sk", AttributeType: "N" }] : []),
    ],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, ...(range ? [{ AttributeName: "sk", KeyType: "RANGE" }] : [])],
    BillingMode: "PAY_PER_REQUEST",
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { Table } = await ddb.send("DescribeTable", { TableName });
    if (Table.TableStatus === "ACTIVE") return TableName;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`table ${TableName} did not become ACTIVE`);
}

const item = (i) => ({
  pk: { S: `item-${i}` },
  owner: { S: `worker-${i % 8}` },
  counter: { N: "0" },
  checkpoint: { S: `shardId-${String(i).padStart(12, "0")}` },
  tags: { SS: ["a", "b"] },
  payload: { M: { seq: { N: String(i) }, note: { S: "x".repeat(64) } } },
});

/** PutItem, GetItem and conditional UpdateItem of `messages / 2` distinct items; Query of whole partitions. */
export async function dynamodbWorkload(endpoint, { messages, workers }) {
  const ddb = dynamodbClient(endpoint);
  const count = Math.max(workers, Math.floor(messages / 2));
  const queries = Math.max(workers, Math.floor(messages / 20));
  try {
    const TableName = await createTable(ddb, "bench-items", false);
    const put = await timed(() => parallel(workers, count, 1, (i) => ddb.send("PutItem", { TableName, Item: item(i) })));
    let missing = 0;
    const get = await timed(() =>
      parallel(workers, count, 1, async (i) => {
        const { Item } = await ddb.send("GetItem", { TableName, Key: { pk: { S: `item-${i}` } } });
        if (Item?.payload?.M?.seq?.N !== String(i)) missing++;
      }),
    );
    // A lease renewal: bump the counter if the owner is still ours (KCL's shape, in an expression).
    const update = await timed(() =>
      parallel(workers, count, 1, (i) =>
        ddb.send("UpdateItem", {
          TableName,
          Key: { pk: { S: `item-${i}` } },
          UpdateExpression: "SET #c = #c + :one",
          ConditionExpression: "attribute_exists(pk) AND #o = :owner",
          ExpressionAttributeNames: { "#c": "counter", "#o": "owner" },
          ExpressionAttributeValues: { ":one": { N: "1" }, ":owner": { S: `worker-${i % 8}` } },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );

    const Ranged = await createTable(ddb, "bench-query", true);
    await parallel(workers, PARTITIONS * PARTITION_ITEMS, 1, (i) =>
      ddb.send("PutItem", { TableName: Ranged, Item: { ...item(i), pk: { S: `p${i % PARTITIONS}` }, sk: { N: String(i) } } }),
    );
    let short = 0;
    const query = await timed(() =>
      parallel(workers, queries, 1, async (i) => {
        const { Count } = await ddb.send("Query", {
          TableName: Ranged,
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: `p${i % PARTITIONS}` } },
        });
        if (Count !== PARTITION_ITEMS) short++;
      }),
    );
    if (missing || short) console.error(`  ${endpoint}: ${missing} GetItem answers wrong, ${short} Query pages short`);
    return {
      [`PutItem, ${workers} clients (requests/s)`]: count / put.seconds,
      [`GetItem, ${workers} clients (requests/s)`]: count / get.seconds,
      [`UpdateItem with a condition, ${workers} clients (requests/s)`]: count / update.seconds,
      [`Query of ${PARTITION_ITEMS} items, ${workers} clients (requests/s)`]: queries / query.seconds,
    };
  } finally {
    ddb.close();
  }
}
