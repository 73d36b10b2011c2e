/**
 * lifion-kinesis (the KCL-style Node consumer) against the Worker for both of its services: Kinesis for
 * the records and DynamoDB for its state, one item per consumer group and stream holding consumers
 * (heartbeats), shard leases (owner, expiration, version) and checkpoints, all changed with nested
 * update expressions under conditions. Two consumers of one group on a 4-shard stream must split the
 * shards, process every record exactly once, and a consumer started after one ends must take the
 * ended one's shards and resume after their checkpoints; by polling (GetRecords) and by enhanced
 * fan-out (RegisterStreamConsumer, SubscribeToShard). Each consumer runs in its own worker thread,
 * ended as a process ends (see ./lifion-consumer-worker.cjs for why, and for fan-out's endpoint).
 * lifion's own clock is long (a heartbeat every 20 s, a consumer gone after 40 s without one, leases
 * of 5 min); the test shortens only the 40 s by writing the stopped consumer's heartbeat back in time,
 * so lifion's own sweep (run by the new consumer as it registers) removes it.
 * https://github.com/lifion/lifion-kinesis
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import * as ddb from "@aws-sdk/client-dynamodb";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { credentials, endpoint, uniqueName } from "./clients";
import { eventually, sleep } from "./helpers";
import { isolatedKinesis } from "./kinesis-clients";

const { kinesis, account } = isolatedKinesis();
const dynamo = new ddb.DynamoDBClient({
  endpoint: endpoint(),
  region: "us-east-1",
  credentials: { ...credentials, accessKeyId: account },
  maxAttempts: 1,
});
const SHARDS = 4;
const workers: Worker[] = [];
afterAll(() => Promise.all(workers.map((w) => w.terminate())));

async function createStream(StreamName: string) {
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: SHARDS }));
  // lifion's own waiter polls every 10 s: it should find the stream ACTIVE already.
  await eventually(async () => {
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    return StreamDescriptionSummary!.StreamStatus === "ACTIVE";
  }, `${StreamName} ACTIVE`);
}

/** Puts `count` JSON records `{ batch, n }`, spread over the shards by their partition keys. */
async function putBatch(StreamName: string, batch: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, n) => `${batch}-${n}`);
  const { FailedRecordCount } = await kinesis.send(
    new PutRecordsCommand({
      StreamName,
      Records: ids.map((id) => ({ Data: Buffer.from(JSON.stringify({ id })), PartitionKey: `key-${id}` })),
    }),
  );
  expect(FailedRecordCount).toBe(0);
  return ids;
}

/**
 * One consumer of the group in its own worker thread (./lifion-consumer-worker.cjs), with what it
 * processed (record ids by shard) and what it logged; `started` settles once startConsumer() has.
 */
function consumer(StreamName: string, consumerGroup: string, tableName: string, options: Record<string, unknown>) {
  const processed: { id: string; shardId: string }[] = [];
  const problems: string[] = [];
  const aws = { endpoint: endpoint(), region: "us-east-1", accessKeyId: account, secretAccessKey: credentials.secretAccessKey };
  const worker = new Worker(new URL("./lifion-consumer-worker.cjs", import.meta.url), {
    env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1" },
    workerData: {
      ...aws,
      streamName: StreamName,
      consumerGroup,
      createStreamIfNeeded: false,
      dynamoDb: { ...aws, tableName },
      initialPositionInStream: "TRIM_HORIZON",
      leaseAcquisitionInterval: 300,
      leaseAcquisitionRecoveryInterval: 300,
      // At most 4 GetRecords a second per shard: under the shard's 5, so no throttling retries.
      pollDelay: 250,
      noRecordsPollDelay: 250,
      statsInterval: 60_000,
      shouldParseJson: true,
      ...options,
    },
  });
  workers.push(worker);
  const started = new Promise<void>((resolve, reject) => {
    worker.on("message", (m: { records?: typeof processed; problem?: string; started?: true; failed?: string }) => {
      if (m.records) processed.push(...m.records);
      // lifion retries failed calls forever, logging them: these are the service's answers to look at.
      if (m.problem) problems.push(m.problem);
      if (m.started) resolve();
      if (m.failed) reject(new Error(m.failed));
    });
    worker.on("error", reject);
  });
  return { worker, started, processed, problems, shards: () => new Set(processed.map((p) => p.shardId)) };
}

/** lifion's state item for the group and stream. */
async function stateOf(tableName: string, consumerGroup: string, streamName: string) {
  const { Item } = await dynamo.send(
    new ddb.GetItemCommand({
      TableName: tableName,
      Key: { consumerGroup: { S: consumerGroup }, streamName: { S: streamName } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

/**
 * The scenario for one way of reading: two consumers split the shards and process each record once;
 * one ends; a new one takes its shards and resumes after their checkpoints.
 */
async function splitAndResume(options: Record<string, unknown>, tolerated: RegExp[] = []) {
  const StreamName = uniqueName("lifion");
  const consumerGroup = uniqueName("group");
  const tableName = uniqueName("lifion-state");
  await createStream(StreamName);

  const a = consumer(StreamName, consumerGroup, tableName, options);
  const b = consumer(StreamName, consumerGroup, tableName, options);
  const all = [a, b];
  const report = () =>
    all.map((c, i) => `consumer ${i}: ${c.processed.length} records, ${c.problems.slice(0, 5).join(" | ")}`).join("\n");
  // Started together, each usually registers before the other's first lease round, and each may
  // then hold ceil(4 shards / 2 consumers); one that registers late finds fewer shards left.
  await Promise.all([a.started, b.started]);
  const bStarted = Date.now();

  const first = await putBatch(StreamName, "first", 40);
  await eventually(
    () => a.processed.length + b.processed.length >= first.length,
    () => `the first batch\n${report()}`,
    { timeoutMs: 25_000 },
  );
  expect([...a.processed, ...b.processed].map((p) => p.id).sort()).toEqual([...first].sort());
  expect(a.shards().size).toBeGreaterThan(0);
  expect(b.shards().size).toBeGreaterThan(0);
  expect([...a.shards()].some((s) => b.shards().has(s))).toBe(false);
  expect(a.shards().size + b.shards().size).toBe(SHARDS);

  // The state as lifion keeps it: both consumers, every shard leased by one of them, checkpointed.
  const state = (await stateOf(tableName, consumerGroup, StreamName))!;
  const consumerIds = Object.keys(state.consumers!.M!);
  expect(consumerIds).toHaveLength(2);
  const shards = state.shards!.M!;
  expect(Object.keys(shards).sort()).toEqual(Array.from({ length: SHARDS }, (_, i) => `shardId-${String(i).padStart(12, "0")}`));
  for (const shard of Object.values(shards)) {
    expect(consumerIds).toContain(shard.M!.leaseOwner!.S);
    expect(shard.M!.checkpoint!.S).toMatch(/^\d+$/);
  }
  const ownerOf = (shardId: string) => shards[shardId]!.M!.leaseOwner!.S!;
  const aId = ownerOf([...a.shards()][0]!);
  const bId = ownerOf([...b.shards()][0]!);

  // a's process ends; records put meanwhile wait in its shards.
  await a.worker.terminate();
  const second = await putBatch(StreamName, "second", 40);

  // b's heartbeat (every 20 s from its start) also sweeps old consumers: stay clear of it, so the
  // sweep that removes a is the new consumer's, made once it is registered.
  const phase = (Date.now() - bStarted) % 20_000;
  if (phase > 15_000) await sleep(20_000 - phase + 1_000);
  const staleHeartbeat = new Date(Date.now() - 60_000).toISOString();
  await dynamo.send(
    new ddb.UpdateItemCommand({
      TableName: tableName,
      Key: { consumerGroup: { S: consumerGroup }, streamName: { S: StreamName } },
      UpdateExpression: "SET #c.#id.#h = :h",
      ExpressionAttributeNames: { "#c": "consumers", "#id": aId, "#h": "heartbeat" },
      ExpressionAttributeValues: { ":h": { S: staleHeartbeat } },
    }),
  );
  const c = consumer(StreamName, consumerGroup, tableName, options);
  all.push(c);
  await c.started;

  const seconds = () => [...b.processed, ...c.processed].filter((p) => p.id.startsWith("second-"));
  await eventually(
    () => seconds().length >= second.length,
    () => `the second batch\n${report()}`,
    { timeoutMs: 25_000 },
  );
  // c took a's shards (as many as it may hold: ceil(4 / 2), all of them after an even split) and
  // read on from their checkpoints: nothing of the first batch again.
  expect([...c.shards()].every((s) => a.shards().has(s))).toBe(true);
  expect(c.shards().size).toBe(Math.min(2, a.shards().size));
  expect(c.processed.map((p) => p.id).filter((id) => id.startsWith("first-"))).toEqual([]);
  expect(
    seconds()
      .map((p) => p.id)
      .sort(),
  ).toEqual([...second].sort());
  // Across the three, every record once.
  const everything = [...a.processed, ...b.processed, ...c.processed].map((p) => p.id);
  expect(new Set(everything).size).toBe(everything.length);
  expect(everything.length).toBe(first.length + second.length);

  const after = (await stateOf(tableName, consumerGroup, StreamName))!;
  // lifion's sweep removed a; c holds a's former leases.
  const remaining = Object.keys(after.consumers!.M!);
  expect(remaining).toHaveLength(2);
  expect(remaining).toContain(bId);
  expect(remaining).not.toContain(aId);
  const cId = remaining.find((id) => id !== bId);
  for (const shardId of c.shards()) expect(after.shards!.M![shardId]!.M!.leaseOwner!.S).toBe(cId);
  // Nothing lifion had to retry or complain about, but for what its fan-out path always says.
  expect(all.flatMap((x) => x.problems).filter((p) => !tolerated.some((t) => t.test(p)))).toEqual([]);
}

describe("lifion-kinesis keeps its consumer state in DynamoDB", () => {
  it(
    "polling: two consumers split 4 shards, process each record once, and a new consumer resumes a stopped one's shards after its checkpoints",
    () => splitAndResume({ useEnhancedFanOut: false }),
    60_000,
  );

  it(
    "enhanced fan-out: the same with SubscribeToShard, each consumer holding one of the registered stream consumers",
    () =>
      splitAndResume({ useEnhancedFanOut: true, maxEnhancedConsumers: 2 }, [
        // Its fan-out checkpoints never pass an arrival time, and warn so on every one.
        /^warn: Will ignore approx arrival timestamp provided, it was null$/,
        // lifion-aws-event-stream's parser reads one message per chunk it is handed: when the
        // transport hands it the end of one event with the start of the next (initial-response and
        // the first records, back to back), it fails, and lifion subscribes again from its checkpoint
        // 5 s later. The same happens against AWS (lifion/lifion-kinesis#91).
        /Trying to recover from AWS\.Kinesis error…\n\t- Message: Expected \d+ bytes in the buffer but got \d+\./,
        // ... and when that new subscription comes within 5 s of the one it abandoned, Kinesis refuses
        // it as AWS does (ResourceInUseException), and lifion tries again.
        /^warn: Subscription unsuccessful: 400$/,
        /^warn: Waiting before retrying the pipeline…$/,
        /Trying to recover from AWS\.Kinesis error…\n\t- Message: Another active subscription exists for this consumer: /,
      ]),
    60_000,
  );
});
