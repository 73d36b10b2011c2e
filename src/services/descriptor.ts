/**
 * What a service is to the rest of the Worker: one descriptor per service folder, listed in
 * ./registry.ts. The protocol layer routes, decodes, authenticates, invokes and encodes from the
 * descriptor alone; a service never imports the protocol layer.
 */
import type { Caller } from "../domain/caller";
import type { ErrorInfo, Result } from "../domain/errors";
import type { ServiceModel, Shape } from "./model";

export type WireProtocol = "json" | "query" | "cbor";

/** A required member that is absent: its model name and its wire path (`Records.1.Data`). */
export interface MissingMember {
  member: string;
  path: string;
}

/**
 * How a service words a malformed request. The codecs are generic; SQS answers with MissingParameter /
 * InvalidParameterValue, SNS with ValidationError, Coral services (Kinesis) with ValidationException…
 */
export interface CodecErrors {
  /** A required member is absent. `path` is the wire path of the member, `member` its model name. */
  missing(member: string, path: string): ErrorInfo;
  /** Coral's validator reports every absent required member at once; the codecs then call this once. */
  missingAll?(missing: MissingMember[]): ErrorInfo;
  /** A value does not have the member's type (or a blob is not base64); `shape` is the member's shape. */
  invalidType(member: string, path: string, expected: string, value: unknown, shape?: Shape): ErrorInfo;
  /** The body itself cannot be parsed (bad JSON, bad percent-encoding, invalid UTF-8). */
  malformed(detail: string): ErrorInfo;
}

/** What a handler knows of the request it serves. */
export interface RequestContext {
  env: Env;
  caller: Caller;
  protocol: WireProtocol;
  /** `scheme://host` as the client addressed us (queue URLs, SubscribeURLs point back here). */
  origin: string;
  url: URL;
  /** X-Amzn-Trace-Id of the request, if any. */
  traceHeader?: string;
  /** Request time, epoch ms: one clock reading per request. */
  now: number;
}

/** AWS JSON 1.0 / 1.1 (`X-Amz-Target: <prefix>.<Operation>`), optionally also AWS CBOR 1.1. */
export interface JsonProtocol {
  targetPrefix: string;
  contentType: string;
  /** awsQueryCompatible services (SQS) send `x-amzn-query-error: <code>;<Sender|Receiver>`. */
  queryCompatible?: boolean;
  /** Also speaks `application/x-amz-cbor-1.1` with the same model (Kinesis). */
  cbor?: boolean;
}

/** The AWS query protocol: `Action=` and `Version=` in a form or query string, XML answers. */
export interface QueryProtocol {
  version: string;
  xmlNamespace: string;
  /** Errors carry an empty `<Detail/>` (SQS writes one; SNS does not). */
  errorDetail?: boolean;
  /** Requests to this path are for this service unless they say otherwise (SQS: queue URLs). */
  claimsPath?(pathname: string): boolean;
  /** Adds what the path implies to the request's parameters (SQS: the queue URL as QueueUrl). */
  pathParameters?(url: URL, params: Map<string, string>): void;
}

/** A non-AWS route the service serves (developer helpers under `/_aws/…`, SNS's certificate). */
export interface Route {
  method: "GET" | "POST";
  /** A Hono path pattern. */
  path: string;
  /** Answered without credentials even when signatures are verified. */
  anonymous?: boolean;
  /** JSON for the client, or a ready Response; a failure is answered as `{"__type", "message"}`. */
  handle(request: RouteRequest): Promise<Result<unknown>>;
}

export interface RouteRequest {
  env: Env;
  /** The signed caller when signatures are verified; undefined locally (the route picks an account). */
  caller?: Caller;
  url: URL;
  params: Record<string, string>;
}

export interface ServiceDescriptor {
  /** Short name, also the folder's (`sqs`). */
  name: string;
  /** SigV4 credential-scope service name. */
  signingName: string;
  model: ServiceModel;
  json?: JsonProtocol;
  query?: QueryProtocol;
  /**
   * Behind Amazon's Coral front end (Kinesis): transport checks, body, operation, and only then the
   * signature; and Coral's wording of transport, codec and authentication failures.
   */
  coral?: boolean;
  /** How far a signature's time may be from ours (AWS: 15 minutes; Kinesis: 5). */
  maxClockSkewMs?: number;
  /** How the service words malformed requests, per operation and protocol (Coral services: Coral's). */
  codecErrors?(operation: string, protocol: WireProtocol): CodecErrors;
  /** The error for an operation this service does not have (`undefined`: no Action at all). */
  unknownOperation(operation: string | undefined, protocol: WireProtocol): ErrorInfo;
  /**
   * Refuses a query request that cannot be served at this path (e.g. CreateQueue sent to a queue URL),
   * or answers it outside the protocol's error form (a ready Response).
   */
  checkPath?(operation: string | undefined, request: { method: string; url: URL }): ErrorInfo | Response | undefined;
  /** Operations callable without credentials even when signatures are verified. */
  anonymousOperations?: ReadonlySet<string>;
  routes?: readonly Route[];
  /** Runs an operation on input the codecs decoded against `model`. */
  invoke(operation: string, input: unknown, request: RequestContext): Promise<Result<object>>;
}

/**
 * The input and output types of each operation, as generated beside the model (shapes/types.ts). A
 * mapped type, not `Record<string, …>`: the generated interfaces have no index signature.
 */
export type OperationShapes<Shapes> = { [Op in keyof Shapes]: { input: unknown; output: unknown } };

/** A service's operation table, checked by the compiler against the generated shapes. */
export type OperationTable<Shapes extends OperationShapes<Shapes>, Context> = {
  [Op in keyof Shapes]: (ctx: Context, input: Shapes[Op]["input"]) => Promise<Result<Shapes[Op]["output"]>>;
};

/**
 * The descriptor's `invoke` for a typed table. This is the one place decoded input meets its type:
 * the codecs decoded it against the model the types were generated from.
 */
export function invoker<Shapes extends OperationShapes<Shapes>, Context>(
  table: OperationTable<Shapes, Context>,
  context: (request: RequestContext) => Context,
): ServiceDescriptor["invoke"] {
  return (operation, input, request) => {
    const handler = (table as Record<string, (ctx: Context, input: unknown) => Promise<Result<object>>>)[operation]!;
    return handler(context(request), input);
  };
}
