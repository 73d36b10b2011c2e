/**
 * Errors worded by Amazon's Coral front end, shared by the services behind it (Kinesis; later
 * Firehose and DynamoDB): Coral's validator reports failed model constraints in one ValidationException.
 */
import type { ErrorInfo } from "./errors";

/** One failed constraint, as Coral's validator reports it. */
export interface ConstraintViolation {
  /** The offending value (AWS renders strings in quotes, an absent value as a bare `null`). */
  value: unknown;
  /** Wire path with a lower-case first letter, e.g. `streamName`, `records.1.member.partitionKey`. */
  path: string;
  /** e.g. `Member must have length less than or equal to 128`. */
  constraint: string;
}

/**
 * `1 validation error detected: Value 'x' at 'streamName' failed to satisfy constraint: Member must
 * satisfy regular expression pattern: [a-zA-Z0-9_.-]+` — several joined with `; `.
 */
export function validationError(violations: ConstraintViolation[]): ErrorInfo {
  const n = violations.length;
  const parts = violations.map(
    (v) =>
      `Value ${v.value == null ? "null" : `'${String(v.value)}'`} at '${v.path}' failed to satisfy constraint: ${v.constraint}`,
  );
  return { code: "ValidationException", message: `${n} validation error${n === 1 ? "" : "s"} detected: ${parts.join("; ")}` };
}

/** `{"__type":"UnknownOperationException"}` and nothing else (kinesalite test/connection.js). */
export const unknownOperationError = (): ErrorInfo => ({ code: "UnknownOperationException", message: "", messageField: "none" });
