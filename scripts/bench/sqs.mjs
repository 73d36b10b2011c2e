// SQS workloads, run the same way against every system: batched and single-message traffic with
// concurrent clients, and receive+delete cost with a large backlog versus a small one.
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Agent } from "node:http";

export function sqsClient(endpoint) {
  return new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
  });
}

const body = (i) => `message ${i} ${"x".repeat(100)}`;

async function createQueue(sqs, name) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${Date.now()}` }));
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
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: Array.from({ length: n }, (_, k) => ({ Id: `m${k}`, MessageBody: body(start + k) })),
      }),
    ),
  );
}

/** Receives (10 at a time) and batch-deletes until `total` messages were consumed. */
async function drainBatched(sqs, QueueUrl, total, workers) {
  let consumed = 0;
  let idle = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (consumed < total && idle < 50) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
        if (!Messages.length) {
          idle++;
          continue;
        }
        consumed += Messages.length;
        await sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })) }),
        );
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
    parallel(workers, messages, 1, (i) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body(i) }))),
  );
  let consumed = 0;
  let idle = 0;
  const drain = await timed(() =>
    Promise.all(
      Array.from({ length: workers }, async () => {
        while (consumed < messages && idle < 50) {
          const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 60 }));
          if (!Messages.length) {
            idle++;
            continue;
          }
          consumed += Messages.length;
          await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle }));
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
