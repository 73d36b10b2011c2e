/**
 * The fronts of `npm start` as modules, for tests that start them alone: scripts/front.mjs (Node) and
 * scripts/native-front.mjs (Linux, built with the machine's C compiler), and whether the native one can
 * be built here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export type Target = { host: string; port: number } | { path: string };
interface FrontModule {
  startFront(options: { host: string; port: number; target: Target }): Promise<NetServer>;
}
interface NativeFrontModule {
  buildNativeFront(buildDir: string): string | undefined;
  startNativeFront(options: {
    binary: string;
    host: string;
    port: number;
    target: { path: string };
    http2Path: string;
  }): Promise<{ close(): void }>;
}

const script = async <T>(name: string) => (await import(pathToFileURL(join(process.cwd(), "scripts", name)).href)) as T;
export const { startFront } = await script<FrontModule>("front.mjs");
export const { startNativeFront, buildNativeFront } = await script<NativeFrontModule>("native-front.mjs");

/** A folder for the native front's binary and sockets, and the binary built there (undefined: cannot be). */
export function nativeFrontBuild(): { buildDir: string; binary: string | undefined; remove(): void } {
  const buildDir = mkdtempSync(join(tmpdir(), "front-build-"));
  return { buildDir, binary: buildNativeFront(buildDir), remove: () => rmSync(buildDir, { recursive: true, force: true }) };
}
