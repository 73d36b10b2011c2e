/**
 * The delivery plan of a stored destination (contract.ts): what the delivery stream object acts on,
 * read in this one place from the configuration as stored (validated, AWS's defaults filled in by
 * ./destination-defaults.ts, so every value below is there; the fallbacks only keep a configuration
 * stored before a default existed working).
 * https://docs.aws.amazon.com/firehose/latest/dev/create-configure.html
 */
import type {
  CompressionFormat,
  DeliveryPlan,
  DestinationKind,
  ErrorOutputType,
  HttpTarget,
  S3Target,
  StoredDestination,
} from "./contract";

type Config = Record<string, unknown>;
type IndexRotationPeriod = Extract<HttpTarget, { format: "opensearch" }>["indexRotationPeriod"];

const MiB = 1024 * 1024;

const isObject = (v: unknown): v is Config => typeof v === "object" && v !== null && !Array.isArray(v);
const objectAt = (c: Config, name: string): Config => (isObject(c[name]) ? c[name] : {});
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const number = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);

/**
 * S3 has no RetryOptions: "If data delivery to your Amazon S3 bucket fails, Amazon Data Firehose
 * retries to deliver data every 5 seconds for up to a maximum period of 24 hours."
 * (https://docs.aws.amazon.com/firehose/latest/dev/retry.html)
 */
const S3_RETRY_MS = 24 * 60 * 60 * 1000;

/** Kinds delivered only to their S3 staging bucket here (the README says so). */
const STAGING: readonly DestinationKind[] = ["Redshift", "Snowflake", "Iceberg"];

/** The bucket's name from `arn:<partition>:s3:::<bucket>` (the model's BucketARN pattern). */
export const bucketOfArn = (arn: string): string => arn.slice(arn.indexOf(":::") + 3);

/** One S3 location of a configuration as the writer needs it. */
export function s3TargetOf(s3: Config, extended = false): S3Target {
  const target: S3Target = {
    bucket: bucketOfArn(text(s3.BucketARN) ?? ""),
    compression: (text(s3.CompressionFormat) ?? "UNCOMPRESSED") as CompressionFormat,
  };
  const prefix = text(s3.Prefix);
  const errorOutputPrefix = text(s3.ErrorOutputPrefix);
  if (prefix !== undefined) target.prefix = prefix;
  if (errorOutputPrefix !== undefined) target.errorOutputPrefix = errorOutputPrefix;
  if (extended) {
    const fileExtension = text(s3.FileExtension);
    const customTimeZone = text(s3.CustomTimeZone);
    if (fileExtension !== undefined) target.fileExtension = fileExtension;
    if (customTimeZone !== undefined) target.customTimeZone = customTimeZone;
  }
  return target;
}

/** AppendDelimiterToRecord among the processors of an enabled ProcessingConfiguration. */
function appendsDelimiter(c: Config): boolean {
  const pc = objectAt(c, "ProcessingConfiguration");
  if (pc.Enabled === false || !Array.isArray(pc.Processors)) return false;
  return pc.Processors.some((p) => isObject(p) && p.Type === "AppendDelimiterToRecord");
}

/** The flush thresholds: the destination's BufferingHints (Redshift has only its S3Configuration's). */
function buffering(kind: DestinationKind, c: Config): { sizeBytes: number; intervalMs: number } {
  const hints = objectAt(kind === "Redshift" ? objectAt(c, "S3Configuration") : c, "BufferingHints");
  return { sizeBytes: number(hints.SizeInMBs, 5) * MiB, intervalMs: number(hints.IntervalInSeconds, 300) * 1000 };
}

const OPENSEARCH_ERROR: Partial<Record<DestinationKind, ErrorOutputType>> = {
  Elasticsearch: "elasticsearch-failed",
  Amazonopensearchservice: "AmazonOpenSearchService-failed",
  AmazonOpenSearchServerless: "AmazonOpenSearchService-failed",
};

function httpTargetOf(kind: DestinationKind, c: Config): HttpTarget | undefined {
  switch (kind) {
    case "HttpEndpoint": {
      const endpoint = objectAt(c, "EndpointConfiguration");
      const request = objectAt(c, "RequestConfiguration");
      const attributes = Array.isArray(request.CommonAttributes) ? (request.CommonAttributes as Config[]) : [];
      const target: HttpTarget = {
        format: "http-endpoint",
        url: text(endpoint.Url) ?? "",
        contentEncoding: request.ContentEncoding === "GZIP" ? "GZIP" : "NONE",
        commonAttributes: Object.fromEntries(attributes.map((a) => [text(a.AttributeName) ?? "", text(a.AttributeValue) ?? ""])),
      };
      const name = text(endpoint.Name);
      const accessKey = text(endpoint.AccessKey);
      if (name !== undefined) target.name = name;
      if (accessKey !== undefined) target.accessKey = accessKey;
      return target;
    }
    case "Elasticsearch":
    case "Amazonopensearchservice":
    case "AmazonOpenSearchServerless": {
      const serverless = kind === "AmazonOpenSearchServerless";
      const target: HttpTarget = {
        format: "opensearch",
        endpoint: text(serverless ? c.CollectionEndpoint : c.ClusterEndpoint) ?? "",
        indexName: text(c.IndexName) ?? "",
        // Serverless collections have no index rotation (the configuration has no such member).
        indexRotationPeriod: serverless ? "NoRotation" : ((text(c.IndexRotationPeriod) ?? "OneDay") as IndexRotationPeriod),
        documentIdFormat:
          objectAt(c, "DocumentIdOptions").DefaultDocumentIdFormat === "NO_DOCUMENT_ID" ? "NO_DOCUMENT_ID" : "FIREHOSE_DEFAULT",
        errorType: OPENSEARCH_ERROR[kind]!,
      };
      const typeName = text(c.TypeName);
      if (typeName !== undefined && typeName !== "") target.typeName = typeName;
      return target;
    }
    case "Splunk": {
      const target: HttpTarget = {
        format: "splunk",
        endpoint: text(c.HECEndpoint) ?? "",
        endpointType: c.HECEndpointType === "Event" ? "Event" : "Raw",
        ackTimeoutMs: number(c.HECAcknowledgmentTimeoutInSeconds, 180) * 1000,
      };
      const token = text(c.HECToken);
      if (token !== undefined) target.token = token;
      return target;
    }
    default:
      return undefined;
  }
}

/** S3 backup modes by kind, as the plan names them (FailedDocumentsOnly, FailedEventsOnly… are one mode). */
const ALL_DATA = new Set(["AllData", "AllDocuments", "AllEvents"]);

function backupOf(kind: DestinationKind, c: Config): DeliveryPlan["backup"] {
  if (kind === "S3") return { mode: "None" };
  if (kind === "ExtendedS3" || kind === "Redshift") {
    const backup = objectAt(c, "S3BackupConfiguration");
    return c.S3BackupMode === "Enabled" && backup.BucketARN ? { mode: "Source", s3: s3TargetOf(backup) } : { mode: "None" };
  }
  // Snowflake and Iceberg stage every record in their bucket: a failed-data backup has nothing to add.
  if (STAGING.includes(kind)) return { mode: "None" };
  return ALL_DATA.has(text(c.S3BackupMode) ?? "") ? { mode: "AllData" } : { mode: "FailedDataOnly" };
}

export function deliveryPlanOf(destination: StoredDestination): DeliveryPlan {
  const { kind, config: c } = destination;
  const s3Kind = kind === "S3" || kind === "ExtendedS3";
  const plan: DeliveryPlan = {
    ...buffering(kind, c),
    appendDelimiter: appendsDelimiter(c),
    s3: s3Kind ? s3TargetOf(c, kind === "ExtendedS3") : s3TargetOf(objectAt(c, "S3Configuration")),
    backup: backupOf(kind, c),
    // Staging kinds deliver only to S3, so S3's retries apply (their RetryOptions are for the warehouse).
    retryMs: s3Kind || STAGING.includes(kind) ? S3_RETRY_MS : number(objectAt(c, "RetryOptions").DurationInSeconds, 300) * 1000,
  };
  const http = httpTargetOf(kind, c);
  if (http) plan.http = http;
  if (STAGING.includes(kind)) plan.staging = kind;
  return plan;
}
