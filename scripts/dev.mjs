#!/usr/bin/env node
// `npm run dev`: serves every service on http://localhost:4566 (PORT to change it) through `wrangler dev`
// (live reload while developing; `npm start` serves the same Worker faster, see serve.mjs),
// with Durable Object state persisted under STATE_DIR (default .wrangler/state) across restarts.
import { spawn } from "node:child_process";

const port = process.env.PORT ?? "4566";
const host = process.env.HOST ?? "127.0.0.1";
const stateDir = process.env.STATE_DIR ?? ".wrangler/state";

const child = spawn(
  "wrangler",
  [
    "dev",
    "--ip",
    host,
    "--port",
    port,
    "--persist-to",
    stateDir,
    "--show-interactive-dev-session=false",
    ...process.argv.slice(2),
  ],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      // Offline-friendly: no fetch of the Request.cf blob, no telemetry prompt.
      CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? "false",
      WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false",
    },
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
