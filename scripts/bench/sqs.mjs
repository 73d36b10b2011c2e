// SQS workloads, run the same way against every system: batched and single-message traffic with
// concurrent clients, and receive+delete cost with a large backlog versus a small one.
import { loadClient } from "./http.mjs";

/** SQS over AWS JSON 1.0, as the current @aws-sdk/client-sqs sends it. */
export function sqsClient(endpoint) {
  return loadClient(endpoint, {
    signingName: "sqs",
    headers: (action) => ({
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `AmazonSQS.${action}`,
      "x-amzn-query-mode": "true",
    }),
    encode: (_action, input) => JSON.stringify(input),
    decode: (text) => (text ? JSON.parse(text) : {}),
  });
}

const body = (i) => `message ${i} ${"x".repeat(100)}`;

async function createQueue(sqs, name) {
  const { QueueUrl } = await sqs.send("CreateQueue", { QueueName: `${name}-${Date.now()}` });
  return QueueUrl;
}

/** Splits `total` across `workers` concurrent loops and waits for all of them. */
async function parallel(workers, total, step, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        const start = next;
        next += step;
        await fn(start, Math.min(step, total - start));
      }
    }),
  );
}

async function sendBatched(sqs, QueueUrl, total, workers) {
  await parallel(workers, total, 10, (start, n) =>
    sqs.send("SendMessageBatch", {
      QueueUrl,
      Entries: Array.from({ length: n }, (_, k) => ({ Id: `m${k}`, MessageBody: body(start + k) })),
    }),
  );
}

/** Receives (10 at a time) and batch-deletes until `total` messages were consumed. */
async function drainBatched(sqs, QueueUrl, total, workers) {
  let consumed = 0;
  let idle = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (consumed < total && idle < 50) {
        const { Messages = [] } = await sqs.send("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 });
        if (!Messages.length) {
          idle++;
          continue;
        }
        consumed += Messages.length;
        await sqs.send("DeleteMessageBatch", {
          QueueUrl,
          Entries: Messages.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })),
        });
      }
    }),
  );
  return consumed;
}

async function timed(fn) {
  const t0 = performance.now();
  const result = await fn();
  return { seconds: (performance.now() - t0) / 1000, result };
}

export async function batchedWorkload(endpoint, { messages, workers }) {
  const sqs = sqsClient(endpoint);
  const QueueUrl = await createQueue(sqs, "bench-batch");
  const send = await timed(() => sendBatched(sqs, QueueUrl, messages, workers));
  const drain = await timed(() => drainBatched(sqs, QueueUrl, messages, workers));
  return {
    "send batch (msg/s)": messages / send.seconds,
    "receive+delete batch (msg/s)": drain.result / drain.seconds,
    "end to end batch (msg/s)": messages / (send.seconds + drain.seconds),
  };
}

export async function singleWorkload(endpoint, { messages, workers }) {
  const sqs = sqsClient(endpoint);
  const QueueUrl = await createQueue(sqs, "bench-single");
  const send = await timed(() =>
    parallel(workers, messages, 1, (i) => sqs.send("SendMessage", { QueueUrl, MessageBody: body(i) })),
  );
  let consumed = 0;
  let idle = 0;
  const drain = await timed(() =>
    Promise.all(
      Array.from({ length: workers }, async () => {
        while (consumed < messages && idle < 50) {
          const { Messages = [] } = await sqs.send("ReceiveMessage", { QueueUrl, VisibilityTimeout: 60 });
          if (!Messages.length) {
            idle++;
            continue;
          }
          consumed += Messages.length;
          await sqs.send("DeleteMessage", { QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle });
        }
      }),
    ),
  );
  return {
    "send single (msg/s)": messages / send.seconds,
    "receive+delete single (msg/s)": consumed / drain.seconds,
  };
}

/** Receive+delete rate of `sample` messages on a queue holding `backlog` messages. */
export async function backlogWorkload(endpoint, { backlog, sample, workers }) {
  const sqs = sqsClient(endpoint);
  const rate = async (size) => {
    const QueueUrl = await createQueue(sqs, `bench-backlog-${size}`);
    await sendBatched(sqs, QueueUrl, size, workers);
    const drain = await timed(() => drainBatched(sqs, QueueUrl, sample, workers));
    return drain.result / drain.seconds;
  };
  const small = await rate(sample);
  const large = await rate(backlog);
  return {
    [`receive+delete, backlog ${sample} (msg/s)`]: small,
    [`receive+delete, backlog ${backlog} (msg/s)`]: large,
  };
}

/**
 * FIFO: producers send batches spread over `groups` message groups while consumers receive and
 * batch-delete at the same time; the rate counts messages through the queue end to end. Order is
 * checked on the way: per group, SequenceNumbers must arrive increasing.
 */
export async function fifoWorkload(endpoint, { messages, workers, groups = 100 }) {
  const sqs = sqsClient(endpoint);
  const { QueueUrl } = await sqs.send("CreateQueue", {
    QueueName: `bench-fifo-${Date.now()}.fifo`,
    Attributes: { FifoQueue: "true", VisibilityTimeout: "60" },
  });
  const lastSeen = new Map();
  let outOfOrder = 0;
  let unchecked = 0;
  let consumed = 0;
  let sent = 0;
  const t0 = performance.now();
  let sendSeconds = 0;
  const producers = parallel(workers, messages, 10, (start, n) =>
    sqs
      .send("SendMessageBatch", {
        QueueUrl,
        Entries: Array.from({ length: n }, (_, k) => {
          const i = start + k;
          const group = i % groups;
          return {
            Id: `m${k}`,
            MessageBody: `message ${i} ${"x".repeat(100)}`,
            MessageGroupId: `g${group}`,
            MessageDeduplicationId: `d${i}`,
          };
        }),
      })
      .then(() => {
        sent += n;
        if (sent >= messages) sendSeconds = (performance.now() - t0) / 1000;
      }),
  );
  const consumers = Promise.all(
    Array.from({ length: workers }, async () => {
      while (consumed < messages) {
        const { Messages = [] } = await sqs.send("ReceiveMessage", {
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ["MessageGroupId", "SequenceNumber"],
        });
        if (!Messages.length) continue;
        for (const m of Messages) {
          const group = m.Attributes?.MessageGroupId;
          const sequence = m.Attributes?.SequenceNumber;
          if (sequence === undefined) {
            unchecked++;
            continue;
          }
          if (lastSeen.has(group) && BigInt(sequence) <= lastSeen.get(group)) outOfOrder++;
          lastSeen.set(group, BigInt(sequence));
        }
        consumed += Messages.length;
        await sqs.send("DeleteMessageBatch", {
          QueueUrl,
          Entries: Messages.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })),
        });
      }
    }),
  );
  await Promise.all([producers, consumers]);
  const seconds = (performance.now() - t0) / 1000;
  if (outOfOrder) console.error(`  ${endpoint}: ${outOfOrder} messages arrived out of group order`);
  if (unchecked) console.error(`  ${endpoint}: ${unchecked} messages without SequenceNumber (order not checked)`);
  return {
    "FIFO send batch, 100 groups (msg/s)": messages / sendSeconds,
    "FIFO end to end, 8+8 clients (msg/s)": messages / seconds,
  };
}
