// Starting and stopping the systems a benchmark compares: this service as `npm start` runs it
// (scripts/serve.mjs) and peers from npm, each in its own process on a loopback port.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Waits for an HTTP answer; a server that exits or does not answer in time is stopped, and this throws. */
async function waitUntilUp(url, child, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode})`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await stopper(child)();
  throw new Error(`server at ${url} did not start within ${timeoutMs / 1000} s`);
}

function stopper(child, cleanup) {
  return async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => {
        const t = setTimeout(() => {
          child.kill("SIGKILL");
          r();
        }, 5000);
        child.once("exit", () => {
          clearTimeout(t);
          r();
        });
      });
    }
    cleanup?.();
  };
}

/**
 * This service, as `npm start` runs it (scripts/serve.mjs), with a throwaway state folder; `vars`
 * override wrangler.toml's [vars] (serve.mjs reads them from the environment).
 */
export async function startThisService(vars = {}, name = "this service") {
  const port = await freePort();
  const state = mkdtempSync(join(process.env.BENCH_STATE_ROOT ?? tmpdir(), "bench-state-"));
  const child = spawn(process.execPath, ["scripts/serve.mjs"], {
    stdio: ["ignore", "ignore", "inherit"],
    // Its own build folder too, so a benchmark never rewrites the bundle a running `npm start` uses.
    env: { ...process.env, ...vars, PORT: String(port), STATE_DIR: state, BUILD_DIR: `${state}-build` },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const cleanup = () => {
    rmSync(state, { recursive: true, force: true });
    rmSync(`${state}-build`, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(`${endpoint}/_health`, child);
  } catch (error) {
    cleanup();
    throw error;
  }
  return { name, endpoint, stop: stopper(child, cleanup) };
}

/** The runtime's floor (floor/worker.js), served exactly as this service is: same binary, front and disk. */
export const startFloor = () => startThisService({ WRANGLER_CONFIG: "scripts/bench/floor/wrangler.toml" }, "floor");

/** The npm package local-aws-sqs (in-memory SQS in Node), in a child process. */
export async function startLocalAwsSqs() {
  const port = await freePort();
  const code = `import("local-aws-sqs").then(({ createSqsServer }) => createSqsServer({ port: ${port}, hostname: "127.0.0.1" }))`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "ignore", "inherit"] });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child);
  return { name: "local-aws-sqs", endpoint, stop: stopper(child) };
}

/** The npm package fauxqs (in-memory SNS + SQS in Node; needs Node 22), in a child process. */
export async function startFauxqs() {
  const port = await freePort();
  const code = `import("fauxqs").then(({ startFauxqs }) => startFauxqs({ port: ${port}, host: "127.0.0.1", logger: false }))`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "ignore", "inherit"] });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child);
  return { name: "fauxqs", endpoint, stop: stopper(child) };
}

/**
 * The npm package kinesalite (Kinesis in Node, in memory without --path), in a child process, with
 * no CREATING/UPDATING/DELETING delays and a shard limit that the benchmark streams stay under.
 */
export async function startKinesalite() {
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--createStreamMs",
    "0",
    "--deleteStreamMs",
    "0",
    "--updateStreamMs",
    "0",
    "--shardLimit",
    "1000",
  ];
  const child = spawn(process.execPath, [join("node_modules", "kinesalite", "cli.js"), ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child);
  return { name: "kinesalite", endpoint, stop: stopper(child) };
}

/** The npm package s3rver (S3 in Node, objects as files in a throwaway folder), in a child process. */
export async function startS3rver() {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), "bench-s3rver-"));
  const code = `const S3rver = require("s3rver"); new S3rver({ port: ${port}, address: "127.0.0.1", silent: true, directory: ${JSON.stringify(directory)} }).run()`;
  // Its continuation tokens use a cipher OpenSSL 3 keeps in the legacy provider.
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "-e", code], { stdio: ["ignore", "ignore", "inherit"] });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child);
  return { name: "s3rver", endpoint, stop: stopper(child, () => rmSync(directory, { recursive: true, force: true })) };
}

/** The npm package dynalite (DynamoDB in Node, in memory without --path), in a child process, with no CREATING/UPDATING/DELETING delays. */
export async function startDynalite() {
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--createTableMs",
    "0",
    "--deleteTableMs",
    "0",
    "--updateTableMs",
    "0",
  ];
  const child = spawn(process.execPath, [join("node_modules", "dynalite", "cli.js"), ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child);
  return { name: "dynalite", endpoint, stop: stopper(child) };
}
