/**
 * The service's own rules on a destination, after Coral's constraints (./constraint-check.ts) have
 * passed: what AWS refuses with InvalidArgumentException, and what this emulator does not carry out
 * (`notSupported`, never a silent accept). Where AWS documents a rule but not its error text, the text
 * here is worded after the documentation's sentence and says so beside it.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html
 */
import type { Problem } from "../errors";
import type { DestinationKind } from "./contract";
import { invalidArgument, notSupported } from "./errors";
import { validateFileExtension, validateS3Prefixes, validateTimeZone } from "./s3-keys";

type Config = Record<string, unknown>;

const isObject = (v: unknown): v is Config => typeof v === "object" && v !== null && !Array.isArray(v);
const objectAt = (c: Config, name: string): Config | undefined => (isObject(c[name]) ? c[name] : undefined);
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** What the objects written to S3 can be compressed with here: `CompressionStream("gzip")` only. */
export const SUPPORTED_COMPRESSION: readonly string[] = ["UNCOMPRESSED", "GZIP"];

/** Kinds whose delivery is an HTTP API the emulator calls (their secrets are needed to call it). */
const HTTP_KINDS: readonly DestinationKind[] = [
  "HttpEndpoint",
  "Elasticsearch",
  "Amazonopensearchservice",
  "AmazonOpenSearchServerless",
  "Splunk",
];

/** The S3 locations a client may give in one configuration or update (where BufferingHints pair up). */
const NESTED_S3 = ["S3Configuration", "S3BackupConfiguration", "S3Update", "S3BackupUpdate"];

/**
 * API_BufferingHints.html: "if you specify a value for one of them, you must also provide a value
 * for the other." Checked on what the client sent, before defaults fill the other in. The text is
 * the documentation's sentence (AWS's exact error text is not published).
 */
export function checkBufferingPairs(given: Config): Problem {
  for (const holder of [given, ...NESTED_S3.map((m) => objectAt(given, m))]) {
    const hints = holder && objectAt(holder, "BufferingHints");
    if (hints && (hints.SizeInMBs === undefined) !== (hints.IntervalInSeconds === undefined))
      return invalidArgument(
        "BufferingHints: if you specify a value for one of SizeInMBs and IntervalInSeconds, you must also provide a value for the other.",
      );
  }
  return undefined;
}

/** Every rule of one destination as it will be stored (a create's configuration, an update merged). */
export function checkDestination(kind: DestinationKind, c: Config): Problem {
  return (
    secrets(kind, c) ??
    (kind === "ExtendedS3" ? extendedOnly(c) : undefined) ??
    processing(objectAt(c, "ProcessingConfiguration")) ??
    (kind === "S3" || kind === "ExtendedS3" ? s3Location(c, kind === "ExtendedS3") : s3Staging(kind, c)) ??
    KIND_RULES[kind]?.(c)
  );
}

/** Secrets Manager: the emulator cannot read a secret, so an HTTP destination could not authenticate. */
function secrets(kind: DestinationKind, c: Config): Problem {
  if (HTTP_KINDS.includes(kind) && objectAt(c, "SecretsManagerConfiguration")?.Enabled === true)
    return notSupported("SecretsManagerConfiguration (credentials read from AWS Secrets Manager)");
  return undefined;
}

/** Features of the ExtendedS3 destination this emulator does not carry out. */
function extendedOnly(c: Config): Problem {
  const conversion = objectAt(c, "DataFormatConversionConfiguration");
  // API_DataFormatConversionConfiguration.html: Enabled "Defaults to true".
  if (conversion && conversion.Enabled !== false)
    return notSupported("DataFormatConversionConfiguration (record format conversion to Parquet or ORC)");
  if (objectAt(c, "DynamicPartitioningConfiguration")?.Enabled === true)
    return notSupported("DynamicPartitioningConfiguration (dynamic partitioning)");
  if (c.S3BackupMode === "Enabled" && !objectAt(c, "S3BackupConfiguration"))
    // Worded by us: AWS documents that backup needs S3BackupConfiguration, not its error text.
    return invalidArgument("S3BackupConfiguration must be specified when S3BackupMode is Enabled.");
  return objectAt(c, "S3BackupConfiguration") ? s3Location(objectAt(c, "S3BackupConfiguration")!, false) : undefined;
}

const UNSUPPORTED_PROCESSORS: Record<string, string> = {
  Lambda: "Lambda data transformation (processor type Lambda)",
  MetadataExtraction: "Dynamic partitioning keys from JQ queries (processor type MetadataExtraction)",
  RecordDeAggregation: "Record deaggregation (processor type RecordDeAggregation)",
  Decompression: "Decompression of CloudWatch Logs records (processor type Decompression)",
  CloudWatchLogProcessing: "CloudWatch Logs message extraction (processor type CloudWatchLogProcessing)",
};

/** The delimiter values that mean a newline (JSON clients send the two characters `\n` escaped). */
const NEWLINE = ["\\n", "\n"];

/**
 * Processors: AppendDelimiterToRecord (a newline after each record) is carried out; every other type
 * is refused. A configuration with processors and no `Enabled` counts as enabled: refusing a Lambda
 * that AWS might run is safer than silently not running it.
 */
function processing(pc: Config | undefined): Problem {
  if (!pc || pc.Enabled === false || !Array.isArray(pc.Processors)) return undefined;
  for (const p of pc.Processors as Config[]) {
    const type = text(p.Type) ?? "";
    const unsupported = UNSUPPORTED_PROCESSORS[type];
    if (unsupported) return notSupported(unsupported);
    const parameters = Array.isArray(p.Parameters) ? (p.Parameters as Config[]) : [];
    for (const parameter of parameters) {
      if (parameter.ParameterName !== "Delimiter")
        return notSupported(`The ${text(parameter.ParameterName)} parameter of the ${type} processor`);
      if (!NEWLINE.includes(text(parameter.ParameterValue) ?? ""))
        return notSupported(`A Delimiter other than a newline for the ${type} processor`);
    }
  }
  return undefined;
}

/** One S3 location: compression, custom prefixes, and (ExtendedS3) file extension and time zone. */
function s3Location(s3: Config, extended: boolean): Problem {
  const format = text(s3.CompressionFormat);
  if (format !== undefined && !SUPPORTED_COMPRESSION.includes(format)) return notSupported(`CompressionFormat ${format}`);
  const problem = validateS3Prefixes({ prefix: text(s3.Prefix), errorOutputPrefix: text(s3.ErrorOutputPrefix) });
  if (problem || !extended) return problem;
  const extension = text(s3.FileExtension);
  const zone = text(s3.CustomTimeZone);
  return (
    (extension !== undefined ? validateFileExtension(extension) : undefined) ??
    (zone !== undefined ? validateTimeZone(zone) : undefined)
  );
}

/** The S3 configuration of a non-S3 destination: its backup or (Redshift, Snowflake, Iceberg) staging bucket. */
function s3Staging(kind: DestinationKind, c: Config): Problem {
  const s3 = objectAt(c, "S3Configuration");
  if (!s3) return undefined;
  const format = text(s3.CompressionFormat);
  if (kind === "Redshift" && (format === "ZIP" || format === "Snappy"))
    // The documentation's sentence (API_RedshiftDestinationConfiguration.html, S3Configuration).
    return invalidArgument(
      "The compression formats SNAPPY or ZIP cannot be specified in RedshiftDestinationConfiguration.S3Configuration because the Amazon Redshift COPY operation that reads from the S3 bucket doesn't support these compression formats.",
    );
  return (
    s3Location(s3, false) ??
    (objectAt(c, "S3BackupConfiguration") ? s3Location(objectAt(c, "S3BackupConfiguration")!, false) : undefined)
  );
}

/**
 * A URL the emulator will POST to. The model's pattern (https only on AWS, http allowed here) has
 * passed; this refuses what `URL` cannot parse. Worded by us (AWS's text is not published).
 */
function endpointUrl(member: string, value: unknown): Problem {
  const url = text(value);
  if (url === undefined) return undefined;
  if (!URL.canParse(url)) return invalidArgument(`${member} is not a valid URL: ${url}`);
  const protocol = new URL(url).protocol;
  return protocol === "https:" || protocol === "http:" ? undefined : invalidArgument(`${member} must be an https URL: ${url}`);
}

/** VPC delivery: the emulator reaches endpoints directly and cannot report the VPC (VpcId). */
const noVpc = (c: Config): Problem =>
  objectAt(c, "VpcConfiguration") ? notSupported("VpcConfiguration (delivery into a VPC)") : undefined;

/** API_ElasticsearchDestinationConfiguration.html: "Specify either ClusterEndpoint or DomainARN." */
function openSearch(c: Config): Problem {
  if (c.ClusterEndpoint !== undefined && c.DomainARN !== undefined)
    return invalidArgument("Specify either ClusterEndpoint or DomainARN, not both.");
  if (c.ClusterEndpoint === undefined && c.DomainARN === undefined)
    return invalidArgument("Specify either ClusterEndpoint or DomainARN.");
  if (c.ClusterEndpoint === undefined)
    return notSupported("DomainARN without ClusterEndpoint (an OpenSearch Service domain this emulator cannot look up)");
  return noVpc(c) ?? endpointUrl("ClusterEndpoint", c.ClusterEndpoint);
}

/** Credentials a destination needs unless Secrets Manager provides them (worded by us). */
function credentials(c: Config, members: string[], kind: string): Problem {
  if (objectAt(c, "SecretsManagerConfiguration")?.Enabled === true) return undefined;
  const missing = members.find((m) => c[m] === undefined);
  return missing
    ? invalidArgument(`${missing} must be specified for the ${kind} destination when SecretsManagerConfiguration is not enabled.`)
    : undefined;
}

const KIND_RULES: Partial<Record<DestinationKind, (c: Config) => Problem>> = {
  HttpEndpoint: (c) => endpointUrl("EndpointConfiguration.Url", objectAt(c, "EndpointConfiguration")?.Url),
  Elasticsearch: openSearch,
  Amazonopensearchservice: openSearch,
  AmazonOpenSearchServerless: (c) =>
    c.CollectionEndpoint === undefined
      ? invalidArgument("CollectionEndpoint must be specified for the AmazonOpenSearchServerless destination.")
      : (noVpc(c) ?? endpointUrl("CollectionEndpoint", c.CollectionEndpoint)),
  Splunk: (c) => credentials(c, ["HECToken"], "Splunk") ?? endpointUrl("HECEndpoint", c.HECEndpoint),
  Redshift: (c) =>
    credentials(c, ["Username", "Password"], "Redshift") ??
    (c.S3BackupMode === "Enabled" && !objectAt(c, "S3BackupConfiguration")
      ? invalidArgument("S3BackupConfiguration must be specified when S3BackupMode is Enabled.")
      : undefined),
  Snowflake: (c) => credentials(c, ["User", "PrivateKey"], "Snowflake"),
  // IcebergS3BackupMode: "Currently, S3 backup only supports FailedDataOnly." (the documentation's words)
  Iceberg: (c) =>
    c.S3BackupMode === "AllData"
      ? invalidArgument("Currently, S3 backup only supports FailedDataOnly for Iceberg destinations.")
      : undefined,
};
