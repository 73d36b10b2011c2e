/**
 * Firehose to an HTTP endpoint, as AWS documents the contract: the headers, the JSON body with base64
 * records and a millisecond timestamp, gzip, the same request id on every retry; an endpoint that
 * fails, times out and answers a wrong requestId before it succeeds; retries that run out and back the
 * records up to S3 under http-endpoint-failed; AllData backup; OpenSearch's _bulk and Splunk's HEC.
 * This file runs its own server (a one-second endpoint timeout) and always stops it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActive, eventually, firehose, firehoseClient, flush, objectsOf, roleArn, stats } from "./firehose-clients";
import { startEndpoint, type EndpointServer } from "./firehose-endpoint-server";
import { START_TIMEOUT_MS, startServer, stopServers, type LocalServer } from "./local-server";
import { bucketName, s3, s3Client } from "./s3-clients";

const account = "000000000000";

describe("Firehose HTTP endpoint delivery", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "firehose-http-"));
  let server: LocalServer;
  let endpoint: EndpointServer;
  let fh: firehose.FirehoseClient;
  let s3c: s3.S3Client;
  const Bucket = bucketName("firehose-http-backup");

  beforeAll(async () => {
    server = await startServer(stateDir, { FIREHOSE_STATUS_DELAY_MS: "0", FIREHOSE_HTTP_TIMEOUT_MS: "1000", EPHEMERAL: "true" });
    fh = firehoseClient({ endpoint: server.endpoint, accessKeyId: account });
    s3c = s3Client({ endpoint: server.endpoint });
    await s3c.send(new s3.CreateBucketCommand({ Bucket }));
    endpoint = await startEndpoint();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await endpoint?.close();
    await stopServers();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(`${stateDir}-build`, { recursive: true, force: true });
  }, 60_000);

  const httpStream = (name: string, options: { retrySeconds?: number; gzip?: boolean; backup?: string; path?: string } = {}) =>
    createActive(fh, {
      DeliveryStreamName: name,
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: `${endpoint.url}${options.path ?? "/" + name}`, Name: "local", AccessKey: "secret-key-1" },
        RequestConfiguration: {
          ContentEncoding: options.gzip ? "GZIP" : "NONE",
          CommonAttributes: [{ AttributeName: "team", AttributeValue: "blue" }],
        },
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
        RetryOptions: { DurationInSeconds: options.retrySeconds ?? 60 },
        S3BackupMode: (options.backup ?? "FailedDataOnly") as firehose.HttpEndpointS3BackupMode,
        S3Configuration: { RoleARN: roleArn(account), BucketARN: `arn:aws:s3:::${Bucket}`, Prefix: `${name}/` },
      },
    });

  const requestsTo = (name: string) => endpoint.requests.filter((r) => r.url === `/${name}`);

  it("sends AWS's headers and body, and retries a failure, a timeout and a wrong requestId with the same request id", async () => {
    const name = "http-retries";
    await httpStream(name, { gzip: true });
    endpoint.script = ["fail", "hang", "wrong-id", "ok"];
    const before = Date.now();
    await fh.send(
      new firehose.PutRecordBatchCommand({
        DeliveryStreamName: name,
        Records: [{ Data: Buffer.from("one") }, { Data: Buffer.from("two") }],
      }),
    );
    let delivered = await flush(name, account, server.endpoint);
    for (let i = 0; i < 4 && (delivered.counters.deliveredRecords ?? 0) === 0; i++)
      delivered = await flush(name, account, server.endpoint);
    expect(delivered.counters).toMatchObject({ deliveredRecords: 2, failedAttempts: 3 });
    const seen = requestsTo(name);
    expect(seen).toHaveLength(4);
    const ids = seen.map((r) => r.headers["x-amz-firehose-request-id"]);
    expect(new Set(ids).size).toBe(1);
    const first = seen[0]!;
    expect(first.method).toBe("POST");
    expect(first.headers).toMatchObject({
      "x-amz-firehose-protocol-version": "1.0",
      "x-amz-firehose-access-key": "secret-key-1",
      "x-amz-firehose-source-arn": `arn:aws:firehose:us-east-1:${account}:deliverystream/${name}`,
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect(JSON.parse(first.headers["x-amz-firehose-common-attributes"] as string)).toEqual({
      commonAttributes: { team: "blue" },
    });
    const body = JSON.parse(first.body.toString()) as { requestId: string; timestamp: number; records: { data: string }[] };
    expect(body.requestId).toBe(ids[0]);
    expect(body.timestamp).toBeGreaterThanOrEqual(before - 1000);
    expect(body.timestamp).toBeLessThan(Date.now() + 1000);
    expect(body.records.map((r) => Buffer.from(r.data, "base64").toString())).toEqual(["one", "two"]);
  });

  it("backs the records up to S3 under http-endpoint-failed once the retries run out", async () => {
    const name = "http-gives-up";
    await httpStream(name, { retrySeconds: 0 });
    endpoint.script = ["fail"];
    await fh.send(new firehose.PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from("lost?") } }));
    await flush(name, account, server.endpoint);
    const after = await flush(name, account, server.endpoint);
    expect(after.counters).toMatchObject({ backedUpRecords: 1 });
    expect(after.batches).toHaveLength(0);
    const objects = await objectsOf(Bucket, `${name}/`, s3c);
    expect(objects).toHaveLength(1);
    expect(objects[0]!.key).toMatch(new RegExp(`^${name}/http-endpoint-failed/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1-`));
    const doc = JSON.parse(objects[0]!.body.toString().trim()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      attemptsMade: 1,
      errorCode: "HttpEndpoint.DestinationException",
      rawData: Buffer.from("lost?").toString("base64"),
    });
    expect(typeof doc.arrivalTimestamp).toBe("number");
    expect(typeof doc.attemptEndingTimestamp).toBe("number");
  });

  it("copies every record to S3 with AllData", async () => {
    const name = "http-all-data";
    await httpStream(name, { backup: "AllData" });
    await fh.send(new firehose.PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from("both") } }));
    await flush(name, account, server.endpoint);
    expect(requestsTo(name)).toHaveLength(1);
    const objects = await objectsOf(Bucket, `${name}/`, s3c);
    expect(objects.map((o) => o.body.toString())).toEqual(["both"]);
  });

  it("delivers to OpenSearch's _bulk API and to Splunk's HTTP Event Collector", async () => {
    endpoint.fallback = (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      if (req.url === "/_bulk") {
        const lines = req.body.toString().trim().split("\n");
        res.end(
          JSON.stringify({
            took: 1,
            errors: false,
            items: lines.filter((_, i) => i % 2 === 0).map(() => ({ index: { status: 201 } })),
          }),
        );
      } else res.end(JSON.stringify({ text: "Success", code: 0 }));
    };
    try {
      await createActive(fh, {
        DeliveryStreamName: "to-opensearch",
        AmazonopensearchserviceDestinationConfiguration: {
          RoleARN: roleArn(account),
          ClusterEndpoint: endpoint.url,
          IndexName: "logs",
          IndexRotationPeriod: "NoRotation",
          S3Configuration: { RoleARN: roleArn(account), BucketARN: `arn:aws:s3:::${Bucket}`, Prefix: "opensearch/" },
        },
      });
      await fh.send(
        new firehose.PutRecordCommand({ DeliveryStreamName: "to-opensearch", Record: { Data: Buffer.from('{"msg":"hi"}') } }),
      );
      expect((await flush("to-opensearch", account, server.endpoint)).counters).toMatchObject({ deliveredRecords: 1 });
      const bulk = endpoint.requests.find((r) => r.url === "/_bulk")!;
      const [action, doc] = bulk.body.toString().trim().split("\n");
      expect(JSON.parse(action!)).toMatchObject({ index: { _index: "logs" } });
      expect(JSON.parse(doc!)).toEqual({ msg: "hi" });

      await createActive(fh, {
        DeliveryStreamName: "to-splunk",
        SplunkDestinationConfiguration: {
          HECEndpoint: endpoint.url,
          HECEndpointType: "Event",
          HECToken: "hec-token",
          S3Configuration: { RoleARN: roleArn(account), BucketARN: `arn:aws:s3:::${Bucket}`, Prefix: "splunk/" },
        },
      });
      await fh.send(
        new firehose.PutRecordCommand({ DeliveryStreamName: "to-splunk", Record: { Data: Buffer.from('{"event":"hello"}') } }),
      );
      expect((await flush("to-splunk", account, server.endpoint)).counters).toMatchObject({ deliveredRecords: 1 });
      const hec = endpoint.requests.find((r) => r.url === "/services/collector/event")!;
      expect(hec.headers.authorization).toBe("Splunk hec-token");
      expect(hec.body.toString()).toBe('{"event":"hello"}');
    } finally {
      endpoint.fallback = "ok";
    }
  });

  it("retries on its own, from the object's alarm, without a flush", async () => {
    const name = "http-alarm";
    await createActive(fh, {
      DeliveryStreamName: name,
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: `${endpoint.url}/${name}` },
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
        RetryOptions: { DurationInSeconds: 60 },
        S3Configuration: { RoleARN: roleArn(account), BucketARN: `arn:aws:s3:::${Bucket}` },
      },
    });
    endpoint.script = ["fail"];
    await fh.send(new firehose.PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from("eventually") } }));
    await eventually(async () => (await stats(name, account, server.endpoint)).counters.deliveredRecords === 1, 10_000);
    expect(requestsTo(name)).toHaveLength(2);
  });
});
