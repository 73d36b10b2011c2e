/**
 * Sends one Firehose HTTP delivery (HTTP endpoint, OpenSearch `_bulk`, Splunk HEC) and reports what
 * came back, never throwing for the network: the verdict is the domain's
 * (domain/firehose/http-delivery.ts `judgeHttpOutcome`).
 *
 * As AWS: redirects are not followed ("The Firehose server does NOT follow redirects"), the answer
 * is given a deadline (AWS: 3 minutes; the caller passes it, short in tests), and a response body
 * over 1 MiB is `HttpEndpoint.ResponseTooLarge`
 * (https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html).
 * Unlike AWS, plain http:// and any port are allowed, so a test endpoint on 127.0.0.1 works.
 */
import type { HttpDeliveryRequest, HttpOutcome, TransportFailureKind } from "../../domain/firehose/http-delivery";

/** AWS: "The response body must be 1 MiB or less in size." */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: ErrorLike;
}

/**
 * The kind of a fetch failure. Node (undici) puts the socket's code on `cause` (ECONNREFUSED,
 * ECONNRESET…). workerd says "Network connection lost." both for a refused connection and for one
 * closed without an answer (tried: same message, same properties), so that is "other", judged as
 * the connection failure it most often is (a wrong URL, nothing listening). The timeout signal
 * rejects with a TimeoutError in both runtimes.
 */
export function failureKind(error: unknown): TransportFailureKind {
  const e = (error ?? {}) as ErrorLike;
  if (e.name === "TimeoutError" || e.name === "AbortError" || e.cause?.name === "TimeoutError") return "timeout";
  const text = [e.message, e.code, e.cause?.code, e.cause?.message].filter((x) => typeof x === "string").join(" ");
  if (/ECONNREFUSED|refused|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/i.test(text)) return "refused";
  if (/certificate|SSL|TLS|handshake|CERT_/i.test(text)) return "tls";
  if (/ECONNRESET|reset|socket hang up|UND_ERR_SOCKET|EPIPE|other side closed/i.test(text)) return "reset";
  return "other";
}

function describe(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  const message = typeof e.message === "string" ? e.message : String(error);
  const cause = typeof e.cause?.code === "string" ? e.cause.code : typeof e.cause?.message === "string" ? e.cause.message : "";
  return cause && !message.includes(cause) ? `${message}: ${cause}` : message;
}

/** The body as text, or undefined once it passes `limit` bytes (the rest is not read). */
async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** POSTs the request; the answer (status, body, Content-Type) or why there is none. */
export async function sendHttpDelivery(
  request: HttpDeliveryRequest,
  timeoutMs: number,
  maxResponseBytes = MAX_RESPONSE_BYTES,
): Promise<HttpOutcome> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await readLimited(response, maxResponseBytes);
    if (body === undefined) return { error: `the response body is over ${maxResponseBytes} bytes`, kind: "too-large" };
    return { status: response.status, body, contentType: response.headers.get("content-type") };
  } catch (error) {
    return { error: describe(error), kind: failureKind(error) };
  }
}
