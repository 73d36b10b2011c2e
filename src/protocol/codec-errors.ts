/**
 * How a generic codec reports a malformed request. Each service words these differently (SQS answers
 * with MissingParameter / InvalidParameterValue, Kinesis with ValidationException…), so the codecs take
 * the wording from the service instead of hard-coding one.
 */
import type { AwsError } from "../domain/errors";
import type { Shape } from "../services/model";

/** A required member that is absent: its model name and its wire path (`Records.1.Data`). */
export interface MissingMember {
  member: string;
  path: string;
}

export interface CodecErrors {
  /** A required member is absent. `path` is the wire path of the member, `member` its model name. */
  missing(member: string, path: string): AwsError;
  /**
   * Services that report every absent required member of a request in one error (Coral's validator:
   * Kinesis) provide this; the codecs then decode the whole input first and call it once.
   */
  missingAll?(missing: MissingMember[]): AwsError;
  /**
   * A value does not have the member's type (or a blob is not base64). `shape` is the member's shape
   * (passed by the codecs so a service can name the exact type, e.g. Long vs Integer).
   */
  invalidType(member: string, path: string, expected: string, value: unknown, shape?: Shape): AwsError;
  /** The body itself cannot be parsed (bad JSON, bad percent-encoding, invalid UTF-8). */
  malformed(detail: string): AwsError;
}
