// SQS calls whose cost must not grow with the size of what they look at (issue 10, item 7), each
// measured at a small and a large size back to back on the same server: GetQueueAttributes(All) on
// a queue of 100 messages and on one of `scaleMessages`; SendMessage latency on each of those queues
// while another client keeps polling ApproximateNumberOfMessages (the autoscaling pattern); and
// ListQueues with a prefix among 10 and among `scaleQueues` queues. Lines are medians in ms, plus
// the large/small ratio of each pair (target: ≤ 1.2).
import { sqsClient } from "./sqs.mjs";

const SMALL_MESSAGES = 100;
const SMALL_QUEUES = 10;
/** Queues of the listing that match its prefix, at both sizes. */
const MATCHING = 5;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Median latency in ms of `calls` sequential runs of `fn`. */
async function latency(calls, fn) {
  const times = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Runs `fn(i)` for i in [0, total) with `inFlight` calls at a time. */
async function pool(total, inFlight, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) await fn(next++);
    }),
  );
}

/** Fills a queue with SendMessageBatch (10 a call, 8 calls in flight). */
async function fill(sqs, QueueUrl, messages) {
  const batches = Math.ceil(messages / 10);
  await pool(batches, 8, (b) => {
    const n = Math.min(10, messages - b * 10);
    return sqs.send("SendMessageBatch", {
      QueueUrl,
      Entries: Array.from({ length: n }, (_, k) => ({ Id: `m${k}`, MessageBody: `message ${b * 10 + k} ${"x".repeat(100)}` })),
    });
  });
}

/** SendMessage p50 on a queue while a second client polls its ApproximateNumberOfMessages back to back. */
async function sendWhilePolled(endpoint, QueueUrl, calls) {
  const sender = sqsClient(endpoint);
  const poller = sqsClient(endpoint);
  let polling = true;
  const polls = (async () => {
    while (polling) await poller.send("GetQueueAttributes", { QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] });
  })();
  try {
    return await latency(calls, (i) => sender.send("SendMessage", { QueueUrl, MessageBody: `polled ${i}` }));
  } finally {
    polling = false;
    await polls;
    sender.close();
    poller.close();
  }
}

export async function sqsScaleWorkload(endpoint, opts = {}) {
  const scaleMessages = opts.scaleMessages ?? 500000;
  const scaleQueues = opts.scaleQueues ?? 5000;
  const calls = opts.scaleCalls ?? 50;
  const sqs = sqsClient(endpoint);
  const id = Date.now().toString(36);
  const lines = {};
  const pair = (label, small, large, smallValue, largeValue) => {
    lines[`${label}, ${small} (ms)`] = smallValue;
    lines[`${label}, ${large} (ms)`] = largeValue;
    lines[`${label}, large/small (ratio)`] = largeValue / smallValue;
  };
  /** Small then large, `rounds` times after one unmeasured round (cold code would count against the first size). */
  const alternate = async (rounds, small, large) => {
    await small();
    await large();
    const smallTimes = [];
    const largeTimes = [];
    for (let round = 0; round < rounds; round++) {
      smallTimes.push(await small());
      largeTimes.push(await large());
    }
    return [median(smallTimes), median(largeTimes)];
  };

  // A small and a large queue, side by side.
  const { QueueUrl: small } = await sqs.send("CreateQueue", { QueueName: `scale-${id}-small` });
  const { QueueUrl: large } = await sqs.send("CreateQueue", { QueueName: `scale-${id}-large` });
  await fill(sqs, small, SMALL_MESSAGES);
  await fill(sqs, large, scaleMessages);
  const attributes = (QueueUrl) => () =>
    latency(calls, () => sqs.send("GetQueueAttributes", { QueueUrl, AttributeNames: ["All"] }));
  const sizes = [`${SMALL_MESSAGES} messages`, `${scaleMessages} messages`];
  pair("GetQueueAttributes(All)", ...sizes, ...(await alternate(3, attributes(small), attributes(large))));
  const polled = (QueueUrl) => () => sendWhilePolled(endpoint, QueueUrl, calls * 2);
  pair("SendMessage p50 while polled", ...sizes, ...(await alternate(3, polled(small), polled(large))));
  // The large queue's storage is given back (DeleteQueue removes the object's database).
  await sqs.send("DeleteQueue", { QueueUrl: large });
  await sqs.send("DeleteQueue", { QueueUrl: small });

  // ListQueues with a prefix matching 5 queues, among 10 queues and then among `scaleQueues`.
  const prefix = `scale-${id}-p`;
  const createQueues = (from, to) =>
    pool(to - from, 8, (i) => {
      const n = from + i;
      const QueueName = n < MATCHING ? `${prefix}-${n}` : `scale-${id}-q-${String(n).padStart(6, "0")}`;
      return sqs.send("CreateQueue", { QueueName });
    });
  const list = () =>
    latency(calls, async () => {
      const { QueueUrls = [] } = await sqs.send("ListQueues", { QueueNamePrefix: prefix });
      if (QueueUrls.length !== MATCHING) throw new Error(`ListQueues found ${QueueUrls.length} queues, expected ${MATCHING}`);
    });
  const series = async () => {
    await list();
    return median([await list(), await list(), await list()]);
  };
  await createQueues(0, SMALL_QUEUES);
  const listSmall = await series();
  await createQueues(SMALL_QUEUES, scaleQueues);
  // Idle objects are evicted 10 s after their last request: let the 5,000 just created go first, so
  // that their eviction does not fall on the measurement.
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  const listLarge = await series();
  pair("ListQueues with a prefix", `${SMALL_QUEUES} queues`, `${scaleQueues} queues`, listSmall, listLarge);
  sqs.close();
  return lines;
}
