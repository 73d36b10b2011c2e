// The listening socket of `npm start`: one port that speaks HTTP/1.1 and HTTP/2 (h2c, prior knowledge).
//
// workerd serves HTTP/1.1 only, but the AWS SDK for JavaScript v3's Kinesis client talks HTTP/2 by
// default (prior knowledge on http:// endpoints). So `npm start` runs workerd on an internal address
// (a Unix socket) and puts this small front on PORT. It reads the first bytes of every connection:
//  - the HTTP/2 connection preface (`PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`): the connection goes to a Node
//    http2 server that forwards each stream to workerd as an HTTP/1.1 request (keep-alive pool) and
//    streams the response back as it arrives (SubscribeToShard answers with a long-lived
//    application/vnd.amazon.eventstream body);
//  - anything else (HTTP/1.x from SQS/SNS clients, curl, boto3, the CLI): the raw TCP connection is
//    piped to workerd, bytes untouched and unparsed (measured: about 55 µs of this process's CPU per
//    request-response on a loaded 2-vCPU machine, against about 0.4–1 ms for workerd to serve one).
// On Linux a native helper does this sniffing and piping for about half the CPU (native-front.mjs) and
// sends HTTP/2 connections to the translator here, listening on a Unix socket (listenHttp2).
import { Agent, request } from "node:http";
import { constants, createServer as createHttp2Server } from "node:http2";
import { connect, createServer } from "node:net";
import { Duplex } from "node:stream";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

// Connection-level headers that HTTP/2 forbids (RFC 9113 §8.2.2), dropped in both directions.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "http2-settings",
]);

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** -1: not (yet) decidable, 0: not HTTP/2, 1: HTTP/2 preface. */
function sniff(buffer) {
  const n = Math.min(buffer.length, PREFACE.length);
  for (let i = 0; i < n; i++) if (buffer[i] !== PREFACE[i]) return 0;
  return n === PREFACE.length ? 1 : -1;
}

/**
 * Listens on host:port and forwards to the HTTP/1.1 server at target ({ host, port } or { path } for a
 * Unix socket). Resolves with the net.Server once listening.
 */
export function startFront({ host, port, target }) {
  const connectTarget = () => connect(target.path ? { path: target.path } : { host: target.host, port: target.port });
  const h2 = http2Translator(target);

  const server = createServer({ noDelay: true }, (socket) => {
    let buffered = Buffer.alloc(0);
    let decided = false;
    socket.on("error", () => socket.destroy());
    const onData = (chunk) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      const kind = sniff(buffered);
      if (kind === -1) return;
      decided = true;
      socket.removeListener("data", onData);
      socket.pause();
      if (kind === 1) {
        h2.emit("connection", replay(socket, buffered));
      } else {
        pipeRaw(socket, buffered, connectTarget());
      }
    };
    socket.on("data", onData);
    // Closed before saying anything decidable (port probes, health checks that only connect).
    socket.once("end", () => {
      if (!decided) socket.destroy();
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(port), host, () => {
      server.removeListener("error", reject);
      resolve(server);
    });
  });
}

/** An HTTP/2 server (h2c) that forwards each stream to the HTTP/1.1 server at target. */
function http2Translator(target) {
  // No cap on connections to workerd: each SubscribeToShard holds one for up to 5 minutes, and a cap
  // would queue every other request behind them.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
  const h2 = createHttp2Server({ settings: { maxConcurrentStreams: 1000 } });
  h2.on("stream", (stream, headers) => forward(stream, headers, agent, target));
  h2.on("sessionError", () => {});
  return h2;
}

/**
 * The HTTP/2 half alone, on a Unix socket at `path`, for the native front (native-front.mjs), which
 * owns the port and sends it the HTTP/2 connections. Resolves with the server once listening.
 */
export function listenHttp2({ path, target }) {
  const h2 = http2Translator(target);
  return new Promise((resolve, reject) => {
    h2.once("error", reject);
    h2.listen(path, () => {
      h2.removeListener("error", reject);
      resolve(h2);
    });
  });
}

/**
 * The socket as a stream that first yields the bytes already read from it. (Node's http2 reads a
 * net.Socket through its native handle, past anything unshift() puts back, so it gets this wrapper,
 * which it reads through JavaScript instead.)
 */
function replay(socket, first) {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  stream.push(first);
  socket.on("data", (chunk) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on("end", () => stream.push(null));
  socket.on("close", () => stream.destroy());
  // What http2 may call on its socket.
  stream.setNoDelay = (...args) => socket.setNoDelay(...args);
  stream.setKeepAlive = (...args) => socket.setKeepAlive(...args);
  stream.setTimeout = (...args) => (socket.setTimeout(...args), stream);
  stream.remoteAddress = socket.remoteAddress;
  stream.remotePort = socket.remotePort;
  stream.remoteFamily = socket.remoteFamily;
  stream.localAddress = socket.localAddress;
  stream.localPort = socket.localPort;
  return stream;
}

/** HTTP/1.x and anything unknown: a transparent byte pipe to workerd. */
function pipeRaw(client, first, upstream) {
  upstream.setNoDelay(true);
  upstream.write(first);
  client.pipe(upstream);
  upstream.pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("close", close);
  upstream.on("close", close);
  upstream.on("error", close);
  client.resume();
}

/** One HTTP/2 stream → one HTTP/1.1 request to workerd, response streamed back. */
function forward(stream, headers, agent, target) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name[0] === ":" || HOP_BY_HOP.has(name)) continue;
    out[name] = value;
  }
  // HTTP/2 carries the host in :authority; clients sign `host`, so keep theirs when they sent one.
  if (!out.host && headers[":authority"]) out.host = headers[":authority"];
  const upstream = request(
    {
      ...(target.path ? { socketPath: target.path } : { host: target.host, port: target.port }),
      agent,
      method: headers[":method"],
      path: headers[":path"] ?? "/",
      headers: out,
    },
    (res) => {
      if (stream.destroyed || stream.closed) {
        res.destroy();
        return;
      }
      const reply = { [constants.HTTP2_HEADER_STATUS]: res.statusCode };
      for (const [name, value] of Object.entries(res.headers)) {
        if (!HOP_BY_HOP.has(name)) reply[name] = value;
      }
      try {
        stream.respond(reply);
      } catch {
        res.destroy();
        return;
      }
      res.pipe(stream);
      res.on("error", () => stream.close(constants.NGHTTP2_INTERNAL_ERROR));
    },
  );
  upstream.on("error", () => {
    if (stream.destroyed || stream.closed) return;
    if (!stream.headersSent) {
      try {
        stream.respond({ [constants.HTTP2_HEADER_STATUS]: 502, "content-type": "text/plain" });
        stream.end("upstream unavailable");
        return;
      } catch {
        // fall through
      }
    }
    stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  });
  // The client went away (or cancelled a SubscribeToShard): stop the upstream request too.
  stream.on("close", () => {
    if (!upstream.writableFinished || !upstream.res?.complete) upstream.destroy();
  });
  stream.on("error", () => upstream.destroy());
  stream.pipe(upstream);
}
