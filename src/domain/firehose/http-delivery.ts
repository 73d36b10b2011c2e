/**
 * The HTTP request Firehose sends to an HTTP endpoint, OpenSearch or Splunk destination, and how it
 * judges the answer (or the failure to get one). Pure: the sending is durable/delivery/http-sender.ts.
 *
 * HTTP endpoint, exactly as AWS specifies it:
 * https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html
 * Its error codes: https://docs.aws.amazon.com/firehose/latest/dev/http_troubleshooting.html
 * OpenSearch's `_bulk` is ./opensearch.ts, Splunk's HEC ./splunk.ts.
 *
 * Batching (at most 10,000 records and 64 MiB before compression per request) is the caller's.
 */
import { bytesToBase64 } from "../base64";
import type { HttpTarget } from "./contract";
import { buildBulkRequest, judgeBulkResponse, type BulkItemError } from "./opensearch";
import { buildHecRequest, judgeHecResponse, splunkFailure } from "./splunk";

export interface HttpDeliveryRequest {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface HttpRequestContext {
  /** The same on every retry of one batch. */
  requestId: string;
  /** Epoch ms of this attempt. */
  now: number;
  /** The delivery stream's ARN. */
  sourceArn: string;
  /** Epoch ms each record arrived (OpenSearch index rotation, Splunk event time). */
  arrivals: number[];
  /**
   * Stable ids of the records, e.g. their PutRecord RecordIds: OpenSearch's FIREHOSE_DEFAULT
   * document ids. Without them the ids are `<requestId>-<place in batch>`, stable only while the
   * batch is retried whole.
   */
  recordIds?: string[];
}

export type HttpVerdict =
  | { ok: true }
  | {
      ok: false;
      /** What AWS's CloudWatch error log would say. */
      reason: string;
      /** AWS's error code: `HttpEndpoint.*`, `Splunk.*`; OpenSearch's status, or `OS.*`/`ES.*`. */
      code: string;
      /** HTTP endpoint 413: AWS does not retry it and does not back the batch up to S3. */
      permanent?: boolean;
      /** OpenSearch: the places of the documents that failed (the others were indexed). */
      failedItems?: number[];
      itemErrors?: BulkItemError[];
    };

/** Why no HTTP answer was had (the sender classifies its error into one of these). */
export type TransportFailureKind = "timeout" | "refused" | "reset" | "tls" | "too-large" | "other";

/** What the sender gets: an answer, or the reason there is none. */
export type HttpOutcome =
  { status: number; body: string; contentType?: string | null } | { error: string; kind: TransportFailureKind };

// ---- building ------------------------------------------------------------------------------

const encoder = new TextEncoder();

/** gzip through the runtime's CompressionStream (Workers and Node alike). */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new CompressionStream("gzip");
  const writer = stream.writable.getWriter();
  // Written and read at once: awaiting the write first would stall on the stream's backpressure.
  const written = writer.write(bytes).then(() => writer.close());
  const [compressed] = await Promise.all([new Response(stream.readable).arrayBuffer(), written]);
  return new Uint8Array(compressed);
}

/**
 * The body: `{"requestId","timestamp","records":[{"data":<base64>}…]}`, `timestamp` in epoch ms
 * ("the timestamp (milliseconds since epoch) at which the Firehose server generated this request").
 * Written out by hand: base64 needs no JSON escaping, and a 64 MiB batch is not built twice.
 */
export function endpointBody(records: Uint8Array[], ctx: HttpRequestContext): string {
  const data = records.map((r) => `{"data":"${bytesToBase64(r)}"}`).join(",");
  return `{"requestId":${JSON.stringify(ctx.requestId)},"timestamp":${ctx.now},"records":[${data}]}`;
}

type EndpointTarget = Extract<HttpTarget, { format: "http-endpoint" }>;

/**
 * The headers, in the page's order. The access key is copied verbatim and only when configured;
 * the common attributes only when there are some; Content-Encoding only for GZIP ("If compression
 * is not enabled, the Content-Encoding header is absent altogether"). Content-Length is the
 * runtime's to set.
 */
export function endpointHeaders(target: EndpointTarget, ctx: HttpRequestContext): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Amz-Firehose-Protocol-Version": "1.0",
    "X-Amz-Firehose-Request-Id": ctx.requestId,
    "Content-Type": "application/json",
  };
  if (target.contentEncoding === "GZIP") headers["Content-Encoding"] = "gzip";
  headers["X-Amz-Firehose-Source-Arn"] = ctx.sourceArn;
  if (target.accessKey !== undefined) headers["X-Amz-Firehose-Access-Key"] = target.accessKey;
  if (Object.keys(target.commonAttributes).length > 0) {
    headers["X-Amz-Firehose-Common-Attributes"] = JSON.stringify({ commonAttributes: target.commonAttributes });
  }
  return headers;
}

/** The request for one batch; async because GZIP compresses through a stream. */
export async function buildHttpRequest(
  target: HttpTarget,
  records: Uint8Array[],
  ctx: HttpRequestContext,
): Promise<HttpDeliveryRequest> {
  switch (target.format) {
    case "http-endpoint": {
      const json = encoder.encode(endpointBody(records, ctx));
      const body = target.contentEncoding === "GZIP" ? await gzip(json) : json;
      return { url: target.url, method: "POST", headers: endpointHeaders(target, ctx), body };
    }
    case "opensearch": {
      const parts = buildBulkRequest(target, records, ctx);
      return { url: parts.url, method: "POST", headers: parts.headers, body: encoder.encode(parts.body) };
    }
    case "splunk": {
      const parts = buildHecRequest(target, records, ctx.requestId);
      return { url: parts.url, method: "POST", headers: parts.headers, body: parts.body };
    }
  }
}

// ---- judging an answer ---------------------------------------------------------------------

/** AWS logs "a truncated response payload"; how much it keeps is not documented. */
const TRUNCATE_AT = 1024;
const truncated = (text: string) => (text.length > TRUNCATE_AT ? `${text.slice(0, TRUNCATE_AT)}…` : text);

/** The response fields the specification allows; any other makes the answer invalid. */
const RESPONSE_FIELDS = new Set(["requestId", "timestamp", "errorMessage"]);

/**
 * `HttpEndpoint.InvalidResponseFromDestination`. The first sentence and "is not recognized as
 * valid JSON or has unexpected fields. Raw response received: 200 …" are AWS's logged text; the
 * other problems (missing or mismatched requestId, missing timestamp, content type) are the kinds
 * AWS's troubleshooting page lists under this code, worded here like that sentence.
 */
function invalidResponse(requestId: string, problem: string, status: number, body: string): HttpVerdict {
  return {
    ok: false,
    code: "HttpEndpoint.InvalidResponseFromDestination",
    reason:
      "The response received from the specified endpoint is invalid. Contact the owner of the endpoint to resolve the issue. " +
      `Response for request ${requestId} ${problem}. Raw response received: ${status} ${truncated(body)}`,
  };
}

/** What is wrong with a 200 answer's body, or undefined when it is a proper acknowledgement. */
function endpointBodyProblem(body: string, requestId: string): string | undefined {
  const invalidJson = "is not recognized as valid JSON or has unexpected fields";
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return invalidJson;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return invalidJson;
  const answer = parsed as Record<string, unknown>;
  if (Object.keys(answer).some((k) => !RESPONSE_FIELDS.has(k))) return invalidJson;
  if (answer.errorMessage !== undefined && typeof answer.errorMessage !== "string") return invalidJson;
  // AWS's own example of this error is `{"requestId": null}`: a field of the wrong type.
  if (answer.requestId !== undefined && typeof answer.requestId !== "string") return invalidJson;
  if (answer.requestId === undefined) return "does not contain a requestId";
  if (answer.requestId !== requestId) return `has the requestId ${answer.requestId}, which does not match the request's`;
  // "The timestamp field must be a number and not a string."
  if (typeof answer.timestamp !== "number") return "does not contain a timestamp field that is a number";
  return undefined;
}

/**
 * Only 200 counts as delivered, and only with `content-type: application/json` and a body of
 * `{requestId (ours), timestamp (a number)[, errorMessage]}`. Any other status is a
 * `HttpEndpoint.DestinationException` (3xx too: redirects are not followed; 2xx that are not 200
 * too), logged with the status and the truncated body; 413 is permanent. `contentType` is the
 * response's header (null: absent); leave it out to skip that check.
 */
export function judgeEndpointResponse(status: number, body: string, requestId: string, contentType?: string | null): HttpVerdict {
  if (status !== 200) {
    return {
      ok: false,
      code: "HttpEndpoint.DestinationException",
      reason: `The following response was received from the endpoint destination. ${status}: ${truncated(body)}`,
      ...(status === 413 ? { permanent: true } : {}),
    };
  }
  if (contentType !== undefined) {
    const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (mediaType !== "application/json") {
      return invalidResponse(requestId, "does not contain a content-type: application/json header", status, body);
    }
  }
  const problem = endpointBodyProblem(body, requestId);
  return problem === undefined ? { ok: true } : invalidResponse(requestId, problem, status, body);
}

/** An HTTP answer to a delivery, judged by the destination's rules. */
export function judgeHttpResponse(
  target: HttpTarget,
  status: number,
  body: string,
  requestId: string,
  contentType?: string | null,
): HttpVerdict {
  switch (target.format) {
    case "http-endpoint":
      return judgeEndpointResponse(status, body, requestId, contentType);
    case "opensearch":
      return judgeBulkResponse(status, body);
    case "splunk":
      return judgeHecResponse(status, body);
  }
}

// ---- judging the lack of an answer ---------------------------------------------------------

/**
 * HTTP endpoint codes from AWS's troubleshooting page ("Other Common Errors"). The page describes
 * them without the logged text; these sentences are worded like AWS's logged ones.
 */
const ENDPOINT_TRANSPORT: Record<TransportFailureKind, [string, string]> = {
  timeout: [
    "HttpEndpoint.RequestTimeout",
    "The delivery timed out before a response was received and will be retried. If this error persists, contact the owner of the endpoint to lower its response time.",
  ],
  "too-large": [
    "HttpEndpoint.ResponseTooLarge",
    "The response received from the endpoint is too large. The response must be less than 1 MiB. Contact the owner of the endpoint to resolve this issue.",
  ],
  refused: [
    "HttpEndpoint.ConnectionFailed",
    "Unable to connect to the destination endpoint. Contact the owner of the endpoint to resolve this issue.",
  ],
  other: [
    "HttpEndpoint.ConnectionFailed",
    "Unable to connect to the destination endpoint. Contact the owner of the endpoint to resolve this issue.",
  ],
  reset: [
    "HttpEndpoint.ConnectionReset",
    "Unable to maintain connection with the endpoint. Contact the owner of the endpoint to resolve this issue.",
  ],
  tls: [
    "HttpEndpoint.SSLHandshakeFailure",
    "Unable to complete an SSL handshake with the destination endpoint. Contact the owner of the endpoint to resolve this issue.",
  ],
};

const SPLUNK_TRANSPORT = {
  timeout: "Splunk.ConnectionTimeout",
  "too-large": "Splunk.ServerError",
  refused: "Splunk.InvalidEndpoint",
  other: "Splunk.InvalidEndpoint",
  reset: "Splunk.ConnectionClosed",
  tls: "Splunk.SSLHandshake",
} as const;

/**
 * OpenSearch: AWS documents no code for a lost connection (it logs "errors … as they are returned
 * by OpenSearch"); these follow AWS's `<Destination>.<Problem>` naming with its `OS`/`ES` prefixes.
 */
const OPENSEARCH_TRANSPORT: Record<TransportFailureKind, [string, string]> = {
  timeout: ["RequestTimeout", "The request to the cluster timed out before a response was received."],
  "too-large": ["ResponseTooLarge", "The response received from the cluster is too large."],
  refused: ["ConnectionFailed", "Unable to connect to the cluster. Make sure that the endpoint is valid and reachable."],
  other: ["ConnectionFailed", "Unable to connect to the cluster. Make sure that the endpoint is valid and reachable."],
  reset: ["ConnectionReset", "The connection to the cluster was reset or closed before a response was received."],
  tls: ["SSLHandshakeFailure", "Unable to complete an SSL handshake with the cluster."],
};

/** No answer at all (timeout, refused, reset…): the destination's code for it; `detail` is the runtime's error. */
export function judgeTransportFailure(target: HttpTarget, kind: TransportFailureKind, detail: string): HttpVerdict {
  switch (target.format) {
    case "http-endpoint": {
      const [code, text] = ENDPOINT_TRANSPORT[kind];
      return { ok: false, code, reason: `${text} (${detail})` };
    }
    case "splunk":
      return splunkFailure(SPLUNK_TRANSPORT[kind], `(${detail})`);
    case "opensearch": {
      const [problem, text] = OPENSEARCH_TRANSPORT[kind];
      const prefix = target.errorType === "elasticsearch-failed" ? "ES" : "OS";
      return { ok: false, code: `${prefix}.${problem}`, reason: `${text} (${detail})` };
    }
  }
}

/** The sender's outcome, whichever it is, judged. */
export function judgeHttpOutcome(target: HttpTarget, outcome: HttpOutcome, requestId: string): HttpVerdict {
  return "error" in outcome
    ? judgeTransportFailure(target, outcome.kind, outcome.error)
    : judgeHttpResponse(target, outcome.status, outcome.body, requestId, outcome.contentType);
}
