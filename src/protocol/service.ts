/** What the dispatcher needs to know about a service to route, decode, invoke and encode for it. */
import type { Caller } from "./authenticate";
import type { CodecErrors } from "./codec-errors";
import type { WireProtocol } from "./detect";
import type { AwsError } from "../domain/errors";
import type { ServiceModel } from "../services/model";

export interface RequestInfo {
  env: Env;
  caller: Caller;
  protocol: WireProtocol;
  /** `scheme://host` as the client addressed us. */
  origin: string;
  url: URL;
  /** X-Amzn-Trace-Id of the request, if any. */
  traceHeader?: string;
}

/** What a Coral-fronted service's transport check sees of a request. */
export interface TransportInfo {
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
}

/**
 * Services behind Amazon's Coral front end (Kinesis) check a request in Coral's order: transport
 * (method, content type, empty body), then that the body parses, then the operation, and only then
 * the signature; and they word transport and authentication failures their own way.
 */
export interface CoralFrontEnd {
  /** A finished Response for requests AWS answers outside the protocol's error form, else undefined. */
  transport(request: TransportInfo): Response | undefined;
  /** In strict mode, before verification: a signature that is not even well-formed (throws an AwsError). */
  checkSignatureShape(headers: Headers, url: URL): void;
  /** The service's form of an authentication failure raised by authenticate(). */
  authError(error: AwsError): AwsError;
  /** The service's form of an unexpected failure (Kinesis: a bare `{"__type":"InternalFailure"}`, 500). */
  internalError(error: AwsError): AwsError;
}

export interface ServiceDefinition {
  /** Credential-scope service name (`sqs`). */
  signingName: string;
  model: ServiceModel;
  /** `X-Amz-Target` prefix of its JSON protocol, if it has one. */
  targetPrefix?: string;
  /** `Version` of its query protocol, if it has one. */
  queryVersion?: string;
  jsonContentType: string;
  /** Also speaks AWS CBOR 1.1 (`application/x-amz-cbor-1.1`) with the same model (Kinesis). */
  cbor?: boolean;
  /** Coral's order of checks and wording of transport/auth failures (Kinesis). */
  coral?: CoralFrontEnd;
  /** awsQueryCompatible JSON services send `x-amzn-query-error`. */
  queryCompatible: boolean;
  codecErrors(operation: string, protocol: WireProtocol): CodecErrors;
  /** The error for an operation this service does not have. */
  unknownOperation(operation: string | undefined, protocol: WireProtocol): AwsError;
  /** Rejects a query request that cannot be served at this path (e.g. CreateQueue sent to a queue URL). */
  checkPath?(operation: string, url: URL): AwsError | undefined;
  /** Operations a caller may use without credentials even when signatures are verified. */
  allowsAnonymous?(operation: string): boolean;
  /** The operation's output, or a finished Response (streamed outputs such as Kinesis SubscribeToShard). */
  invoke(operation: string, input: Record<string, unknown>, info: RequestInfo): Promise<object | Response>;
}
