/**
 * `npm start` serves HTTP/1.1 and HTTP/2 (h2c with prior knowledge) on one port: workerd speaks only
 * HTTP/1.1, so scripts/serve.mjs puts a small front (scripts/front.mjs) on PORT that translates HTTP/2
 * and pipes everything else to workerd untouched.
 *
 * This runs the real `npm start` server (its own process, temp state), with each front (the native
 * one where it can be built, and the one in Node), and talks to it with the DEFAULT
 * @aws-sdk/client-kinesis (HTTP/2, no requestHandler override) and with the SQS client (HTTP/1.1) on
 * the same port. front-alone.test.ts runs the fronts alone in front of a Node HTTP/1.1 server, to
 * check what the Worker cannot show yet: streamed responses, cancellation, large bodies, raw piping.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListStreamsCommand,
  PutRecordCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
} from "@aws-sdk/client-kinesis";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials } from "./clients";
import { sleep } from "./helpers";
import { nativeFrontBuild } from "./fronts";
import { START_TIMEOUT_MS, STOP_TIMEOUT_MS, startServer, stopServer, type LocalServer } from "./local-server";

// Where the native front (scripts/native-front.mjs) cannot be built, npm start uses the Node one alone.
const native = nativeFrontBuild();
afterAll(() => native.remove());
const fronts = [
  { name: "native", NATIVE_FRONT: "true" },
  { name: "Node", NATIVE_FRONT: "false" },
];

describe.each(fronts)("npm start with the $name front: HTTP/2 and HTTP/1.1 on the same port", ({ NATIVE_FRONT }) => {
  const stateDir = mkdtempSync(join(tmpdir(), "http2-front-"));
  let server: LocalServer | undefined;
  let endpoint = "";

  beforeAll(async () => {
    // wrangler.toml [vars], overridden from the environment (serve.mjs passes them to the Worker).
    server = await startServer(stateDir, { KINESIS_SHARD_LIMIT: "3", KINESIS_STATUS_DELAY_MS: "0", NATIVE_FRONT });
    endpoint = server.endpoint;
  }, START_TIMEOUT_MS + 10_000);

  it("runs the front asked for (native where it can be built)", async () => {
    const expected = NATIVE_FRONT === "true" && native.binary ? "native front" : "Node front";
    for (let i = 0; i < 50 && !server!.output.join("").includes("Ready:"); i++) await sleep(100);
    expect(server!.output.join("")).toContain(`HTTP/1.1 and HTTP/2, ${expected}`);
  });

  afterAll(async () => {
    if (server) await stopServer(server);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(`${stateDir}-build`, { recursive: true, force: true });
  }, STOP_TIMEOUT_MS + 10_000);

  it("answers the default KinesisClient, which speaks HTTP/2", async () => {
    // No requestHandler: exactly what a user writes.
    const kinesis = new KinesisClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
    try {
      // The premise: this client's default transport is HTTP/2.
      expect(kinesis.config.requestHandler.constructor.name).toBe("NodeHttp2Handler");
      const listed = await kinesis.send(new ListStreamsCommand({}));
      expect(listed.$metadata.httpStatusCode).toBe(200);
      expect(listed.StreamNames).toEqual(expect.any(Array));
      // An AWS error comes through the front too, as the SDK's modelled exception.
      const missing = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: "no-such-stream-h2" })).catch((e) => e);
      expect(missing.name).toBe("ResourceNotFoundException");
      expect(missing.$metadata.httpStatusCode).toBe(400);
    } finally {
      kinesis.destroy();
    }
  });

  it("carries a whole Kinesis round trip over HTTP/2, SubscribeToShard's event stream included", async () => {
    const kinesis = new KinesisClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
    try {
      const StreamName = `h2-front-${Date.now().toString(36)}`;
      await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
      const active = async <T>(read: () => Promise<T>, status: (v: T) => string | undefined): Promise<T> => {
        for (let i = 0; i < 100; i++) {
          const value = await read();
          if (status(value) === "ACTIVE") return value;
          await sleep(50);
        }
        throw new Error("not ACTIVE in time");
      };
      const summary = await active(
        () => kinesis.send(new DescribeStreamSummaryCommand({ StreamName })),
        (v) => v.StreamDescriptionSummary?.StreamStatus,
      );
      const data = new TextEncoder().encode("over h2");
      const put = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: "k", Data: data }));
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName, ShardId: put.ShardId, ShardIteratorType: "TRIM_HORIZON" }),
      );
      const got = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      expect(got.Records?.map((r) => [r.SequenceNumber, new TextDecoder().decode(r.Data)])).toEqual([
        [put.SequenceNumber, "over h2"],
      ]);

      // Enhanced fan-out: the response is a long-lived application/vnd.amazon.eventstream body, which
      // the front must stream (not buffer) for the first event to arrive.
      const { Consumer } = await kinesis.send(
        new RegisterStreamConsumerCommand({ StreamARN: summary.StreamDescriptionSummary!.StreamARN, ConsumerName: "h2" }),
      );
      await active(
        () => kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN })),
        (v) => v.ConsumerDescription?.ConsumerStatus,
      );
      const abort = new AbortController();
      const subscribed = await kinesis.send(
        new SubscribeToShardCommand({
          ConsumerARN: Consumer!.ConsumerARN,
          ShardId: put.ShardId,
          StartingPosition: { Type: "TRIM_HORIZON" },
        }),
        { abortSignal: abort.signal },
      );
      const t0 = Date.now();
      let first: string[] | undefined;
      for await (const event of subscribed.EventStream!) {
        const records = event.SubscribeToShardEvent?.Records ?? [];
        if (records.length) {
          first = records.map((r) => new TextDecoder().decode(r.Data));
          break;
        }
        if (Date.now() - t0 > 10_000) break;
      }
      abort.abort();
      expect(first).toEqual(["over h2"]);
    } finally {
      kinesis.destroy();
    }
  });

  it("takes wrangler.toml [vars] from the environment (KINESIS_SHARD_LIMIT=3 here)", async () => {
    const kinesis = new KinesisClient({
      endpoint,
      region: "us-east-1",
      credentials: { ...credentials, accessKeyId: "111122223333" },
      maxAttempts: 1,
    });
    try {
      const error = await kinesis
        .send(new CreateStreamCommand({ StreamName: `h2-limit-${Date.now().toString(36)}`, ShardCount: 4 }))
        .catch((e) => e);
      expect(error.name).toBe("LimitExceededException");
      expect(error.message).toContain("Limit: 3.");
    } finally {
      kinesis.destroy();
    }
  });

  it("serves SQS over HTTP/1.1 on the same port, Host header intact", async () => {
    const sqs = new SQSClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `h2-front-${Date.now().toString(36)}` }));
      // Queue URLs are built from the Host the client sent, so they point at the front's port.
      expect(new URL(QueueUrl!).origin).toBe(endpoint);
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "through the front" }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
      expect(Messages?.[0]?.Body).toBe("through the front");
    } finally {
      sqs.destroy();
    }
  });
});
