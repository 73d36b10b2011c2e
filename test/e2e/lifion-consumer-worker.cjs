/**
 * One lifion-kinesis consumer in its own worker thread, so a test can end it the way a process ends
 * (Worker.terminate): lifion's stopConsumer() leaves a poll that is in flight running on (it re-arms
 * its timer when the call returns), which a consumer in the test's own thread would keep doing.
 * Options come in workerData; records, log lines and the start go back as messages.
 */
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const Kinesis = require("lifion-kinesis");

const say =
  (level) =>
  (...args) =>
    parentPort.postMessage({ problem: `${level}: ${args.map(String).join(" ")}` });
const client = new Kinesis({ ...workerData, logger: { warn: say("warn"), error: say("error") } });
client.on("data", ({ shardId, records }) => {
  parentPort.postMessage({ records: records.map((r) => ({ id: r.data.id, shardId })) });
});
client.on("error", (err) => parentPort.postMessage({ problem: `stream error: ${err.message}` }));
client.startConsumer().then(
  () => parentPort.postMessage({ started: true }),
  (err) => parentPort.postMessage({ failed: String(err && err.stack) }),
);
