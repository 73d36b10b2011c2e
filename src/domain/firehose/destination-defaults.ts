/**
 * The values DescribeDeliveryStream reports for what a CreateDeliveryStream or UpdateDestination left
 * out, per destination kind. Stored with the configuration (contract.ts: "as validated, defaults
 * applied") so the description and the delivery plan read one set of values. Sources: each member's
 * API reference page (e.g. https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
 * "The default value is 5" / "300"; API_ElasticsearchDestinationConfiguration.html IndexRotationPeriod
 * "The default value is OneDay"; API_RedshiftRetryOptions.html 3600; API_SnowflakeBufferingHints.html
 * 128 MB / 0 s; API_SplunkBufferingHints.html 5 MB / 60 s; API_SplunkDestinationConfiguration.html
 * S3BackupMode "The default value is FailedEventsOnly"), and a DescribeDeliveryStream answer seen in
 * public issues for the S3 members (`CloudWatchLoggingOptions {Enabled:false}`, `EncryptionConfiguration
 * {NoEncryptionConfig:"NoEncryption"}`, `S3BackupMode "Disabled"`).
 */
import type { DestinationKind } from "./contract";

type Config = Record<string, unknown>;

/** Members every S3 location has (S3DestinationConfiguration and what it is embedded in). */
const S3_MEMBERS: Config = {
  BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
  CompressionFormat: "UNCOMPRESSED",
  EncryptionConfiguration: { NoEncryptionConfig: "NoEncryption" },
  CloudWatchLoggingOptions: { Enabled: false },
};

const LOGGING: Config = { CloudWatchLoggingOptions: { Enabled: false } };
const retry = (seconds: number): Config => ({ RetryOptions: { DurationInSeconds: seconds } });
const buffering = (sizeInMBs: number, intervalInSeconds: number): Config => ({
  BufferingHints: { SizeInMBs: sizeInMBs, IntervalInSeconds: intervalInSeconds },
});

/** Top-level defaults of each kind (their nested S3 locations get S3_MEMBERS). */
const DEFAULTS: Record<DestinationKind, Config> = {
  S3: S3_MEMBERS,
  ExtendedS3: { ...S3_MEMBERS, S3BackupMode: "Disabled" },
  // ContentEncoding NONE: the API reference gives no default; NONE is what an absent one means.
  HttpEndpoint: {
    ...buffering(5, 300),
    ...LOGGING,
    RequestConfiguration: { ContentEncoding: "NONE" },
    ...retry(300),
    S3BackupMode: "FailedDataOnly",
  },
  Elasticsearch: {
    IndexRotationPeriod: "OneDay",
    ...buffering(5, 300),
    ...retry(300),
    S3BackupMode: "FailedDocumentsOnly",
    ...LOGGING,
  },
  Amazonopensearchservice: {
    IndexRotationPeriod: "OneDay",
    ...buffering(5, 300),
    ...retry(300),
    S3BackupMode: "FailedDocumentsOnly",
    ...LOGGING,
  },
  AmazonOpenSearchServerless: { ...buffering(5, 300), ...retry(300), S3BackupMode: "FailedDocumentsOnly", ...LOGGING },
  // Splunk's retry default is not on the API reference page; 3600 s is the Terraform provider's
  // default (its `retry_duration`), which tracks the console's. HEC acknowledgment: the minimum, 180 s.
  Splunk: {
    HECAcknowledgmentTimeoutInSeconds: 180,
    ...retry(3600),
    S3BackupMode: "FailedEventsOnly",
    ...LOGGING,
    ...buffering(5, 60),
  },
  Redshift: { ...retry(3600), S3BackupMode: "Disabled", ...LOGGING },
  // Snowflake's retry default (60 s) is the developer guide's "Retry duration" default.
  Snowflake: {
    DataLoadingOption: "JSON_MAPPING",
    ...LOGGING,
    ...retry(60),
    S3BackupMode: "FailedDataOnly",
    ...buffering(128, 0),
  },
  Iceberg: { ...buffering(5, 300), ...LOGGING, S3BackupMode: "FailedDataOnly", ...retry(300) },
};

/** The members of a configuration that are S3 locations (S3DestinationConfiguration shapes). */
export const S3_LOCATIONS = ["S3Configuration", "S3BackupConfiguration"] as const;

const isObject = (v: unknown): v is Config => typeof v === "object" && v !== null && !Array.isArray(v);

/** Defaults filled member by member inside what was given (a BufferingHints given as `{}` gets both
 * values); any other object given replaces its default whole (a KMSEncryptionConfig must not gain a
 * NoEncryptionConfig beside it). */
const FILLED_INSIDE = new Set(["BufferingHints", "CloudWatchLoggingOptions", "RequestConfiguration", "RetryOptions"]);

/** `config` with every absent default filled in. Returns a new object; `config` is not changed. */
export function withDefaults(kind: DestinationKind, config: Config): Config {
  const out = fill(config, DEFAULTS[kind]);
  for (const member of S3_LOCATIONS) if (isObject(out[member])) out[member] = fill(out[member], S3_MEMBERS);
  return out;
}

function fill(config: Config, defaults: Config): Config {
  const out: Config = { ...config };
  for (const [name, value] of Object.entries(defaults)) {
    const given = out[name];
    if (given === undefined || given === null) out[name] = structuredClone(value);
    else if (FILLED_INSIDE.has(name) && isObject(value) && isObject(given)) out[name] = { ...structuredClone(value), ...given };
  }
  return out;
}
