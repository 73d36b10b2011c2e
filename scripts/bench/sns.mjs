// SNS workloads: Publish and PublishBatch to a topic with 1 and with 10 SQS subscriptions, counting
// messages delivered into the queues per second (publish start to last delivery).
import { loadClient } from "./http.mjs";
import { sqsClient } from "./sqs.mjs";

/** SNS over the AWS query protocol (form in, XML text out). */
export function snsClient(endpoint) {
  return loadClient(endpoint, {
    signingName: "sns",
    headers: () => ({ "content-type": "application/x-www-form-urlencoded; charset=utf-8" }),
    encode: (action, params) => new URLSearchParams({ Action: action, Version: "2010-03-31", ...params }).toString(),
    decode: (text) => text,
  });
}

const tag = (xml, name) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

async function setup(endpoint, subscriptions) {
  const sns = snsClient(endpoint);
  const sqs = sqsClient(endpoint);
  const id = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  const topicArn = tag(await sns.send("CreateTopic", { Name: `bench-${id}` }), "TopicArn");
  const queues = [];
  for (let i = 0; i < subscriptions; i++) {
    const { QueueUrl } = await sqs.send("CreateQueue", { QueueName: `bench-${id}-${i}` });
    const { Attributes } = await sqs.send("GetQueueAttributes", { QueueUrl, AttributeNames: ["QueueArn"] });
    await sns.send("Subscribe", { TopicArn: topicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn });
    queues.push(QueueUrl);
  }
  return { sns, sqs, topicArn, queues };
}

/** Drains every queue until `expected` messages arrived in total (or the deadline passes). */
async function drain(sqs, queues, expected, deadlineMs) {
  let received = 0;
  const deadline = Date.now() + deadlineMs;
  await Promise.all(
    queues.map(async (QueueUrl) => {
      while (received < expected && Date.now() < deadline) {
        const { Messages = [] } = await sqs.send("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
        if (!Messages.length) continue;
        received += Messages.length;
        await sqs.send("DeleteMessageBatch", {
          QueueUrl,
          Entries: Messages.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })),
        });
      }
    }),
  );
  return received;
}

async function run(endpoint, { messages, workers, subscriptions, batch }) {
  const { sns, sqs, topicArn, queues } = await setup(endpoint, subscriptions);
  const expected = messages * subscriptions;
  const t0 = performance.now();
  const draining = drain(sqs, queues, expected, 300_000);
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < messages) {
        const start = next;
        const n = batch ? Math.min(10, messages - start) : 1;
        next += n;
        if (!batch) {
          await sns.send("Publish", { TopicArn: topicArn, Message: `message ${start} ${"x".repeat(100)}` });
          continue;
        }
        const params = { TopicArn: topicArn };
        for (let k = 1; k <= n; k++) {
          params[`PublishBatchRequestEntries.member.${k}.Id`] = `m${k}`;
          params[`PublishBatchRequestEntries.member.${k}.Message`] = `message ${start + k} ${"x".repeat(100)}`;
        }
        await sns.send("PublishBatch", params);
      }
    }),
  );
  const received = await draining;
  const seconds = (performance.now() - t0) / 1000;
  if (received < expected) console.error(`  ${endpoint}: only ${received} of ${expected} deliveries arrived`);
  return received / seconds;
}

export async function snsWorkload(endpoint, opts) {
  const messages = Math.max(10, Math.floor(opts.messages / 10));
  const results = {};
  for (const subscriptions of [1, 10]) {
    for (const batch of [false, true]) {
      const label = `SNS ${batch ? "PublishBatch" : "Publish"} → ${subscriptions} queue${subscriptions > 1 ? "s" : ""} (delivered/s)`;
      results[label] = await run(endpoint, { messages, workers: opts.workers, subscriptions, batch });
    }
  }
  return results;
}
