/**
 * A stream's settings: retention, capacity mode, maximum record size, warm throughput, enhanced
 * monitoring, server-side encryption. The rules are in src/domain/kinesis/stream-changes.ts; these
 * handlers check the input as AWS's model does and hand the change to the StreamObject.
 */
import { SHARD_LEVEL_METRICS, type StreamChange } from "../../domain/kinesis/stream-changes";
import type { StreamMode } from "../../domain/kinesis/contract";
import { fail, ok } from "../../domain/errors";
import type { KinesisContext, KinesisHandler, KinesisHandlers } from "./context";
import { streamLimits } from "./limits";
import { streamNames } from "./stream-output";
import { changeStream } from "./stream-call";
import { checks, enumMember } from "../../domain/kinesis/validate";

const METRICS = [...SHARD_LEVEL_METRICS, "ALL"];
const STREAM_MODES: readonly StreamMode[] = ["PROVISIONED", "ON_DEMAND"];
const ENCRYPTION_TYPES = ["NONE", "KMS"] as const;

/** Applies a settings change to the stream the call names. */
const changeSettings = (ctx: KinesisContext, input: { StreamName?: string; StreamARN?: string }, c: StreamChange) =>
  changeStream(ctx, input, (stream) => stream.change(c, streamLimits(ctx)));

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html
const retention =
  (direction: "increase" | "decrease"): KinesisHandler<"IncreaseStreamRetentionPeriod"> =>
  async (ctx, input) => {
    const problem = checks().range(input.RetentionPeriodHours, "retentionPeriodHours", 1).done();
    if (problem) return fail(problem);
    const changed = await changeSettings(ctx, input, { kind: "retention", hours: input.RetentionPeriodHours, direction });
    return changed.ok ? ok({}) : changed;
  };

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamMode.html
const updateStreamMode: KinesisHandler<"UpdateStreamMode"> = async (ctx, input) => {
  const requested = input.StreamModeDetails.StreamMode;
  const problem = checks()
    .oneOf(requested, "streamModeDetails.streamMode", STREAM_MODES)
    .range(input.WarmThroughputMiBps, "warmThroughputMiBps", 0)
    .done();
  if (problem) return fail(problem);
  const mode = enumMember(STREAM_MODES, requested);
  if (mode === undefined) throw new Error(`StreamMode ${requested} was not validated`);
  const changed = await changeSettings(
    ctx,
    { StreamARN: input.StreamARN },
    { kind: "mode", mode, warmThroughputMiBps: input.WarmThroughputMiBps },
  );
  return changed.ok ? ok({}) : changed;
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateMaxRecordSize.html
const updateMaxRecordSize: KinesisHandler<"UpdateMaxRecordSize"> = async (ctx, input) => {
  const problem = checks().range(input.MaxRecordSizeInKiB, "maxRecordSizeInKiB", 1024, 10240).done();
  if (problem) return fail(problem);
  const changed = await changeSettings(ctx, input, { kind: "maxRecordSize", kib: input.MaxRecordSizeInKiB });
  return changed.ok ? ok({}) : changed;
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamWarmThroughput.html
const updateStreamWarmThroughput: KinesisHandler<"UpdateStreamWarmThroughput"> = async (ctx, input) => {
  const problem = checks().range(input.WarmThroughputMiBps, "warmThroughputMiBps", 0).done();
  if (problem) return fail(problem);
  const changed = await changeSettings(ctx, input, { kind: "warmThroughput", mibps: input.WarmThroughputMiBps });
  if (!changed.ok) return changed;
  const { ref, value } = changed.value;
  return ok({ ...streamNames(ref), WarmThroughput: value.warmThroughput });
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_EnableEnhancedMonitoring.html
const monitoring =
  (enable: boolean): KinesisHandler<"EnableEnhancedMonitoring"> =>
  async (ctx, input) => {
    const metrics = input.ShardLevelMetrics;
    const c = checks().size(metrics, "shardLevelMetrics", 1, 7);
    metrics.forEach((m, i) => c.oneOf(m, `shardLevelMetrics.${i + 1}.member`, METRICS));
    const problem = c.done();
    if (problem) return fail(problem);
    const changed = await changeSettings(ctx, input, { kind: "monitoring", metrics, enable });
    if (!changed.ok) return changed;
    const { ref, value } = changed.value;
    return ok({
      ...streamNames(ref),
      CurrentShardLevelMetrics: value.currentMetrics,
      DesiredShardLevelMetrics: value.desiredMetrics,
    });
  };

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html
const encryption =
  (start: boolean): KinesisHandler<"StartStreamEncryption"> =>
  async (ctx, input) => {
    const problem = checks()
      .oneOf(input.EncryptionType, "encryptionType", ENCRYPTION_TYPES)
      .string(input.KeyId, "keyId", { min: 1, max: 2048 })
      .done();
    if (problem) return fail(problem);
    // Only KMS encrypts; StopStreamEncryption names the key it stops using.
    const type = start ? (enumMember(ENCRYPTION_TYPES, input.EncryptionType) ?? "NONE") : "NONE";
    const changed = await changeSettings(ctx, input, { kind: "encryption", type, keyId: input.KeyId });
    return changed.ok ? ok({}) : changed;
  };

export const settingOperations: KinesisHandlers<
  | "IncreaseStreamRetentionPeriod"
  | "DecreaseStreamRetentionPeriod"
  | "UpdateStreamMode"
  | "UpdateMaxRecordSize"
  | "UpdateStreamWarmThroughput"
  | "EnableEnhancedMonitoring"
  | "DisableEnhancedMonitoring"
  | "StartStreamEncryption"
  | "StopStreamEncryption"
> = {
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
