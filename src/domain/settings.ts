/**
 * The deployment's settings (wrangler.toml `[vars]`, or environment variables under `npm start`),
 * parsed into typed values once per isolate with AWS's defaults where a value is absent or invalid.
 * Every reader (Worker handlers and Durable Objects alike) goes through `settingsOf`.
 */

export interface Settings {
  /** After DeleteQueue, CreateQueue of the same name fails for this long (AWS: 60 s). */
  sqsRecreateDelayMs: number;
  /** A second PurgeQueue within this time fails with PurgeQueueInProgress (AWS: 60 s). */
  sqsPurgeIntervalMs: number;
  /** Time a Kinesis stream spends CREATING, UPDATING or DELETING; 0 completes at once. */
  kinesisStatusDelayMs: number;
  /** Per-shard throughput limits of provisioned streams. */
  kinesisThrottling: boolean;
  /** Shards per account and region; undefined means AWS's regional default. */
  kinesisShardLimit: number | undefined;
  /** Time a Firehose delivery stream spends CREATING or DELETING, and encryption ENABLING/DISABLING. */
  firehoseStatusDelayMs: number;
  /** How long an HTTP endpoint has to answer a Firehose delivery (AWS: 3 minutes). */
  firehoseHttpTimeoutMs: number;
  /** Time a DynamoDB table or index spends CREATING, UPDATING or DELETING. */
  dynamodbStatusDelayMs: number;
}

/** The variables settings are read from: strings, as Workers bindings and environments give them. */
export type SettingsSource = Partial<
  Record<
    | "SQS_RECREATE_DELAY_SECONDS"
    | "SQS_PURGE_INTERVAL_SECONDS"
    | "KINESIS_STATUS_DELAY_MS"
    | "KINESIS_THROTTLING"
    | "KINESIS_SHARD_LIMIT"
    | "FIREHOSE_STATUS_DELAY_MS"
    | "FIREHOSE_HTTP_TIMEOUT_MS"
    | "DYNAMODB_STATUS_DELAY_MS",
    unknown
  >
>;

const nonNegative = (value: unknown, fallback: number): number => {
  const text = String(value ?? "").trim();
  const n = text === "" ? Number.NaN : Number(text);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};

export function parseSettings(source: SettingsSource): Settings {
  const shardLimit = Number.parseInt(String(source.KINESIS_SHARD_LIMIT ?? ""), 10);
  return {
    sqsRecreateDelayMs: nonNegative(source.SQS_RECREATE_DELAY_SECONDS, 60) * 1000,
    sqsPurgeIntervalMs: nonNegative(source.SQS_PURGE_INTERVAL_SECONDS, 60) * 1000,
    kinesisStatusDelayMs: nonNegative(source.KINESIS_STATUS_DELAY_MS, 500),
    kinesisThrottling: String(source.KINESIS_THROTTLING ?? "true").trim() !== "false",
    kinesisShardLimit: Number.isSafeInteger(shardLimit) && shardLimit >= 0 ? shardLimit : undefined,
    firehoseStatusDelayMs: nonNegative(source.FIREHOSE_STATUS_DELAY_MS, 500),
    firehoseHttpTimeoutMs: nonNegative(source.FIREHOSE_HTTP_TIMEOUT_MS, 180_000) || 180_000,
    dynamodbStatusDelayMs: nonNegative(source.DYNAMODB_STATUS_DELAY_MS, 0),
  };
}

const parsed = new WeakMap<object, Settings>();

/** The settings of an environment, parsed on first use (the env object lives as long as the isolate). */
export function settingsOf(env: SettingsSource): Settings {
  let settings = parsed.get(env);
  if (!settings) {
    settings = parseSettings(env);
    parsed.set(env, settings);
  }
  return settings;
}
