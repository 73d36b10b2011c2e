#!/usr/bin/env node
// `npm run bench`: the same SQS workloads against this service and, in the same run, against the npm
// package local-aws-sqs; prints messages per second and the ratio (this service / peer).
// Sizes: BENCH_MESSAGES (default 20000), BENCH_WORKERS (8), BENCH_BACKLOG (100000), BENCH_SAMPLE (5000);
// BENCH_ONLY=batched,single,backlog,fifo picks workloads.
import { backlogWorkload, batchedWorkload, fifoWorkload, singleWorkload } from "./sqs.mjs";
import { startLocalAwsSqs, startThisService } from "./servers.mjs";

const opts = {
  messages: Number(process.env.BENCH_MESSAGES ?? 20000),
  workers: Number(process.env.BENCH_WORKERS ?? 8),
  backlog: Number(process.env.BENCH_BACKLOG ?? 100000),
  sample: Number(process.env.BENCH_SAMPLE ?? 5000),
};
const only = process.env.BENCH_ONLY?.split(",");

const workloads = [
  ["batched", (endpoint) => batchedWorkload(endpoint, opts)],
  ["single", (endpoint) => singleWorkload(endpoint, opts)],
  ["backlog", (endpoint) => backlogWorkload(endpoint, opts)],
  ["fifo", (endpoint) => fifoWorkload(endpoint, opts)],
].filter(([name]) => !only || only.includes(name));

async function measure(start) {
  const system = await start();
  const results = {};
  try {
    for (const [name, run] of workloads) {
      process.stderr.write(`${system.name} (${system.endpoint}): ${name}…\n`);
      Object.assign(results, await run(system.endpoint));
    }
  } finally {
    await system.stop();
  }
  return { name: system.name, results };
}

console.log(`SQS benchmark: ${opts.messages} messages, ${opts.workers} concurrent clients, backlog ${opts.backlog}`);
const ours = await measure(startThisService);
const peer = await measure(startLocalAwsSqs);

const rows = Object.keys(ours.results).map((metric) => {
  const a = ours.results[metric];
  const b = peer.results[metric];
  return { metric, [ours.name]: Math.round(a), [peer.name]: Math.round(b), ratio: (a / b).toFixed(2) };
});
console.table(rows);
