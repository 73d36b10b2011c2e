/**
 * Amazon Data Firehose: what a delivery stream is to the objects and handlers that share it. The
 * stored configuration keeps each destination in AWS's own input shape (as validated, defaults
 * applied), so DescribeDeliveryStream can answer from it; the delivery plan is what the delivery
 * stream object acts on, derived from the configuration in one place (./delivery-plan.ts).
 */

export type DeliveryStreamType = "DirectPut" | "KinesisStreamAsSource" | "MSKAsSource" | "DatabaseAsSource";
export type DeliveryStreamStatus = "CREATING" | "CREATING_FAILED" | "DELETING" | "DELETING_FAILED" | "ACTIVE";

/** The destination member names of CreateDeliveryStream, without `DestinationConfiguration`. */
export type DestinationKind =
  | "ExtendedS3"
  | "S3"
  | "HttpEndpoint"
  | "Elasticsearch"
  | "Amazonopensearchservice"
  | "AmazonOpenSearchServerless"
  | "Splunk"
  | "Redshift"
  | "Snowflake"
  | "Iceberg";

/** One destination as stored: its id and its configuration in AWS's input shape (JSON values only). */
export interface StoredDestination {
  /** `destinationId-000000000001` */
  id: string;
  kind: DestinationKind;
  /** The `<Kind>DestinationConfiguration` as validated, with AWS's defaults filled in. */
  config: Record<string, unknown>;
}

export interface EncryptionState {
  status: "ENABLED" | "ENABLING" | "ENABLING_FAILED" | "DISABLED" | "DISABLING" | "DISABLING_FAILED";
  keyType?: "AWS_OWNED_CMK" | "CUSTOMER_MANAGED_CMK";
  keyArn?: string;
}

export interface KinesisSourceConfig {
  streamArn: string;
  roleArn: string;
  /** Epoch ms: Firehose reads the stream from here on (the delivery stream's creation). */
  deliveryStartTimestamp: number;
}

/** Everything DescribeDeliveryStream tells, as the delivery stream object stores it. */
export interface DeliveryStreamConfig {
  name: string;
  arn: string;
  account: string;
  region: string;
  type: DeliveryStreamType;
  status: DeliveryStreamStatus;
  /** Starts at 1; every UpdateDestination adds one. */
  versionId: number;
  /** Epoch ms. */
  createdAt: number;
  lastUpdatedAt?: number;
  source?: { kinesis?: KinesisSourceConfig; directPut?: { throughputHintInMBs?: number } };
  destination: StoredDestination;
  encryption: EncryptionState;
}

// ---- the delivery plan ---------------------------------------------------------------------

export type CompressionFormat = "UNCOMPRESSED" | "GZIP" | "ZIP" | "Snappy" | "HADOOP_SNAPPY";

/** What `!{firehose:error-output-type}` evaluates to, by the failure (AWS's s3-prefixes page). */
export type ErrorOutputType =
  | "processing-failed"
  | "AmazonOpenSearchService-failed"
  | "elasticsearch-failed"
  | "splunk-failed"
  | "format-conversion-failed"
  | "http-endpoint-failed";

/** Where and how objects are written into a bucket of this deployment's S3. */
export interface S3Target {
  /** The bucket's name (from BucketARN `arn:aws:s3:::<bucket>`). */
  bucket: string;
  prefix?: string;
  errorOutputPrefix?: string;
  compression: CompressionFormat;
  /** ExtendedS3 only: replaces the default extension (`.gz` for GZIP, none otherwise). */
  fileExtension?: string;
  /** ExtendedS3 only: the IANA zone for the default prefix and `!{timestamp:…}` (default UTC). */
  customTimeZone?: string;
}

/** A destination that is an HTTP API: the generic HTTP endpoint, OpenSearch's _bulk, Splunk's HEC. */
export type HttpTarget =
  | {
      format: "http-endpoint";
      url: string;
      name?: string;
      accessKey?: string;
      contentEncoding: "NONE" | "GZIP";
      commonAttributes: Record<string, string>;
    }
  | {
      format: "opensearch";
      /** The cluster or collection endpoint, e.g. `http://127.0.0.1:9200`. */
      endpoint: string;
      indexName: string;
      typeName?: string;
      indexRotationPeriod: "NoRotation" | "OneHour" | "OneDay" | "OneWeek" | "OneMonth";
      documentIdFormat: "FIREHOSE_DEFAULT" | "NO_DOCUMENT_ID";
      /** `AmazonOpenSearchService-failed` or `elasticsearch-failed` in error prefixes. */
      errorType: ErrorOutputType;
    }
  | {
      format: "splunk";
      endpoint: string;
      endpointType: "Raw" | "Event";
      token?: string;
      ackTimeoutMs: number;
    };

export interface DeliveryPlan {
  /** Flush when this many bytes are buffered… */
  sizeBytes: number;
  /** …or when the oldest buffered record is this old (0: deliver at once). */
  intervalMs: number;
  /** The AppendDelimiterToRecord processor: a newline after each record. */
  appendDelimiter: boolean;
  /** S3 destinations: the bucket the objects go to. HTTP destinations: the backup bucket. */
  s3: S3Target;
  /** HTTP destinations only. */
  http?: HttpTarget;
  /**
   * What goes to the S3 backup: for HTTP destinations the failed data only or all of it (into `s3`,
   * AllData under the plain prefix); for ExtendedS3 with S3BackupMode Enabled, the source records
   * into a second bucket. Redshift, Snowflake and Iceberg stage every object in `s3` (`staging`).
   */
  backup: { mode: "None" } | { mode: "FailedDataOnly" } | { mode: "AllData" } | { mode: "Source"; s3: S3Target };
  /** How long a failing HTTP delivery is retried before it goes to the backup (RetryOptions). */
  retryMs: number;
  /** Redshift, Snowflake, Iceberg: delivered only to the S3 staging bucket (README says so). */
  staging?: DestinationKind;
}
