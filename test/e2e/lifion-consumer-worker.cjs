/**
 * One lifion-kinesis consumer in its own worker thread, so a test can end it the way a process ends
 * (Worker.terminate): lifion's stopConsumer() leaves a poll that is in flight running on (it re-arms
 * its timer when the call returns), which a consumer in the test's own thread would keep doing.
 * Options come in workerData; records, log lines and the start go back as messages.
 */
"use strict";
const { parentPort, workerData } = require("node:worker_threads");

// lifion-kinesis 1.3.3 sends enhanced fan-out's SubscribeToShard to kinesis.<region>.amazonaws.com
// whatever the endpoint (aws4 signs got's options, which carry no host, and sets its own:
// lifion/lifion-kinesis#746, fixed in 1.4.0, which the registry does not have). The port stays the
// endpoint's, so in this thread that name resolves to the endpoint's host; every other call honours
// the endpoint anyway.
const endpointHost = new URL(workerData.endpoint).hostname;
const dns = require("node:dns");
const lookup = dns.lookup;
dns.lookup = (host, options, callback) =>
  lookup(/^kinesis\.[a-z0-9-]+\.amazonaws\.com$/.test(host) ? endpointHost : host, options, callback);

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
