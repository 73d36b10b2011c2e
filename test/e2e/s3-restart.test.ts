/**
 * S3 state survives a SIGKILL of the local server (scripts/serve.mjs with STATE_DIR): an acknowledged
 * object is there after the restart, byte for byte, and a PUT killed mid-body leaves no object (its
 * chunks are abandoned and swept). This file runs its own server process and always stops it.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sleep } from "./helpers";
import { START_TIMEOUT_MS, startServer, stopServers, killServer } from "./local-server";
import { bucketName, s3, s3Client, s3Error } from "./s3-clients";

describe("S3 after a SIGKILL", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "s3-restart-"));

  afterAll(async () => {
    await stopServers();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(`${stateDir}-build`, { recursive: true, force: true });
  }, 60_000);

  it(
    "keeps acknowledged objects and shows nothing of a PUT killed mid-body",
    async () => {
      let server = await startServer(stateDir);
      let client = s3Client({ endpoint: server.endpoint });
      const Bucket = bucketName("restart");
      await client.send(new s3.CreateBucketCommand({ Bucket }));
      const body = Buffer.alloc(3 * 1024 * 1024 + 17, 42);
      const put = await client.send(
        new s3.PutObjectCommand({ Bucket, Key: "kept.bin", Body: body, Metadata: { survived: "yes" } }),
      );
      expect(put.ETag).toBe(`"${createHash("md5").update(body).digest("hex")}"`);

      // A 64 MiB PUT that sends 6 MiB and then hangs: the server has written some chunks of it.
      const url = new URL(`${server.endpoint}/${Bucket}/half.bin`);
      const half = request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "PUT",
        headers: { "content-length": 64 * 1024 * 1024 },
      });
      half.on("error", () => {});
      half.write(Buffer.alloc(6 * 1024 * 1024, 7));
      await sleep(1500);
      await killServer(server);

      server = await startServer(stateDir);
      client = s3Client({ endpoint: server.endpoint });
      const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "kept.bin" }));
      expect(head.ETag).toBe(put.ETag);
      expect(head.Metadata).toEqual({ survived: "yes" });
      const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "kept.bin" }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      expect(bytes.equals(body)).toBe(true);
      expect(await s3Error(() => client.send(new s3.HeadObjectCommand({ Bucket, Key: "half.bin" })))).toMatchObject({
        status: 404,
      });
      const list = await client.send(new s3.ListBucketsCommand({}));
      expect(list.Buckets!.map((b) => b.Name)).toContain(Bucket);
      // The bucket still works for writes after the restart.
      await client.send(new s3.PutObjectCommand({ Bucket, Key: "after.txt", Body: "after" }));
      const after = await client.send(new s3.GetObjectCommand({ Bucket, Key: "after.txt" }));
      expect(await after.Body!.transformToString()).toBe("after");
    },
    START_TIMEOUT_MS * 2 + 60_000,
  );
});
