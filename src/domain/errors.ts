/**
 * The one error type of the service. Every client mistake becomes an AwsError carrying what each wire
 * protocol needs: the query-protocol code (also sent in `x-amzn-query-error` for awsQueryCompatible
 * JSON services), the JSON `__type`, the HTTP status and the message text. Services build them with
 * their own constructors (src/services/<service>/errors.ts); serializers live with the protocols.
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
}

export type MessageField = "message" | "Message" | "none";

export class AwsError extends Error {
  readonly code: string;
  readonly type: string;
  readonly status: number;
  readonly queryMessage: string;
  readonly fault: Fault;
  readonly messageField: MessageField;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = "AwsError";
    this.code = info.code;
    this.type = info.type ?? info.code;
    this.status = info.status ?? 400;
    this.queryMessage = info.queryMessage ?? info.message;
    this.fault = info.fault ?? (this.status >= 500 ? "Receiver" : "Sender");
    this.messageField = info.messageField ?? "message";
  }

  toInfo(): ErrorInfo {
    return {
      code: this.code,
      type: this.type,
      status: this.status,
      message: this.message,
      queryMessage: this.queryMessage,
      fault: this.fault,
      ...(this.messageField === "message" ? {} : { messageField: this.messageField }),
    };
  }
}

/** Results that cross Durable Object RPC: expected failures are values, not exceptions. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: ErrorInfo | AwsError): { ok: false; error: ErrorInfo } => ({
  ok: false,
  error: error instanceof AwsError ? error.toInfo() : error,
});

/** Unwraps an RPC result, rethrowing an expected failure as the AwsError the protocol layer answers with. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new AwsError(result.error);
  return result.value;
}

/** What every unexpected failure looks like to a client: no stack, no internals. */
export const internalError = (): AwsError =>
  new AwsError({
    code: "InternalError",
    type: "InternalFailure",
    status: 500,
    message: "We encountered an internal error. Please try again.",
  });
