/**
 * The Firehose model's constraints on destination configurations and updates (patterns, lengths,
 * ranges, enums, required members), as the API reference states them
 * (https://docs.aws.amazon.com/firehose/latest/APIReference/API_ExtendedS3DestinationConfiguration.html
 * and its neighbours). The generated shapes (services/firehose/shapes) carry no constraints, so they
 * are copied here from the Firehose service model (botocore 1.43.11 `firehose/2015-08-04`, whose
 * members match @aws-sdk/client-firehose 3.1169.0 shape for shape). Coral checks these before the
 * service sees a request: ./constraint-check.ts walks them into one ValidationException.
 */

export type Constraint =
  | { kind: "string"; pattern?: string; min?: number; max?: number }
  | { kind: "number"; min?: number; max?: number }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "list"; member: string; min?: number; max?: number }
  /** Members in model order with their shapes (`struct("Name Other:Shape")` below). */
  | { kind: "structure"; members: [name: string, shape: string][]; required: readonly string[] }
  /** Booleans, timestamps, maps: nothing Coral checks beyond their type. */
  | { kind: "free" };

const str = (pattern?: string, min?: number, max?: number): Constraint => ({ kind: "string", pattern, min, max });
const num = (min?: number, max?: number): Constraint => ({ kind: "number", min, max });
const oneOf = (...values: string[]): Constraint => ({ kind: "enum", values });
const list = (member: string, min?: number, max?: number): Constraint => ({ kind: "list", member, min, max });
const struct = (members: string, required = ""): Constraint => ({
  kind: "structure",
  members: members.split(" ").map((m) => {
    const [name, shape] = m.split(":") as [string, string | undefined];
    return [name, shape ?? name];
  }),
  required: required ? required.split(" ") : [],
});
const free: Constraint = { kind: "free" };

export const SHAPES: Record<string, Constraint> = {
  ExtendedS3DestinationConfiguration: struct(
    "RoleARN BucketARN Prefix ErrorOutputPrefix BufferingHints CompressionFormat EncryptionConfiguration CloudWatchLoggingOptions ProcessingConfiguration S3BackupMode S3BackupConfiguration:S3DestinationConfiguration DataFormatConversionConfiguration DynamicPartitioningConfiguration FileExtension CustomTimeZone",
    "RoleARN BucketARN",
  ),
  RoleARN: str("arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+", 1, 512),
  BucketARN: str("arn:.*:s3:::[\\w\\.\\-]{1,255}", 1, 2048),
  Prefix: str(".*", 0, 1024),
  ErrorOutputPrefix: str(".*", 0, 1024),
  BufferingHints: struct("SizeInMBs IntervalInSeconds"),
  SizeInMBs: num(1, 128),
  IntervalInSeconds: num(0, 900),
  CompressionFormat: oneOf("UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY"),
  EncryptionConfiguration: struct("NoEncryptionConfig KMSEncryptionConfig"),
  NoEncryptionConfig: oneOf("NoEncryption"),
  KMSEncryptionConfig: struct("AWSKMSKeyARN", "AWSKMSKeyARN"),
  AWSKMSKeyARN: str("arn:.*:kms:[a-zA-Z0-9\\-]+:\\d{12}:(key|alias)/[a-zA-Z_0-9+=,.@\\-_/]+", 1, 512),
  CloudWatchLoggingOptions: struct("Enabled:BooleanObject LogGroupName LogStreamName"),
  BooleanObject: free,
  LogGroupName: str("[\\.\\-_/#A-Za-z0-9]*", 0, 512),
  LogStreamName: str("[^:*]*", 0, 512),
  ProcessingConfiguration: struct("Enabled:BooleanObject Processors:ProcessorList"),
  ProcessorList: list("Processor"),
  Processor: struct("Type:ProcessorType Parameters:ProcessorParameterList", "Type"),
  ProcessorType: oneOf(
    "RecordDeAggregation",
    "Decompression",
    "CloudWatchLogProcessing",
    "Lambda",
    "MetadataExtraction",
    "AppendDelimiterToRecord",
  ),
  ProcessorParameterList: list("ProcessorParameter"),
  ProcessorParameter: struct(
    "ParameterName:ProcessorParameterName ParameterValue:ProcessorParameterValue",
    "ParameterName ParameterValue",
  ),
  ProcessorParameterName: oneOf(
    "LambdaArn",
    "NumberOfRetries",
    "MetadataExtractionQuery",
    "JsonParsingEngine",
    "RoleArn",
    "BufferSizeInMBs",
    "BufferIntervalInSeconds",
    "SubRecordType",
    "Delimiter",
    "CompressionFormat",
    "DataMessageExtraction",
  ),
  ProcessorParameterValue: str("^(?!\\s*$).+", 1, 5120),
  S3BackupMode: oneOf("Disabled", "Enabled"),
  S3DestinationConfiguration: struct(
    "RoleARN BucketARN Prefix ErrorOutputPrefix BufferingHints CompressionFormat EncryptionConfiguration CloudWatchLoggingOptions",
    "RoleARN BucketARN",
  ),
  DataFormatConversionConfiguration: struct(
    "SchemaConfiguration InputFormatConfiguration OutputFormatConfiguration Enabled:BooleanObject",
  ),
  SchemaConfiguration: struct(
    "RoleARN:NonEmptyStringWithoutWhitespace CatalogId:NonEmptyStringWithoutWhitespace DatabaseName:NonEmptyStringWithoutWhitespace TableName:NonEmptyStringWithoutWhitespace Region:NonEmptyStringWithoutWhitespace VersionId:NonEmptyStringWithoutWhitespace",
  ),
  NonEmptyStringWithoutWhitespace: str("^\\S+$", 1, 1024),
  InputFormatConfiguration: struct("Deserializer"),
  Deserializer: struct("OpenXJsonSerDe HiveJsonSerDe"),
  OpenXJsonSerDe: struct(
    "ConvertDotsInJsonKeysToUnderscores:BooleanObject CaseInsensitive:BooleanObject ColumnToJsonKeyMappings",
  ),
  ColumnToJsonKeyMappings: free,
  HiveJsonSerDe: struct("TimestampFormats:ListOfNonEmptyStrings"),
  ListOfNonEmptyStrings: list("NonEmptyString"),
  NonEmptyString: str("^(?!\\s*$).+", 1, 1024),
  OutputFormatConfiguration: struct("Serializer"),
  Serializer: struct("ParquetSerDe OrcSerDe"),
  ParquetSerDe: struct(
    "BlockSizeBytes PageSizeBytes:ParquetPageSizeBytes Compression:ParquetCompression EnableDictionaryCompression:BooleanObject MaxPaddingBytes:NonNegativeIntegerObject WriterVersion:ParquetWriterVersion",
  ),
  BlockSizeBytes: num(67108864),
  ParquetPageSizeBytes: num(65536),
  ParquetCompression: oneOf("UNCOMPRESSED", "GZIP", "SNAPPY"),
  NonNegativeIntegerObject: num(0),
  ParquetWriterVersion: oneOf("V1", "V2"),
  OrcSerDe: struct(
    "StripeSizeBytes:OrcStripeSizeBytes BlockSizeBytes RowIndexStride:OrcRowIndexStride EnablePadding:BooleanObject PaddingTolerance:Proportion Compression:OrcCompression BloomFilterColumns:ListOfNonEmptyStringsWithoutWhitespace BloomFilterFalsePositiveProbability:Proportion DictionaryKeyThreshold:Proportion FormatVersion:OrcFormatVersion",
  ),
  OrcStripeSizeBytes: num(8388608),
  OrcRowIndexStride: num(1000),
  Proportion: num(0, 1),
  OrcCompression: oneOf("NONE", "ZLIB", "SNAPPY"),
  ListOfNonEmptyStringsWithoutWhitespace: list("NonEmptyStringWithoutWhitespace"),
  OrcFormatVersion: oneOf("V0_11", "V0_12"),
  DynamicPartitioningConfiguration: struct("RetryOptions Enabled:BooleanObject"),
  RetryOptions: struct("DurationInSeconds:RetryDurationInSeconds"),
  RetryDurationInSeconds: num(0, 7200),
  FileExtension: str("^$|\\.[0-9a-z!\\-_.*'()]+", 0, 128),
  CustomTimeZone: str("^$|[a-zA-Z/_]+", 0, 50),
  HttpEndpointDestinationConfiguration: struct(
    "EndpointConfiguration:HttpEndpointConfiguration BufferingHints:HttpEndpointBufferingHints CloudWatchLoggingOptions RequestConfiguration:HttpEndpointRequestConfiguration ProcessingConfiguration RoleARN RetryOptions:HttpEndpointRetryOptions S3BackupMode:HttpEndpointS3BackupMode S3Configuration:S3DestinationConfiguration SecretsManagerConfiguration",
    "EndpointConfiguration S3Configuration",
  ),
  HttpEndpointConfiguration: struct("Url:HttpEndpointUrl Name:HttpEndpointName AccessKey:HttpEndpointAccessKey", "Url"),
  HttpEndpointUrl: str("https://.*", 1, 1000),
  HttpEndpointName: str("^(?!\\s*$).+", 1, 256),
  HttpEndpointAccessKey: str(".*", 0, 4096),
  HttpEndpointBufferingHints: struct(
    "SizeInMBs:HttpEndpointBufferingSizeInMBs IntervalInSeconds:HttpEndpointBufferingIntervalInSeconds",
  ),
  HttpEndpointBufferingSizeInMBs: num(1, 64),
  HttpEndpointBufferingIntervalInSeconds: num(0, 900),
  HttpEndpointRequestConfiguration: struct("ContentEncoding CommonAttributes:HttpEndpointCommonAttributesList"),
  ContentEncoding: oneOf("NONE", "GZIP"),
  HttpEndpointCommonAttributesList: list("HttpEndpointCommonAttribute", 0, 50),
  HttpEndpointCommonAttribute: struct(
    "AttributeName:HttpEndpointAttributeName AttributeValue:HttpEndpointAttributeValue",
    "AttributeName AttributeValue",
  ),
  HttpEndpointAttributeName: str("^(?!\\s*$).+", 1, 256),
  HttpEndpointAttributeValue: str(".*", 0, 1024),
  HttpEndpointRetryOptions: struct("DurationInSeconds:HttpEndpointRetryDurationInSeconds"),
  HttpEndpointRetryDurationInSeconds: num(0, 7200),
  HttpEndpointS3BackupMode: oneOf("FailedDataOnly", "AllData"),
  SecretsManagerConfiguration: struct("SecretARN RoleARN Enabled:BooleanObject", "Enabled"),
  SecretARN: str("arn:.*:secretsmanager:[a-zA-Z0-9\\-]+:\\d{12}:secret:[a-zA-Z0-9\\-/_+=.@!]+", 1, 2048),
  ElasticsearchDestinationConfiguration: struct(
    "RoleARN DomainARN:ElasticsearchDomainARN ClusterEndpoint:ElasticsearchClusterEndpoint IndexName:ElasticsearchIndexName TypeName:ElasticsearchTypeName IndexRotationPeriod:ElasticsearchIndexRotationPeriod BufferingHints:ElasticsearchBufferingHints RetryOptions:ElasticsearchRetryOptions S3BackupMode:ElasticsearchS3BackupMode S3Configuration:S3DestinationConfiguration ProcessingConfiguration CloudWatchLoggingOptions VpcConfiguration DocumentIdOptions",
    "RoleARN IndexName S3Configuration",
  ),
  ElasticsearchDomainARN: str("arn:.*:es:[a-zA-Z0-9\\-]+:\\d{12}:domain/[a-z][-0-9a-z]{2,27}", 1, 512),
  ElasticsearchClusterEndpoint: str("https:.*", 1, 512),
  ElasticsearchIndexName: str(".*", 1, 80),
  ElasticsearchTypeName: str(".*", 0, 100),
  ElasticsearchIndexRotationPeriod: oneOf("NoRotation", "OneHour", "OneDay", "OneWeek", "OneMonth"),
  ElasticsearchBufferingHints: struct(
    "IntervalInSeconds:ElasticsearchBufferingIntervalInSeconds SizeInMBs:ElasticsearchBufferingSizeInMBs",
  ),
  ElasticsearchBufferingIntervalInSeconds: num(0, 900),
  ElasticsearchBufferingSizeInMBs: num(1, 100),
  ElasticsearchRetryOptions: struct("DurationInSeconds:ElasticsearchRetryDurationInSeconds"),
  ElasticsearchRetryDurationInSeconds: num(0, 7200),
  ElasticsearchS3BackupMode: oneOf("FailedDocumentsOnly", "AllDocuments"),
  VpcConfiguration: struct(
    "SubnetIds:SubnetIdList RoleARN SecurityGroupIds:SecurityGroupIdList",
    "SubnetIds RoleARN SecurityGroupIds",
  ),
  SubnetIdList: list("NonEmptyStringWithoutWhitespace", 1, 16),
  SecurityGroupIdList: list("NonEmptyStringWithoutWhitespace", 1, 5),
  DocumentIdOptions: struct("DefaultDocumentIdFormat", "DefaultDocumentIdFormat"),
  DefaultDocumentIdFormat: oneOf("FIREHOSE_DEFAULT", "NO_DOCUMENT_ID"),
  AmazonopensearchserviceDestinationConfiguration: struct(
    "RoleARN DomainARN:AmazonopensearchserviceDomainARN ClusterEndpoint:AmazonopensearchserviceClusterEndpoint IndexName:AmazonopensearchserviceIndexName TypeName:AmazonopensearchserviceTypeName IndexRotationPeriod:AmazonopensearchserviceIndexRotationPeriod BufferingHints:AmazonopensearchserviceBufferingHints RetryOptions:AmazonopensearchserviceRetryOptions S3BackupMode:AmazonopensearchserviceS3BackupMode S3Configuration:S3DestinationConfiguration ProcessingConfiguration CloudWatchLoggingOptions VpcConfiguration DocumentIdOptions",
    "RoleARN IndexName S3Configuration",
  ),
  AmazonopensearchserviceDomainARN: str("arn:.*:es:[a-zA-Z0-9\\-]+:\\d{12}:domain/[a-z][-0-9a-z]{2,27}", 1, 512),
  AmazonopensearchserviceClusterEndpoint: str("https:.*", 1, 512),
  AmazonopensearchserviceIndexName: str(".*", 1, 80),
  AmazonopensearchserviceTypeName: str(".*", 0, 100),
  AmazonopensearchserviceIndexRotationPeriod: oneOf("NoRotation", "OneHour", "OneDay", "OneWeek", "OneMonth"),
  AmazonopensearchserviceBufferingHints: struct(
    "IntervalInSeconds:AmazonopensearchserviceBufferingIntervalInSeconds SizeInMBs:AmazonopensearchserviceBufferingSizeInMBs",
  ),
  AmazonopensearchserviceBufferingIntervalInSeconds: num(0, 900),
  AmazonopensearchserviceBufferingSizeInMBs: num(1, 100),
  AmazonopensearchserviceRetryOptions: struct("DurationInSeconds:AmazonopensearchserviceRetryDurationInSeconds"),
  AmazonopensearchserviceRetryDurationInSeconds: num(0, 7200),
  AmazonopensearchserviceS3BackupMode: oneOf("FailedDocumentsOnly", "AllDocuments"),
  AmazonOpenSearchServerlessDestinationConfiguration: struct(
    "RoleARN CollectionEndpoint:AmazonOpenSearchServerlessCollectionEndpoint IndexName:AmazonOpenSearchServerlessIndexName BufferingHints:AmazonOpenSearchServerlessBufferingHints RetryOptions:AmazonOpenSearchServerlessRetryOptions S3BackupMode:AmazonOpenSearchServerlessS3BackupMode S3Configuration:S3DestinationConfiguration ProcessingConfiguration CloudWatchLoggingOptions VpcConfiguration",
    "RoleARN IndexName S3Configuration",
  ),
  AmazonOpenSearchServerlessCollectionEndpoint: str("https:.*", 1, 512),
  AmazonOpenSearchServerlessIndexName: str(".*", 1, 80),
  AmazonOpenSearchServerlessBufferingHints: struct(
    "IntervalInSeconds:AmazonOpenSearchServerlessBufferingIntervalInSeconds SizeInMBs:AmazonOpenSearchServerlessBufferingSizeInMBs",
  ),
  AmazonOpenSearchServerlessBufferingIntervalInSeconds: num(0, 900),
  AmazonOpenSearchServerlessBufferingSizeInMBs: num(1, 100),
  AmazonOpenSearchServerlessRetryOptions: struct("DurationInSeconds:AmazonOpenSearchServerlessRetryDurationInSeconds"),
  AmazonOpenSearchServerlessRetryDurationInSeconds: num(0, 7200),
  AmazonOpenSearchServerlessS3BackupMode: oneOf("FailedDocumentsOnly", "AllDocuments"),
  SplunkDestinationConfiguration: struct(
    "HECEndpoint HECEndpointType HECToken HECAcknowledgmentTimeoutInSeconds RetryOptions:SplunkRetryOptions S3BackupMode:SplunkS3BackupMode S3Configuration:S3DestinationConfiguration ProcessingConfiguration CloudWatchLoggingOptions BufferingHints:SplunkBufferingHints SecretsManagerConfiguration",
    "HECEndpoint HECEndpointType S3Configuration",
  ),
  HECEndpoint: str(".*", 0, 2048),
  HECEndpointType: oneOf("Raw", "Event"),
  HECToken: str(".*", 0, 2048),
  HECAcknowledgmentTimeoutInSeconds: num(180, 600),
  SplunkRetryOptions: struct("DurationInSeconds:SplunkRetryDurationInSeconds"),
  SplunkRetryDurationInSeconds: num(0, 7200),
  SplunkS3BackupMode: oneOf("FailedEventsOnly", "AllEvents"),
  SplunkBufferingHints: struct("IntervalInSeconds:SplunkBufferingIntervalInSeconds SizeInMBs:SplunkBufferingSizeInMBs"),
  SplunkBufferingIntervalInSeconds: num(0, 60),
  SplunkBufferingSizeInMBs: num(1, 5),
  RedshiftDestinationConfiguration: struct(
    "RoleARN ClusterJDBCURL CopyCommand Username Password RetryOptions:RedshiftRetryOptions S3Configuration:S3DestinationConfiguration ProcessingConfiguration S3BackupMode:RedshiftS3BackupMode S3BackupConfiguration:S3DestinationConfiguration CloudWatchLoggingOptions SecretsManagerConfiguration",
    "RoleARN ClusterJDBCURL CopyCommand S3Configuration",
  ),
  ClusterJDBCURL: str(
    "jdbc:(redshift|postgresql)://((?!-)[A-Za-z0-9-]{1,63}(?<!-)\\.)+(redshift(-serverless)?)\\.([a-zA-Z0-9\\.\\-]+):\\d{1,5}/[a-zA-Z0-9_$-]+",
    1,
    512,
  ),
  CopyCommand: struct("DataTableName DataTableColumns CopyOptions", "DataTableName"),
  DataTableName: str(".*", 1, 512),
  DataTableColumns: str(".*", 0, 10240),
  CopyOptions: str(".*", 0, 10240),
  Username: str(".*", 1, 512),
  Password: str(".*", 6, 512),
  RedshiftRetryOptions: struct("DurationInSeconds:RedshiftRetryDurationInSeconds"),
  RedshiftRetryDurationInSeconds: num(0, 7200),
  RedshiftS3BackupMode: oneOf("Disabled", "Enabled"),
  SnowflakeDestinationConfiguration: struct(
    "AccountUrl:SnowflakeAccountUrl PrivateKey:SnowflakePrivateKey KeyPassphrase:SnowflakeKeyPassphrase User:SnowflakeUser Database:SnowflakeDatabase Schema:SnowflakeSchema Table:SnowflakeTable SnowflakeRoleConfiguration DataLoadingOption:SnowflakeDataLoadingOption MetaDataColumnName:SnowflakeMetaDataColumnName ContentColumnName:SnowflakeContentColumnName SnowflakeVpcConfiguration CloudWatchLoggingOptions ProcessingConfiguration RoleARN RetryOptions:SnowflakeRetryOptions S3BackupMode:SnowflakeS3BackupMode S3Configuration:S3DestinationConfiguration SecretsManagerConfiguration BufferingHints:SnowflakeBufferingHints",
    "AccountUrl Database Schema Table RoleARN S3Configuration",
  ),
  SnowflakeAccountUrl: str(".+?\\.snowflakecomputing\\.com", 24, 2048),
  SnowflakePrivateKey: str("^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+\\/]{3}=)?$", 256, 4096),
  SnowflakeKeyPassphrase: str(undefined, 7, 255),
  SnowflakeUser: str(undefined, 1, 255),
  SnowflakeDatabase: str(undefined, 1, 255),
  SnowflakeSchema: str(undefined, 1, 255),
  SnowflakeTable: str(undefined, 1, 255),
  SnowflakeRoleConfiguration: struct("Enabled:BooleanObject SnowflakeRole"),
  SnowflakeRole: str(undefined, 1, 255),
  SnowflakeDataLoadingOption: oneOf("JSON_MAPPING", "VARIANT_CONTENT_MAPPING", "VARIANT_CONTENT_AND_METADATA_MAPPING"),
  SnowflakeMetaDataColumnName: str(undefined, 1, 255),
  SnowflakeContentColumnName: str(undefined, 1, 255),
  SnowflakeVpcConfiguration: struct("PrivateLinkVpceId:SnowflakePrivateLinkVpceId", "PrivateLinkVpceId"),
  SnowflakePrivateLinkVpceId: str("([a-zA-Z0-9\\-\\_]+\\.){2,3}vpce\\.[a-zA-Z0-9\\-]*\\.vpce-svc\\-[a-zA-Z0-9\\-]{17}$", 47, 255),
  SnowflakeRetryOptions: struct("DurationInSeconds:SnowflakeRetryDurationInSeconds"),
  SnowflakeRetryDurationInSeconds: num(0, 7200),
  SnowflakeS3BackupMode: oneOf("FailedDataOnly", "AllData"),
  SnowflakeBufferingHints: struct("SizeInMBs:SnowflakeBufferingSizeInMBs IntervalInSeconds:SnowflakeBufferingIntervalInSeconds"),
  SnowflakeBufferingSizeInMBs: num(1, 128),
  SnowflakeBufferingIntervalInSeconds: num(0, 900),
  IcebergDestinationConfiguration: struct(
    "DestinationTableConfigurationList SchemaEvolutionConfiguration TableCreationConfiguration BufferingHints CloudWatchLoggingOptions ProcessingConfiguration S3BackupMode:IcebergS3BackupMode RetryOptions RoleARN AppendOnly:BooleanObject CatalogConfiguration S3Configuration:S3DestinationConfiguration",
    "RoleARN CatalogConfiguration S3Configuration",
  ),
  DestinationTableConfigurationList: list("DestinationTableConfiguration"),
  DestinationTableConfiguration: struct(
    "DestinationTableName:StringWithLettersDigitsUnderscoresDots DestinationDatabaseName:StringWithLettersDigitsUnderscoresDots UniqueKeys:ListOfNonEmptyStringsWithoutWhitespace PartitionSpec S3ErrorOutputPrefix:ErrorOutputPrefix",
    "DestinationTableName DestinationDatabaseName",
  ),
  StringWithLettersDigitsUnderscoresDots: str("[a-zA-Z0-9\\.\\_]+", 1, 255),
  PartitionSpec: struct("Identity:PartitionFields"),
  PartitionFields: list("PartitionField"),
  PartitionField: struct("SourceName:NonEmptyStringWithoutWhitespace", "SourceName"),
  SchemaEvolutionConfiguration: struct("Enabled:BooleanObject", "Enabled"),
  TableCreationConfiguration: struct("Enabled:BooleanObject", "Enabled"),
  IcebergS3BackupMode: oneOf("FailedDataOnly", "AllData"),
  CatalogConfiguration: struct("CatalogARN:GlueDataCatalogARN WarehouseLocation"),
  GlueDataCatalogARN: str("arn:.*:glue:.*:\\d{12}:catalog(?:(/[a-z0-9_-]+){1,2})?", 1, 512),
  WarehouseLocation: str("s3:\\/\\/.*", 1, 2048),
  ExtendedS3DestinationUpdate: struct(
    "RoleARN BucketARN Prefix ErrorOutputPrefix BufferingHints CompressionFormat EncryptionConfiguration CloudWatchLoggingOptions ProcessingConfiguration S3BackupMode S3BackupUpdate:S3DestinationUpdate DataFormatConversionConfiguration DynamicPartitioningConfiguration FileExtension CustomTimeZone",
  ),
  S3DestinationUpdate: struct(
    "RoleARN BucketARN Prefix ErrorOutputPrefix BufferingHints CompressionFormat EncryptionConfiguration CloudWatchLoggingOptions",
  ),
  HttpEndpointDestinationUpdate: struct(
    "EndpointConfiguration:HttpEndpointConfiguration BufferingHints:HttpEndpointBufferingHints CloudWatchLoggingOptions RequestConfiguration:HttpEndpointRequestConfiguration ProcessingConfiguration RoleARN RetryOptions:HttpEndpointRetryOptions S3BackupMode:HttpEndpointS3BackupMode S3Update:S3DestinationUpdate SecretsManagerConfiguration",
  ),
  ElasticsearchDestinationUpdate: struct(
    "RoleARN DomainARN:ElasticsearchDomainARN ClusterEndpoint:ElasticsearchClusterEndpoint IndexName:ElasticsearchIndexName TypeName:ElasticsearchTypeName IndexRotationPeriod:ElasticsearchIndexRotationPeriod BufferingHints:ElasticsearchBufferingHints RetryOptions:ElasticsearchRetryOptions S3Update:S3DestinationUpdate ProcessingConfiguration CloudWatchLoggingOptions DocumentIdOptions",
  ),
  AmazonopensearchserviceDestinationUpdate: struct(
    "RoleARN DomainARN:AmazonopensearchserviceDomainARN ClusterEndpoint:AmazonopensearchserviceClusterEndpoint IndexName:AmazonopensearchserviceIndexName TypeName:AmazonopensearchserviceTypeName IndexRotationPeriod:AmazonopensearchserviceIndexRotationPeriod BufferingHints:AmazonopensearchserviceBufferingHints RetryOptions:AmazonopensearchserviceRetryOptions S3Update:S3DestinationUpdate ProcessingConfiguration CloudWatchLoggingOptions DocumentIdOptions",
  ),
  AmazonOpenSearchServerlessDestinationUpdate: struct(
    "RoleARN CollectionEndpoint:AmazonOpenSearchServerlessCollectionEndpoint IndexName:AmazonOpenSearchServerlessIndexName BufferingHints:AmazonOpenSearchServerlessBufferingHints RetryOptions:AmazonOpenSearchServerlessRetryOptions S3Update:S3DestinationUpdate ProcessingConfiguration CloudWatchLoggingOptions",
  ),
  SplunkDestinationUpdate: struct(
    "HECEndpoint HECEndpointType HECToken HECAcknowledgmentTimeoutInSeconds RetryOptions:SplunkRetryOptions S3BackupMode:SplunkS3BackupMode S3Update:S3DestinationUpdate ProcessingConfiguration CloudWatchLoggingOptions BufferingHints:SplunkBufferingHints SecretsManagerConfiguration",
  ),
  RedshiftDestinationUpdate: struct(
    "RoleARN ClusterJDBCURL CopyCommand Username Password RetryOptions:RedshiftRetryOptions S3Update:S3DestinationUpdate ProcessingConfiguration S3BackupMode:RedshiftS3BackupMode S3BackupUpdate:S3DestinationUpdate CloudWatchLoggingOptions SecretsManagerConfiguration",
  ),
  SnowflakeDestinationUpdate: struct(
    "AccountUrl:SnowflakeAccountUrl PrivateKey:SnowflakePrivateKey KeyPassphrase:SnowflakeKeyPassphrase User:SnowflakeUser Database:SnowflakeDatabase Schema:SnowflakeSchema Table:SnowflakeTable SnowflakeRoleConfiguration DataLoadingOption:SnowflakeDataLoadingOption MetaDataColumnName:SnowflakeMetaDataColumnName ContentColumnName:SnowflakeContentColumnName CloudWatchLoggingOptions ProcessingConfiguration RoleARN RetryOptions:SnowflakeRetryOptions S3BackupMode:SnowflakeS3BackupMode S3Update:S3DestinationUpdate SecretsManagerConfiguration BufferingHints:SnowflakeBufferingHints",
  ),
  IcebergDestinationUpdate: struct(
    "DestinationTableConfigurationList SchemaEvolutionConfiguration TableCreationConfiguration BufferingHints CloudWatchLoggingOptions ProcessingConfiguration S3BackupMode:IcebergS3BackupMode RetryOptions RoleARN AppendOnly:BooleanObject CatalogConfiguration S3Configuration:S3DestinationConfiguration",
  ),
};
