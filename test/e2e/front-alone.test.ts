/**
 * The fronts of `npm start` alone (scripts/front.mjs in Node; scripts/native-front.mjs, built where a C
 * compiler is, else skipped) in front of a Node HTTP/1.1 server, to check what the Worker cannot show
 * yet: streamed responses, cancellation, large bodies both ways with backpressure, raw piping, clients
 * that leave early. http2-front.test.ts runs them as part of the real `npm start`.
 */
import { createHash } from "node:crypto";
import { Agent, createServer as createHttpServer, request, type IncomingMessage, type Server as HttpServer } from "node:http";
import { connect as connectHttp2, constants, type ClientHttp2Session } from "node:http2";
import { connect as netConnect, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeFrontBuild, startFront, startNativeFront, type Target } from "./fronts";
import { sleep } from "./helpers";
import { freePort } from "./local-server";

const native = nativeFrontBuild();
afterAll(() => native.remove());

/** Each front on a free port in front of `upstream`, which listens on TCP or (native: only) a Unix socket. */
const frontsAlone = [
  {
    name: "Node",
    available: true,
    listen: (upstream: HttpServer) =>
      new Promise<Target>((resolve) =>
        upstream.listen(0, "127.0.0.1", () => resolve({ host: "127.0.0.1", port: (upstream.address() as AddressInfo).port })),
      ),
    start: async (port: number, target: Target) => {
      const server = await startFront({ host: "127.0.0.1", port, target });
      return { close: () => server.close() };
    },
  },
  {
    name: "native",
    available: native.binary !== undefined,
    listen: (upstream: HttpServer) => {
      const path = join(native.buildDir, "upstream.sock");
      return new Promise<Target>((resolve) => upstream.listen(path, () => resolve({ path })));
    },
    start: async (port: number, target: Target) =>
      startNativeFront({
        binary: native.binary!,
        host: "127.0.0.1",
        port,
        target: target as { path: string },
        http2Path: join(native.buildDir, "h2.sock"),
      }),
  },
];

describe.each(frontsAlone)("the $name front in front of an HTTP/1.1 server", ({ available, listen, start }) => {
  let upstream: HttpServer;
  let front: { close(): void };
  let frontUrl = "";
  const sessions: ClientHttp2Session[] = [];
  /** What the upstream server saw, per request. */
  const seen: { method: string; url: string; host?: string; rawHeaders: string[]; connection?: number; aborted: boolean }[] = [];
  let holdOpen: ((req: IncomingMessage) => void) | undefined;
  /** The upstream's connections, numbered as they come (Unix sockets have no port to tell them apart). */
  const connections = new WeakMap<object, number>();
  // Where the native front cannot be built (not Linux, no C compiler), its checks show as skipped.
  const check = available ? it : it.skip;

  beforeAll(async () => {
    if (!available) return;
    upstream = createHttpServer((req, res) => {
      const entry = {
        method: req.method!,
        url: req.url!,
        host: req.headers.host,
        rawHeaders: req.rawHeaders,
        connection: connections.get(req.socket),
        aborted: false,
      };
      seen.push(entry);
      res.on("close", () => {
        if (!res.writableFinished) entry.aborted = true;
      });
      if (req.url === "/echo") {
        // The request body back as the response body, both larger than any socket buffer.
        res.writeHead(200, { "content-type": "application/octet-stream" });
        req.pipe(res);
        return;
      }
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
    let count = 0;
    upstream.on("connection", (socket) => connections.set(socket, ++count));
    const target = await listen(upstream);
    const port = await freePort();
    front = await start(port, target);
    frontUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (!available) return;
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

  check("streams a response as it arrives and cancels the upstream request when the client does", async () => {
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

  check("forwards large request bodies intact, with :authority as Host, many streams at once", async () => {
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

  check("pipes HTTP/1.1 connections byte for byte (header case kept, keep-alive reused)", async () => {
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
    expect(a.connection).toBeDefined();
    expect(b.connection).toBe(a.connection);
  });

  check("survives clients that leave early, and moves large bodies both ways to a slow reader", async () => {
    const url = new URL(frontUrl);
    // Port probes and clients gone mid-preface or mid-request. (Whether a half-closed request ends
    // the connection is the server's call: the native front passes the half-close on.)
    for (const bytes of ["", "PRI * HTTP/2", "POST /echo HTTP/1.1\r\ncontent-length: 100\r\n\r\nabc"]) {
      const socket = netConnect(Number(url.port), url.hostname);
      socket.on("error", () => {});
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.end(bytes);
      await sleep(20);
      socket.destroy();
    }
    const body = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff;
    const echoed = await new Promise<Buffer>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: "/echo", method: "POST" }, async (res) => {
        const chunks: Buffer[] = [];
        // Reads in bursts with pauses, so that the front has to hold back until this side drains.
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          res.pause();
          setTimeout(() => res.resume(), 2);
        });
        res.on("end", () => resolve(Buffer.concat(chunks)));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
    expect(echoed.length).toBe(body.length);
    expect(createHash("sha256").update(echoed).digest("hex")).toBe(createHash("sha256").update(body).digest("hex"));
  });
});
