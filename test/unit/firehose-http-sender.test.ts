/**
 * The HTTP sender against a real Node server on 127.0.0.1 (plain http, any port): what arrives,
 * and each way of not getting a proper answer, judged by the domain's rules end to end.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpTarget } from "../../src/domain/firehose/contract";
import { buildHttpRequest, judgeHttpOutcome, type HttpRequestContext } from "../../src/domain/firehose/http-delivery";
import { failureKind, sendHttpDelivery } from "../../src/durable/delivery/http-sender";

interface Seen {
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

const seen: Seen[] = [];
let server: Server;
let base = "";

function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
  seen.push({ url: req.url ?? "", headers: req.headers, body });
  const requestId = String(req.headers["x-amz-firehose-request-id"] ?? "");
  const json = (status: number, value: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(value));
  };
  switch (req.url) {
    case "/ok":
      return json(200, { requestId, timestamp: Date.now() });
    case "/fail":
      return json(500, { requestId, timestamp: Date.now(), errorMessage: "Unable to deliver records due to unknown error." });
    case "/slow":
      return void setTimeout(() => json(200, { requestId, timestamp: Date.now() }), 1_000);
    case "/redirect":
      res.writeHead(302, { location: "/ok" });
      return res.end();
    case "/huge":
      res.writeHead(200, { "content-type": "application/json" });
      return res.end("x".repeat(2 * 1024 * 1024));
    case "/reset":
      return req.socket.destroy();
    default:
      return json(404, {});
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const REQUEST_ID = "2de9e8e9-7296-47b0-bea6-9f17b133d847";
const ctx: HttpRequestContext = {
  requestId: REQUEST_ID,
  now: 1598556019164,
  sourceArn: "arn:aws:firehose:us-east-1:000000000000:deliverystream/s",
  arrivals: [0, 0],
};
const target = (path: string, over: object = {}): HttpTarget => ({
  format: "http-endpoint",
  url: `${base}${path}`,
  accessKey: "secret",
  contentEncoding: "GZIP",
  commonAttributes: { team: "a" },
  ...over,
});
const records = [new TextEncoder().encode("one"), new TextEncoder().encode("two")];

async function deliver(path: string, timeoutMs = 5_000, over: object = {}) {
  const t = target(path, over);
  const request = await buildHttpRequest(t, records, ctx);
  const outcome = await sendHttpDelivery(request, timeoutMs);
  return { outcome, verdict: judgeHttpOutcome(t, outcome, REQUEST_ID) };
}

describe("sendHttpDelivery", () => {
  it("delivers over plain http to 127.0.0.1: the headers and the gzipped body arrive as built", async () => {
    seen.length = 0;
    const { outcome, verdict } = await deliver("/ok");
    expect(verdict).toEqual({ ok: true });
    expect(outcome).toMatchObject({ status: 200, contentType: "application/json" });
    const got = seen[0]!;
    expect(got.headers["x-amz-firehose-protocol-version"]).toBe("1.0");
    expect(got.headers["x-amz-firehose-request-id"]).toBe(REQUEST_ID);
    expect(got.headers["x-amz-firehose-access-key"]).toBe("secret");
    expect(got.headers["x-amz-firehose-common-attributes"]).toBe('{"commonAttributes":{"team":"a"}}');
    expect(got.headers["x-amz-firehose-source-arn"]).toBe(ctx.sourceArn);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["content-encoding"]).toBe("gzip");
    expect(Number(got.headers["content-length"])).toBe(got.body.length);
    expect(JSON.parse(gunzipSync(got.body).toString("utf8"))).toEqual({
      requestId: REQUEST_ID,
      timestamp: 1598556019164,
      records: [{ data: "b25l" }, { data: "dHdv" }],
    });
  });

  it("500: the answer is reported and judged a destination exception", async () => {
    const { outcome, verdict } = await deliver("/fail");
    expect(outcome).toMatchObject({ status: 500 });
    expect(verdict).toMatchObject({ ok: false, code: "HttpEndpoint.DestinationException" });
    expect((verdict as { reason: string }).reason).toContain("500: {");
  });

  it("too slow: a timeout, not an exception", async () => {
    const { outcome, verdict } = await deliver("/slow", 150);
    expect(outcome).toMatchObject({ kind: "timeout" });
    expect(verdict).toMatchObject({ ok: false, code: "HttpEndpoint.RequestTimeout" });
  });

  it("connection refused: ConnectionFailed", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const t = target("", { url: `http://127.0.0.1:${port}/` });
    const outcome = await sendHttpDelivery(await buildHttpRequest(t, records, ctx), 5_000);
    expect(outcome).toMatchObject({ kind: "refused" });
    expect((outcome as { error: string }).error).toMatch(/ECONNREFUSED/);
    expect(judgeHttpOutcome(t, outcome, REQUEST_ID)).toMatchObject({ ok: false, code: "HttpEndpoint.ConnectionFailed" });
  });

  it("a socket closed without an answer: ConnectionReset", async () => {
    const { outcome, verdict } = await deliver("/reset");
    expect(outcome).toMatchObject({ kind: "reset" });
    expect(verdict).toMatchObject({ ok: false, code: "HttpEndpoint.ConnectionReset" });
  });

  it("a redirect is not followed", async () => {
    seen.length = 0;
    const { outcome, verdict } = await deliver("/redirect");
    expect(outcome).toMatchObject({ status: 302 });
    expect(seen.map((s) => s.url)).toEqual(["/redirect"]);
    expect(verdict).toMatchObject({ ok: false, code: "HttpEndpoint.DestinationException" });
  });

  it("a response body over 1 MiB: ResponseTooLarge", async () => {
    const { outcome, verdict } = await deliver("/huge");
    expect(outcome).toMatchObject({ kind: "too-large" });
    expect(verdict).toMatchObject({ ok: false, code: "HttpEndpoint.ResponseTooLarge" });
  });

  it("sends the uncompressed body unchanged when encoding is NONE", async () => {
    seen.length = 0;
    await deliver("/ok", 5_000, { contentEncoding: "NONE" });
    expect(seen[0]!.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(seen[0]!.body.toString("utf8")).records).toHaveLength(2);
  });
});

describe("failureKind", () => {
  it.each([
    [Object.assign(new Error("t"), { name: "TimeoutError" }), "timeout"],
    [new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }), "refused"],
    [new TypeError("fetch failed", { cause: { code: "ENOTFOUND" } }), "refused"],
    [new TypeError("fetch failed", { cause: { code: "UND_ERR_SOCKET", message: "other side closed" } }), "reset"],
    // workerd's one message for refused and reset alike.
    [Object.assign(new Error("Network connection lost."), { retryable: true }), "other"],
    [new TypeError("fetch failed", { cause: { code: "CERT_HAS_EXPIRED" } }), "tls"],
    [new Error("something else"), "other"],
    ["not an error", "other"],
  ])("%s → %s", (error, kind) => {
    expect(failureKind(error)).toBe(kind);
  });
});
