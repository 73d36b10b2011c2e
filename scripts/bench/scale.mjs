// `npm run bench -- --scale`: the cost of calls at small and at large size, back to back on this
// service (issue 10's "cost that does not grow with size"). Each workload reports its lines and the
// large/small ratios (target: ≤ 1.2).
import { kinesisScaleWorkload } from "./scale-kinesis.mjs";
import { snsScaleWorkload } from "./scale-sns.mjs";
import { sqsScaleWorkload } from "./scale-sqs.mjs";

/** [name, run(endpoint)] pairs, as the other suites' workloads. */
export function scaleWorkloads(opts) {
  return [
    ["sqs-scale", (endpoint) => sqsScaleWorkload(endpoint, opts)],
    ["sns-scale", (endpoint) => snsScaleWorkload(endpoint, opts)],
    ["kinesis-scale", (endpoint) => kinesisScaleWorkload(endpoint, opts)],
  ];
}
