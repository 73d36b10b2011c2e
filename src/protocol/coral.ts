/**
 * Amazon's Coral front end, as services behind it (Kinesis) answer at the wire level (recorded against AWS in
 * kinesalite's test/connection.js and test/helpers.js, and LocalStack's test_kinesis snapshots):
 *
 * - Transport: a request that is not a POST, or whose content type is neither JSON 1.1 nor CBOR 1.1, is
 *   answered outside the protocol with a bare XML body (`<AccessDeniedException>…`, `<UnknownOperationException/>`).
 *   An empty body gets `SerializationException` (known operation) or `UnknownOperationException`, with no message.
 * - Malformed bodies: `{"__type":"SerializationException"}`; a value of the wrong type:
 *   `{"__type":"SerializationException","Message":"NUMBER_VALUE can not be converted to a String"}`.
 * - Absent required members: one ValidationException listing every one of them.
 * - Signatures (only when keys are configured): MissingAuthenticationTokenException,
 *   IncompleteSignatureException, InvalidSignatureException, UnrecognizedClientException, HTTP 400 in the
 *   request's protocol; XML with 403 when the content type is not one Kinesis speaks.
 */
import type { ErrorInfo } from "../domain/errors";
import { unknownOperationError, validationError } from "../domain/coral-errors";
import type { CodecErrors } from "../services/descriptor";
import type { Shape } from "../services/model";
import { CBOR_CONTENT_TYPE } from "./cbor";
import { mediaType } from "./detect";

/** `Records.1.PartitionKey` → `records.1.member.partitionKey`, as Coral names members in messages. */
export const coralPath = (path: string): string =>
  path
    .split(".")
    .map((part) => (/^\d+$/.test(part) ? `${part}.member` : part.charAt(0).toLowerCase() + part.slice(1)))
    .join(".");

const serialization = (message?: string): ErrorInfo => ({
  code: "SerializationException",
  message: message ?? "",
  messageField: message === undefined ? "none" : "Message",
});

/** Coral's name for the token it found: `NUMBER_VALUE can not be converted to a String`. */
function tokenName(value: unknown): string {
  if (typeof value === "string") return "STRING_VALUE";
  if (typeof value === "boolean") return value ? "TRUE_VALUE" : "FALSE_VALUE";
  if (typeof value === "number" || typeof value === "bigint") return "NUMBER_VALUE";
  if (value instanceof Uint8Array) return "VALUE_EMBEDDED_OBJECT";
  return "VALUE_NULL";
}

const TYPE_NAMES: Record<string, string> = {
  string: "a String",
  integer: "an Integer",
  long: "a Long",
  boolean: "a Boolean",
  blob: "a Blob",
  float: "a Float",
  double: "a Double",
};

/** Why a string is not base64, in the words (and spelling) of AWS's Base64 decoder. */
function base64Problem(value: string): string {
  if (value.length % 4) return `Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`;
  const bad = /[^a-zA-Z0-9+/=]|=[^=]/.exec(value);
  if (bad) return `Invalid Base64 character: '${bad[0][0]}'`;
  return "Invalid last non-pad Base64 character dectected";
}

/** The SerializationException message for `value` found where `shape` was expected. */
export function typeMismatchMessage(value: unknown, expected: string, shape?: Shape): string {
  const type = shape?.type;
  if (Array.isArray(value)) return "Start of list found where not expected";
  if (value !== null && typeof value === "object" && !(value instanceof Uint8Array)) {
    return "Start of structure or map found where not expected.";
  }
  if (type === "list" || expected === "list") return "Expected list or null";
  if (type === "map" || expected === "map") return "Expected map or null";
  if (type === "structure" || expected === "structure") return "Expected null";
  if ((type === "blob" || expected === "base64 blob") && typeof value === "string") {
    return `'${value}' can not be converted to a Blob: ${base64Problem(value)}`;
  }
  if (type === "timestamp" || expected === "timestamp") {
    return `${tokenName(value)} can not be converted to milliseconds since epoch`;
  }
  const target = (type && TYPE_NAMES[type]) ?? (expected === "integer" ? "an Integer" : `a ${expected}`);
  return `${tokenName(value)} can not be converted to ${target}`;
}

export const coralCodecErrors: CodecErrors = {
  missing: (_member, path) => validationError([{ value: null, path: coralPath(path), constraint: "Member must not be null" }]),
  // Coral lists at most 10 failed constraints.
  missingAll: (missing) =>
    validationError(
      missing.slice(0, 10).map((m) => ({ value: null, path: coralPath(m.path), constraint: "Member must not be null" })),
    ),
  invalidType: (_member, _path, expected, value, shape) => serialization(typeMismatchMessage(value, expected, shape)),
  malformed: () => serialization(),
};

// --- transport and signatures ------------------------------------------------------------------

const encoder = new TextEncoder();

/** Coral's bare XML error body; no Content-Type header, as AWS sends it. */
function xmlBody(code: string, status: number, requestId: string, message?: string): Response {
  const text = message === undefined ? `<${code}/>\n` : `<${code}>\n  <Message>${message}</Message>\n</${code}>\n`;
  // A byte body keeps the runtime from adding a text/plain content type.
  return new Response(encoder.encode(text), { status, headers: { "x-amzn-requestid": requestId } });
}

/** A signature that is absent or not well-formed, checked before verification (strict mode only). */
export function signatureShapeProblem(headers: Headers, url: URL): { code: string; message: string } | undefined {
  const header = headers.get("authorization");
  const query = url.searchParams;
  if (header !== null && query.has("X-Amz-Algorithm")) {
    return {
      code: "InvalidSignatureException",
      message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    };
  }
  let message = "";
  if (header !== null) {
    const params = new Map<string, string>();
    for (const part of header.split(/,| /).slice(1)) {
      const eq = part.indexOf("=");
      if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1));
    }
    for (const name of ["Credential", "Signature", "SignedHeaders"]) {
      if (!params.get(name)) message += `Authorization header requires '${name}' parameter. `;
    }
    if (!headers.has("x-amz-date") && !headers.has("date")) {
      message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    if (message) return { code: "IncompleteSignatureException", message: `${message}Authorization=${header}` };
    return undefined;
  }
  if (query.has("X-Amz-Algorithm")) {
    for (const name of ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"]) {
      if (!query.get(name)) message += `AWS query-string parameters must include '${name}'. `;
    }
    if (message) return { code: "IncompleteSignatureException", message: `${message}Re-examine the query-string parameters.` };
    return undefined;
  }
  return { code: "MissingAuthenticationTokenException", message: "Missing Authentication Token" };
}

const ACCESS_DENIED = "Unable to determine service/operation name to be authorized";

/** What Coral's transport check sees of a request. */
export interface TransportRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
  /** From `X-Amz-Target`, possibly empty. */
  operation: string;
  /** The operation is one of the service's. */
  knownOperation: boolean;
  /** Signatures are verified (keys configured). */
  strict: boolean;
  requestId: string;
  /** The service's JSON content type (`application/x-amz-json-1.1`). */
  jsonContentType: string;
}

/**
 * Transport first: what Coral answers before it reads the body as the protocol's. An error in the
 * protocol's own form, or a ready Response for answers outside it (bare XML, the legacy envelope),
 * or undefined to go on.
 */
export function coralTransport(req: TransportRequest): { error: ErrorInfo; cbor: boolean } | Response | undefined {
  const type = mediaType(req.headers);
  if (req.method !== "POST") {
    const problem = req.strict ? signatureShapeProblem(req.headers, req.url) : undefined;
    if (problem) return xmlBody(problem.code, 403, req.requestId, problem.message);
    return xmlBody("AccessDeniedException", 403, req.requestId, ACCESS_DENIED);
  }
  if (req.body.length === 0) {
    // AWS answers an empty POST in CBOR unless the client asked for JSON 1.1.
    return { error: req.knownOperation ? serialization() : unknownOperationError(), cbor: type !== req.jsonContentType };
  }
  if (type === req.jsonContentType || type === CBOR_CONTENT_TYPE) return undefined;
  if (type === "application/json") {
    // The deprecated Coral JSON envelope, answered with 200 (kinesalite test/connection.js).
    let parses = true;
    try {
      JSON.parse(new TextDecoder().decode(req.body));
    } catch {
      parses = false;
    }
    const output = parses
      ? { __type: "com.amazon.coral.service#UnknownOperationException", message: null }
      : { __type: "com.amazon.coral.service#SerializationException", Message: null };
    return new Response(JSON.stringify({ Output: output, Version: "1.0" }), {
      status: 200,
      headers: { "content-type": "application/json", "x-amzn-requestid": req.requestId },
    });
  }
  const problem = req.strict ? signatureShapeProblem(req.headers, req.url) : undefined;
  if (problem) return xmlBody(problem.code, 403, req.requestId, problem.message);
  if (!req.operation) return xmlBody("AccessDeniedException", 403, req.requestId, ACCESS_DENIED);
  return xmlBody("UnknownOperationException", 404, req.requestId);
}

/** In strict mode, before verification: a signature that is not even well-formed. */
export function coralSignatureProblem(headers: Headers, url: URL): ErrorInfo | undefined {
  const problem = signatureShapeProblem(headers, url);
  return problem && { code: problem.code, message: problem.message, status: 400 };
}

/** authenticate()'s failures (worded for SQS's query protocol) in Coral's words. */
export function coralAuthError(error: ErrorInfo): ErrorInfo {
  const reword = (code: string, message = error.message): ErrorInfo => ({ code, message, status: 400 });
  switch (error.code) {
    case "MissingAuthenticationToken":
      return reword("MissingAuthenticationTokenException", "Missing Authentication Token");
    case "IncompleteSignature":
      return reword("IncompleteSignatureException");
    case "InvalidClientTokenId":
      return reword("UnrecognizedClientException", "The security token included in the request is invalid.");
    case "SignatureDoesNotMatch":
      return reword("InvalidSignatureException");
    default:
      return error;
  }
}

/** An unexpected failure as Coral answers it: a bare `{"__type":"InternalFailure"}`, 500. */
export const coralInternalError = (error: ErrorInfo): ErrorInfo => ({
  code: "InternalFailure",
  status: error.status ?? 500,
  message: error.message,
  messageField: "none",
});
