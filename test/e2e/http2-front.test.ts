/**
 * `npm start` serves HTTP/1.1 and HTTP/2 (h2c with prior knowledge) on one port: workerd speaks only
 * HTTP/1.1, so scripts/serve.mjs puts a small front (scripts/front.mjs) on PORT that translates HTTP/2
 * and pipes everything else to workerd untouched.
 *
 * The first suite runs the real `npm start` server (its own process, temp state) and talks to it with
 * the DEFAULT @aws-sdk/client-kinesis (HTTP/2, no requestHandler override) and with the SQS client
 * (HTTP/1.1) on the same port. The second runs the front alone in front of a Node HTTP/1.1 server, to
 * check what the Worker cannot show yet: streamed responses, cancellation, large bodies, raw piping.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, createServer as createHttpServer, request, type IncomingMessage, type Server as HttpServer } from "node:http";
import { connect as connectHttp2, constants, type ClientHttp2Session } from "node:http2";
import type { Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
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
import { START_TIMEOUT_MS, STOP_TIMEOUT_MS, freePort, startServer, stopServer, type LocalServer } from "./local-server";

describe("npm start: HTTP/2 and HTTP/1.1 on the same port", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "http2-front-"));
  let server: LocalServer | undefined;
  let endpoint = "";

  beforeAll(async () => {
    // wrangler.toml [vars], overridden from the environment (serve.mjs passes them to the Worker).
    server = await startServer(stateDir, { KINESIS_SHARD_LIMIT: "3", KINESIS_STATUS_DELAY_MS: "0" });
    endpoint = server.endpoint;
  }, START_TIMEOUT_MS + 10_000);

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

interface FrontModule {
  startFront(options: { host: string; port: number; target: { host: string; port: number } }): Promise<NetServer>;
}

describe("the HTTP/2 front in front of an HTTP/1.1 server", () => {
  let upstream: HttpServer;
  let front: NetServer;
  let frontUrl = "";
  const sessions: ClientHttp2Session[] = [];
  /** What the upstream server saw, per request. */
  const seen: { method: string; url: string; host?: string; rawHeaders: string[]; port?: number; aborted: boolean }[] = [];
  let holdOpen: ((req: IncomingMessage) => void) | undefined;

  beforeAll(async () => {
    upstream = createHttpServer((req, res) => {
      const entry = {
        method: req.method!,
        url: req.url!,
        host: req.headers.host,
        rawHeaders: req.rawHeaders,
        port: req.socket.remotePort,
        aborted: false,
      };
      seen.push(entry);
      res.on("close", () => {
        if (!res.writableFinished) entry.aborted = true;
      });
      if (req.url === "/stream") {
        // A long-lived streamed body, like SubscribeToShard's event stream: chunks on demand.
        res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
        res.write("first;");
        (req as IncomingMessage & { res?: typeof res }).res = res;
        req.resume();
        holdOpen?.(req);
        return;
      }
      const hash = createHash("sha256");
      let length = 0;
      req.on("data", (chunk: Buffer) => {
        hash.update(chunk);
        length += chunk.length;
      });
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", connection: "keep-alive" });
        res.end(JSON.stringify({ length, sha256: hash.digest("hex") }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", () => resolve()));
    const { port: upstreamPort } = upstream.address() as { port: number };
    const { startFront } = (await import(pathToFileURL(join(process.cwd(), "scripts/front.mjs")).href)) as FrontModule;
    const port = await freePort();
    front = await startFront({ host: "127.0.0.1", port, target: { host: "127.0.0.1", port: upstreamPort } });
    frontUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const s of sessions) s.destroy();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
    front.close();
  });

  const session = () => {
    const s = connectHttp2(frontUrl);
    s.on("error", () => {});
    sessions.push(s);
    return s;
  };

  it("streams a response as it arrives and cancels the upstream request when the client does", async () => {
    const held = new Promise<IncomingMessage>((resolve) => (holdOpen = resolve));
    const stream = session().request({ ":method": "POST", ":path": "/stream", "content-type": "application/json" });
    stream.end("{}");
    const headers = await new Promise<Record<string, unknown>>((resolve) => stream.once("response", resolve));
    expect(headers[":status"]).toBe(200);
    expect(headers["content-type"]).toBe("application/vnd.amazon.eventstream");
    const chunks: string[] = [];
    const next = () => new Promise<string>((resolve) => stream.once("data", (c: Buffer) => resolve(c.toString())));
    // The first chunk arrives while the upstream response is still open.
    chunks.push(await next());
    expect(chunks).toEqual(["first;"]);
    const req = (await held) as IncomingMessage & { res: { write(s: string): void } };
    const second = next();
    req.res.write("second;");
    expect(await second).toBe("second;");
    // The client cancels: the request to the upstream server is aborted too.
    stream.close(constants.NGHTTP2_CANCEL);
    const entry = seen.find((e) => e.url === "/stream")!;
    for (let i = 0; i < 50 && !entry.aborted; i++) await sleep(20);
    expect(entry.aborted).toBe(true);
  });

  it("forwards large request bodies intact, with :authority as Host, many streams at once", async () => {
    const s = session();
    const body = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0xff;
    const expected = createHash("sha256").update(body).digest("hex");
    const call = (payload: Buffer) =>
      new Promise<{ status: unknown; text: string }>((resolve, reject) => {
        const stream = s.request({ ":method": "POST", ":path": "/echo?x=1", "content-length": String(payload.length) });
        let status: unknown;
        let text = "";
        stream.on("response", (h) => (status = h[":status"]));
        stream.on("data", (c: Buffer) => (text += c));
        stream.on("end", () => resolve({ status, text }));
        stream.on("error", reject);
        stream.end(payload);
      });
    const results = await Promise.all([call(body), ...Array.from({ length: 20 }, (_, i) => call(Buffer.from(`small ${i}`)))]);
    expect(results[0]!.status).toBe(200);
    expect(JSON.parse(results[0]!.text)).toEqual({ length: body.length, sha256: expected });
    for (const [i, r] of results.slice(1).entries()) {
      expect(JSON.parse(r.text).length).toBe(`small ${i}`.length);
    }
    const echo = seen.find((e) => e.url === "/echo?x=1")!;
    expect(echo.method).toBe("POST");
    expect(echo.host).toBe(new URL(frontUrl).host);
  });

  it("pipes HTTP/1.1 connections byte for byte (header case kept, keep-alive reused)", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(frontUrl);
        const req = request(
          { host: url.hostname, port: url.port, path, method: "POST", agent, headers: { "X-Odd-Case": "yes" } },
          (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c));
            res.on("end", () => resolve(text));
          },
        );
        req.on("error", reject);
        req.end("abc");
      });
    expect(JSON.parse(await get("/h1-a")).length).toBe(3);
    expect(JSON.parse(await get("/h1-b")).length).toBe(3);
    agent.destroy();
    const a = seen.find((e) => e.url === "/h1-a")!;
    const b = seen.find((e) => e.url === "/h1-b")!;
    // A parsing proxy would have lower-cased or rewritten it; a pipe keeps the client's bytes.
    expect(a.rawHeaders).toContain("X-Odd-Case");
    // One client connection is one upstream connection: both requests came over the same one.
    expect(b.port).toBe(a.port);
  });
});
