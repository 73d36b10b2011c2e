/** Destinations shared by the Firehose destination tests: one valid configuration of each kind. */
import type { DestinationKind, StoredDestination } from "../../src/domain/firehose/contract";
import { validateCreateDestination } from "../../src/domain/firehose/destination-config";
import { failure, value } from "./results";

export const ROLE = "arn:aws:iam::123456789012:role/firehose";
const BUCKET = "arn:aws:s3:::my-bucket";
export const S3 = { RoleARN: ROLE, BucketARN: BUCKET };
export const MiB = 1024 * 1024;

/** The S3 members AWS reports for an S3 location given as just a role and a bucket. */
export const S3_DEFAULTS = {
  ...S3,
  BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
  CompressionFormat: "UNCOMPRESSED",
  EncryptionConfiguration: { NoEncryptionConfig: "NoEncryption" },
  CloudWatchLoggingOptions: { Enabled: false },
};

export const create = (kind: DestinationKind, config: Record<string, unknown>) =>
  validateCreateDestination({ DeliveryStreamName: "s", [`${kind}DestinationConfiguration`]: config });
export const stored = (kind: DestinationKind, config: Record<string, unknown>): StoredDestination => value(create(kind, config));
/** The failure as `Code: message`. */
export const refusal = (kind: DestinationKind, config: Record<string, unknown>): string => {
  const e = failure(create(kind, config));
  return `${e.code}: ${e.message}`;
};
export const unsupported = (what: string) =>
  `InvalidArgumentException: ${what} is not supported by this emulator (Amazon Data Firehose accepts it; see the README).`;

export const HTTP = {
  EndpointConfiguration: { Url: "http://127.0.0.1:8080/in", Name: "local", AccessKey: "k3y" },
  S3Configuration: S3,
};
export const OPENSEARCH = { RoleARN: ROLE, IndexName: "logs", ClusterEndpoint: "http://127.0.0.1:9200", S3Configuration: S3 };
export const SERVERLESS = {
  RoleARN: ROLE,
  IndexName: "logs",
  CollectionEndpoint: "https://abc.aoss.amazonaws.com",
  S3Configuration: S3,
};
export const SPLUNK = {
  HECEndpoint: "https://splunk.example:8088",
  HECEndpointType: "Raw",
  HECToken: "t0k",
  S3Configuration: S3,
};
export const REDSHIFT = {
  RoleARN: ROLE,
  ClusterJDBCURL: "jdbc:redshift://c1.abc.us-east-1.redshift.amazonaws.com:5439/dev",
  CopyCommand: { DataTableName: "t" },
  Username: "u",
  Password: "secret-pw",
  S3Configuration: S3,
};
export const PRIVATE_KEY = "A".repeat(256);
export const SNOWFLAKE = {
  AccountUrl: "https://acct.us-east-1.snowflakecomputing.com",
  Database: "d",
  Schema: "s",
  Table: "t",
  RoleARN: ROLE,
  User: "u",
  PrivateKey: PRIVATE_KEY,
  S3Configuration: S3,
};
export const ICEBERG = {
  RoleARN: ROLE,
  CatalogConfiguration: { CatalogARN: "arn:aws:glue:us-east-1:123456789012:catalog" },
  S3Configuration: S3,
};
