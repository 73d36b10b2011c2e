/**
 * EPHEMERAL=true `npm start` (scripts/serve.mjs) keeps state in a fresh folder in memory (/dev/shm where
 * it is tmpfs), serves from it, and removes it at exit, so every run starts empty; folders left by runs
 * that were killed are removed at the next start. This file runs its own server processes (not the
 * shared test harness) and always stops them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CreateQueueCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { credentials, uniqueName } from "./clients";
import { sleep } from "./helpers";
import { START_TIMEOUT_MS, STOP_TIMEOUT_MS, startServer, stopServer, stopServers, type LocalServer } from "./local-server";

/** The mount point types of this machine (Linux), or undefined where there is no /proc/mounts. */
function mounts(): Map<string, string> | undefined {
  if (!existsSync("/proc/mounts")) return undefined;
  const out = new Map<string, string>();
  for (const line of readFileSync("/proc/mounts", "utf8").split("\n")) {
    const [, mountPoint, type] = line.split(" ");
    if (mountPoint && type) out.set(mountPoint, type);
  }
  return out;
}

/** The state folder the server printed in its Ready line (which may reach us after its first answer). */
async function stateFolderOf(server: LocalServer): Promise<string> {
  const pattern = /ephemeral state in (\S+), removed at exit/;
  for (let i = 0; i < 50 && !pattern.test(server.output.join("")); i++) await sleep(100);
  const match = pattern.exec(server.output.join(""));
  expect(match, server.output.join("")).not.toBeNull();
  return match![1]!;
}

/** A process id that no process has now (a child that has exited). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString());
}

describe("EPHEMERAL=true npm start", () => {
  const base = mkdtempSync(join(tmpdir(), "ephemeral-"));
  // Given, and ignored in ephemeral mode: nothing may be written there.
  const stateDir = join(base, "state");
  const memoryBacked = mounts()?.get("/dev/shm") === "tmpfs";
  const client = (server: LocalServer) =>
    new SQSClient({ endpoint: server.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });

  afterAll(
    async () => {
      await stopServers();
      rmSync(base, { recursive: true, force: true });
    },
    STOP_TIMEOUT_MS * 2 + 10_000,
  );

  it(
    "serves from an empty folder in memory, removes it at exit, and starts empty again",
    async () => {
      const first = await startServer(stateDir, { EPHEMERAL: "true" });
      const firstFolder = await stateFolderOf(first);
      expect(existsSync(firstFolder)).toBe(true);
      if (memoryBacked) expect(dirname(firstFolder)).toBe("/dev/shm");
      else expect(dirname(firstFolder)).toBe(tmpdir());

      let sqs = client(first);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("ephemeral") }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "in memory" }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
      expect(Messages?.[0]?.Body).toBe("in memory");
      // The SQLite files are in the memory folder, not under STATE_DIR.
      expect(readdirSync(firstFolder, { recursive: true }).length).toBeGreaterThan(0);
      expect(existsSync(stateDir)).toBe(false);
      sqs.destroy();

      await stopServer(first);
      expect(existsSync(firstFolder)).toBe(false);

      const second = await startServer(stateDir, { EPHEMERAL: "true" });
      expect(await stateFolderOf(second)).not.toBe(firstFolder);
      sqs = client(second);
      const listed = await sqs.send(new ListQueuesCommand({}));
      expect(listed.QueueUrls ?? []).toEqual([]);
      sqs.destroy();
      await stopServer(second);
    },
    2 * START_TIMEOUT_MS + 2 * STOP_TIMEOUT_MS,
  );

  it(
    "removes at start the folders of earlier runs that were killed before they could",
    async () => {
      const parent = memoryBacked ? "/dev/shm" : tmpdir();
      const left = join(parent, `aws-messaging-state-${deadPid()}-left`);
      mkdirSync(join(left, "some-object"), { recursive: true });
      try {
        const server = await startServer(stateDir, { EPHEMERAL: "true" });
        expect(existsSync(left)).toBe(false);
        expect(existsSync(await stateFolderOf(server))).toBe(true);
        await stopServer(server);
      } finally {
        rmSync(left, { recursive: true, force: true });
      }
    },
    START_TIMEOUT_MS + STOP_TIMEOUT_MS,
  );
});
