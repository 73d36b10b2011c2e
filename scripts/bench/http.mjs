// The HTTP side of the benchmark's load clients. The AWS SDKs spend more CPU per call than a fast
// server does (middleware, signing, checksums): with them, the benchmark would mostly measure the
// client. So each service's client sends byte-for-byte what its SDK sends, over HTTP/1.1 keep-alive,
// with a fixed SigV4-shaped Authorization header (no server verifies signatures locally).
import { Agent, request } from "node:http";

/**
 * A client for one service: `send(action, input)` posts `encode(action, input)` with
 * `headers(action)` and resolves with `decode(text)`, rejecting on any non-200 answer or after 60 s
 * without one (a server that stops answering fails the run instead of hanging it).
 */
export function loadClient(endpoint, { signingName, headers, encode, decode }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(endpoint);
  const authorization =
    `AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/${signingName}/aws4_request, ` +
    `SignedHeaders=content-type;host;x-amz-date, Signature=${"0".repeat(64)}`;
  return {
    send(action, input) {
      const payload = encode(action, input);
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            method: "POST",
            path: "/",
            agent,
            headers: {
              ...headers(action),
              "x-amz-date": "20260101T000000Z",
              authorization,
              "content-length": Buffer.byteLength(payload),
            },
          },
          (res) => {
            const chunks = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              if (res.statusCode !== 200) reject(new Error(`${action}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
              else resolve(decode(text));
            });
          },
        );
        req.setTimeout(60_000, () => req.destroy(new Error(`${action}: no answer within 60 s`)));
        req.on("error", reject);
        req.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
