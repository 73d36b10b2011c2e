/**
 * STUB (being written): the HTTP request Firehose sends to an HTTP endpoint, OpenSearch or Splunk
 * destination, and how it judges the answer.
 */
import type { HttpTarget } from "./contract";

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
}

export async function buildHttpRequest(
  _target: HttpTarget,
  _records: Uint8Array[],
  _ctx: HttpRequestContext,
): Promise<HttpDeliveryRequest> {
  throw new Error("not yet");
}

export type HttpVerdict = { ok: true } | { ok: false; reason: string; code?: string };

export function judgeHttpResponse(_target: HttpTarget, _status: number, _body: string, _requestId: string): HttpVerdict {
  return { ok: false, reason: "not yet" };
}
