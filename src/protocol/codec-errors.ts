/**
 * How a generic codec reports a malformed request. Each service words these differently (SQS answers
 * with MissingParameter / InvalidParameterValue, Kinesis with ValidationException…), so the codecs take
 * the wording from the service instead of hard-coding one.
 */
import type { AwsError } from "./errors";

export interface CodecErrors {
  /** A required member is absent. `path` is the wire path of the member, `member` its model name. */
  missing(member: string, path: string): AwsError;
  /** A value does not have the member's type (or a blob is not base64). */
  invalidType(member: string, path: string, expected: string, value: unknown): AwsError;
  /** The body itself cannot be parsed (bad JSON, bad percent-encoding, invalid UTF-8). */
  malformed(detail: string): AwsError;
}
