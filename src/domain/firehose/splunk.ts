/**
 * The Splunk destination: a POST to the HTTP Event Collector (HEC) per batch, and the HEC answer
 * judged into AWS's `Splunk.*` error codes.
 *
 * - "For data delivery to Splunk, Firehose concatenates the bytes that you send. If you want
 *   delimiters in your data, such as a new line character, you must insert them yourself."
 *   (https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html); so the body is the
 *   records as they are, for both endpoint types. For `Event`, each record must already be a HEC
 *   event object (AWS: choose Event "if you preprocessed your data using AWS Lambda").
 * - Error codes and their texts: "Splunk Data Delivery Errors" in
 *   https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-logs.html
 * - HEC answers (`{"text":"Success","code":0}`, codes 1–16): Splunk's "Troubleshoot HTTP Event
 *   Collector" page.
 *
 * Not done (README): Firehose waits for the indexer acknowledgement (it polls
 * `/services/collector/ack` with the ackId until HECAcknowledgmentTimeoutInSeconds); here a 200
 * with code 0 counts as delivered at once, and `Splunk.AckTimeout` never happens.
 *
 * Imports nothing from ./http-delivery (which dispatches here); the verdict has its shape.
 */

export interface HecTarget {
  endpoint: string;
  endpointType: "Raw" | "Event";
  token?: string;
}

export interface HecRequestParts {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The collector path of each endpoint type (Splunk's HEC REST endpoints). */
const PATHS = { Event: "/services/collector/event", Raw: "/services/collector/raw" } as const;

/** The HEC URL: the configured endpoint plus the type's path, unless the endpoint already has it. */
export function hecUrl(endpoint: string, endpointType: "Raw" | "Event"): string {
  const base = endpoint.replace(/\/+$/, "");
  const path = PATHS[endpointType];
  return base.endsWith(path) ? base : `${base}${path}`;
}

function concat(records: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

/**
 * The request parts. The channel is required by the raw endpoint and by indexer acknowledgement;
 * the batch's request id is a GUID that stays the same on every retry, so it serves as the
 * channel. Content-Type is not documented by AWS: application/json for events, text/plain for raw.
 */
export function buildHecRequest(target: HecTarget, records: Uint8Array[], channel: string): HecRequestParts {
  const headers: Record<string, string> = {
    "Content-Type": target.endpointType === "Event" ? "application/json" : "text/plain",
    "X-Splunk-Request-Channel": channel,
  };
  if (target.token) headers.Authorization = `Splunk ${target.token}`;
  return { url: hecUrl(target.endpoint, target.endpointType), headers, body: concat(records) };
}

/**
 * AWS's texts for the Splunk error codes (the CloudWatch Logs page), verbatim but for the service's
 * name: the stored page says "Kinesis Firehose", today's pages "Firehose".
 */
export const SPLUNK_ERRORS = {
  "Splunk.DisabledToken": "The HEC token is disabled. Enable the token to allow data delivery to Splunk.",
  "Splunk.InvalidToken": "The HEC token is invalid. Update Firehose with a valid HEC token.",
  "Splunk.InvalidDataFormat":
    "The data is not formatted correctly. To see how to properly format data for Raw or Event HEC endpoints, see Splunk Event Data.",
  "Splunk.InvalidIndex":
    "The HEC token or input is configured with an invalid index. Check your index configuration and try again.",
  "Splunk.ServerError":
    "Data delivery to Splunk failed due to a server error from the HEC node. Firehose will retry sending the data if the retry duration in your Firehose is greater than 0. If all the retries fail, Firehose backs up the data to Amazon S3.",
  "Splunk.DisabledAck":
    "Indexer acknowledgement is disabled for the HEC token. Enable indexer acknowledgement and try again. For more info, see Enable indexer acknowledgement.",
  "Splunk.ConnectionTimeout":
    "The connection to Splunk timed out. This might be a transient error and the request will be retried. Firehose backs up the data to Amazon S3 if all retries fail.",
  "Splunk.InvalidEndpoint":
    "Could not connect to the HEC endpoint. Make sure that the HEC endpoint URL is valid and reachable from Firehose.",
  "Splunk.ConnectionClosed":
    "Unable to send data to Splunk due to a connection failure. This might be a transient error. Increasing the retry duration in your Firehose configuration might guard against such transient failures.",
  "Splunk.SSLHandshake": "Could not connect to the HEC endpoint. Make sure that the certificate and the host are valid.",
} as const;

export type SplunkErrorCode = keyof typeof SPLUNK_ERRORS;

/** HEC status codes → AWS's code. 10/11 (channel) have no AWS code; a server error is nearest. */
const HEC_CODES: Record<number, SplunkErrorCode> = {
  1: "Splunk.DisabledToken",
  2: "Splunk.InvalidToken",
  3: "Splunk.InvalidToken",
  4: "Splunk.InvalidToken",
  5: "Splunk.InvalidDataFormat",
  6: "Splunk.InvalidDataFormat",
  7: "Splunk.InvalidIndex",
  8: "Splunk.ServerError",
  9: "Splunk.ServerError",
  10: "Splunk.ServerError",
  11: "Splunk.ServerError",
  12: "Splunk.InvalidDataFormat",
  13: "Splunk.InvalidDataFormat",
  14: "Splunk.DisabledAck",
  15: "Splunk.InvalidDataFormat",
  16: "Splunk.InvalidToken",
};

/** Without a HEC body, the status says what HEC would have: 401/403 token, 400 data, else server. */
function codeOfStatus(status: number): SplunkErrorCode {
  if (status === 401 || status === 403) return "Splunk.InvalidToken";
  if (status === 400) return "Splunk.InvalidDataFormat";
  return "Splunk.ServerError";
}

export type HecVerdict = { ok: true } | { ok: false; reason: string; code: SplunkErrorCode };

const TRUNCATE_AT = 1024;
const truncated = (text: string) => (text.length > TRUNCATE_AT ? `${text.slice(0, TRUNCATE_AT)}…` : text);

export const splunkFailure = (code: SplunkErrorCode, detail?: string): HecVerdict => ({
  ok: false,
  code,
  reason: detail ? `${SPLUNK_ERRORS[code]} ${detail}` : SPLUNK_ERRORS[code],
});

/** Delivered: HTTP 200 and a HEC answer with code 0 (`{"text":"Success","code":0}`, maybe an ackId). */
export function judgeHecResponse(status: number, body: string): HecVerdict {
  let hec: { text?: unknown; code?: unknown } | undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed !== null && typeof parsed === "object") hec = parsed as typeof hec;
  } catch {
    hec = undefined;
  }
  const hecCode = typeof hec?.code === "number" ? hec.code : undefined;
  if (status === 200 && hecCode === 0) return { ok: true };
  const detail = `HEC response: ${status} ${truncated(body)}`;
  if (hecCode !== undefined && HEC_CODES[hecCode]) return splunkFailure(HEC_CODES[hecCode]!, detail);
  // A 200 that is not a HEC answer is no acknowledgement of the data.
  return splunkFailure(status === 200 ? "Splunk.ServerError" : codeOfStatus(status), detail);
}
