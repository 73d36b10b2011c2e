/**
 * Serializing results and errors for each wire protocol: the one place an ErrorInfo becomes a response.
 * JSON errors: `{"__type", "message"}` plus, for awsQueryCompatible services (SQS), the
 * `x-amzn-query-error: <code>;<Sender|Receiver>` header SDKs use to map legacy error codes.
 * Query errors: `<ErrorResponse><Error><Type/><Code/><Message/><Detail/></Error><RequestId/>` (SNS: no Detail).
 * CBOR (Kinesis): the JSON documents, CBOR-encoded, with `Content-Type: application/x-amz-cbor-1.1`.
 */
import { completeError, type ErrorInfo } from "../domain/errors";
import type { WireProtocol } from "../services/descriptor";
import { CBOR_CONTENT_TYPE, encodeCbor } from "./cbor";
import { element, escapeXml, XML_DECLARATION } from "./xml";

/** How a service's errors look on the wire (from its descriptor). */
export interface ErrorForm {
  protocol: WireProtocol;
  jsonContentType: string;
  xmlNamespace: string;
  queryCompatible: boolean;
  /** Query errors carry an empty `<Detail/>`. */
  errorDetail: boolean;
}

export function jsonResponse(body: unknown, requestId: string, contentType: string): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": contentType, "x-amzn-requestid": requestId },
  });
}

export function xmlResponse(xml: string, requestId: string): Response {
  return new Response(xml, { status: 200, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId } });
}

/** AWS CBOR 1.1 (Kinesis): the same documents as JSON 1.1, CBOR-encoded. */
export function cborResponse(body: unknown, requestId: string): Response {
  return new Response(encodeCbor(body), {
    status: 200,
    headers: { "content-type": CBOR_CONTENT_TYPE, "x-amzn-requestid": requestId },
  });
}

/** `{__type, message}`, with the message under the member the error names (or none), and the error's further fields. */
export function errorDocument(info: ErrorInfo): Record<string, unknown> {
  const { type, messageField, message, fields } = completeError(info);
  if (messageField === "none") return { __type: type, ...fields };
  return { __type: type, [messageField]: message, ...fields };
}

export function errorResponse(info: ErrorInfo, requestId: string, form: ErrorForm): Response {
  const error = completeError(info);
  const status = error.status;
  if (form.protocol === "cbor") {
    return new Response(encodeCbor(errorDocument(info)), {
      status,
      headers: { "content-type": CBOR_CONTENT_TYPE, "x-amzn-requestid": requestId },
    });
  }
  if (form.protocol === "json") {
    const headers: Record<string, string> = { "content-type": form.jsonContentType, "x-amzn-requestid": requestId };
    if (form.queryCompatible) headers["x-amzn-query-error"] = `${error.code};${error.fault}`;
    return new Response(JSON.stringify(errorDocument(info)), { status, headers });
  }
  const xml =
    `${XML_DECLARATION}<ErrorResponse xmlns="${form.xmlNamespace}"><Error>` +
    element("Type", error.fault) +
    element("Code", escapeXml(error.code)) +
    element("Message", escapeXml(error.queryMessage)) +
    `${form.errorDetail ? "<Detail/>" : ""}</Error>${element("RequestId", requestId)}</ErrorResponse>`;
  return new Response(xml, { status, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId } });
}
