/**
 * What CreateDeliveryStream refuses: options AWS has that this emulator does not carry out
 * (InvalidArgumentException naming the option, never a silent accept), and destination input AWS
 * itself refuses. Redshift, Snowflake and Iceberg are accepted and deliver only their S3 staging
 * objects. Each refusal's text is in the comment above its case so the texts can be reviewed.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html
 */
import { describe, expect, it } from "vitest";
import { awsError, uniqueName } from "./clients";
import { createActive, firehose, firehoseClient, flush, objectsOf, roleArn, uniqueAccount } from "./firehose-clients";
import { bucketForSuite, s3Client } from "./s3-clients";

const account = uniqueAccount();
const fh = firehoseClient({ accessKeyId: account });
const s3c = s3Client({ accessKeyId: account });
const RoleARN = roleArn(account);
const BucketARN = "arn:aws:s3:::firehose-unsupported-target";

type Input = Omit<firehose.CreateDeliveryStreamCommandInput, "DeliveryStreamName">;
const create = (input: Input) =>
  fh.send(new firehose.CreateDeliveryStreamCommand({ DeliveryStreamName: uniqueName("refused"), ...input }));
const refusal = (input: Input) => awsError(() => create(input));
const extendedS3 = (more: Partial<firehose.ExtendedS3DestinationConfiguration>): Input => ({
  ExtendedS3DestinationConfiguration: { RoleARN, BucketARN, ...more },
});

/** The emulator's refusal of an AWS feature it does not carry out (domain/firehose/errors.ts notSupported). */
const notSupported = (what: string) =>
  `${what} is not supported by this emulator (Amazon Data Firehose accepts it; see the README).`;

describe("Firehose options this emulator does not carry out", () => {
  const cases: [string, Input, string][] = [
    [
      // "Lambda data transformation (processor type Lambda) is not supported by this emulator (…)"
      "a Lambda processor",
      extendedS3({
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: "Lambda",
              Parameters: [
                { ParameterName: "LambdaArn", ParameterValue: "arn:aws:lambda:us-east-1:123456789012:function:transform" },
              ],
            },
          ],
        },
      }),
      notSupported("Lambda data transformation (processor type Lambda)"),
    ],
    [
      // "DataFormatConversionConfiguration (record format conversion to Parquet or ORC) is not supported by this emulator (…)"
      "record format conversion to Parquet",
      extendedS3({
        DataFormatConversionConfiguration: {
          Enabled: true,
          SchemaConfiguration: { RoleARN, DatabaseName: "db", TableName: "t", Region: "us-east-1" },
          InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
          OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
        },
      }),
      notSupported("DataFormatConversionConfiguration (record format conversion to Parquet or ORC)"),
    ],
    [
      // The same text: Enabled is absent, and the API reference says it "Defaults to true".
      "record format conversion to ORC (Enabled left to its default)",
      extendedS3({
        DataFormatConversionConfiguration: {
          SchemaConfiguration: { RoleARN, DatabaseName: "db", TableName: "t" },
          InputFormatConfiguration: { Deserializer: { HiveJsonSerDe: {} } },
          OutputFormatConfiguration: { Serializer: { OrcSerDe: {} } },
        },
      }),
      notSupported("DataFormatConversionConfiguration (record format conversion to Parquet or ORC)"),
    ],
    [
      // "DynamicPartitioningConfiguration (dynamic partitioning) is not supported by this emulator (…)"
      "dynamic partitioning",
      extendedS3({
        Prefix: "data/!{partitionKeyFromQuery:customer}/",
        ErrorOutputPrefix: "errors/!{firehose:error-output-type}/",
        DynamicPartitioningConfiguration: { Enabled: true },
      }),
      notSupported("DynamicPartitioningConfiguration (dynamic partitioning)"),
    ],
    [
      // "CompressionFormat ZIP is not supported by this emulator (…)"
      "ZIP compression",
      extendedS3({ CompressionFormat: "ZIP" }),
      notSupported("CompressionFormat ZIP"),
    ],
    [
      // "CompressionFormat Snappy is not supported by this emulator (…)"
      "Snappy compression",
      extendedS3({ CompressionFormat: "Snappy" }),
      notSupported("CompressionFormat Snappy"),
    ],
    [
      // "CompressionFormat HADOOP_SNAPPY is not supported by this emulator (…)"
      "Hadoop-compatible Snappy compression",
      extendedS3({ CompressionFormat: "HADOOP_SNAPPY" }),
      notSupported("CompressionFormat HADOOP_SNAPPY"),
    ],
    [
      // "An MSKAsSource delivery stream (Amazon MSK source) is not supported by this emulator (…)"
      "an Amazon MSK source",
      {
        DeliveryStreamType: "MSKAsSource",
        MSKSourceConfiguration: {
          MSKClusterARN: "arn:aws:kafka:us-east-1:123456789012:cluster/logs/0b2c3d4e-1111-2222-3333-444455556666-1",
          TopicName: "logs",
          AuthenticationConfiguration: { RoleARN, Connectivity: "PRIVATE" },
        },
        ...extendedS3({}),
      },
      notSupported("An MSKAsSource delivery stream (Amazon MSK source)"),
    ],
  ];
  for (const [what, input, message] of cases)
    it(`refuses ${what} with InvalidArgumentException naming it`, async () => {
      expect(await refusal(input)).toEqual({ name: "InvalidArgumentException", message, status: 400, code: undefined });
    });

  it("accepts the same options switched off (Enabled: false), which leave nothing undone", async () => {
    const name = uniqueName("switched-off");
    const d = await createActive(fh, {
      DeliveryStreamName: name,
      ...extendedS3({
        DataFormatConversionConfiguration: { Enabled: false },
        DynamicPartitioningConfiguration: { Enabled: false },
        ProcessingConfiguration: {
          Enabled: false,
          Processors: [
            {
              Type: "Lambda",
              Parameters: [{ ParameterName: "LambdaArn", ParameterValue: "arn:aws:lambda:us-east-1:123456789012:function:f" }],
            },
          ],
        },
      }),
    });
    expect(d.DeliveryStreamStatus).toBe("ACTIVE");
  });

  it("refuses a stream it cannot carry out without creating it", async () => {
    const name = uniqueName("not-created");
    await awsError(() =>
      fh.send(
        new firehose.CreateDeliveryStreamCommand({ DeliveryStreamName: name, ...extendedS3({ CompressionFormat: "ZIP" }) }),
      ),
    );
    const listed = await fh.send(new firehose.ListDeliveryStreamsCommand({ Limit: 10000 }));
    expect(listed.DeliveryStreamNames).not.toContain(name);
    expect(await awsError(() => fh.send(new firehose.DescribeDeliveryStreamCommand({ DeliveryStreamName: name })))).toMatchObject(
      {
        name: "ResourceNotFoundException",
      },
    );
  });
});

describe("Firehose destinations delivered to their S3 staging bucket", () => {
  const Bucket = bucketForSuite(s3c, "firehose-staging");
  const staging = (prefix: string) => ({
    RoleARN,
    BucketARN: `arn:aws:s3:::${Bucket}`,
    Prefix: `${prefix}/`,
    BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
  });
  // A Snowflake key pair's private key is base64 of at least 256 characters (the model's constraint).
  const privateKey = Buffer.alloc(192, 7).toString("base64");

  const destinations: [string, (name: string) => Input, string][] = [
    [
      "Redshift",
      (name) => ({
        RedshiftDestinationConfiguration: {
          RoleARN,
          ClusterJDBCURL: "jdbc:redshift://analytics.abc123xyz789.us-east-1.redshift.amazonaws.com:5439/dev",
          CopyCommand: { DataTableName: "events", CopyOptions: "json 'auto'" },
          Username: "firehose",
          Password: "secret-password",
          S3Configuration: staging(name),
        },
      }),
      "RedshiftDestinationDescription",
    ],
    [
      "Snowflake",
      (name) => ({
        SnowflakeDestinationConfiguration: {
          AccountUrl: "https://xy12345.us-east-1.snowflakecomputing.com",
          User: "firehose",
          PrivateKey: privateKey,
          Database: "analytics",
          Schema: "public",
          Table: "events",
          RoleARN,
          S3Configuration: staging(name),
        },
      }),
      "SnowflakeDestinationDescription",
    ],
    [
      "Iceberg",
      (name) => ({
        IcebergDestinationConfiguration: {
          RoleARN,
          CatalogConfiguration: { CatalogARN: `arn:aws:glue:us-east-1:${account}:catalog` },
          DestinationTableConfigurationList: [{ DestinationTableName: "events", DestinationDatabaseName: "analytics" }],
          S3Configuration: staging(name),
        },
      }),
      "IcebergDestinationDescription",
    ],
  ];
  for (const [kind, input, description] of destinations)
    it(`accepts ${kind} and writes the records to the S3Configuration bucket`, async () => {
      const name = uniqueName(kind.toLowerCase());
      const d = await createActive(fh, { DeliveryStreamName: name, ...input(name) });
      expect(d.Destinations![0]![description as keyof firehose.DestinationDescription]).toBeDefined();
      await fh.send(
        new firehose.PutRecordBatchCommand({
          DeliveryStreamName: name,
          Records: ['{"id":1}', '{"id":2}'].map((r) => ({ Data: Buffer.from(r) })),
        }),
      );
      const flushed = await flush(name, account);
      expect(flushed.counters).toMatchObject({ deliveredRecords: 2, deliveredObjects: 1 });
      const objects = await objectsOf(Bucket, `${name}/`, s3c);
      expect(objects.map((o) => o.body.toString())).toEqual(['{"id":1}{"id":2}']);
      expect(objects[0]!.key).toMatch(new RegExp(`^${name}/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1-`));
    });
});

describe("Firehose destination input AWS refuses", () => {
  it("refuses BufferingHints with only one of SizeInMBs and IntervalInSeconds", async () => {
    // "BufferingHints: if you specify a value for one of SizeInMBs and IntervalInSeconds, you must also
    // provide a value for the other." (API_BufferingHints.html's sentence; AWS's exact text is not published)
    const message =
      "BufferingHints: if you specify a value for one of SizeInMBs and IntervalInSeconds, you must also provide a value for the other.";
    for (const BufferingHints of [{ SizeInMBs: 1 }, { IntervalInSeconds: 60 }])
      expect(await refusal(extendedS3({ BufferingHints }))).toMatchObject({ name: "InvalidArgumentException", message });
    // The same rule in a nested S3 location (an HTTP endpoint's S3Configuration).
    expect(
      await refusal({
        HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: { Url: "https://example.com/ingest" },
          S3Configuration: { RoleARN, BucketARN, BufferingHints: { IntervalInSeconds: 60 } },
        },
      }),
    ).toMatchObject({ name: "InvalidArgumentException", message });
  });

  it("refuses ZIP or Snappy in Redshift's S3Configuration with the API reference's sentence", async () => {
    // "The compression formats SNAPPY or ZIP cannot be specified in RedshiftDestinationConfiguration.S3Configuration
    // because the Amazon Redshift COPY operation that reads from the S3 bucket doesn't support these compression formats."
    expect(
      await refusal({
        RedshiftDestinationConfiguration: {
          RoleARN,
          ClusterJDBCURL: "jdbc:redshift://analytics.abc123xyz789.us-east-1.redshift.amazonaws.com:5439/dev",
          CopyCommand: { DataTableName: "events" },
          Username: "firehose",
          Password: "secret-password",
          S3Configuration: { RoleARN, BucketARN, CompressionFormat: "ZIP" },
        },
      }),
    ).toMatchObject({
      name: "InvalidArgumentException",
      message:
        "The compression formats SNAPPY or ZIP cannot be specified in RedshiftDestinationConfiguration.S3Configuration because the Amazon Redshift COPY operation that reads from the S3 bucket doesn't support these compression formats.",
    });
  });

  it("refuses two destinations at once, and none", async () => {
    // "Exactly one destination configuration is supported for a Firehose" (moto's text; AWS's is not published)
    const message = "Exactly one destination configuration is supported for a Firehose";
    expect(
      await refusal({
        ...extendedS3({}),
        HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: { Url: "https://example.com/ingest" },
          S3Configuration: { RoleARN, BucketARN },
        },
      }),
    ).toMatchObject({ name: "InvalidArgumentException", message });
    expect(await refusal({})).toMatchObject({ name: "InvalidArgumentException", message });
  });

  it("refuses a BucketARN that is not an S3 ARN with Coral's ValidationException", async () => {
    // "1 validation error detected: Value 'arn:aws:sqs:us-east-1:123456789012:queue' at
    // 'extendedS3DestinationConfiguration.bucketARN' failed to satisfy constraint: Member must satisfy
    // regular expression pattern: arn:.*:s3:::[\w\.\-]{1,255}"
    const bucket = "arn:aws:sqs:us-east-1:123456789012:queue";
    expect(await refusal({ ExtendedS3DestinationConfiguration: { RoleARN, BucketARN: bucket } })).toMatchObject({
      name: "ValidationException",
      message: `1 validation error detected: Value '${bucket}' at 'extendedS3DestinationConfiguration.bucketARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:.*:s3:::[\\w\\.\\-]{1,255}`,
    });
    // A bare bucket name is not an ARN either (a common mistake).
    expect(await refusal({ ExtendedS3DestinationConfiguration: { RoleARN, BucketARN: "my-bucket" } })).toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("'extendedS3DestinationConfiguration.bucketARN' failed to satisfy constraint"),
    });
  });

  it("refuses a Prefix with expressions and no ErrorOutputPrefix", async () => {
    // "Ths supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot be null
    // or empty when Prefix contains expressions" (AWS's text, typo included, as terraform-provider-aws
    // PR #13416 and serverless issue #6015 quote it)
    const message =
      "Ths supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot be null or empty when Prefix contains expressions";
    expect(await refusal(extendedS3({ Prefix: "logs/!{timestamp:yyyy}/" }))).toMatchObject({
      name: "InvalidArgumentException",
      message,
    });
    expect(await refusal(extendedS3({ Prefix: "logs/!{timestamp:yyyy}/", ErrorOutputPrefix: "" }))).toMatchObject({
      name: "InvalidArgumentException",
      message,
    });
  });
});
