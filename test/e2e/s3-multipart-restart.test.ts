/**
 * An upload in progress survives a restart of the local server (killed with SIGKILL, as a crash would):
 * its parts are still listed, more parts can be added, and it completes into the object it would
 * have been. This file runs its own server process (not the shared test harness) and always stops it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { START_TIMEOUT_MS, STOP_TIMEOUT_MS, startServer, stopServers, killServer } from "./local-server";
import { bucketName, s3, s3Client } from "./s3-clients";
import { MiB, multipartEtagOf, randomBody, readBody } from "./s3-multipart-helpers";

describe("a multipart upload across a restart", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "s3-multipart-restart-"));

  afterAll(
    async () => {
      await stopServers();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(`${stateDir}-build`, { recursive: true, force: true });
    },
    STOP_TIMEOUT_MS * 2 + 10_000,
  );

  it(
    "keeps the upload and its parts, and completes it afterwards",
    async () => {
      let server = await startServer(stateDir);
      let client = s3Client({ endpoint: server.endpoint });
      const Bucket = bucketName("mpu-restart");
      const Key = "survivor.bin";
      await client.send(new s3.CreateBucketCommand({ Bucket }));
      const { UploadId } = await client.send(
        new s3.CreateMultipartUploadCommand({ Bucket, Key, ContentType: "text/x-survivor" }),
      );
      const first = randomBody(5 * MiB + 3);
      const part1 = await client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: first }));

      await killServer(server);
      server = await startServer(stateDir);
      client = s3Client({ endpoint: server.endpoint });

      const listed = await client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId }));
      expect(listed.Parts!.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([[1, part1.ETag, 5 * MiB + 3]]);
      const uploads = await client.send(new s3.ListMultipartUploadsCommand({ Bucket }));
      expect(uploads.Uploads!.map((u) => u.UploadId)).toEqual([UploadId]);
      const second = randomBody(4321);
      const part2 = await client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: second }));
      const done = await client.send(
        new s3.CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: part1.ETag },
              { PartNumber: 2, ETag: part2.ETag },
            ],
          },
        }),
      );
      expect(done.ETag).toBe(multipartEtagOf([first, second]));
      const got = await client.send(new s3.GetObjectCommand({ Bucket, Key }));
      expect(got.ContentType).toBe("text/x-survivor");
      expect((await readBody(got)).equals(Buffer.concat([first, second]))).toBe(true);
    },
    START_TIMEOUT_MS * 2 + 60_000,
  );
});
