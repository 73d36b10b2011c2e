/** What the dispatcher needs to know about a service to route, decode, invoke and encode for it. */
import type { Caller } from "./authenticate";
import type { CodecErrors } from "./codec-errors";
import type { WireProtocol } from "./detect";
import type { AwsError } from "./errors";
import type { ServiceModel } from "./shapes/types";

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

export interface ServiceDefinition {
  /** Credential-scope service name (`sqs`). */
  signingName: string;
  model: ServiceModel;
  /** `X-Amz-Target` prefix of its JSON protocol, if it has one. */
  targetPrefix?: string;
  /** `Version` of its query protocol, if it has one. */
  queryVersion?: string;
  jsonContentType: string;
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
