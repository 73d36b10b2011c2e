/**
 * A local HTTP server standing in for a Firehose HTTP endpoint, OpenSearch or Splunk: it records each
 * request (headers and body, gunzipped when sent with gzip) and answers as the test scripts it, one
 * behaviour per request (fail, hang past the timeout, echo a wrong requestId, succeed).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  raw: Buffer;
  /** The body, gunzipped when Content-Encoding says gzip. */
  body: Buffer;
}

export type Behaviour = "ok" | "fail" | "hang" | "wrong-id" | ((req: ReceivedRequest, res: ServerResponse) => void);

export interface EndpointServer {
  url: string;
  requests: ReceivedRequest[];
  /** Behaviours for the next requests, in order; after them, `fallback`. */
  script: Behaviour[];
  fallback: Behaviour;
  close(): Promise<void>;
}

const requestIdOf = (req: ReceivedRequest): string | undefined => {
  try {
    return (JSON.parse(req.body.toString()) as { requestId?: string }).requestId;
  } catch {
    return undefined;
  }
};

export async function startEndpoint(): Promise<EndpointServer> {
  const hanging = new Set<ServerResponse>();
  const state: Omit<EndpointServer, "url" | "close"> = { requests: [], script: [], fallback: "ok" };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
      const received: ReceivedRequest = { method: req.method!, url: req.url!, headers: req.headers, raw, body };
      state.requests.push(received);
      const behaviour = state.script.shift() ?? state.fallback;
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (typeof behaviour === "function") return behaviour(received, res);
      switch (behaviour) {
        case "ok":
          return json(200, { requestId: requestIdOf(received), timestamp: Date.now() });
        case "fail":
          return json(500, { requestId: requestIdOf(received), timestamp: Date.now(), errorMessage: "scripted failure" });
        case "wrong-id":
          return json(200, { requestId: "not-the-request-id", timestamp: Date.now() });
        case "hang":
          hanging.add(res);
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    ...state,
    get requests() {
      return state.requests;
    },
    get script() {
      return state.script;
    },
    set script(s: Behaviour[]) {
      state.script = s;
    },
    get fallback() {
      return state.fallback;
    },
    set fallback(b: Behaviour) {
      state.fallback = b;
    },
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
