/**
 * S3's error answers: `<Error><Code/><Message/>…<RequestId/><HostId/></Error>` with the fields the
 * error carries (`<BucketName>`, `<Key>`…), `x-amz-request-id` and `x-amz-id-2` headers, and no body
 * for HEAD requests (S3 sends only the status and headers).
 */
import { completeError } from "../../domain/errors";
import type { S3ErrorInfo } from "../../domain/s3/errors";
import { escapeXml } from "../xml";
import { XML_DECLARATION } from "./xml";

export interface RequestIds {
  requestId: string;
  hostId: string;
}

/** S3 request ids are 16 upper-case hex characters; host ids are base64. */
export function newRequestIds(): RequestIds {
  const bytes = crypto.getRandomValues(new Uint8Array(40));
  const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
  return { requestId: hex, hostId: btoa(String.fromCharCode(...bytes.subarray(8))) };
}

export const idHeaders = (ids: RequestIds): Record<string, string> => ({
  "x-amz-request-id": ids.requestId,
  "x-amz-id-2": ids.hostId,
});

export function s3ErrorResponse(info: S3ErrorInfo, ids: RequestIds, method: string): Response {
  const { code, status, message } = completeError(info);
  const headers = new Headers(idHeaders(ids));
  if (method === "HEAD") return new Response(null, { status, headers });
  const fields = Object.entries(info.fields ?? {})
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join("");
  const xml =
    `${XML_DECLARATION}\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>${fields}` +
    `<RequestId>${ids.requestId}</RequestId><HostId>${escapeXml(ids.hostId)}</HostId></Error>`;
  headers.set("content-type", "application/xml");
  return new Response(xml, { status, headers });
}
