/**
 * One AWS request, end to end: read the body once, detect the protocol and the service, authenticate,
 * decode the input through the service's shapes, invoke the operation, encode the output or the error
 * for the request's protocol. Every step returns a Result; the one place a failure becomes a response
 * is `errorResponse`, worded as the service the request is for. Exceptions are bugs: logged, and
 * answered as the service's internal error without internals.
 */
import type { Caller } from "../domain/caller";
import { fail, internalError, ok, type ErrorInfo, type Result } from "../domain/errors";
import type { RequestContext, ServiceDescriptor, WireProtocol } from "../services/descriptor";
import type { EventStream, OperationModel } from "../services/model";
import type { S3Service } from "../services/s3/wire";
import { authenticate, signaturesRequired } from "./authenticate";
import { decodeCborInput, encodeCborOutput, parseCborBody } from "./cbor";
import { coralAuthError, coralCodecErrors, coralInternalError, coralSignatureProblem, coralTransport } from "./coral";
import { detect, type Detected } from "./detect";
import { eventStreamMember, eventStreamResponse } from "./event-stream-response";
import { decodeJsonInput, encodeJsonOutput, parseJsonBody } from "./json";
import { decodeQueryInput, encodeXmlResponse } from "./query";
import { cborResponse, errorResponse, jsonResponse, xmlResponse } from "./responses";
import { handleS3Request, isS3Request } from "./s3";
import { parseAuth, type AuthParseResult } from "./sigv4";

/** Far above any valid request (1 MiB batches, base64 or percent-encoded), far below what hurts. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Who answers, and in which protocol: refined as the request is understood, used to word errors. */
interface Exchange {
  requestId: string;
  service: ServiceDescriptor;
  protocol: WireProtocol;
  /** The request's signature, read once (the signing scope names a service; authentication checks it). */
  auth: AuthParseResult;
}

export async function handleAwsRequest(
  request: Request,
  env: Env,
  services: readonly ServiceDescriptor[],
  s3?: S3Service,
): Promise<Response> {
  const url = new URL(request.url);
  const auth = parseAuth(request.headers, url);
  // S3 before the body is read: its bodies are streamed, and the whole-body limit below is not theirs.
  const claimed = (path: string) => services.some((s) => s.query?.claimsPath?.(path));
  if (s3 && isS3Request(request.method, request.headers, url, auth, claimed)) return handleS3Request(request, env, url, auth, s3);
  const exchange: Exchange = { requestId: crypto.randomUUID(), auth, ...likelyService(request.headers, url, auth, services) };
  let response: Result<Response>;
  try {
    response = await serve(request, url, env, services, exchange);
  } catch (bug) {
    console.error("unexpected error while handling a request", bug);
    response = fail(internalError());
  }
  return response.ok ? response.value : answerError(exchange, response.error);
}

function answerError(exchange: Exchange, error: ErrorInfo): Response {
  const { service, protocol } = exchange;
  const coral = service.coral && protocol !== "query";
  if (coral && (error.type ?? error.code) === "InternalFailure") error = coralInternalError(error);
  return errorResponse(error, exchange.requestId, {
    protocol,
    jsonContentType: service.json?.contentType ?? "application/x-amz-json-1.0",
    xmlNamespace: service.query?.xmlNamespace ?? "",
    queryCompatible: service.json?.queryCompatible ?? false,
    errorDetail: service.query?.errorDetail ?? false,
  });
}

const codecErrors = (service: ServiceDescriptor, operation: string, protocol: WireProtocol) =>
  service.coral ? coralCodecErrors : service.codecErrors!(operation, protocol);

const tooLarge = (): ErrorInfo => ({
  code: "RequestEntityTooLarge",
  status: 413,
  message: `Request must be smaller than ${MAX_BODY_BYTES} bytes.`,
});

async function serve(
  request: Request,
  url: URL,
  env: Env,
  services: readonly ServiceDescriptor[],
  exchange: Exchange,
): Promise<Result<Response>> {
  const { headers } = request;
  const declared = Number(headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return fail(tooLarge());
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.length > MAX_BODY_BYTES) return fail(tooLarge());

  const detected = detect(headers, url, body, codecErrors(exchange.service, "", exchange.protocol));
  if (!detected.ok) return detected;
  const found = pickService(detected.value, services, url, exchange);
  if (!found.ok) return found;
  const service = found.value;
  const wire = detected.value;
  const operation = wire.operation;
  const model = operation === undefined ? undefined : service.model.operations[operation];
  const strict = signaturesRequired(env);

  // Coral services (Kinesis): transport, body, operation, and only then the signature.
  let parsed: Result<unknown> | undefined;
  if (service.coral && wire.protocol !== "query") {
    const early = coralTransport({
      method: request.method,
      url,
      headers,
      body,
      operation: operation ?? "",
      knownOperation: model !== undefined,
      strict,
      requestId: exchange.requestId,
      jsonContentType: service.json!.contentType,
    });
    if (early instanceof Response) return ok(early);
    if (early) {
      exchange.protocol = early.cbor ? "cbor" : "json";
      return fail(early.error);
    }
    parsed = parseBody(body, exchange.protocol, coralCodecErrors);
    if (!parsed.ok) return parsed;
    if (!model) return fail(service.unknownOperation(operation, exchange.protocol));
    const problem = strict ? coralSignatureProblem(headers, url) : undefined;
    if (problem) return fail(problem);
  }

  const authenticated = await authenticate({ method: request.method, url, headers, body, auth: exchange.auth }, env, Date.now(), {
    allowAnonymous: operation !== undefined && (service.anonymousOperations?.has(operation) ?? false),
    maxSkewMs: service.maxClockSkewMs,
  });
  if (!authenticated.ok)
    return fail(service.coral && wire.protocol !== "query" ? coralAuthError(authenticated.error) : authenticated.error);

  const pathAnswer = wire.protocol === "query" ? service.checkPath?.(operation, { method: request.method, url }) : undefined;
  if (pathAnswer instanceof Response) {
    pathAnswer.headers.set("x-amzn-requestid", exchange.requestId);
    return ok(pathAnswer);
  }
  if (pathAnswer) return fail(pathAnswer);
  if (operation === undefined || !model) return fail(service.unknownOperation(operation, exchange.protocol));

  const input = decodeInput(wire, model, body, parsed, codecErrors(service, operation, exchange.protocol), exchange.protocol);
  if (!input.ok) return input;
  const context: RequestContext = {
    env,
    caller: authenticated.value satisfies Caller,
    protocol: exchange.protocol,
    origin: `${url.protocol}//${url.host}`,
    url,
    traceHeader: headers.get("x-amzn-trace-id") ?? undefined,
    now: Date.now(),
  };
  const output = await service.invoke(operation, input.value, context);
  if (!output.ok) return output;
  return ok(encodeOutput(operation, model, output.value as Record<string, unknown>, service, exchange));
}

function parseBody(body: Uint8Array, protocol: WireProtocol, errors: ReturnType<typeof codecErrors>): Result<unknown> {
  return protocol === "cbor" ? parseCborBody(body, errors) : parseJsonBody(body, errors);
}

function decodeInput(
  wire: Detected,
  model: OperationModel,
  body: Uint8Array,
  parsed: Result<unknown> | undefined,
  errors: ReturnType<typeof codecErrors>,
  protocol: WireProtocol,
): Result<Record<string, unknown>> {
  if (wire.protocol === "query") return decodeQueryInput(model.input, wire.params, errors);
  const value = parsed ?? parseBody(body, protocol, errors);
  if (!value.ok) return value;
  return protocol === "cbor"
    ? decodeCborInput(model.input, value.value, errors)
    : decodeJsonInput(model.input, value.value, errors);
}

function encodeOutput(
  operation: string,
  model: OperationModel,
  output: Record<string, unknown>,
  service: ServiceDescriptor,
  exchange: Exchange,
): Response {
  const { protocol, requestId } = exchange;
  const stream = eventStreamMember(model.output);
  if (stream) {
    return eventStreamResponse(stream.shape, output[stream.name] as EventStream<Record<string, unknown>>, protocol, requestId);
  }
  if (protocol === "cbor") return cborResponse(encodeCborOutput(model.output, output), requestId);
  if (protocol === "json") return jsonResponse(encodeJsonOutput(model.output, output), requestId, service.json!.contentType);
  return xmlResponse(encodeXmlResponse(operation, model, output, requestId, service.query!.xmlNamespace), requestId);
}

/**
 * Before the body is read: the service a request is most likely for, so that a body that cannot even
 * be parsed is answered in that service's words. JSON: by `X-Amz-Target`; query: by the signing
 * scope's service, a path the service claims (SQS queue URLs), else the first query service.
 */
function likelyService(
  headers: Headers,
  url: URL,
  auth: AuthParseResult,
  services: readonly ServiceDescriptor[],
): Pick<Exchange, "service" | "protocol"> {
  const target = headers.get("x-amz-target");
  if (target) {
    const prefix = target.slice(0, target.lastIndexOf("."));
    const service =
      services.find((s) => s.json?.targetPrefix === prefix) ?? bySigningScope(services, auth, (s) => s.json !== undefined);
    return { service: service ?? services[0]!, protocol: "json" };
  }
  const service =
    bySigningScope(services, auth, (s) => s.query !== undefined) ??
    services.find((s) => s.query?.claimsPath?.(url.pathname)) ??
    services.find((s) => s.query);
  return { service: service ?? services[0]!, protocol: "query" };
}

function bySigningScope(
  services: readonly ServiceDescriptor[],
  auth: AuthParseResult,
  speaks: (s: ServiceDescriptor) => boolean,
): ServiceDescriptor | undefined {
  return auth.kind === "signed" ? services.find((s) => speaks(s) && s.signingName === auth.auth.service) : undefined;
}

/**
 * The service a detected request is for. JSON/CBOR: the `X-Amz-Target` prefix (CBOR only for services
 * that speak it; the others see the body as JSON). Query: its `Version`, else the signing scope's
 * service, else a path a service claims, else the one service that has the action (SNS's confirmation
 * links carry neither Version nor credentials), else the likely service.
 */
function pickService(
  wire: Detected,
  services: readonly ServiceDescriptor[],
  url: URL,
  exchange: Exchange,
): Result<ServiceDescriptor> {
  if (wire.protocol !== "query") {
    const service = services.find((s) => s.json?.targetPrefix === wire.targetPrefix);
    if (!service) return fail(exchange.service.unknownOperation(wire.operation, "json"));
    exchange.service = service;
    exchange.protocol = wire.protocol === "cbor" && service.json!.cbor ? "cbor" : "json";
    return ok(service);
  }
  const speaksQuery = services.filter((s) => s.query);
  const owners = wire.operation ? speaksQuery.filter((s) => s.model.operations[wire.operation!]) : [];
  const service =
    speaksQuery.find((s) => s.query!.version === wire.version) ??
    bySigningScope(speaksQuery, exchange.auth, () => true) ??
    speaksQuery.find((s) => s.query!.claimsPath?.(url.pathname)) ??
    (owners.length === 1 ? owners[0] : undefined) ??
    exchange.service;
  exchange.service = service;
  service.query?.pathParameters?.(url, wire.params);
  return ok(service);
}
