// The front of `npm start` on Linux: front-pipe.c, compiled here with the machine's C compiler, owns
// PORT and copies bytes (HTTP/1.x to workerd, HTTP/2 to the translator of front.mjs on a Unix socket of
// its own). It does what front.mjs's raw pipe does for about half the CPU per request (measured: ~30
// against ~55 µs per SendMessage), which matters on a small machine where the front, workerd and the
// client share the cores. Where it cannot be built (no Linux, no `cc`), serve.mjs uses front.mjs alone.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { platform } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listenHttp2 } from "./front.mjs";

const source = join(dirname(fileURLToPath(import.meta.url)), "front-pipe.c");

/** The compiled helper in buildDir (built once per version of its source), or undefined where it cannot be. */
export function buildNativeFront(buildDir) {
  if (platform() !== "linux") return undefined;
  const code = readFileSync(source);
  const binary = join(buildDir, `front-pipe-${createHash("sha256").update(code).digest("hex").slice(0, 12)}`);
  if (existsSync(binary)) return binary;
  mkdirSync(buildDir, { recursive: true });
  // Compiled under a name of its own, then renamed: two servers starting at once never run half a file.
  const partial = `${binary}.${process.pid}`;
  const result = spawnSync(process.env.CC ?? "cc", ["-O2", "-o", partial, source], { encoding: "utf8", timeout: 60_000 });
  if (result.error || result.status !== 0) {
    // No compiler is expected on some machines; a compiler that fails on this file is a bug to see.
    if (!result.error) console.error(`front-pipe.c did not compile, using the Node front:\n${result.stderr}`);
    rmSync(partial, { force: true });
    return undefined;
  }
  renameSync(partial, binary);
  return binary;
}

/**
 * Listens on host:port with the native front, HTTP/1.x to the Unix socket target.path, HTTP/2 through
 * a translator on http2Path. Resolves with { child, close } once listening; rejects with the reason
 * when it cannot listen (port taken).
 */
export async function startNativeFront({ binary, host, port, target, http2Path }) {
  rmSync(http2Path, { force: true });
  const h2 = await listenHttp2({ path: http2Path, target });
  // stdin stays open as a lifeline: the helper exits when this process is gone, however it ended.
  const child = spawn(binary, [host, String(port), target.path, http2Path], { stdio: ["pipe", "pipe", "pipe"] });
  const close = () => {
    child.kill("SIGTERM");
    h2.close();
    rmSync(http2Path, { force: true });
  };
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  await new Promise((resolve, reject) => {
    child.stdout.once("data", resolve);
    child.once("error", reject);
    child.once("exit", () => reject(new Error(stderr.trim() || "the native front exited")));
  }).catch((error) => {
    close();
    throw error;
  });
  child.stderr.removeAllListeners("data");
  child.stderr.pipe(process.stderr);
  return { child, close };
}
