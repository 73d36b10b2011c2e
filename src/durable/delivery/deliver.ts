/**
 * One delivery attempt of one batch, by its stage: `primary` to the destination (an S3 object, or an
 * HTTP request), `copy` the same records as a plain object in the backup bucket (AllData, or S3
 * backup of the source records), `failed` one failure document per record under the error prefix.
 * Returns what happened; the object decides retries (./retries.ts) and bookkeeping.
 */
import type { DeliveryPlan, DeliveryStreamConfig, S3Target } from "../../domain/firehose/contract";
import { failedRecordLine } from "../../domain/firehose/failed-records";
import { buildHttpRequest, judgeHttpOutcome } from "../../domain/firehose/http-delivery";
import { objectKeyOf } from "../../domain/firehose/s3-keys";
import type { BatchRow, DeliveryBuffer } from "./buffer";
import { sendHttpDelivery } from "./http-sender";
import { gzipped, writeS3Object } from "./s3-writer";

/** AWS gives an HTTP endpoint 3 minutes to answer; FIREHOSE tests use short endpoints. */
const HTTP_TIMEOUT_MS = 180_000;

export type AttemptOutcome =
  { ok: true; bytes: number; records: number; key?: string } | { ok: false; code: string; message: string; permanent?: boolean };

export interface AttemptContext {
  env: Env;
  config: DeliveryStreamConfig;
  plan: DeliveryPlan;
  buffer: DeliveryBuffer;
  now: number;
  /** Fixes the batch's object key at its first attempt (stored with the batch). */
  fixKey(key: string | null): void;
  httpTimeoutMs?: number;
}

const NEWLINE = new Uint8Array([10]);
const encoder = new TextEncoder();

export async function attemptBatch(ctx: AttemptContext, batch: BatchRow): Promise<AttemptOutcome> {
  const { plan } = ctx;
  switch (batch.stage) {
    case "primary":
      if (plan.http) return attemptHttp(ctx, batch);
      return attemptObject(ctx, batch, plan.s3, "records");
    case "copy":
      return attemptObject(ctx, batch, plan.backup.mode === "Source" ? plan.backup.s3 : plan.s3, "records");
    case "failed":
      return attemptObject(ctx, batch, plan.s3, "failures");
  }
}

/** The key a batch's object gets, fixed at the first attempt. */
function keyFor(ctx: AttemptContext, batch: BatchRow, target: S3Target, failures: boolean): string {
  if (batch.object_key) return batch.object_key;
  const errorType = failures
    ? ctx.plan.http?.format === "opensearch"
      ? ctx.plan.http.errorType
      : ctx.plan.http?.format === "splunk"
        ? "splunk-failed"
        : "http-endpoint-failed"
    : undefined;
  const key = objectKeyOf(target, {
    streamName: ctx.config.name,
    versionId: ctx.config.versionId,
    arrival: batch.oldest_arrival,
    uuid: batch.uuid,
    errorType,
  });
  ctx.fixKey(key);
  return key;
}

async function attemptObject(
  ctx: AttemptContext,
  batch: BatchRow,
  target: S3Target,
  content: "records" | "failures",
): Promise<AttemptOutcome> {
  const key = keyFor(ctx, batch, target, content === "failures");
  const appendDelimiter = ctx.plan.appendDelimiter;
  const buffer = ctx.buffer;
  const now = ctx.now;
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const row of buffer.recordsOf(batch)) {
      const data = row.data;
      if (content === "failures") {
        yield encoder.encode(
          failedRecordLine({
            attemptsMade: batch.attempts_made,
            arrivalTimestamp: row.arrival,
            errorCode: batch.last_error_code ?? "Unknown",
            errorMessage: batch.last_error ?? "",
            attemptEndingTimestamp: now,
            data,
          }),
        );
      } else {
        yield data;
        if (appendDelimiter) yield NEWLINE;
      }
    }
  }
  const compressed = target.compression === "GZIP";
  const sizeHint = content === "failures" ? batch.bytes * 2 : batch.bytes + (appendDelimiter ? batch.records : 0);
  const written = await writeS3Object(
    ctx.env,
    { bucket: target.bucket, account: ctx.config.account },
    key,
    compressed ? gzipped(body()) : body(),
    sizeHint,
  );
  return written.ok ? { ok: true, bytes: batch.bytes, records: batch.records, key } : written;
}

async function attemptHttp(ctx: AttemptContext, batch: BatchRow): Promise<AttemptOutcome> {
  const target = ctx.plan.http!;
  ctx.fixKey(null);
  const records: Uint8Array[] = [];
  const arrivals: number[] = [];
  const recordIds: string[] = [];
  for (const row of ctx.buffer.recordsOf(batch)) {
    records.push(row.data);
    arrivals.push(row.arrival);
    recordIds.push(`${batch.uuid}-${row.seq}-${row.index}`);
  }
  // The batch's uuid is its request id: the same on every retry, as AWS promises.
  const request = await buildHttpRequest(target, records, {
    requestId: batch.uuid,
    now: ctx.now,
    sourceArn: ctx.config.arn,
    arrivals,
    recordIds,
  });
  const answer = await sendHttpDelivery(request, ctx.httpTimeoutMs ?? HTTP_TIMEOUT_MS);
  const verdict = judgeHttpOutcome(target, answer, batch.uuid);
  if (!verdict.ok) return { ok: false, code: verdict.code, message: verdict.reason, permanent: verdict.permanent };
  return { ok: true, bytes: batch.bytes, records: batch.records };
}
