/**
 * The real `npm start` server (scripts/serve.mjs) in a process of its own, for the tests that need one
 * (restart, HTTP/2 front) rather than the shared test harness: started on a free port with a state
 * folder, and always stopped, workerd included.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { sleep } from "./helpers";

export const START_TIMEOUT_MS = 90_000;
export const STOP_TIMEOUT_MS = 15_000;

export interface LocalServer {
  child: ChildProcess;
  endpoint: string;
  output: string[];
}

/** Servers started and not yet stopped, so an afterAll can stop them whatever a test left behind. */
const running = new Set<LocalServer>();

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the server on `stateDir` (`env` overrides wrangler.toml [vars]) and waits until it answers. */
export async function startServer(stateDir: string, env: Record<string, string> = {}): Promise<LocalServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(process.cwd(), "scripts/serve.mjs")], {
    cwd: process.cwd(),
    env: { ...process.env, PORT: String(port), STATE_DIR: stateDir, BUILD_DIR: `${stateDir}-build`, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Own process group, so stopping it also stops workerd, which serve.mjs spawns.
    detached: true,
  });
  const output: string[] = [];
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const server = { child, endpoint: `http://127.0.0.1:${port}`, output };
  running.add(server);

  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited early (${child.exitCode ?? child.signalCode}):\n${output.join("")}`);
    }
    try {
      // Any HTTP answer means the Worker is serving.
      await fetch(`${server.endpoint}/_health`, { signal: AbortSignal.timeout(2000) });
      return server;
    } catch {
      await sleep(300);
    }
  }
  await stopServer(server);
  throw new Error(`the server did not answer within ${START_TIMEOUT_MS} ms:\n${output.join("")}`);
}

/** SIGTERM to the process group we started, then SIGKILL if it lingers. */
export async function stopServer(server: LocalServer): Promise<void> {
  running.delete(server);
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = sleep(STOP_TIMEOUT_MS, "timeout" as const);
  if ((await Promise.race([exited, timer])) === "timeout") {
    signal("SIGKILL");
    await Promise.race([exited, sleep(5000)]);
  }
}

/** Stops every server this file's tests started and did not stop. */
export async function stopServers(): Promise<void> {
  for (const server of [...running]) await stopServer(server);
}

/** SIGKILL to the server's whole process group (workerd included): no shutdown of any kind. */
export async function killServer(server: LocalServer): Promise<void> {
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  process.kill(-server.child.pid!, "SIGKILL");
  await exited;
  await stopServer(server); // forgets it (already gone)
  await sleep(300);
}
