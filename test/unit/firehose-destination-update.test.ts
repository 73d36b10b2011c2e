/**
 * Firehose destinations after CreateDeliveryStream: UpdateDestination's merge (same kind), replacement
 * (another kind) and its rules, and the delivery plan of each kind.
 */
import { describe, expect, it } from "vitest";
import { deliveryPlanOf } from "../../src/domain/firehose/delivery-plan";
import { applyDestinationUpdate, ONE_DESTINATION_UPDATE } from "../../src/domain/firehose/destination-config";
import {
  HTTP,
  ICEBERG,
  MiB,
  OPENSEARCH,
  REDSHIFT,
  ROLE,
  S3,
  S3_DEFAULTS,
  SERVERLESS,
  SNOWFLAKE,
  SPLUNK,
  stored,
} from "./firehose-destination-fixtures";
import { failure, value } from "./results";

describe("UpdateDestination", () => {
  const backup = { RoleARN: ROLE, BucketARN: "arn:aws:s3:::backup" };
  const extended = () =>
    stored("ExtendedS3", {
      ...S3,
      Prefix: "a/",
      ErrorOutputPrefix: "e/",
      S3BackupMode: "Enabled",
      S3BackupConfiguration: backup,
    });

  it("the same kind merges: members given replace, others are kept, S3BackupUpdate merges member by member", () => {
    const next = value(
      applyDestinationUpdate(extended(), {
        ExtendedS3DestinationUpdate: {
          Prefix: "b/",
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
          S3BackupUpdate: { Prefix: "raw/" },
        },
      }),
    );
    expect(next.kind).toBe("ExtendedS3");
    expect(next.config).toMatchObject({
      Prefix: "b/",
      ErrorOutputPrefix: "e/",
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
    });
    expect(next.config.S3BackupConfiguration).toEqual({ ...S3_DEFAULTS, BucketARN: "arn:aws:s3:::backup", Prefix: "raw/" });
  });

  it("S3Update merges into the S3 location of an HTTP endpoint; the AccessKey is kept", () => {
    const before = stored("HttpEndpoint", { ...HTTP, S3Configuration: { ...S3, CompressionFormat: "GZIP" } });
    const next = value(
      applyDestinationUpdate(before, { HttpEndpointDestinationUpdate: { S3Update: { BucketARN: "arn:aws:s3:::other" } } }),
    );
    expect(next.config.S3Configuration).toMatchObject({
      BucketARN: "arn:aws:s3:::other",
      CompressionFormat: "GZIP",
      RoleARN: ROLE,
    });
    expect((next.config.EndpointConfiguration as Record<string, unknown>).AccessKey).toBe("k3y");
  });

  it("S3 and ExtendedS3 are one type: an S3 update keeps ExtendedS3, an ExtendedS3 update turns S3 into ExtendedS3", () => {
    const viaS3 = value(applyDestinationUpdate(extended(), { S3DestinationUpdate: { CompressionFormat: "GZIP" } }));
    expect(viaS3).toMatchObject({
      kind: "ExtendedS3",
      config: { CompressionFormat: "GZIP", Prefix: "a/", S3BackupMode: "Enabled" },
    });
    const upgraded = value(applyDestinationUpdate(stored("S3", S3), { ExtendedS3DestinationUpdate: { FileExtension: ".log" } }));
    expect(upgraded).toMatchObject({
      kind: "ExtendedS3",
      config: { ...S3_DEFAULTS, FileExtension: ".log", S3BackupMode: "Disabled" },
    });
  });

  it("another kind replaces the destination: nothing is merged, so everything required must be given", () => {
    const next = value(
      applyDestinationUpdate(extended(), {
        HttpEndpointDestinationUpdate: { EndpointConfiguration: { Url: "https://x" }, S3Update: S3 },
      }),
    );
    expect(next).toMatchObject({ id: "destinationId-000000000001", kind: "HttpEndpoint" });
    expect(next.config.Prefix).toBeUndefined();
    expect(next.config.S3Configuration).toEqual(S3_DEFAULTS);
    const e = failure(
      applyDestinationUpdate(extended(), { HttpEndpointDestinationUpdate: { EndpointConfiguration: { Url: "https://x" } } }),
    );
    expect(`${e.code}: ${e.message}`).toBe(
      "InvalidArgumentException: S3Update must be specified: the destination type changes, so Firehose does not merge any parameters.",
    );
    const partial = failure(
      applyDestinationUpdate(extended(), {
        HttpEndpointDestinationUpdate: { EndpointConfiguration: { Url: "https://x" }, S3Update: { RoleARN: ROLE } },
      }),
    );
    expect(partial.message).toBe(
      "S3Update.BucketARN must be specified: the destination type changes, so Firehose does not merge any parameters.",
    );
  });

  it("a first S3 backup given by update needs its bucket", () => {
    const e = failure(
      applyDestinationUpdate(stored("ExtendedS3", S3), {
        ExtendedS3DestinationUpdate: { S3BackupMode: "Enabled", S3BackupUpdate: { RoleARN: ROLE } },
      }),
    );
    expect(e.message).toBe("S3BackupUpdate.BucketARN must be specified.");
  });

  it("OpenSearch Service switches only to OpenSearch Service", () => {
    const es = stored("Elasticsearch", OPENSEARCH);
    expect(failure(applyDestinationUpdate(es, { ExtendedS3DestinationUpdate: S3 })).message).toBe(
      "Switching between Amazon OpenSearch Service and other services is not supported.",
    );
    expect(failure(applyDestinationUpdate(extended(), { ElasticsearchDestinationUpdate: OPENSEARCH })).code).toBe(
      "InvalidArgumentException",
    );
    const { S3Configuration: _s, ...rest } = OPENSEARCH;
    expect(value(applyDestinationUpdate(es, { AmazonopensearchserviceDestinationUpdate: { ...rest, S3Update: S3 } })).kind).toBe(
      "Amazonopensearchservice",
    );
  });

  it("one-way backup modes", () => {
    expect(
      failure(applyDestinationUpdate(extended(), { ExtendedS3DestinationUpdate: { S3BackupMode: "Disabled" } })).message,
    ).toBe("S3BackupMode cannot be changed from Enabled to Disabled: once backup is enabled, it cannot be disabled.");
    const splunk = stored("Splunk", SPLUNK);
    const all = value(applyDestinationUpdate(splunk, { SplunkDestinationUpdate: { S3BackupMode: "AllEvents" } }));
    expect(failure(applyDestinationUpdate(all, { SplunkDestinationUpdate: { S3BackupMode: "FailedEventsOnly" } })).message).toBe(
      "S3BackupMode cannot be changed from AllEvents to FailedEventsOnly.",
    );
  });

  it("the update is validated as a create is: Coral's paths name the update, then the rules", () => {
    const e = failure(
      applyDestinationUpdate(extended(), {
        ExtendedS3DestinationUpdate: { BufferingHints: { SizeInMBs: 129, IntervalInSeconds: 1 } },
      }),
    );
    expect(e.message).toBe(
      "1 validation error detected: Value '129' at 'extendedS3DestinationUpdate.bufferingHints.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 128",
    );
    expect(
      failure(applyDestinationUpdate(extended(), { ExtendedS3DestinationUpdate: { BufferingHints: { SizeInMBs: 1 } } })).code,
    ).toBe("InvalidArgumentException");
    expect(
      failure(applyDestinationUpdate(extended(), { ExtendedS3DestinationUpdate: { CompressionFormat: "ZIP" } })).message,
    ).toContain("CompressionFormat ZIP is not supported");
    expect(failure(applyDestinationUpdate(extended(), { DestinationId: "destinationId-000000000001" })).message).toBe(
      ONE_DESTINATION_UPDATE,
    );
  });
});

describe("the delivery plan of each kind", () => {
  it("ExtendedS3: bytes and ms, GZIP, prefixes, extension, zone, delimiter, source backup, S3's 24 h retries", () => {
    const d = stored("ExtendedS3", {
      ...S3,
      Prefix: "logs/!{timestamp:yyyy}/",
      ErrorOutputPrefix: "errors/!{firehose:error-output-type}/",
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      CompressionFormat: "GZIP",
      ProcessingConfiguration: { Enabled: true, Processors: [{ Type: "AppendDelimiterToRecord" }] },
      FileExtension: ".json.gz",
      CustomTimeZone: "Europe/Paris",
      S3BackupMode: "Enabled",
      S3BackupConfiguration: { RoleARN: ROLE, BucketARN: "arn:aws:s3:::raw", Prefix: "raw/" },
    });
    expect(deliveryPlanOf(d)).toEqual({
      sizeBytes: 64 * MiB,
      intervalMs: 60_000,
      appendDelimiter: true,
      s3: {
        bucket: "my-bucket",
        prefix: "logs/!{timestamp:yyyy}/",
        errorOutputPrefix: "errors/!{firehose:error-output-type}/",
        compression: "GZIP",
        fileExtension: ".json.gz",
        customTimeZone: "Europe/Paris",
      },
      backup: { mode: "Source", s3: { bucket: "raw", prefix: "raw/", compression: "UNCOMPRESSED" } },
      retryMs: 86_400_000,
    });
  });

  it("S3: the defaults, no delimiter, no backup", () => {
    expect(deliveryPlanOf(stored("S3", S3))).toEqual({
      sizeBytes: 5 * MiB,
      intervalMs: 300_000,
      appendDelimiter: false,
      s3: { bucket: "my-bucket", compression: "UNCOMPRESSED" },
      backup: { mode: "None" },
      retryMs: 86_400_000,
    });
  });

  it("HttpEndpoint: the target with its key and attributes, backup of failed data or all of it", () => {
    const d = stored("HttpEndpoint", {
      ...HTTP,
      RequestConfiguration: { ContentEncoding: "GZIP", CommonAttributes: [{ AttributeName: "env", AttributeValue: "test" }] },
      RetryOptions: { DurationInSeconds: 10 },
    });
    expect(deliveryPlanOf(d)).toMatchObject({
      http: {
        format: "http-endpoint",
        url: "http://127.0.0.1:8080/in",
        name: "local",
        accessKey: "k3y",
        contentEncoding: "GZIP",
        commonAttributes: { env: "test" },
      },
      backup: { mode: "FailedDataOnly" },
      retryMs: 10_000,
      s3: { bucket: "my-bucket" },
    });
    expect(deliveryPlanOf(stored("HttpEndpoint", { ...HTTP, S3BackupMode: "AllData" })).backup).toEqual({ mode: "AllData" });
    expect(deliveryPlanOf(stored("HttpEndpoint", HTTP)).http).toMatchObject({ contentEncoding: "NONE", commonAttributes: {} });
  });

  it("OpenSearch: the error type of each service, rotation, document ids; serverless has no rotation", () => {
    expect(
      deliveryPlanOf(stored("Elasticsearch", { ...OPENSEARCH, TypeName: "_doc", S3BackupMode: "AllDocuments" })),
    ).toMatchObject({
      http: {
        format: "opensearch",
        endpoint: "http://127.0.0.1:9200",
        indexName: "logs",
        typeName: "_doc",
        indexRotationPeriod: "OneDay",
        documentIdFormat: "FIREHOSE_DEFAULT",
        errorType: "elasticsearch-failed",
      },
      backup: { mode: "AllData" },
      retryMs: 300_000,
    });
    const aos = stored("Amazonopensearchservice", {
      ...OPENSEARCH,
      DocumentIdOptions: { DefaultDocumentIdFormat: "NO_DOCUMENT_ID" },
    });
    expect(deliveryPlanOf(aos).http).toMatchObject({
      errorType: "AmazonOpenSearchService-failed",
      documentIdFormat: "NO_DOCUMENT_ID",
    });
    expect(deliveryPlanOf(stored("AmazonOpenSearchServerless", SERVERLESS))).toMatchObject({
      http: {
        endpoint: SERVERLESS.CollectionEndpoint,
        indexRotationPeriod: "NoRotation",
        errorType: "AmazonOpenSearchService-failed",
      },
      backup: { mode: "FailedDataOnly" },
    });
  });

  it("Splunk: its token, acknowledgment timeout, 60 s buffering and 3600 s retries", () => {
    expect(deliveryPlanOf(stored("Splunk", { ...SPLUNK, HECEndpointType: "Event" }))).toMatchObject({
      sizeBytes: 5 * MiB,
      intervalMs: 60_000,
      http: { format: "splunk", endpoint: SPLUNK.HECEndpoint, endpointType: "Event", token: "t0k", ackTimeoutMs: 180_000 },
      backup: { mode: "FailedDataOnly" },
      retryMs: 3_600_000,
    });
  });

  it("Redshift, Snowflake, Iceberg: staged in their S3 bucket only", () => {
    const redshift = stored("Redshift", {
      ...REDSHIFT,
      S3Configuration: { ...S3, BufferingHints: { SizeInMBs: 10, IntervalInSeconds: 120 } },
      S3BackupMode: "Enabled",
      S3BackupConfiguration: { RoleARN: ROLE, BucketARN: "arn:aws:s3:::raw" },
    });
    expect(deliveryPlanOf(redshift)).toMatchObject({
      sizeBytes: 10 * MiB,
      intervalMs: 120_000,
      staging: "Redshift",
      s3: { bucket: "my-bucket" },
      backup: { mode: "Source", s3: { bucket: "raw" } },
      retryMs: 86_400_000,
    });
    expect(deliveryPlanOf(redshift).http).toBeUndefined();
    expect(deliveryPlanOf(stored("Snowflake", SNOWFLAKE))).toMatchObject({
      staging: "Snowflake",
      sizeBytes: 128 * MiB,
      intervalMs: 0,
      backup: { mode: "None" },
    });
    expect(deliveryPlanOf(stored("Iceberg", ICEBERG))).toMatchObject({
      staging: "Iceberg",
      s3: { bucket: "my-bucket" },
      backup: { mode: "None" },
    });
  });
});
