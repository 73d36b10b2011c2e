#!/usr/bin/env node
// `npm run bench`: the same workloads against this service and, in the same run, against a peer
// emulator from npm — SQS against local-aws-sqs, SNS fan-out against fauxqs, Kinesis against
// kinesalite — printing rates and the ratio (this service / peer).
// Sizes: BENCH_MESSAGES (default 20000; also the Kinesis record count), BENCH_WORKERS (8),
// BENCH_BACKLOG (100000), BENCH_SAMPLE (5000);
// BENCH_ONLY=batched,single,backlog,fifo,sns,kinesis-batch,kinesis-single picks workloads.
import { putRecordWorkload, putRecordsWorkload } from "./kinesis.mjs";
import { snsWorkload } from "./sns.mjs";
import { backlogWorkload, batchedWorkload, fifoWorkload, singleWorkload } from "./sqs.mjs";
import { startFauxqs, startKinesalite, startLocalAwsSqs, startThisService } from "./servers.mjs";

const opts = {
  messages: Number(process.env.BENCH_MESSAGES ?? 20000),
  workers: Number(process.env.BENCH_WORKERS ?? 8),
  backlog: Number(process.env.BENCH_BACKLOG ?? 100000),
  sample: Number(process.env.BENCH_SAMPLE ?? 5000),
};
const only = process.env.BENCH_ONLY?.split(",");
const pick = (workloads) => workloads.filter(([name]) => !only || only.includes(name));

const suites = [
  {
    title: `SQS: ${opts.messages} messages, ${opts.workers} concurrent clients, backlog ${opts.backlog}`,
    peer: startLocalAwsSqs,
    workloads: pick([
      ["batched", (endpoint) => batchedWorkload(endpoint, opts)],
      ["single", (endpoint) => singleWorkload(endpoint, opts)],
      ["backlog", (endpoint) => backlogWorkload(endpoint, opts)],
      ["fifo", (endpoint) => fifoWorkload(endpoint, opts)],
    ]),
  },
  {
    title: `SNS: ${Math.max(10, Math.floor(opts.messages / 10))} messages per run, ${opts.workers} concurrent publishers`,
    peer: startFauxqs,
    workloads: pick([["sns", (endpoint) => snsWorkload(endpoint, opts)]]),
  },
  {
    title: `Kinesis: ${opts.messages} records of 1 KB into 4 shards (PutRecords), ${Math.floor(opts.messages / 2)} PutRecord calls`,
    // Throughput limits off, as in kinesalite (which has none), and no CREATING delay.
    ours: () => startThisService({ KINESIS_THROTTLING: "false", KINESIS_STATUS_DELAY_MS: "0" }),
    peer: startKinesalite,
    workloads: pick([
      ["kinesis-batch", (endpoint) => putRecordsWorkload(endpoint, opts)],
      ["kinesis-single", (endpoint) => putRecordWorkload(endpoint, opts)],
    ]),
  },
];

async function measure(start, workloads) {
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

for (const suite of suites) {
  if (!suite.workloads.length) continue;
  console.log(suite.title);
  const ours = await measure(suite.ours ?? (() => startThisService()), suite.workloads);
  const peer = await measure(suite.peer, suite.workloads);
  console.table(
    Object.keys(ours.results).map((metric) => {
      const a = ours.results[metric];
      const b = peer.results[metric];
      return { metric, [ours.name]: Math.round(a), [peer.name]: Math.round(b), ratio: (a / b).toFixed(2) };
    }),
  );
}
