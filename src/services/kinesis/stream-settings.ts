/**
 * A stream's settings: retention, capacity mode, maximum record size, warm throughput, enhanced
 * monitoring, server-side encryption. The rules are in src/durable/stream/settings.ts; these
 * handlers check the input as AWS's model does and hand the change to the StreamObject.
 */
import type {
  DecreaseStreamRetentionPeriodInput,
  EnableEnhancedMonitoringInput,
  StartStreamEncryptionInput,
  UpdateMaxRecordSizeInput,
  UpdateStreamModeInput,
  UpdateStreamWarmThroughputInput,
} from "@aws-sdk/client-kinesis";
import { streamObject } from "../../durable/names";
import { SHARD_LEVEL_METRICS, type StreamChange } from "../../domain/kinesis/stream-changes";
import type { StreamMode } from "../../domain/kinesis/contract";
import { unwrap } from "../../domain/errors";
import type { KinesisContext, KinesisHandler } from "./context";
import { streamLimits } from "./limits";
import { resolveStream, streamArn, type StreamRef } from "./names";
import { forgetRouting } from "./routing";
import { checks } from "../../domain/kinesis/validate";

const METRICS = [...SHARD_LEVEL_METRICS, "ALL"];

async function change(ctx: KinesisContext, ref: StreamRef, c: StreamChange) {
  const output = unwrap(await streamObject(ctx.env, ref).change(c, streamLimits(ctx)));
  forgetRouting(ref);
  return output;
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html
const retention =
  (direction: "increase" | "decrease"): KinesisHandler =>
  async (ctx, raw) => {
    const input = raw as Partial<DecreaseStreamRetentionPeriodInput>;
    checks()
      .required(input.RetentionPeriodHours, "retentionPeriodHours")
      .range(input.RetentionPeriodHours, "retentionPeriodHours", 1)
      .done();
    await change(ctx, resolveStream(ctx, input), { kind: "retention", hours: input.RetentionPeriodHours!, direction });
    return {};
  };

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamMode.html
async function updateStreamMode(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<UpdateStreamModeInput>;
  const mode = input.StreamModeDetails?.StreamMode;
  checks()
    .required(input.StreamARN, "streamARN")
    .required(mode, "streamModeDetails.streamMode")
    .oneOf(mode, "streamModeDetails.streamMode", ["PROVISIONED", "ON_DEMAND"])
    .range(input.WarmThroughputMiBps, "warmThroughputMiBps", 0)
    .done();
  const ref = resolveStream(ctx, { StreamARN: input.StreamARN });
  await change(ctx, ref, { kind: "mode", mode: mode as StreamMode, warmThroughputMiBps: input.WarmThroughputMiBps });
  return {};
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateMaxRecordSize.html
async function updateMaxRecordSize(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<UpdateMaxRecordSizeInput> & { StreamName?: string };
  checks()
    .required(input.MaxRecordSizeInKiB, "maxRecordSizeInKiB")
    .range(input.MaxRecordSizeInKiB, "maxRecordSizeInKiB", 1024, 10240)
    .done();
  await change(ctx, resolveStream(ctx, input), { kind: "maxRecordSize", kib: input.MaxRecordSizeInKiB! });
  return {};
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamWarmThroughput.html
async function updateStreamWarmThroughput(ctx: KinesisContext, raw: Record<string, unknown>) {
  const input = raw as Partial<UpdateStreamWarmThroughputInput>;
  checks()
    .required(input.WarmThroughputMiBps, "warmThroughputMiBps")
    .range(input.WarmThroughputMiBps, "warmThroughputMiBps", 0)
    .done();
  const ref = resolveStream(ctx, input);
  const output = await change(ctx, ref, { kind: "warmThroughput", mibps: input.WarmThroughputMiBps! });
  return { StreamName: ref.name, StreamARN: streamArn(ref), WarmThroughput: output.warmThroughput };
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_EnableEnhancedMonitoring.html
const monitoring =
  (enable: boolean): KinesisHandler =>
  async (ctx, raw) => {
    const input = raw as Partial<EnableEnhancedMonitoringInput>;
    const metrics = input.ShardLevelMetrics;
    const c = checks().required(metrics, "shardLevelMetrics").size(metrics, "shardLevelMetrics", 1, 7);
    metrics?.forEach((m, i) => c.oneOf(m, `shardLevelMetrics.${i + 1}.member`, METRICS));
    c.done();
    const ref = resolveStream(ctx, input);
    const output = await change(ctx, ref, { kind: "monitoring", metrics: metrics!, enable });
    return {
      StreamName: ref.name,
      StreamARN: streamArn(ref),
      CurrentShardLevelMetrics: output.currentMetrics,
      DesiredShardLevelMetrics: output.desiredMetrics,
    };
  };

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html
const encryption =
  (start: boolean): KinesisHandler =>
  async (ctx, raw) => {
    const input = raw as Partial<StartStreamEncryptionInput>;
    checks()
      .required(input.EncryptionType, "encryptionType")
      .oneOf(input.EncryptionType, "encryptionType", ["NONE", "KMS"])
      .required(input.KeyId, "keyId")
      .string(input.KeyId, "keyId", { min: 1, max: 2048 })
      .done();
    const ref = resolveStream(ctx, input);
    // Only KMS encrypts; StopStreamEncryption names the key it stops using.
    const type = start ? (input.EncryptionType as "NONE" | "KMS") : "NONE";
    await change(ctx, ref, { kind: "encryption", type, keyId: input.KeyId });
    return {};
  };

export const settingOperations: Record<string, KinesisHandler> = {
  IncreaseStreamRetentionPeriod: retention("increase"),
  DecreaseStreamRetentionPeriod: retention("decrease"),
  UpdateStreamMode: updateStreamMode,
  UpdateMaxRecordSize: updateMaxRecordSize,
  UpdateStreamWarmThroughput: updateStreamWarmThroughput,
  EnableEnhancedMonitoring: monitoring(true),
  DisableEnhancedMonitoring: monitoring(false),
  StartStreamEncryption: encryption(true),
  StopStreamEncryption: encryption(false),
};
