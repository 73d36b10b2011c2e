#!/usr/bin/env node
// A CPU profile of this service under one benchmark workload: starts `scripts/serve.mjs` with V8's
// inspector attached to workerd (INSPECTOR_PORT), profiles the Worker's isolate (the Worker and its
// Durable Objects share it locally) while the workload runs, and prints the functions with the most
// self time, plus totals by source file. The raw profile goes to $PROFILE_OUT (default
// /tmp/aws-messaging.cpuprofile), which Chrome DevTools opens.
//
//   node scripts/bench/profile.mjs floor|send-single|send-batch|recv-del|publish|publish-batch|put-record|put-records|put-record-batch
import { writeFileSync } from "node:fs";
import { freePort, startThisService } from "./servers.mjs";
import { kinesisClient } from "./kinesis.mjs";
import { snsClient } from "./sns.mjs";
import { sqsClient } from "./sqs.mjs";

const name = process.argv[2] ?? "send-single";
const count = Number(process.env.PROFILE_COUNT ?? 3000);
const inspector = await freePort();

async function parallel(workers, total, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) await fn(next++);
    }),
  );
}
const tag = (xml, t) => new RegExp(`<${t}>([^<]*)</${t}>`).exec(xml)?.[1];
const body = (i) => `message ${i} ${"x".repeat(100)}`;

const workloads = {
  /** The floor Worker (floor/worker.js): one Durable Object RPC + one SQLite INSERT per request. */
  async floor(e) {
    const floor = sqsClient(e);
    return () => parallel(8, count, () => floor.send("Insert", {}));
  },
  async "send-single"(e) {
    const sqs = sqsClient(e);
    const { QueueUrl } = await sqs.send("CreateQueue", { QueueName: `p${Date.now()}` });
    return () => parallel(8, count, (i) => sqs.send("SendMessage", { QueueUrl, MessageBody: body(i) }));
  },
  async "send-batch"(e) {
    const sqs = sqsClient(e);
    const { QueueUrl } = await sqs.send("CreateQueue", { QueueName: `p${Date.now()}` });
    const Entries = Array.from({ length: 10 }, (_, k) => ({ Id: `m${k}`, MessageBody: body(k) }));
    return () => parallel(8, count / 10, () => sqs.send("SendMessageBatch", { QueueUrl, Entries }));
  },
  async "recv-del"(e) {
    const sqs = sqsClient(e);
    const { QueueUrl } = await sqs.send("CreateQueue", { QueueName: `p${Date.now()}` });
    const Entries = Array.from({ length: 10 }, (_, k) => ({ Id: `m${k}`, MessageBody: body(k) }));
    await parallel(8, count / 10, () => sqs.send("SendMessageBatch", { QueueUrl, Entries }));
    return () =>
      parallel(8, count, async () => {
        const { Messages = [] } = await sqs.send("ReceiveMessage", { QueueUrl });
        if (Messages.length) await sqs.send("DeleteMessage", { QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle });
      });
  },
  async publish(e, batch = false) {
    const sns = snsClient(e);
    const sqs = sqsClient(e);
    const TopicArn = tag(await sns.send("CreateTopic", { Name: `p${Date.now()}` }), "TopicArn");
    const { QueueUrl } = await sqs.send("CreateQueue", { QueueName: `p${Date.now()}` });
    const { Attributes } = await sqs.send("GetQueueAttributes", { QueueUrl, AttributeNames: ["QueueArn"] });
    await sns.send("Subscribe", { TopicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn });
    return async () => {
      if (!batch) await parallel(8, count, (i) => sns.send("Publish", { TopicArn, Message: body(i) }));
      else
        await parallel(8, count / 10, (i) => {
          const params = { TopicArn };
          for (let k = 1; k <= 10; k++) {
            params[`PublishBatchRequestEntries.member.${k}.Id`] = `m${k}`;
            params[`PublishBatchRequestEntries.member.${k}.Message`] = body(i * 10 + k);
          }
          return sns.send("PublishBatch", params);
        });
      // Until everything is delivered (the pump's work is part of what a publish costs).
      let got = 0;
      while (got < count) {
        const { Messages = [] } = await sqs.send("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 });
        if (!Messages.length) break;
        got += Messages.length;
        await sqs.send("DeleteMessageBatch", {
          QueueUrl,
          Entries: Messages.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })),
        });
      }
    };
  },
  "publish-batch": (e) => workloads.publish(e, true),
  async "put-record"(e) {
    const k = kinesisClient(e);
    const StreamName = `p${Date.now()}`;
    await k.send("CreateStream", { StreamName, ShardCount: 4 });
    await new Promise((r) => setTimeout(r, 300));
    const Data = Buffer.alloc(1024, 97).toString("base64");
    return () => parallel(32, count, (i) => k.send("PutRecord", { StreamName, PartitionKey: `p${i}`, Data }));
  },
  async "put-records"(e) {
    const k = kinesisClient(e);
    const StreamName = `p${Date.now()}`;
    await k.send("CreateStream", { StreamName, ShardCount: Number(process.env.PROFILE_SHARDS ?? 4) });
    await new Promise((r) => setTimeout(r, 300));
    const Data = Buffer.alloc(1024, 97).toString("base64");
    const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `p${i}`, Data }));
    return () => parallel(8, Math.ceil(count / 500), () => k.send("PutRecords", { StreamName, Records }));
  },
  /** DynamoDB PutItem of small items into one on-demand table. */
  async "put-item"(e) {
    const { dynamodbClient } = await import("./dynamodb.mjs");
    const d = dynamodbClient(e);
    const TableName = `p${Date.now()}`;
    await d.send("CreateTable", {
      TableName,
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    await new Promise((r) => setTimeout(r, 300));
    return () =>
      parallel(8, count, (i) =>
        d.send("PutItem", { TableName, Item: { pk: { S: `k${i}` }, n: { N: String(i) }, s: { S: "x".repeat(100) } } }),
      );
  },
  /** Firehose PutRecordBatch of 500 × 1 KB into an S3 destination with no buffering (delivery included). */
  async "put-record-batch"(e) {
    const { firehoseWorkloadClient } = await import("./firehose.mjs");
    const { s3Client } = await import("./s3.mjs");
    const { CreateBucketCommand } = await import("@aws-sdk/client-s3");
    const f = firehoseWorkloadClient(e);
    const Bucket = `p${Date.now()}`;
    await s3Client(e).send(new CreateBucketCommand({ Bucket }));
    const DeliveryStreamName = `p${Date.now()}`;
    await f.send("CreateDeliveryStream", {
      DeliveryStreamName,
      ExtendedS3DestinationConfiguration: {
        RoleARN: "arn:aws:iam::000000000000:role/p",
        BucketARN: `arn:aws:s3:::${Bucket}`,
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    const Records = Array.from({ length: 500 }, () => ({ Data: Buffer.alloc(1024, 97).toString("base64") }));
    return () => parallel(8, Math.ceil(count / 500), () => f.send("PutRecordBatch", { DeliveryStreamName, Records }));
  },
};

/** A tiny Chrome DevTools protocol client over Node 22's global WebSocket. */
async function devtools(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  };
  return {
    send: (method, params = {}) =>
      new Promise((resolve) => {
        pending.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

const system = await startThisService({
  INSPECTOR_PORT: String(inspector),
  KINESIS_THROTTLING: "false",
  KINESIS_STATUS_DELAY_MS: "0",
  FIREHOSE_STATUS_DELAY_MS: "0",
  ...(name === "floor" ? { WRANGLER_CONFIG: "scripts/bench/floor/wrangler.toml" } : {}),
});
try {
  const run = await workloads[name](system.endpoint);
  await (
    await workloads[name](system.endpoint)
  )(); // warm up the JIT on a first pass
  const cdp = await devtools(`ws://127.0.0.1:${inspector}/main`);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  const t0 = performance.now();
  await run();
  const seconds = (performance.now() - t0) / 1000;
  const { result } = await cdp.send("Profiler.stop");
  cdp.close();
  const out = process.env.PROFILE_OUT ?? "/tmp/aws-messaging.cpuprofile";
  writeFileSync(out, JSON.stringify(result.profile));
  summarize(result.profile, seconds);
  console.log(`profile written to ${out}`);
} finally {
  await system.stop();
}

function summarize(profile, seconds) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byFile = new Map();
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id);
    const file = (f.url || "(native)").split("/").pop();
    const key = `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const idle = byFunction.get("(idle) (native):0") ?? 0;
  console.log(
    `${name}: ${count} items in ${seconds.toFixed(1)} s; isolate busy ${((total - idle) / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled`,
  );
  console.log(`busy CPU per item: ${((total - idle) / count).toFixed(0)} µs`);
  const top = [...byFunction]
    .filter(([k]) => !k.startsWith("(idle)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(process.env.PROFILE_TOP ?? 35));
  for (const [key, us] of top)
    console.log(
      `${((100 * us) / (total - idle)).toFixed(1).padStart(5)}%  ${(us / count).toFixed(1).padStart(6)} µs/item  ${key}`,
    );
}
