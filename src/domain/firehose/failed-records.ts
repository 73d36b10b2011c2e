/**
 * The document Firehose writes to the S3 backup for each record it could not deliver, one JSON
 * document per line, under the error prefix (`http-endpoint-failed`, `splunk-failed`,
 * `AmazonOpenSearchService-failed`…). The fields are those of AWS's failure documents
 * (https://docs.aws.amazon.com/firehose/latest/dev/retry.html,
 * https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion-error-handling.html).
 */
import { bytesToBase64 } from "../base64";

export interface FailedRecord {
  attemptsMade: number;
  /** Epoch ms the record arrived. */
  arrivalTimestamp: number;
  errorCode: string;
  errorMessage: string;
  /** Epoch ms the last attempt ended. */
  attemptEndingTimestamp: number;
  data: Uint8Array;
}

export function failedRecordLine(record: FailedRecord): string {
  return (
    JSON.stringify({
      attemptsMade: record.attemptsMade,
      arrivalTimestamp: record.arrivalTimestamp,
      errorCode: record.errorCode,
      errorMessage: record.errorMessage,
      attemptEndingTimestamp: record.attemptEndingTimestamp,
      rawData: bytesToBase64(record.data),
    }) + "\n"
  );
}
