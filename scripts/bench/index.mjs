#!/usr/bin/env node
// `npm run bench`: the same workloads against this service and, in the same run, against a peer
// emulator from npm (SQS: local-aws-sqs; SNS and latency: fauxqs; Kinesis: kinesalite; S3: s3rver;
// DynamoDB: dynalite), and the
// runtime's floor (scripts/bench/floor: one Durable Object RPC + one SQLite INSERT per request, same
// workerd, front and disk). Every line prints its rate, its ratio to the peer and its ratio to the
// floor's request rate ("× floor": for single-call lines the share of the floor reached, for batch
// lines the messages stored per floor request).
//
//   npm run bench                 every throughput and latency line, one round
//   npm run bench -- --quick      small sizes, under two minutes
//   npm run bench -- --scale      cost at small and large size, back to back (ratios large/small)
//   BENCH_ROUNDS=3 npm run bench  alternates the systems 3 times and prints medians
//
// Sizes: BENCH_MESSAGES (default 20000; also the Kinesis record count), BENCH_WORKERS (8),
// BENCH_BACKLOG (100000), BENCH_SAMPLE (5000), BENCH_SCALE_MESSAGES (500000);
// BENCH_ONLY=batched,single,backlog,fifo,sns,kinesis-batch,kinesis-single,s3,s3-crc,firehose,dynamodb,latency picks workloads.
import { dynamodbWorkload } from "./dynamodb.mjs";
import { firehoseWorkload } from "./firehose.mjs";
import { floorWorkload } from "./floor.mjs";
import { putRecordWorkload, putRecordsWorkload } from "./kinesis.mjs";
import { latencyWorkload } from "./latency.mjs";
import { scaleWorkloads } from "./scale.mjs";
import { s3DefaultChecksumsWorkload, s3Workload } from "./s3.mjs";
import {
  startDynalite,
  startFauxqs,
  startFloor,
  startKinesalite,
  startLocalAwsSqs,
  startS3rver,
  startThisService,
} from "./servers.mjs";
import { snsWorkload } from "./sns.mjs";
import { backlogWorkload, batchedWorkload, fifoWorkload, singleWorkload } from "./sqs.mjs";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const env = (name, normal, small) => Number(process.env[name] ?? (quick ? small : normal));
const opts = {
  messages: env("BENCH_MESSAGES", 20000, 2000),
  workers: env("BENCH_WORKERS", 8, 8),
  backlog: env("BENCH_BACKLOG", 100000, 10000),
  sample: env("BENCH_SAMPLE", 5000, 1000),
  latencySamples: env("BENCH_LATENCY_SAMPLES", 400, 80),
  scaleMessages: env("BENCH_SCALE_MESSAGES", 500000, 50000),
};
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const only = process.env.BENCH_ONLY?.split(",");
const pick = (workloads) => workloads.filter(([name]) => !only || only.includes(name));

// Our server runs with Kinesis throughput limits off (kinesalite has none) and no CREATING delay.
const startOurs = () => startThisService({ KINESIS_THROTTLING: "false", KINESIS_STATUS_DELAY_MS: "0" });

const suites = args.has("--scale")
  ? [{ title: `Scale: small vs large (${opts.scaleMessages} messages)`, workloads: scaleWorkloads(opts) }]
  : [
      {
        title: `SQS: ${opts.messages} messages, ${opts.workers} concurrent clients, backlog ${opts.backlog}`,
        peer: startLocalAwsSqs,
        workloads: pick([
          ["batched", (endpoint) => batchedWorkload(endpoint, opts)],
          ["single", (endpoint) => singleWorkload(endpoint, opts)],
          ["backlog", (endpoint) => backlogWorkload(endpoint, opts)],
          ...(quick ? [] : [["fifo", (endpoint) => fifoWorkload(endpoint, opts)]]),
        ]),
      },
      {
        title: `SNS: ${Math.max(10, Math.floor(opts.messages / 10))} messages per run, ${opts.workers} concurrent publishers`,
        peer: startFauxqs,
        workloads: pick([["sns", (endpoint) => snsWorkload(endpoint, opts)]]),
      },
      {
        title: `Kinesis: ${opts.messages} records of 1 KB into 4 shards (PutRecords), ${Math.floor(opts.messages / 2)} PutRecord calls`,
        peer: startKinesalite,
        workloads: pick([
          ["kinesis-batch", (endpoint) => putRecordsWorkload(endpoint, opts)],
          ["kinesis-single", (endpoint) => putRecordWorkload(endpoint, opts)],
        ]),
      },
      {
        title: "S3: objects with 8 clients (same client settings on both: checksums when required)",
        peer: startS3rver,
        workloads: pick([["s3", (endpoint) => s3Workload(endpoint, opts)]]),
      },
      {
        title: "S3 with the SDK's default checksums (this service only: s3rver predates them)",
        workloads: pick([["s3-crc", (endpoint) => s3DefaultChecksumsWorkload(endpoint, opts)]]),
      },
      {
        title: `Firehose: ${opts.messages} records of 1 KB, PutRecordBatch of 500 from ${opts.workers} clients, until listed in S3 (no peer delivers Firehose data: compare Kinesis PutRecords above and × floor)`,
        // Records/s lines are also shown as a share of this service's own Kinesis PutRecords rate.
        relativeTo: "PutRecords, 500 × 1 KB, 8 in flight (records/s)",
        workloads: pick([["firehose", (endpoint) => firehoseWorkload(endpoint, opts)]]),
      },
      {
        title: `DynamoDB: ${Math.floor(opts.messages / 2)} items (PutItem, GetItem, conditional UpdateItem), ${Math.floor(opts.messages / 20)} Queries of 100 items, ${opts.workers} clients`,
        peer: startDynalite,
        workloads: pick([["dynamodb", (endpoint) => dynamodbWorkload(endpoint, opts)]]),
      },
      {
        title: "Latency (ms; lower is better; ratio = ours / peer)",
        peer: startFauxqs,
        latency: true,
        workloads: pick([["latency", (endpoint) => latencyWorkload(endpoint, opts)]]),
      },
    ].filter((suite) => suite.workloads.length);

/** The suite each metric belongs to (filled as workloads report). */
const suiteOf = new Map();

/** Starts a system, runs `[suite, [name, run]]` workloads against it, stops it; returns { metric: value }. */
async function measure(start, workloads) {
  const system = await start();
  const results = {};
  try {
    for (const [suite, [name, run]] of workloads) {
      process.stderr.write(`${system.name} (${system.endpoint}): ${name}…\n`);
      const out = await run(system.endpoint);
      for (const metric of Object.keys(out)) if (suite) suiteOf.set(metric, suite);
      Object.assign(results, out);
    }
  } finally {
    await system.stop();
  }
  return results;
}

const median = (values = []) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** metric → values over rounds, per system. */
const samples = { floor: {}, ours: {}, peers: new Map() };
const add = (into, results) => {
  for (const [metric, value] of Object.entries(results)) (into[metric] ??= []).push(value);
};
const workloadsOf = (list) => list.flatMap((suite) => suite.workloads.map((w) => [suite, w]));

const peers = [...new Set(suites.map((s) => s.peer).filter(Boolean))];
for (let round = 0; round < rounds; round++) {
  if (rounds > 1) process.stderr.write(`round ${round + 1} of ${rounds}\n`);
  const ours = async () => add(samples.ours, await measure(startOurs, workloadsOf(suites)));
  const others = async () => {
    if (!args.has("--scale"))
      add(samples.floor, await measure(startFloor, [[undefined, ["floor", (e) => floorWorkload(e, opts)]]]));
    for (const peer of peers) {
      if (!samples.peers.has(peer)) samples.peers.set(peer, {});
      add(samples.peers.get(peer), await measure(peer, workloadsOf(suites.filter((s) => s.peer === peer))));
    }
  };
  // Alternate which side goes first, so a slow drift of the machine favours neither.
  if (round % 2 === 0) {
    await ours();
    await others();
  } else {
    await others();
    await ours();
  }
}

const floorRate = median(Object.values(samples.floor)[0]);
if (Number.isFinite(floorRate)) console.log(`Floor: ${Math.round(floorRate)} req/s (one Durable Object RPC + one SQLite INSERT)`);
const fmt = (v) => (!Number.isFinite(v) ? "–" : v >= 100 ? Math.round(v) : Number(v.toFixed(v >= 10 ? 1 : 2)));
const PEER_NAMES = new Map([
  [startLocalAwsSqs, "local-aws-sqs"],
  [startFauxqs, "fauxqs"],
  [startKinesalite, "kinesalite"],
  [startS3rver, "s3rver"],
  [startDynalite, "dynalite"],
]);
for (const suite of suites) {
  console.log(`\n${suite.title}${rounds > 1 ? ` (medians of ${rounds} rounds)` : ""}`);
  const peerSamples = suite.peer && samples.peers.get(suite.peer);
  const metrics = Object.keys(samples.ours).filter((metric) => suiteOf.get(metric) === suite);
  console.table(
    metrics.map((metric) => {
      const value = median(samples.ours[metric]);
      const row = { metric, "this service": fmt(value) };
      if (peerSamples) {
        const peer = median(peerSamples[metric]);
        row[PEER_NAMES.get(suite.peer)] = fmt(peer);
        row.ratio = Number.isFinite(peer) ? Number((value / peer).toFixed(2)) : "–";
      }
      if (suite.relativeTo && /records\/s\)$/.test(metric)) {
        const base = median(samples.ours[suite.relativeTo]);
        row["× Kinesis PutRecords"] = Number.isFinite(base) ? Number((value / base).toFixed(2)) : "–";
      }
      if (
        !suite.latency &&
        Number.isFinite(floorRate) &&
        /(records|requests|messages|objects|keys)?\/s\)$/.test(metric) &&
        !/MB\/s\)$/.test(metric)
      )
        row["× floor"] = Number((value / floorRate).toFixed(2));
      return row;
    }),
  );
}
