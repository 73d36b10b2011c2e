#!/usr/bin/env node
// `npm test`: type-check, run every vitest project (unit, durable, e2e), and end with a plain
// "N passed, N failed" line that CI reads. Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.WRANGLER_SEND_METRICS ??= "false";

const tsc = spawnSync("tsc", ["--noEmit"], { stdio: "inherit", shell: false });
if (tsc.status !== 0) {
  console.log("type check failed");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "vitest-report-"));
const report = join(dir, "report.json");
const run = spawnSync(
  "vitest",
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);

let passed = 0;
let failed = 0;
try {
  const result = JSON.parse(readFileSync(report, "utf8"));
  passed = result.numPassedTests;
  failed = result.numFailedTests + (result.numTotalTestSuites && !result.success && result.numFailedTests === 0 ? 1 : 0);
} catch {
  failed = 1;
}
rmSync(dir, { recursive: true, force: true });
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && run.status === 0 ? 0 : 1);
