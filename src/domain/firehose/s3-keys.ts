/**
 * STUB (being written): S3 object keys as Firehose builds them, and AWS's validation of custom prefixes.
 */
import type { Problem } from "../errors";
import type { ErrorOutputType, S3Target } from "./contract";

export interface ObjectKeyInput {
  streamName: string;
  versionId: number;
  /** Epoch ms: approximate arrival time of the oldest record in the object. */
  arrival: number;
  /** A random UUID for the suffix. */
  uuid: string;
  /** Set for error/failed-data objects: the key uses ErrorOutputPrefix. */
  errorType?: ErrorOutputType;
  /** Source of randomness for `!{firehose:random-string}` (tests inject one). */
  random?: () => number;
}

export function validateS3Prefixes(_p: { prefix?: string; errorOutputPrefix?: string }): Problem {
  return undefined;
}

/** STUB (being written by the S3 keys helper): FileExtension's rules beyond the model's pattern. */
export function validateFileExtension(_fileExtension: string): Problem {
  return undefined;
}

/** STUB (being written by the S3 keys helper): CustomTimeZone names an IANA time zone. */
export function validateTimeZone(_customTimeZone: string): Problem {
  return undefined;
}

export function objectKeyOf(_target: S3Target, input: ObjectKeyInput): string {
  const d = new Date(input.arrival).toISOString();
  const p = `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(11, 13)}/`;
  return `${p}${input.streamName}-${input.versionId}-${d.slice(0, 19).replace(/[T:]/g, "-")}-${input.uuid}`;
}
