/**
 * Serializing results and AwsErrors for each wire protocol.
 * JSON errors: `{"__type", "message"}` plus, for awsQueryCompatible services (SQS), the
 * `x-amzn-query-error: <code>;<Sender|Receiver>` header SDKs use to map legacy error codes.
 * Query errors: `<ErrorResponse><Error><Type/><Code/><Message/><Detail/></Error><RequestId/>` (SNS: no Detail).
 * CBOR (Kinesis): the JSON documents, CBOR-encoded, with `Content-Type: application/x-amz-cbor-1.1`.
 */
import { CBOR_CONTENT_TYPE, encodeCbor } from "./cbor";
import type { AwsError } from "../domain/errors";
import { element, escapeXml, XML_DECLARATION } from "./xml";

export interface ProtocolOptions {
  jsonContentType: string;
  xmlNamespace: string;
  queryCompatible: boolean;
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

export function jsonErrorResponse(error: AwsError, requestId: string, options: ProtocolOptions): Response {
  const headers: Record<string, string> = { "content-type": options.jsonContentType, "x-amzn-requestid": requestId };
  if (options.queryCompatible) headers["x-amzn-query-error"] = `${error.code};${error.fault}`;
  return new Response(JSON.stringify(errorBody(error)), { status: error.status, headers });
}

/** `{__type, message}`, with the message under the member the error names (or none). */
function errorBody(error: AwsError): Record<string, string> {
  if (error.messageField === "none") return { __type: error.type };
  return { __type: error.type, [error.messageField]: error.message };
}

/** AWS CBOR 1.1 (Kinesis): the same documents as JSON 1.1, CBOR-encoded. */
export function cborResponse(body: unknown, requestId: string): Response {
  return new Response(encodeCbor(body), {
    status: 200,
    headers: { "content-type": CBOR_CONTENT_TYPE, "x-amzn-requestid": requestId },
  });
}

export function cborErrorResponse(error: AwsError, requestId: string): Response {
  return new Response(encodeCbor(errorBody(error)), {
    status: error.status,
    headers: { "content-type": CBOR_CONTENT_TYPE, "x-amzn-requestid": requestId },
  });
}

export function xmlErrorResponse(error: AwsError, requestId: string, options: ProtocolOptions): Response {
  const xml =
    `${XML_DECLARATION}<ErrorResponse xmlns="${options.xmlNamespace}"><Error>` +
    element("Type", error.fault) +
    element("Code", escapeXml(error.code)) +
    element("Message", escapeXml(error.queryMessage)) +
    // SQS writes an empty <Detail/>; SNS does not (no recorded SNS error has a Detail).
    `${options.queryCompatible ? "<Detail/>" : ""}</Error>${element("RequestId", requestId)}</ErrorResponse>`;
  return new Response(xml, { status: error.status, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId } });
}
