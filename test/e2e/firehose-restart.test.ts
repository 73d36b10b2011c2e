/**
 * Firehose records survive a SIGKILL of the local server (scripts/serve.mjs with STATE_DIR) before
 * their buffer flushes: after the restart every acknowledged record is delivered, once, by the
 * object's own alarm (an interval that ran out while the server was down) or by a flush.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { createActive, eventually, firehose, firehoseClient, flush, objectsOf, roleArn, stats } from "./firehose-clients";
import { kinesisClient } from "./kinesis-clients";
import { createActiveStream } from "./kinesis-stream-helpers";
import { sleep } from "./helpers";
import { START_TIMEOUT_MS, startServer, stopServers, killServer } from "./local-server";
import { bucketName, s3, s3Client } from "./s3-clients";

describe("Firehose after a SIGKILL", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "firehose-restart-"));

  afterAll(async () => {
    await stopServers();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(`${stateDir}-build`, { recursive: true, force: true });
  }, 60_000);

  it(
    "delivers every acknowledged record after the restart, each once",
    async () => {
      const account = "000000000000";
      let server = await startServer(stateDir, { FIREHOSE_STATUS_DELAY_MS: "0" });
      let fh = firehoseClient({ endpoint: server.endpoint, accessKeyId: account });
      let s3c = s3Client({ endpoint: server.endpoint });
      const Bucket = bucketName("firehose-restart");
      await s3c.send(new s3.CreateBucketCommand({ Bucket }));
      const destination = (prefix: string, interval: number) => ({
        RoleARN: roleArn(account),
        BucketARN: `arn:aws:s3:::${Bucket}`,
        Prefix: prefix,
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: interval },
      });
      await createActive(fh, { DeliveryStreamName: "by-alarm", ExtendedS3DestinationConfiguration: destination("alarm/", 2) });
      await createActive(fh, { DeliveryStreamName: "by-flush", ExtendedS3DestinationConfiguration: destination("flush/", 900) });
      // A delivery stream reading a Kinesis stream: records read into its buffer, then the kill.
      let kinesis = kinesisClient({ endpoint: server.endpoint, accessKeyId: account });
      await createActiveStream(kinesis, "source", { ShardCount: 2 });
      await createActive(fh, {
        DeliveryStreamName: "from-kinesis",
        DeliveryStreamType: "KinesisStreamAsSource",
        KinesisStreamSourceConfiguration: {
          KinesisStreamARN: `arn:aws:kinesis:us-east-1:${account}:stream/source`,
          RoleARN: roleArn(account),
        },
        ExtendedS3DestinationConfiguration: destination("kinesis/", 900),
      });
      const sourceRecords = (from: number) =>
        Array.from({ length: 100 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(`k${from + i};`) }));
      await kinesis.send(new PutRecordsCommand({ StreamName: "source", Records: sourceRecords(0) }));
      await eventually(
        async () => ((await stats("from-kinesis", account, server.endpoint)).counters.sourceRecords ?? 0) >= 100,
        10_000,
      );
      const records = Array.from({ length: 300 }, (_, i) => ({ Data: Buffer.from(`record-${i};`) }));
      for (const name of ["by-alarm", "by-flush"]) {
        const put = await fh.send(new firehose.PutRecordBatchCommand({ DeliveryStreamName: name, Records: records }));
        expect(put.FailedPutCount).toBe(0);
        await fh.send(new firehose.PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from("last;") } }));
      }
      await killServer(server);

      server = await startServer(stateDir, { FIREHOSE_STATUS_DELAY_MS: "0" });
      fh = firehoseClient({ endpoint: server.endpoint, accessKeyId: account });
      s3c = s3Client({ endpoint: server.endpoint });
      const expected = records.map((r) => r.Data.toString()).join("") + "last;";
      kinesis = kinesisClient({ endpoint: server.endpoint, accessKeyId: account });
      await kinesis.send(new PutRecordsCommand({ StreamName: "source", Records: sourceRecords(100) }));
      // The interval ran out while the server was down: the object's alarm delivers without being asked.
      const byAlarm = await eventually(async () => {
        const objects = await objectsOf(Bucket, "alarm/", s3c);
        return objects.length ? objects : undefined;
      }, 20_000);
      expect(byAlarm.map((o) => o.body.toString()).join("")).toBe(expected);

      const flushed = await flush("by-flush", account, server.endpoint);
      expect(flushed.counters).toMatchObject({ incomingRecords: 301, deliveredRecords: 301 });
      const byFlush = await objectsOf(Bucket, "flush/", s3c);
      expect(byFlush.map((o) => o.body.toString()).join("")).toBe(expected);
      // The Kinesis source goes on from its checkpoints: the 100 records read before the kill and the
      // 100 put after it, each once.
      await eventually(
        async () => ((await stats("from-kinesis", account, server.endpoint)).counters.sourceRecords ?? 0) >= 200,
        15_000,
      );
      await flush("from-kinesis", account, server.endpoint);
      const fromKinesis = (await objectsOf(Bucket, "kinesis/", s3c))
        .map((o) => o.body.toString())
        .join("")
        .split(";")
        .filter(Boolean);
      expect(fromKinesis.sort()).toEqual(Array.from({ length: 200 }, (_, i) => `k${i}`).sort());
      // Nothing is delivered twice.
      await sleep(2500);
      expect(await objectsOf(Bucket, "alarm/", s3c)).toHaveLength(byAlarm.length);
    },
    START_TIMEOUT_MS * 2 + 60_000,
  );
});
