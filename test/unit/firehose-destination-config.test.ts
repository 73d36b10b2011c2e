/**
 * Firehose destinations from CreateDeliveryStream, as pure functions: each kind valid with the
 * defaults AWS reports and its DescribeDeliveryStream shape, Coral's constraints (ValidationException),
 * then the service's rules and what the emulator refuses (InvalidArgumentException).
 */
import { describe, expect, it } from "vitest";
import { describeDestination, ONE_DESTINATION, validateCreateDestination } from "../../src/domain/firehose/destination-config";
import {
  create,
  HTTP,
  ICEBERG,
  OPENSEARCH,
  PRIVATE_KEY,
  REDSHIFT,
  refusal,
  ROLE,
  S3,
  S3_DEFAULTS,
  SERVERLESS,
  SNOWFLAKE,
  SPLUNK,
  stored,
  unsupported,
} from "./firehose-destination-fixtures";
import { failure } from "./results";

describe("CreateDeliveryStream: each kind valid, its defaults and its description", () => {
  it("ExtendedS3: the S3 defaults and Disabled backup, described twice (ExtendedS3 and S3)", () => {
    const d = stored("ExtendedS3", S3);
    expect(d).toEqual({
      id: "destinationId-000000000001",
      kind: "ExtendedS3",
      config: { ...S3_DEFAULTS, S3BackupMode: "Disabled" },
    });
    expect(describeDestination(d)).toEqual({
      DestinationId: "destinationId-000000000001",
      S3DestinationDescription: S3_DEFAULTS,
      ExtendedS3DestinationDescription: { ...S3_DEFAULTS, S3BackupMode: "Disabled" },
    });
  });

  it("ExtendedS3 with a backup: S3BackupConfiguration is described as S3BackupDescription, with its defaults", () => {
    const backup = { RoleARN: ROLE, BucketARN: "arn:aws:s3:::backup" };
    const d = stored("ExtendedS3", { ...S3, S3BackupMode: "Enabled", S3BackupConfiguration: backup, FileExtension: ".json" });
    const description = describeDestination(d).ExtendedS3DestinationDescription as Record<string, unknown>;
    expect(description.S3BackupDescription).toEqual({ ...S3_DEFAULTS, BucketARN: "arn:aws:s3:::backup" });
    expect(description.S3BackupConfiguration).toBeUndefined();
    expect(description.FileExtension).toBe(".json");
  });

  it("S3 (deprecated): the S3 defaults, described as both", () => {
    const d = stored("S3", { ...S3, Prefix: "p/", CompressionFormat: "GZIP" });
    expect(d.config).toEqual({ ...S3_DEFAULTS, Prefix: "p/", CompressionFormat: "GZIP" });
    const description = describeDestination(d);
    expect(description.S3DestinationDescription).toEqual(d.config);
    expect(description.ExtendedS3DestinationDescription).toEqual({ ...d.config, S3BackupMode: "Disabled" });
  });

  it("HttpEndpoint: the AccessKey is stored, never described; plain http:// is accepted here", () => {
    const d = stored("HttpEndpoint", HTTP);
    expect(d.config).toEqual({
      ...HTTP,
      S3Configuration: S3_DEFAULTS,
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      CloudWatchLoggingOptions: { Enabled: false },
      RequestConfiguration: { ContentEncoding: "NONE" },
      RetryOptions: { DurationInSeconds: 300 },
      S3BackupMode: "FailedDataOnly",
    });
    expect(describeDestination(d)).toEqual({
      DestinationId: "destinationId-000000000001",
      HttpEndpointDestinationDescription: {
        EndpointConfiguration: { Url: "http://127.0.0.1:8080/in", Name: "local" },
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
        CloudWatchLoggingOptions: { Enabled: false },
        RequestConfiguration: { ContentEncoding: "NONE" },
        RetryOptions: { DurationInSeconds: 300 },
        S3BackupMode: "FailedDataOnly",
        S3DestinationDescription: S3_DEFAULTS,
      },
    });
  });

  it.each(["Elasticsearch", "Amazonopensearchservice"] as const)("%s: OneDay rotation, 5 MB/300 s, 300 s retries", (kind) => {
    const d = stored(kind, OPENSEARCH);
    expect(describeDestination(d)[`${kind}DestinationDescription`]).toEqual({
      ...OPENSEARCH,
      S3Configuration: undefined,
      IndexRotationPeriod: "OneDay",
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      RetryOptions: { DurationInSeconds: 300 },
      S3BackupMode: "FailedDocumentsOnly",
      S3DestinationDescription: S3_DEFAULTS,
      CloudWatchLoggingOptions: { Enabled: false },
    });
  });

  it("AmazonOpenSearchServerless: no rotation member, FailedDocumentsOnly", () => {
    const description = describeDestination(stored("AmazonOpenSearchServerless", SERVERLESS))
      .AmazonOpenSearchServerlessDestinationDescription as Record<string, unknown>;
    expect(description).toMatchObject({ CollectionEndpoint: SERVERLESS.CollectionEndpoint, S3BackupMode: "FailedDocumentsOnly" });
    expect(description.IndexRotationPeriod).toBeUndefined();
  });

  it("Splunk: 5 MB/60 s, 180 s acknowledgments, 3600 s retries, FailedEventsOnly; the HECToken is described", () => {
    const description = describeDestination(stored("Splunk", SPLUNK)).SplunkDestinationDescription;
    expect(description).toEqual({
      HECEndpoint: SPLUNK.HECEndpoint,
      HECEndpointType: "Raw",
      HECToken: "t0k",
      HECAcknowledgmentTimeoutInSeconds: 180,
      RetryOptions: { DurationInSeconds: 3600 },
      S3BackupMode: "FailedEventsOnly",
      S3DestinationDescription: S3_DEFAULTS,
      CloudWatchLoggingOptions: { Enabled: false },
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 60 },
    });
  });

  it("Redshift: the Password is stored, never described; 3600 s retries", () => {
    const d = stored("Redshift", REDSHIFT);
    expect(d.config.Password).toBe("secret-pw");
    const description = describeDestination(d).RedshiftDestinationDescription as Record<string, unknown>;
    expect(description.Password).toBeUndefined();
    expect(description).toMatchObject({ Username: "u", RetryOptions: { DurationInSeconds: 3600 }, S3BackupMode: "Disabled" });
  });

  it("Snowflake: the PrivateKey is stored, never described; 128 MB/0 s buffering", () => {
    const d = stored("Snowflake", { ...SNOWFLAKE, KeyPassphrase: "passphrase" });
    expect(d.config.PrivateKey).toBe(PRIVATE_KEY);
    const description = describeDestination(d).SnowflakeDestinationDescription as Record<string, unknown>;
    expect(description.PrivateKey).toBeUndefined();
    expect(description.KeyPassphrase).toBeUndefined();
    expect(description).toMatchObject({
      User: "u",
      BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 0 },
      S3BackupMode: "FailedDataOnly",
    });
  });

  it("Iceberg: accepted, FailedDataOnly, its S3Configuration described", () => {
    const description = describeDestination(stored("Iceberg", ICEBERG)).IcebergDestinationDescription;
    expect(description).toMatchObject({ S3BackupMode: "FailedDataOnly", S3DestinationDescription: S3_DEFAULTS });
  });

  it("what the client gave is kept over the defaults (a KMS key gets no NoEncryptionConfig beside it)", () => {
    const kms = { KMSEncryptionConfig: { AWSKMSKeyARN: "arn:aws:kms:us-east-1:123456789012:key/k" } };
    const d = stored("ExtendedS3", {
      ...S3,
      EncryptionConfiguration: kms,
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 },
    });
    expect(d.config.EncryptionConfiguration).toEqual(kms);
    expect(d.config.BufferingHints).toEqual({ SizeInMBs: 64, IntervalInSeconds: 0 });
  });
});

describe("CreateDeliveryStream: Coral's constraints (ValidationException)", () => {
  it("ranges, in member order, with Coral's paths", () => {
    expect(refusal("ExtendedS3", { ...S3, BufferingHints: { SizeInMBs: 0, IntervalInSeconds: 901 } })).toBe(
      "ValidationException: 2 validation errors detected: " +
        "Value '0' at 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value '901' at 'extendedS3DestinationConfiguration.bufferingHints.intervalInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900",
    );
  });

  it("each kind's own ranges: Splunk buffers at most 60 s, HTTP endpoints at most 64 MB", () => {
    expect(refusal("Splunk", { ...SPLUNK, BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 61 } })).toBe(
      "ValidationException: 1 validation error detected: Value '61' at 'splunkDestinationConfiguration.bufferingHints.intervalInSeconds' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
    expect(refusal("HttpEndpoint", { ...HTTP, BufferingHints: { SizeInMBs: 65, IntervalInSeconds: 60 } })).toContain(
      "at 'httpEndpointDestinationConfiguration.bufferingHints.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 64",
    );
  });

  it("ARN patterns, nested S3 locations and list members", () => {
    expect(refusal("ExtendedS3", { RoleARN: "role", BucketARN: "bucket" })).toBe(
      "ValidationException: 2 validation errors detected: " +
        "Value 'role' at 'extendedS3DestinationConfiguration.roleARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+; " +
        "Value 'bucket' at 'extendedS3DestinationConfiguration.bucketARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:.*:s3:::[\\w\\.\\-]{1,255}",
    );
    expect(refusal("HttpEndpoint", { ...HTTP, S3Configuration: { ...S3, BucketARN: "arn:aws:s3:::" } })).toContain(
      "Value 'arn:aws:s3:::' at 'httpEndpointDestinationConfiguration.s3Configuration.bucketARN'",
    );
    expect(refusal("ExtendedS3", { ...S3, ProcessingConfiguration: { Processors: [{ Type: "Jq" }] } })).toBe(
      "ValidationException: 1 validation error detected: Value 'Jq' at 'extendedS3DestinationConfiguration.processingConfiguration.processors.1.member.type' failed to satisfy constraint: " +
        "Member must satisfy enum value set: [RecordDeAggregation, Decompression, CloudWatchLogProcessing, Lambda, MetadataExtraction, AppendDelimiterToRecord]",
    );
  });

  it("HTTP endpoint URLs: AWS's pattern is printed, http:// is let through, length 1..1000", () => {
    expect(refusal("HttpEndpoint", { ...HTTP, EndpointConfiguration: { Url: "ftp://x" } })).toBe(
      "ValidationException: 1 validation error detected: Value 'ftp://x' at 'httpEndpointDestinationConfiguration.endpointConfiguration.url' failed to satisfy constraint: Member must satisfy regular expression pattern: https://.*",
    );
    const long = `https://h/${"a".repeat(991)}`;
    expect(refusal("HttpEndpoint", { ...HTTP, EndpointConfiguration: { Url: long } })).toContain(
      "failed to satisfy constraint: Member must have length less than or equal to 1000",
    );
    expect(create("HttpEndpoint", { ...HTTP, EndpointConfiguration: { Url: long.slice(0, 1000) } }).ok).toBe(true);
  });

  it("Java patterns JavaScript's u mode refuses still match (Snowflake's PrivateLink id)", () => {
    const vpce = { PrivateLinkVpceId: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0" };
    expect(create("Snowflake", { ...SNOWFLAKE, SnowflakeVpcConfiguration: vpce }).ok).toBe(true);
    expect(
      refusal("Snowflake", { ...SNOWFLAKE, SnowflakeVpcConfiguration: { PrivateLinkVpceId: `${"x".repeat(47)}` } }),
    ).toContain(
      "at 'snowflakeDestinationConfiguration.snowflakeVpcConfiguration.privateLinkVpceId' failed to satisfy constraint: Member must satisfy regular expression pattern",
    );
  });

  it("at most 10 violations, in model order, and every destination given is checked before the one-destination rule", () => {
    const bad = { RoleARN: "r", BucketARN: "b", Prefix: "x".repeat(1025), ErrorOutputPrefix: "x".repeat(1025) };
    const e = failure(
      validateCreateDestination({
        ExtendedS3DestinationConfiguration: bad,
        S3DestinationConfiguration: bad,
        HttpEndpointDestinationConfiguration: { ...HTTP, S3Configuration: bad },
      }),
    );
    expect(e.code).toBe("ValidationException");
    // In CreateDeliveryStreamInput's member order: S3DestinationConfiguration comes first.
    expect(e.message.startsWith("10 validation errors detected: Value 'r' at 's3DestinationConfiguration.roleARN'")).toBe(true);
    expect(e.message.split("; ")).toHaveLength(10);
    expect(e.message).toContain("Value 'r' at 'httpEndpointDestinationConfiguration.s3Configuration.roleARN'");
  });
});

describe("CreateDeliveryStream: the service's rules (InvalidArgumentException)", () => {
  it("exactly one destination", () => {
    expect(failure(validateCreateDestination({ DeliveryStreamName: "s" })).message).toBe(ONE_DESTINATION);
    const two = validateCreateDestination({ S3DestinationConfiguration: S3, ExtendedS3DestinationConfiguration: S3 });
    expect(`${failure(two).code}: ${failure(two).message}`).toBe(`InvalidArgumentException: ${ONE_DESTINATION}`);
  });

  it("BufferingHints: both or neither, top-level and in a nested S3 location", () => {
    const pairing =
      "InvalidArgumentException: BufferingHints: if you specify a value for one of SizeInMBs and IntervalInSeconds, you must also provide a value for the other.";
    expect(refusal("ExtendedS3", { ...S3, BufferingHints: { SizeInMBs: 10 } })).toBe(pairing);
    expect(refusal("HttpEndpoint", { ...HTTP, S3Configuration: { ...S3, BufferingHints: { IntervalInSeconds: 60 } } })).toBe(
      pairing,
    );
    expect(stored("ExtendedS3", { ...S3, BufferingHints: {} }).config.BufferingHints).toEqual({
      SizeInMBs: 5,
      IntervalInSeconds: 300,
    });
  });

  it("compression: GZIP is carried out, ZIP and Snappy are not; Redshift refuses them as AWS does", () => {
    expect(create("ExtendedS3", { ...S3, CompressionFormat: "GZIP" }).ok).toBe(true);
    expect(refusal("ExtendedS3", { ...S3, CompressionFormat: "ZIP" })).toBe(unsupported("CompressionFormat ZIP"));
    expect(refusal("Splunk", { ...SPLUNK, S3Configuration: { ...S3, CompressionFormat: "HADOOP_SNAPPY" } })).toBe(
      unsupported("CompressionFormat HADOOP_SNAPPY"),
    );
    expect(refusal("Redshift", { ...REDSHIFT, S3Configuration: { ...S3, CompressionFormat: "Snappy" } })).toBe(
      "InvalidArgumentException: The compression formats SNAPPY or ZIP cannot be specified in RedshiftDestinationConfiguration.S3Configuration because the Amazon Redshift COPY operation that reads from the S3 bucket doesn't support these compression formats.",
    );
  });

  it("processors: AppendDelimiterToRecord (with or without a newline Delimiter) is carried out, the others refused", () => {
    const processors = (...list: unknown[]) => ({ ...S3, ProcessingConfiguration: { Enabled: true, Processors: list } });
    expect(create("ExtendedS3", processors({ Type: "AppendDelimiterToRecord" })).ok).toBe(true);
    const newline = { Type: "AppendDelimiterToRecord", Parameters: [{ ParameterName: "Delimiter", ParameterValue: "\\n" }] };
    expect(create("ExtendedS3", processors(newline)).ok).toBe(true);
    const comma = { Type: "AppendDelimiterToRecord", Parameters: [{ ParameterName: "Delimiter", ParameterValue: "," }] };
    expect(refusal("ExtendedS3", processors(comma))).toBe(
      unsupported("A Delimiter other than a newline for the AppendDelimiterToRecord processor"),
    );
    const lambda = {
      Type: "Lambda",
      Parameters: [{ ParameterName: "LambdaArn", ParameterValue: "arn:aws:lambda:us-east-1:1:function:f" }],
    };
    expect(refusal("ExtendedS3", processors(lambda))).toBe(unsupported("Lambda data transformation (processor type Lambda)"));
    expect(refusal("HttpEndpoint", { ...HTTP, ProcessingConfiguration: { Processors: [{ Type: "Decompression" }] } })).toBe(
      unsupported("Decompression of CloudWatch Logs records (processor type Decompression)"),
    );
    expect(create("ExtendedS3", { ...S3, ProcessingConfiguration: { Enabled: false, Processors: [lambda] } }).ok).toBe(true);
  });

  it("format conversion and dynamic partitioning are refused unless disabled", () => {
    expect(refusal("ExtendedS3", { ...S3, DataFormatConversionConfiguration: {} })).toBe(
      unsupported("DataFormatConversionConfiguration (record format conversion to Parquet or ORC)"),
    );
    expect(create("ExtendedS3", { ...S3, DataFormatConversionConfiguration: { Enabled: false } }).ok).toBe(true);
    expect(refusal("ExtendedS3", { ...S3, DynamicPartitioningConfiguration: { Enabled: true } })).toBe(
      unsupported("DynamicPartitioningConfiguration (dynamic partitioning)"),
    );
  });

  it("an Enabled S3 backup needs its S3BackupConfiguration", () => {
    const text = "InvalidArgumentException: S3BackupConfiguration must be specified when S3BackupMode is Enabled.";
    expect(refusal("ExtendedS3", { ...S3, S3BackupMode: "Enabled" })).toBe(text);
    expect(refusal("Redshift", { ...REDSHIFT, S3BackupMode: "Enabled" })).toBe(text);
  });

  it("Secrets Manager: refused where the emulator must authenticate, accepted for staging-only kinds", () => {
    const secrets = {
      SecretsManagerConfiguration: { Enabled: true, SecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:s" },
    };
    expect(refusal("HttpEndpoint", { ...HTTP, ...secrets })).toBe(
      unsupported("SecretsManagerConfiguration (credentials read from AWS Secrets Manager)"),
    );
    const { Username: _u, Password: _p, ...withoutCredentials } = REDSHIFT;
    expect(create("Redshift", { ...withoutCredentials, ...secrets }).ok).toBe(true);
    expect(refusal("Redshift", withoutCredentials)).toBe(
      "InvalidArgumentException: Username must be specified for the Redshift destination when SecretsManagerConfiguration is not enabled.",
    );
    const { HECToken: _t, ...noToken } = SPLUNK;
    expect(refusal("Splunk", noToken)).toBe(
      "InvalidArgumentException: HECToken must be specified for the Splunk destination when SecretsManagerConfiguration is not enabled.",
    );
  });

  it("OpenSearch: ClusterEndpoint or DomainARN, a domain this emulator cannot look up, no VPC", () => {
    const domain = "arn:aws:es:us-east-1:123456789012:domain/logs";
    expect(refusal("Amazonopensearchservice", { ...OPENSEARCH, DomainARN: domain })).toBe(
      "InvalidArgumentException: Specify either ClusterEndpoint or DomainARN, not both.",
    );
    const { ClusterEndpoint: _c, ...noEndpoint } = OPENSEARCH;
    expect(refusal("Elasticsearch", noEndpoint)).toBe("InvalidArgumentException: Specify either ClusterEndpoint or DomainARN.");
    expect(refusal("Elasticsearch", { ...noEndpoint, DomainARN: domain })).toBe(
      unsupported("DomainARN without ClusterEndpoint (an OpenSearch Service domain this emulator cannot look up)"),
    );
    const vpc = { SubnetIds: ["subnet-1"], RoleARN: ROLE, SecurityGroupIds: ["sg-1"] };
    expect(refusal("Elasticsearch", { ...OPENSEARCH, VpcConfiguration: vpc })).toBe(
      unsupported("VpcConfiguration (delivery into a VPC)"),
    );
    const { CollectionEndpoint: _e, ...noCollection } = SERVERLESS;
    expect(refusal("AmazonOpenSearchServerless", noCollection)).toBe(
      "InvalidArgumentException: CollectionEndpoint must be specified for the AmazonOpenSearchServerless destination.",
    );
  });

  it("endpoint URLs the emulator cannot POST to", () => {
    expect(refusal("HttpEndpoint", { ...HTTP, EndpointConfiguration: { Url: "https://" } })).toBe(
      "InvalidArgumentException: EndpointConfiguration.Url is not a valid URL: https://",
    );
    expect(refusal("Splunk", { ...SPLUNK, HECEndpoint: "splunk:8088" })).toBe(
      "InvalidArgumentException: HECEndpoint must be an https URL: splunk:8088",
    );
    expect(refusal("Splunk", { ...SPLUNK, HECEndpoint: "not a url" })).toBe(
      "InvalidArgumentException: HECEndpoint is not a valid URL: not a url",
    );
  });

  it("Iceberg backs up failed data only", () => {
    expect(refusal("Iceberg", { ...ICEBERG, S3BackupMode: "AllData" })).toBe(
      "InvalidArgumentException: Currently, S3 backup only supports FailedDataOnly for Iceberg destinations.",
    );
  });
});
