/**
 * PutRecord and PutRecordBatch: records up to 1,000 KiB, a batch up to 500 records and 4 MiB. Every
 * record is in the delivery stream object's storage before the answer.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html
 */
import { fail, ok } from "../../domain/errors";
import { bytesToBase64 } from "../../domain/base64";
import { invalidArgument } from "../../domain/firehose/errors";
import { checks } from "../../domain/kinesis/validate";
import type { FirehoseHandler, FirehoseHandlers } from "./context";
import { checkStreamName, streamStub } from "./names";

export const MAX_RECORD_BYTES = 1_024_000;
const MAX_BATCH_RECORDS = 500;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Record ids as Firehose gives them: opaque base64 strings, unique per record. One random 45-byte
 * stem per call, then the record's index in three bytes (a call holds at most 500 records).
 */
function recordIds(n: number): string[] {
  const stem = bytesToBase64(crypto.getRandomValues(new Uint8Array(45)));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(stem + btoa(String.fromCharCode((i >> 16) & 255, (i >> 8) & 255, i & 255)));
  return ids;
}

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html
const putRecord: FirehoseHandler<"PutRecord"> = async (ctx, input) => {
  const problem =
    checkStreamName(input.DeliveryStreamName) ?? checks().blob(input.Record.Data, "record.data", MAX_RECORD_BYTES).done();
  if (problem) return fail(problem);
  const put = await streamStub(ctx, input.DeliveryStreamName).put([input.Record.Data]);
  if (!put.ok) return put;
  return ok({ RecordId: recordIds(1)[0]!, Encrypted: put.value.encrypted });
};

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html
const putRecordBatch: FirehoseHandler<"PutRecordBatch"> = async (ctx, input) => {
  const c = checks().size(input.Records, "records", 1, MAX_BATCH_RECORDS);
  input.Records.forEach((r, i) => c.blob(r.Data, `records.${i + 1}.member.data`, MAX_RECORD_BYTES));
  const problem = checkStreamName(input.DeliveryStreamName) ?? c.done();
  if (problem) return fail(problem);
  let bytes = 0;
  for (const r of input.Records) bytes += r.Data.length;
  if (bytes > MAX_BATCH_BYTES) return fail(invalidArgument(`Records size exceeds ${MAX_BATCH_BYTES / 1024 / 1024} MB limit`));
  const put = await streamStub(ctx, input.DeliveryStreamName).put(input.Records.map((r) => r.Data));
  if (!put.ok) return put;
  return ok({
    FailedPutCount: 0,
    Encrypted: put.value.encrypted,
    RequestResponses: recordIds(input.Records.length).map((RecordId) => ({ RecordId })),
  });
};

export const recordOperations: FirehoseHandlers<"PutRecord" | "PutRecordBatch"> = {
  PutRecord: putRecord,
  PutRecordBatch: putRecordBatch,
};
