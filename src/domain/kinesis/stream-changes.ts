/**
 * Changes to a stream's settings, as pure functions of its state: retention, capacity mode, record
 * size, warm throughput, enhanced monitoring, encryption. Each checks AWS's rules and says whether
 * the stream passes through UPDATING. StreamObject applies the result and tells the shards.
 */
import { fail, ok, type Problem, type Result } from "../errors";
import { invalidArgument, streamNotActive } from "./errors";
import type { StreamMode, StreamState } from "./contract";

/** CloudWatch's shard-level metrics; "ALL" in a request stands for every one of them. */
export const SHARD_LEVEL_METRICS = [
  "IncomingBytes",
  "IncomingRecords",
  "OutgoingBytes",
  "OutgoingRecords",
  "WriteProvisionedThroughputExceeded",
  "ReadProvisionedThroughputExceeded",
  "IteratorAgeMilliseconds",
] as const;

export type StreamChange =
  | { kind: "retention"; hours: number; direction: "increase" | "decrease" }
  | { kind: "mode"; mode: StreamMode; warmThroughputMiBps?: number }
  | { kind: "maxRecordSize"; kib: number }
  | { kind: "warmThroughput"; mibps: number }
  | { kind: "monitoring"; metrics: string[]; enable: boolean }
  | { kind: "encryption"; type: "NONE" | "KMS"; keyId?: string };

export interface ChangeOutput {
  /** Enable/DisableEnhancedMonitoring: the metrics before and after. */
  currentMetrics?: string[];
  desiredMetrics?: string[];
  /** UpdateStreamWarmThroughput. */
  warmThroughput?: { TargetMiBps: number; CurrentMiBps: number };
}

export interface ChangeResult {
  state: StreamState;
  output: ChangeOutput;
  /** The stream is UPDATING until the status delay has passed. */
  updating: boolean;
}

/** ResourceInUseException unless the stream is ACTIVE. */
export const notActive = (state: StreamState): Problem =>
  state.status === "ACTIVE" ? undefined : streamNotActive(state.name, state.account, state.status);

export function applyChange(state: StreamState, change: StreamChange): Result<ChangeResult> {
  const inactive = notActive(state);
  if (inactive) return fail(inactive);
  const done = (next: Partial<StreamState>, output: ChangeOutput = {}, updating = false) =>
    ok({ state: { ...state, ...next }, output, updating });
  const bad = (message: string) => fail(invalidArgument(message));

  switch (change.kind) {
    case "retention": {
      const { hours } = change;
      // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html
      if (hours < 24)
        return bad(`Minimum allowed retention period is 24 hours. Requested retention period (${hours} hours) is too short.`);
      if (hours > 8760)
        return bad(`Maximum allowed retention period is 8760 hours. Requested retention period (${hours} hours) is too long.`);
      if (change.direction === "increase" && hours < state.retentionHours)
        return bad(
          `Requested retention period (${hours} hours) for stream ${state.name} can not be shorter than existing ` +
            `retention period (${state.retentionHours} hours). Use DecreaseRetentionPeriod API.`,
        );
      if (change.direction === "decrease" && hours > state.retentionHours)
        return bad(
          `Requested retention period (${hours} hours) for stream ${state.name} can not be longer than existing ` +
            `retention period (${state.retentionHours} hours). Use IncreaseRetentionPeriod API.`,
        );
      return done({ retentionHours: hours });
    }
    case "mode": {
      // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamMode.html
      const warm = change.mode === "ON_DEMAND" ? (change.warmThroughputMiBps ?? state.warmThroughputMiBps) : undefined;
      return done({ mode: change.mode, warmThroughputMiBps: warm }, {}, true);
    }
    case "maxRecordSize":
      return done({ maxRecordSizeKiB: change.kib });
    case "warmThroughput": {
      if (state.mode !== "ON_DEMAND")
        return bad(
          `Warm throughput can only be updated for streams in ON_DEMAND mode. Stream ${state.name} is in PROVISIONED mode.`,
        );
      return done(
        { warmThroughputMiBps: change.mibps },
        { warmThroughput: { TargetMiBps: change.mibps, CurrentMiBps: change.mibps } },
      );
    }
    case "monitoring": {
      const current = state.shardLevelMetrics;
      const requested = change.metrics.includes("ALL") ? [...SHARD_LEVEL_METRICS] : change.metrics;
      const desired = change.enable
        ? SHARD_LEVEL_METRICS.filter((m) => current.includes(m) || requested.includes(m))
        : current.filter((m) => !requested.includes(m));
      return done({ shardLevelMetrics: desired }, { currentMetrics: current, desiredMetrics: desired });
    }
    case "encryption":
      // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html: the
      // stream is UPDATING while the change is applied; records written before keep their encryption.
      return done({ encryptionType: change.type, keyId: change.type === "KMS" ? change.keyId : undefined }, {}, true);
  }
}
