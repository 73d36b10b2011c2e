// Latency lines (milliseconds, p50 and p99), at 1 client and at 8 clients working at once:
//  - one SendMessage;
//  - send → a long poller already waiting on the empty queue receives the message;
//  - Publish → the message is received by a long poller waiting on a subscribed queue.
// Each client has its own queue (and topic), so the 8-client lines measure the service under load,
// not contention for one resource.
import { snsClient } from "./sns.mjs";
import { sqsClient } from "./sqs.mjs";

const tag = (xml, name) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `sample()` (resolving to one latency in ms) `count` times on each of `clients` clients at once. */
async function measure(clients, count, setup, sample) {
  const states = await Promise.all(Array.from({ length: clients }, (_, i) => setup(i)));
  const samples = [];
  await Promise.all(
    states.map(async (state) => {
      for (let i = 0; i < count; i++) samples.push(await sample(state, i));
    }),
  );
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

async function newQueue(sqs, prefix) {
  const { QueueUrl } = await sqs.send("CreateQueue", { QueueName: `${prefix}-${unique()}` });
  return QueueUrl;
}

/** The time from a send starting until a poller waiting on the queue holds the message. */
async function wakeUp(sqs, QueueUrl, send) {
  const waiting = sqs.send("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 20 });
  // Give the poll time to reach the queue and park there before the message is sent.
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  await send();
  let { Messages = [] } = await waiting;
  while (!Messages.length) ({ Messages = [] } = await sqs.send("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 20 }));
  const ms = performance.now() - t0;
  await sqs.send("DeleteMessage", { QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle });
  return ms;
}

export async function latencyWorkload(endpoint, { latencySamples = 200 }) {
  const results = {};
  const sqs = sqsClient(endpoint);
  const sns = snsClient(endpoint);
  try {
    for (const clients of [1, 8]) {
      const count = Math.max(20, Math.floor(latencySamples / clients));
      const send = await measure(
        clients,
        count,
        () => newQueue(sqs, "lat-send"),
        async (QueueUrl, i) => {
          const t0 = performance.now();
          await sqs.send("SendMessage", { QueueUrl, MessageBody: `m${i}` });
          return performance.now() - t0;
        },
      );
      results[`SendMessage, ${clients} client${clients > 1 ? "s" : ""} (ms p50)`] = send.p50;
      results[`SendMessage, ${clients} client${clients > 1 ? "s" : ""} (ms p99)`] = send.p99;

      const wake = await measure(
        clients,
        Math.ceil(count / 4),
        () => newQueue(sqs, "lat-wake"),
        (QueueUrl, i) => wakeUp(sqs, QueueUrl, () => sqs.send("SendMessage", { QueueUrl, MessageBody: `w${i}` })),
      );
      results[`send → long poll, ${clients} client${clients > 1 ? "s" : ""} (ms p50)`] = wake.p50;
      results[`send → long poll, ${clients} client${clients > 1 ? "s" : ""} (ms p99)`] = wake.p99;

      const publish = await measure(
        clients,
        Math.ceil(count / 4),
        async () => {
          const TopicArn = tag(await sns.send("CreateTopic", { Name: `lat-${unique()}` }), "TopicArn");
          const QueueUrl = await newQueue(sqs, "lat-sub");
          const { Attributes } = await sqs.send("GetQueueAttributes", { QueueUrl, AttributeNames: ["QueueArn"] });
          await sns.send("Subscribe", { TopicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn });
          return { TopicArn, QueueUrl };
        },
        ({ TopicArn, QueueUrl }, i) => wakeUp(sqs, QueueUrl, () => sns.send("Publish", { TopicArn, Message: `p${i}` })),
      );
      results[`Publish → received, ${clients} client${clients > 1 ? "s" : ""} (ms p50)`] = publish.p50;
      results[`Publish → received, ${clients} client${clients > 1 ? "s" : ""} (ms p99)`] = publish.p99;
    }
  } finally {
    sqs.close();
    sns.close();
  }
  return results;
}
