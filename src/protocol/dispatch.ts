/**
 * One AWS request, end to end: read the body once, detect the protocol and service, authenticate,
 * decode the input through the service's shapes, invoke the operation, encode the output or the
 * error for the request's protocol. Every failure becomes an AWS-style error response; unexpected
 * ones are logged and answered as InternalError without internals.
 */
import { authenticate, signaturesRequired } from "./authenticate";
import { decodeCborInput, encodeCborOutput, parseCborBody } from "./cbor";
import type { CodecErrors } from "./codec-errors";
import { parseAuth } from "./sigv4";
import { detect, queuePath, type WireProtocol } from "./detect";
import { AwsError, internalError } from "../domain/errors";
import { decodeJsonInput, encodeJsonOutput, parseJsonBody } from "./json";
import { decodeQueryInput, encodeXmlResponse } from "./query";
import { cborErrorResponse, cborResponse, jsonErrorResponse, jsonResponse, xmlErrorResponse, xmlResponse } from "./responses";
import type { ServiceDefinition } from "./service";

/** Far above any valid request (1 MiB batches, base64 or percent-encoded), far below what hurts. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function handleAwsRequest(request: Request, env: Env, services: ServiceDefinition[]): Promise<Response> {
  const requestId = crypto.randomUUID();
  const url = new URL(request.url);
  const headers = request.headers;
  let protocol: WireProtocol = headers.has("x-amz-target") ? "json" : "query";
  let service = services[0]!;
  try {
    const declared = Number(headers.get("content-length") ?? "0");
    if (declared > MAX_BODY_BYTES) throw tooLarge();
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) throw tooLarge();

    const detected = detect(headers, url, body, service.codecErrors("", protocol));
    protocol = detected.protocol;
    if (detected.protocol !== "query") {
      service = services.find((s) => s.targetPrefix === detected.targetPrefix) ?? service;
      // Only services that speak CBOR get a CBOR exchange; the others see the body as JSON, as before.
      if (protocol === "cbor" && !service.cbor) protocol = "json";
      if (service.targetPrefix !== detected.targetPrefix) throw service.unknownOperation(detected.operation, protocol);
    } else {
      service = pickQueryService(services, detected.version, detected.operation, headers, url);
    }
    const operation = detected.operation;
    const model = operation === undefined ? undefined : service.model.operations[operation];

    // Coral services (Kinesis): transport, body, operation, and only then the signature.
    let parsed: unknown = undefined;
    const coral = detected.protocol !== "query" ? service.coral : undefined;
    if (coral) {
      const strict = signaturesRequired(env);
      const early = coral.transport({
        method: request.method,
        url,
        headers,
        body,
        operation: operation ?? "",
        knownOperation: model !== undefined,
        strict,
        requestId,
      });
      if (early) return early;
      parsed = parseBody(body, protocol, service.codecErrors(operation ?? "", protocol));
      if (!model) throw service.unknownOperation(operation, protocol);
      if (strict) coral.checkSignatureShape(headers, url);
    }

    const anonymousAllowed = operation !== undefined && (service.allowsAnonymous?.(operation) ?? false);
    let caller;
    try {
      caller = await authenticate({ method: request.method, url, headers, body }, env, Date.now(), anonymousAllowed);
    } catch (failure) {
      throw coral && failure instanceof AwsError ? coral.authError(failure) : failure;
    }

    if (operation === undefined || !model) {
      if (detected.protocol === "query" && operation === undefined && request.method === "GET" && queuePath(url.pathname)) {
        // AWS answers a bare GET of a queue URL with Coral's body-only error, not an <ErrorResponse>
        // (LocalStack's AWS-validated test_get_without_query_returns_unknown_operation).
        return new Response("<UnknownOperationException/>\n", {
          status: 404,
          headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
        });
      }
      throw service.unknownOperation(operation, protocol);
    }
    const pathProblem = detected.protocol === "query" ? service.checkPath?.(operation, url) : undefined;
    if (pathProblem) throw pathProblem;

    const errors = service.codecErrors(operation, protocol);
    const input =
      detected.protocol === "query"
        ? decodeQueryInput(model.input, detected.params, errors)
        : protocol === "cbor"
          ? decodeCborInput(model.input, coral ? parsed : parseCborBody(body, errors), errors)
          : decodeJsonInput(model.input, coral ? parsed : parseJsonBody(body, errors), errors);
    const origin = `${url.protocol}//${url.host}`;
    const traceHeader = headers.get("x-amzn-trace-id") ?? undefined;
    const result = await service.invoke(operation, input, { env, caller, protocol, origin, url, traceHeader });
    if (result instanceof Response) return result;
    const output = result as Record<string, unknown>;

    if (protocol === "cbor") return cborResponse(encodeCborOutput(model.output, output), requestId);
    if (protocol === "json") return jsonResponse(encodeJsonOutput(model.output, output), requestId, service.jsonContentType);
    return xmlResponse(encodeXmlResponse(operation, model, output, requestId, service.model.xmlNamespace ?? ""), requestId);
  } catch (thrown) {
    let error = thrown instanceof AwsError ? thrown : unexpected(thrown);
    if (protocol !== "query" && error.type === "InternalFailure" && service.coral) error = service.coral.internalError(error);
    const options = {
      jsonContentType: service.jsonContentType,
      xmlNamespace: service.model.xmlNamespace ?? "",
      queryCompatible: service.queryCompatible,
    };
    if (protocol === "cbor") return cborErrorResponse(error, requestId);
    return protocol === "json" ? jsonErrorResponse(error, requestId, options) : xmlErrorResponse(error, requestId, options);
  }
}

function parseBody(body: Uint8Array, protocol: WireProtocol, errors: CodecErrors): unknown {
  return protocol === "cbor" ? parseCborBody(body, errors) : parseJsonBody(body, errors);
}

/**
 * Which service a query-protocol request is for: its `Version`, else the signing scope's service,
 * else a queue URL path (SQS), else the service that has the action (SNS's confirmation links carry
 * neither Version nor credentials), else the first service.
 */
function pickQueryService(
  services: ServiceDefinition[],
  version: string | undefined,
  operation: string | undefined,
  headers: Headers,
  url: URL,
): ServiceDefinition {
  const byVersion = version && services.find((s) => s.queryVersion === version);
  if (byVersion) return byVersion;
  const auth = parseAuth(headers, url);
  const bySigning = auth.kind === "signed" && services.find((s) => s.queryVersion && s.signingName === auth.auth.service);
  if (bySigning) return bySigning;
  if (queuePath(url.pathname)) return services.find((s) => s.signingName === "sqs") ?? services[0]!;
  const owners = operation ? services.filter((s) => s.queryVersion && s.model.operations[operation]) : [];
  return owners.length === 1 ? owners[0]! : services[0]!;
}

function unexpected(thrown: unknown): AwsError {
  console.error("unexpected error while handling a request", thrown);
  return internalError();
}

const tooLarge = () =>
  new AwsError({ code: "RequestEntityTooLarge", status: 413, message: `Request must be smaller than ${MAX_BODY_BYTES} bytes.` });
