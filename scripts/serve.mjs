#!/usr/bin/env node
// `npm start`: bundles the Worker with wrangler and serves it with workerd directly, the runtime
// wrangler itself uses, on http://localhost:4566 (PORT, HOST to change), with Durable Object SQLite
// files under STATE_DIR (default .wrangler/state/workerd) so state survives restarts. The bundle and
// the generated workerd config go to BUILD_DIR (default .wrangler/serve).
//
// EPHEMERAL=true (for CI, as LocalStack runs by default) keeps state in a fresh folder in memory
// instead (/dev/shm where it is tmpfs, else a temporary folder), emptied at start and removed at exit;
// STATE_DIR is then ignored.
//
// workerd speaks HTTP/1.1 only; the AWS SDK for JavaScript v3's Kinesis client speaks HTTP/2. So
// workerd listens on an internal Unix socket and a small front owns PORT: HTTP/2 connections are
// translated (front.mjs), everything else is piped to workerd untouched, by a native helper on Linux
// (native-front.mjs; NATIVE_FRONT=false, or no C compiler: by front.mjs too). HTTP2_FRONT=false serves
// workerd directly on PORT instead (HTTP/1.1 only).
//
// Variables of wrangler.toml's [vars] can be overridden from the environment under the same name, e.g.
// `KINESIS_THROTTLING=false npm start`.
//
// Why not `wrangler dev` here: its dev proxy and entry workers (with the inspector attached) add
// 5–10 ms to every request; served directly, a request costs about 1 ms. `npm run dev` still runs
// `wrangler dev` for live reload while developing.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";
import { startFront } from "./front.mjs";
import { buildNativeFront, startNativeFront } from "./native-front.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const port = process.env.PORT ?? "4566";
const host = process.env.HOST ?? "127.0.0.1";
const yes = (value) => /^(1|true|on|yes)$/i.test(value ?? "");
const no = (value) => /^(0|false|off|no)$/i.test(value ?? "");
const ephemeral = yes(process.env.EPHEMERAL);
const buildDir = resolve(root, process.env.BUILD_DIR ?? ".wrangler/serve");
// Another Worker's config (the benchmark's floor Worker); wrangler.toml by default.
const configPath = resolve(root, process.env.WRANGLER_CONFIG ?? "wrangler.toml");
const useFront = !no(process.env.HTTP2_FRONT);
// With the front, workerd listens on a Unix socket of its own: cheaper per request than loopback TCP
// (measured: about 10% more SQS requests per second through the front than with a loopback port).
const workerdSocket = join(tmpdir(), `aws-messaging-${process.pid}.sock`);
const workerdAddress = useFront ? `unix:${workerdSocket}` : `${host}:${port}`;
const env = {
  ...process.env,
  // The project's own wrangler, workerd and Node 22 first, also when run as `node scripts/serve.mjs`.
  PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
};

/** Whether `path` is a tmpfs mount point (Linux; elsewhere there is no /proc/mounts and the answer is no). */
function isTmpfs(path) {
  try {
    return readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .some((line) => {
        const [, mountPoint, type] = line.split(" ");
        return mountPoint === path && type === "tmpfs";
      });
  } catch {
    return false;
  }
}

const EPHEMERAL_PREFIX = "aws-messaging-state-";

/** Whether process `pid` still runs (EPERM: it does, as another user). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code !== "ESRCH";
  }
}

/**
 * A new, empty state folder in memory for EPHEMERAL=true, named after this process. Folders that
 * earlier runs could not remove (killed with SIGKILL) would hold memory until reboot, so those whose
 * process is gone are removed first.
 */
function ephemeralStateDir() {
  const parent = isTmpfs("/dev/shm") ? "/dev/shm" : tmpdir();
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(EPHEMERAL_PREFIX)) continue;
    const owner = Number(name.slice(EPHEMERAL_PREFIX.length).split("-")[0]);
    if (!Number.isInteger(owner) || alive(owner)) continue;
    try {
      rmSync(join(parent, name), { recursive: true, force: true });
    } catch {
      // Not ours to remove (another user's): left to its owner.
    }
  }
  return mkdtempSync(join(parent, `${EPHEMERAL_PREFIX}${process.pid}-`));
}

function build() {
  const result = spawnSync("wrangler", ["deploy", "--dry-run", "--outdir", buildDir, "--config", configPath], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error("bundling the Worker failed");
}

/** Secrets come from the environment or .dev.vars (KEY=value lines), as with wrangler dev. */
function secrets() {
  const out = {};
  const file = join(root, ".dev.vars");
  if (existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
      if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
    }
  }
  if (process.env.ACCESS_KEYS) out.ACCESS_KEYS = process.env.ACCESS_KEYS;
  return out;
}

const capnpString = (s) => JSON.stringify(String(s));

/** wrangler.toml's [vars], each overridable by an environment variable of the same name. */
function vars(config) {
  const out = { ...config.vars };
  for (const name of Object.keys(out)) if (process.env[name] !== undefined) out[name] = process.env[name];
  return out;
}

/** A workerd config equivalent to wrangler.toml: same bindings, vars, classes and compatibility. */
function workerdConfig(config) {
  const sqlClasses = new Set(config.migrations.flatMap((m) => m.new_sqlite_classes ?? []));
  const namespaces = config.durable_objects.bindings;
  const bindings = [
    ...namespaces.map((b) => `(name = ${capnpString(b.name)}, durableObjectNamespace = ${capnpString(b.class_name)})`),
    ...Object.entries({ ...vars(config), ...secrets() }).map(
      ([name, value]) =>
        `(name = ${capnpString(name)}, text = ${capnpString(typeof value === "string" ? value : JSON.stringify(value))})`,
    ),
  ];
  const classes = [...new Set(namespaces.map((b) => b.class_name))].map(
    (cls) =>
      `(className = ${capnpString(cls)}, uniqueKey = ${capnpString(`${config.name}-${cls}`)}, enableSql = ${sqlClasses.has(cls)})`,
  );
  const flags = config.compatibility_flags.filter((f) => f !== "nodejs_compat").map(capnpString);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "state", disk = (path = ${capnpString(stateDir)}, writable = true)),
    # SNS delivers to HTTP/S subscribers on this machine and network too, not only on the internet.
    (name = "outbound", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [(name = "http", address = ${capnpString(workerdAddress)}, http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = ${capnpString(config.compatibility_date)},
  compatibilityFlags = [${flags.join(", ")}],
  bindings = [${bindings.join(",\n    ")}],
  durableObjectNamespaces = [${classes.join(",\n    ")}],
  durableObjectStorage = (localDisk = "state"),
  globalOutbound = "outbound",
);
`;
}

build();
// Built before workerd starts, so that a compile does not delay the port opening once it is ready.
const nativeFront = useFront && !no(process.env.NATIVE_FRONT) ? buildNativeFront(buildDir) : undefined;
const stateDir = ephemeral ? ephemeralStateDir() : resolve(root, process.env.STATE_DIR ?? ".wrangler/state/workerd");
mkdirSync(stateDir, { recursive: true });
// Also on exits that skip the child's exit handler (an error of this script); not on SIGKILL, see above.
if (ephemeral) process.on("exit", () => rmSync(stateDir, { recursive: true, force: true }));
if (useFront) rmSync(workerdSocket, { force: true });
const configFile = join(buildDir, "workerd.capnp");
writeFileSync(configFile, workerdConfig(unstable_readConfig({ config: configPath })));

// INSPECTOR_PORT attaches the V8 inspector (Chrome DevTools, CPU profiles); it slows requests down.
const inspector = process.env.INSPECTOR_PORT ? [`--inspector-addr=127.0.0.1:${process.env.INSPECTOR_PORT}`] : [];
const child = spawn("workerd", ["serve", configFile, ...inspector], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true;
    child.kill(signal);
  });
}
child.on("exit", (code, signal) => {
  if (useFront) rmSync(workerdSocket, { force: true });
  process.exit(process.exitCode || (code ?? (signal ? 0 : 1)));
});

/** Resolves once workerd answers its health check. */
const healthy = () =>
  new Promise((resolve, reject) => {
    const target = useFront ? { socketPath: workerdSocket } : { host, port: Number(port) };
    const req = httpRequest({ ...target, path: "/_health" }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", reject);
    req.end();
  });
// workerd needs a few seconds to start, more on a busy machine: wait for it as long as it runs (up to
// 2 minutes). The front must open PORT in the end either way, or nothing would ever answer there.
const deadline = Date.now() + 120_000;
let up = false;
while (!up && child.exitCode === null && Date.now() < deadline) {
  try {
    await healthy();
    up = true;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** Opens PORT: the native front where it could be built, else the one in Node (front.mjs). */
async function openFront() {
  const target = { path: workerdSocket };
  if (!nativeFront) return startFront({ host, port, target });
  const http2Path = workerdSocket.replace(/\.sock$/, "-h2.sock");
  const front = await startNativeFront({ binary: nativeFront, host, port, target, http2Path });
  process.on("exit", front.close);
  // Without it nothing answers on PORT: stop, as when workerd stops.
  front.child.on("exit", () => {
    if (stopping || child.exitCode !== null) return;
    console.error("the native front stopped");
    process.exitCode = 1;
    child.kill("SIGTERM");
  });
}

if (child.exitCode === null) {
  if (useFront) {
    await openFront().catch((error) => {
      console.error(`cannot listen on ${host}:${port}: ${error.message}`);
      child.kill("SIGTERM");
      process.exit(1);
    });
  }
  const shown = `http://${host === "127.0.0.1" ? "localhost" : host}:${port}`;
  if (up) {
    const state = ephemeral ? `ephemeral state in ${stateDir}, removed at exit` : `state in ${stateDir}`;
    console.log(
      `Ready: SQS, SNS, Kinesis, S3 and Firehose on ${shown}${useFront ? ` (HTTP/1.1 and HTTP/2, ${nativeFront ? "native" : "Node"} front)` : ""} (${state})`,
    );
  } else {
    console.error(`workerd has not answered on ${shown} within 2 minutes; still waiting for it`);
  }
}
