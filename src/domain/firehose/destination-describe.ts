/**
 * DescribeDeliveryStream's `Destinations[0]` from a stored destination: each `<Kind>DestinationDescription`
 * member by member as the API reference lists it
 * (https://docs.aws.amazon.com/firehose/latest/APIReference/API_DestinationDescription.html), which
 * renames the nested S3 locations (S3Configuration → S3DestinationDescription, S3BackupConfiguration →
 * S3BackupDescription) and leaves out the secrets AWS never returns (HttpEndpoint AccessKey, Redshift
 * Password, Snowflake PrivateKey and KeyPassphrase: none is a member of a description; Splunk's
 * HECToken is, and is returned). The secrets stay stored: the delivery needs them.
 */
import type { DestinationKind, StoredDestination } from "./contract";

type Config = Record<string, unknown>;

const isObject = (v: unknown): v is Config => typeof v === "object" && v !== null && !Array.isArray(v);

/** API_S3DestinationDescription.html */
const S3_DESCRIPTION =
  "RoleARN BucketARN Prefix ErrorOutputPrefix BufferingHints CompressionFormat EncryptionConfiguration CloudWatchLoggingOptions";

/** The members of each `<Kind>DestinationDescription`, in the API reference's order. */
const DESCRIPTION_MEMBERS: Record<DestinationKind, string> = {
  S3: S3_DESCRIPTION,
  ExtendedS3: `${S3_DESCRIPTION} ProcessingConfiguration S3BackupMode S3BackupDescription DataFormatConversionConfiguration DynamicPartitioningConfiguration FileExtension CustomTimeZone`,
  Redshift:
    "RoleARN ClusterJDBCURL CopyCommand S3DestinationDescription Username RetryOptions ProcessingConfiguration S3BackupMode S3BackupDescription CloudWatchLoggingOptions SecretsManagerConfiguration",
  Elasticsearch:
    "RoleARN DomainARN ClusterEndpoint IndexName TypeName IndexRotationPeriod BufferingHints RetryOptions S3BackupMode S3DestinationDescription ProcessingConfiguration CloudWatchLoggingOptions VpcConfigurationDescription DocumentIdOptions",
  Amazonopensearchservice:
    "RoleARN DomainARN ClusterEndpoint IndexName TypeName IndexRotationPeriod BufferingHints RetryOptions S3BackupMode S3DestinationDescription ProcessingConfiguration CloudWatchLoggingOptions VpcConfigurationDescription DocumentIdOptions",
  Splunk:
    "HECEndpoint HECEndpointType HECToken HECAcknowledgmentTimeoutInSeconds RetryOptions S3BackupMode S3DestinationDescription ProcessingConfiguration CloudWatchLoggingOptions BufferingHints SecretsManagerConfiguration",
  HttpEndpoint:
    "EndpointConfiguration BufferingHints CloudWatchLoggingOptions RequestConfiguration ProcessingConfiguration RoleARN RetryOptions S3BackupMode S3DestinationDescription SecretsManagerConfiguration",
  Snowflake:
    "AccountUrl User Database Schema Table SnowflakeRoleConfiguration DataLoadingOption MetaDataColumnName ContentColumnName SnowflakeVpcConfiguration CloudWatchLoggingOptions ProcessingConfiguration RoleARN RetryOptions S3BackupMode S3DestinationDescription SecretsManagerConfiguration BufferingHints",
  AmazonOpenSearchServerless:
    "RoleARN CollectionEndpoint IndexName BufferingHints RetryOptions S3BackupMode S3DestinationDescription ProcessingConfiguration CloudWatchLoggingOptions VpcConfigurationDescription",
  Iceberg:
    "DestinationTableConfigurationList SchemaEvolutionConfiguration TableCreationConfiguration BufferingHints CloudWatchLoggingOptions ProcessingConfiguration S3BackupMode RetryOptions RoleARN AppendOnly CatalogConfiguration S3DestinationDescription",
};

/** Where a description member comes from, when not from the configuration member of its name. */
const FROM: Record<string, (c: Config) => unknown> = {
  S3DestinationDescription: (c) => (isObject(c.S3Configuration) ? describeS3(c.S3Configuration) : undefined),
  S3BackupDescription: (c) => (isObject(c.S3BackupConfiguration) ? describeS3(c.S3BackupConfiguration) : undefined),
  // API_HttpEndpointDescription.html: Url and Name; the AccessKey is not returned.
  EndpointConfiguration: (c) => (isObject(c.EndpointConfiguration) ? pick(c.EndpointConfiguration, ["Url", "Name"]) : undefined),
  // VpcConfiguration is refused (destination-rules.ts), so there is never a VPC to describe.
  VpcConfigurationDescription: () => undefined,
};

function pick(c: Config, members: readonly string[]): Config {
  const out: Config = {};
  for (const m of members) if (c[m] !== undefined && c[m] !== null) out[m] = structuredClone(c[m]);
  return out;
}

const describeS3 = (s3: Config): Config => pick(s3, S3_DESCRIPTION.split(" "));

/** One `<Kind>DestinationDescription` of a configuration. */
export function describeConfig(kind: DestinationKind, c: Config): Config {
  const out: Config = {};
  for (const member of DESCRIPTION_MEMBERS[kind].split(" ")) {
    const value = member in FROM ? FROM[member]!(c) : c[member] === undefined ? undefined : structuredClone(c[member]);
    if (value !== undefined && value !== null) out[member] = value;
  }
  return out;
}

/**
 * `{DestinationId, <Kind>DestinationDescription}`. An S3 destination is one destination seen two
 * ways: AWS describes a stream created with ExtendedS3 with an `S3DestinationDescription` beside the
 * `ExtendedS3DestinationDescription` (missing-parts §1.1), and the deprecated S3 kind the same way
 * (the S3 destination is an ExtendedS3 one without the extended members; S3BackupMode Disabled).
 */
export function describeDestination(d: StoredDestination): Record<string, unknown> {
  if (d.kind === "S3" || d.kind === "ExtendedS3") {
    const extended = d.kind === "S3" ? { ...d.config, S3BackupMode: "Disabled" } : d.config;
    return {
      DestinationId: d.id,
      S3DestinationDescription: describeConfig("S3", d.config),
      ExtendedS3DestinationDescription: describeConfig("ExtendedS3", extended),
    };
  }
  return { DestinationId: d.id, [`${d.kind}DestinationDescription`]: describeConfig(d.kind, d.config) };
}
