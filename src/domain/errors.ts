/**
 * The one error shape of the service. Every client mistake is an ErrorInfo carrying what each wire
 * protocol needs: the query-protocol code (also sent in `x-amzn-query-error` for awsQueryCompatible
 * JSON services), the JSON `__type`, the HTTP status and the message text. Services build them with
 * their own constructors (src/domain/<service>/errors.ts); src/protocol/responses.ts writes them.
 */
export type Fault = "Sender" | "Receiver";

/** Plain, structured-cloneable form of an error: what Durable Objects return across RPC. */
export interface ErrorInfo {
  /** Query-protocol code, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
  code: string;
  /** JSON `__type`, e.g. `com.amazonaws.sqs#QueueDoesNotExist`. Defaults to `code`. */
  type?: string;
  status?: number;
  message: string;
  /** Where the query protocol words the message differently (AWS does, for a few errors). */
  queryMessage?: string;
  fault?: Fault;
  /**
   * JSON/CBOR: the member carrying the message. Coral's SerializationException says `Message`; some
   * Kinesis errors (a body that does not parse, an unknown operation) carry only `__type`. Default `message`.
   */
  messageField?: MessageField;
  /**
   * JSON/CBOR: further members of the error document beside `__type` and the message (DynamoDB's
   * TransactionCanceledException carries its CancellationReasons this way). Query errors ignore them.
   */
  fields?: Record<string, object | string | number | boolean>;
}

export type MessageField = "message" | "Message" | "none";

/**
 * The one way expected failures travel: handlers, Durable Object RPC methods, codecs and rule modules
 * return a Result, and a failure carries an ErrorInfo. Exceptions are for bugs only (the protocol layer
 * answers them with an internal error and logs them).
 */
export type Failure = { ok: false; error: ErrorInfo };
/** What a pure check returns: the problem it found, or undefined (`if (problem) return fail(problem)`). */
export type Problem = ErrorInfo | undefined;
export type Result<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = (error: ErrorInfo): Failure => ({ ok: false, error });

/** An error with every default filled in: what the wire carries. */
export function completeError(error: ErrorInfo): Required<ErrorInfo> {
  const status = error.status ?? 400;
  return {
    code: error.code,
    type: error.type ?? error.code,
    status,
    message: error.message,
    queryMessage: error.queryMessage ?? error.message,
    fault: error.fault ?? (status >= 500 ? "Receiver" : "Sender"),
    messageField: error.messageField ?? "message",
    fields: error.fields ?? {},
  };
}

/** What every unexpected failure looks like to a client: no stack, no internals. */
export const internalError = (): ErrorInfo => ({
  code: "InternalError",
  type: "InternalFailure",
  status: 500,
  message: "We encountered an internal error. Please try again.",
});
