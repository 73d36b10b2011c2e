/**
 * A 1 GiB object put and got back with @aws-sdk/client-s3 (default configuration: aws-chunked with a
 * CRC32 trailer), generated and checked as streams, while workerd's resident memory is sampled: it
 * must stay far below the object's size (bodies are streamed in 1 MiB chunks, never held whole).
 * It runs its own server (scripts/serve.mjs) to know workerd's process. About 30 s on two cores, so
 * it runs only with S3_BIG_TEST=1 (S3_BIG_TEST_MIB changes the size).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { START_TIMEOUT_MS, startServer, stopServers, type LocalServer } from "./local-server";
import { bucketName, s3, s3Client } from "./s3-clients";

const enabled = process.env.S3_BIG_TEST === "1";
const SIZE = Number(process.env.S3_BIG_TEST_MIB ?? "1024") * 1024 * 1024;
const BLOCK = 1024 * 1024;

/** The body: block i is filled with byte i & 0xff, so it is cheap to generate and to check. */
function body(size: number): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i * BLOCK >= size) return this.push(null);
      this.push(Buffer.alloc(Math.min(BLOCK, size - i * BLOCK), i & 0xff));
      i++;
    },
  });
}

function expectedMd5(size: number): string {
  const hash = createHash("md5");
  for (let i = 0; i * BLOCK < size; i++) hash.update(Buffer.alloc(Math.min(BLOCK, size - i * BLOCK), i & 0xff));
  return hash.digest("hex");
}

/** workerd processes whose parent is `pid` (serve.mjs spawns it). */
function workerdPids(pid: number): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return ppid === pid && readFileSync(`/proc/${d}/comm`, "utf8").trim() === "workerd";
      } catch {
        return false;
      }
    })
    .map(Number);
}

const rssBytes = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
};

describe.runIf(enabled)("a 1 GiB object", () => {
  let stateDir: string;
  let server: LocalServer;

  beforeAll(async () => {
    // Here rather than at collection: a skipped suite leaves no folder behind.
    stateDir = mkdtempSync(join(tmpdir(), "s3-big-"));
    server = await startServer(stateDir);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await stopServers();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(`${stateDir}-build`, { recursive: true, force: true });
  }, 60_000);

  it("is put and got back as streams with workerd's memory far below its size", { timeout: 300_000 }, async () => {
    const [workerd] = workerdPids(server.child.pid!);
    expect(workerd).toBeDefined();
    const baseline = rssBytes(workerd!);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(workerd!));
    }, 100);
    try {
      const client = s3Client({ endpoint: server.endpoint });
      const Bucket = bucketName("big");
      await client.send(new s3.CreateBucketCommand({ Bucket }));
      let t = Date.now();
      const put = await client.send(new s3.PutObjectCommand({ Bucket, Key: "big", Body: body(SIZE), ContentLength: SIZE }));
      const putMs = Date.now() - t;
      const putPeak = peak;
      t = Date.now();
      const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "big" }));
      const hash = createHash("md5");
      let received = 0;
      for await (const part of got.Body as Readable) {
        hash.update(part as Buffer);
        received += (part as Buffer).length;
      }
      const getMs = Date.now() - t;
      const md5 = expectedMd5(SIZE);
      console.log(
        `S3 ${SIZE / 2 ** 20} MiB: put ${putMs} ms, get ${getMs} ms; workerd RSS ${Math.round(baseline / 2 ** 20)} MiB before, peak ${Math.round(putPeak / 2 ** 20)} MiB during the put, ${Math.round(peak / 2 ** 20)} MiB overall`,
      );
      expect(put.ETag).toBe(`"${md5}"`);
      expect(received).toBe(SIZE);
      expect(hash.digest("hex")).toBe(md5);
      // Bounded whatever the size: what the collector lets pile up, not the object (a quarter of 1 GiB).
      expect(peak - baseline).toBeLessThan(256 * 2 ** 20);
    } finally {
      clearInterval(sampler);
    }
  });
});
