/**
 * Delivery stream control plane: CreateDeliveryStream, DeleteDeliveryStream, DescribeDeliveryStream,
 * ListDeliveryStreams. https://docs.aws.amazon.com/firehose/latest/APIReference/API_Operations.html
 */
import { fail, ok } from "../../domain/errors";
import type { DeliveryStreamConfig, DeliveryStreamType, EncryptionState } from "../../domain/firehose/contract";
import { describeDestination, validateCreateDestination } from "../../domain/firehose/destination-config";
import { invalidArgument, notSupported } from "../../domain/firehose/errors";
import { parseStreamArn } from "../../domain/kinesis/names";
import { checks, STREAM_ARN_PATTERN } from "../../domain/kinesis/validate";
import { catalogObject, streamObject } from "../../durable/names";
import type { FirehoseHandler, FirehoseHandlers } from "./context";
import { encryptionInputOf } from "./encryption";
import { checkStreamName, deliveryStreamArn, describeStream, DELIVERY_STREAM_NAME_PATTERN, streamStub } from "./names";
import { checkTagList, tagMapOf } from "./tagging";

const STREAM_TYPES: readonly DeliveryStreamType[] = ["DirectPut", "KinesisStreamAsSource", "MSKAsSource", "DatabaseAsSource"];
const ROLE_ARN_PATTERN = "arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+";
/** Delivery streams per account and region (AWS's default quota in the large regions). */
const DELIVERY_STREAM_LIMIT = 5000;

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html
const createDeliveryStream: FirehoseHandler<"CreateDeliveryStream"> = async (ctx, input) => {
  const source = input.KinesisStreamSourceConfiguration;
  const problem =
    checkStreamName(input.DeliveryStreamName) ??
    checks()
      .oneOf(input.DeliveryStreamType, "deliveryStreamType", STREAM_TYPES)
      .string(source?.KinesisStreamARN, "kinesisStreamSourceConfiguration.kinesisStreamARN", {
        pattern: STREAM_ARN_PATTERN,
        min: 1,
        max: 512,
      })
      .string(source?.RoleARN, "kinesisStreamSourceConfiguration.roleARN", { pattern: ROLE_ARN_PATTERN, min: 1, max: 512 })
      .range(input.DirectPutSourceConfiguration?.ThroughputHintInMBs, "directPutSourceConfiguration.throughputHintInMBs", 1, 100)
      .size(input.Tags, "tags", 1, 50)
      .done() ??
    checkTagList(input.Tags ?? [], "tags");
  if (problem) return fail(problem);
  const name = input.DeliveryStreamName;
  const type = (input.DeliveryStreamType ?? "DirectPut") as DeliveryStreamType;
  if (type === "MSKAsSource" || input.MSKSourceConfiguration)
    return fail(notSupported("An MSKAsSource delivery stream (Amazon MSK source)"));
  if (type === "DatabaseAsSource" || input.DatabaseSourceConfiguration)
    return fail(notSupported("A DatabaseAsSource delivery stream (database change data capture)"));
  if (type === "KinesisStreamAsSource" && !source)
    return fail(invalidArgument("KinesisSourceStreamConfig is required for KinesisStreamAsSource delivery stream type."));
  if (type !== "KinesisStreamAsSource" && source)
    return fail(invalidArgument("KinesisSourceStreamConfig is only allowed for KinesisStreamAsSource delivery stream type."));
  if (type === "KinesisStreamAsSource" && input.DirectPutSourceConfiguration)
    return fail(invalidArgument("DirectPutSourceConfiguration is only allowed for DirectPut delivery stream type."));

  const destination = validateCreateDestination(input as unknown as Record<string, unknown>);
  if (!destination.ok) return destination;

  let encryption: EncryptionState = { status: "DISABLED" };
  if (input.DeliveryStreamEncryptionConfigurationInput) {
    if (type === "KinesisStreamAsSource")
      return fail(
        invalidArgument(
          "Encryption is not supported for delivery streams with KinesisStreamAsSource type. Enable server-side encryption on the source Kinesis data stream instead.",
        ),
      );
    const requested = encryptionInputOf(input.DeliveryStreamEncryptionConfigurationInput);
    if (!requested.ok) return requested;
    encryption = { ...requested.value, status: "ENABLED" };
  }

  const now = Date.now();
  const config: DeliveryStreamConfig = {
    name,
    arn: deliveryStreamArn(ctx, name),
    account: ctx.account,
    region: ctx.region,
    type,
    status: "CREATING",
    versionId: 1,
    createdAt: now,
    destination: destination.value,
    encryption,
  };
  if (source) {
    const stream = parseStreamArn(source.KinesisStreamARN);
    if (!stream) return fail(invalidArgument(`Invalid Kinesis stream ARN: ${source.KinesisStreamARN}`));
    if (ctx.strict && stream.account !== ctx.account)
      return fail(invalidArgument(`Kinesis stream ${source.KinesisStreamARN} is not owned by account ${ctx.account}.`));
    const view = await streamObject(ctx.env, stream).view();
    if (!view.ok) return fail(invalidArgument(`Stream ${stream.name} under account ${stream.account} not found.`));
    config.source = { kinesis: { streamArn: source.KinesisStreamARN, roleArn: source.RoleARN, deliveryStartTimestamp: now } };
  } else if (input.DirectPutSourceConfiguration) {
    config.source = { directPut: { throughputHintInMBs: input.DirectPutSourceConfiguration.ThroughputHintInMBs } };
  }

  const catalog = catalogObject(ctx.env, ctx.account, ctx.region);
  const reserved = await catalog.reserveDeliveryStream(name, type, now, DELIVERY_STREAM_LIMIT);
  if (!reserved.ok) return reserved;
  const stub = streamStub(ctx, name);
  const created = await stub.create(config, tagMapOf(input.Tags ?? []));
  if (!created.ok) {
    // The name is taken by a stream on its way out: it must not stay listed once that one is gone.
    const existing = await describeStream(ctx, name);
    if (!existing.ok || existing.value.config.status === "DELETING") await catalog.unregisterDeliveryStream(name);
    return created;
  }
  return ok({ DeliveryStreamARN: config.arn });
};

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeleteDeliveryStream.html
const deleteDeliveryStream: FirehoseHandler<"DeleteDeliveryStream"> = async (ctx, input) => {
  const problem = checkStreamName(input.DeliveryStreamName);
  if (problem) return fail(problem);
  const deleted = await streamStub(ctx, input.DeliveryStreamName).destroy();
  if (!deleted.ok) return deleted;
  await catalogObject(ctx.env, ctx.account, ctx.region).unregisterDeliveryStream(input.DeliveryStreamName);
  return ok({});
};

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_DescribeDeliveryStream.html
const describeDeliveryStream: FirehoseHandler<"DescribeDeliveryStream"> = async (ctx, input) => {
  const problem = checks()
    .range(input.Limit, "limit", 1, 10000)
    .string(input.ExclusiveStartDestinationId, "exclusiveStartDestinationId", { pattern: "[a-zA-Z0-9-]+", min: 1, max: 100 })
    .done();
  if (problem) return fail(problem);
  const described = await describeStream(ctx, input.DeliveryStreamName);
  if (!described.ok) return described;
  const c = described.value.config;
  // One destination per stream: a start after it leaves none.
  const destinations =
    input.ExclusiveStartDestinationId !== undefined && input.ExclusiveStartDestinationId >= c.destination.id
      ? []
      : [c.destination];
  const kinesis = c.source?.kinesis;
  return ok({
    DeliveryStreamDescription: {
      DeliveryStreamName: c.name,
      DeliveryStreamARN: c.arn,
      DeliveryStreamStatus: c.status,
      DeliveryStreamEncryptionConfiguration: {
        ...(c.encryption.keyArn ? { KeyARN: c.encryption.keyArn } : {}),
        ...(c.encryption.keyType ? { KeyType: c.encryption.keyType } : {}),
        Status: c.encryption.status,
      },
      DeliveryStreamType: c.type,
      VersionId: String(c.versionId),
      CreateTimestamp: new Date(c.createdAt),
      ...(c.lastUpdatedAt ? { LastUpdateTimestamp: new Date(c.lastUpdatedAt) } : {}),
      ...(kinesis
        ? {
            Source: {
              KinesisStreamSourceDescription: {
                KinesisStreamARN: kinesis.streamArn,
                RoleARN: kinesis.roleArn,
                DeliveryStartTimestamp: new Date(kinesis.deliveryStartTimestamp),
              },
            },
          }
        : c.source?.directPut
          ? { Source: { DirectPutSourceDescription: { ThroughputHintInMBs: c.source.directPut.throughputHintInMBs } } }
          : {}),
      Destinations: destinations.map((d) => describeDestination(d) as never),
      HasMoreDestinations: false,
    },
  });
};

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_ListDeliveryStreams.html
const listDeliveryStreams: FirehoseHandler<"ListDeliveryStreams"> = async (ctx, input) => {
  const problem = checks()
    .range(input.Limit, "limit", 1, 10000)
    .oneOf(input.DeliveryStreamType, "deliveryStreamType", STREAM_TYPES)
    .string(input.ExclusiveStartDeliveryStreamName, "exclusiveStartDeliveryStreamName", {
      pattern: DELIVERY_STREAM_NAME_PATTERN,
      min: 1,
      max: 64,
    })
    .done();
  if (problem) return fail(problem);
  const limit = input.Limit ?? 10;
  const names = await catalogObject(ctx.env, ctx.account, ctx.region).listDeliveryStreams(
    limit + 1,
    input.ExclusiveStartDeliveryStreamName,
    input.DeliveryStreamType,
  );
  return ok({ DeliveryStreamNames: names.slice(0, limit), HasMoreDeliveryStreams: names.length > limit });
};

export const streamOperations: FirehoseHandlers<
  "CreateDeliveryStream" | "DeleteDeliveryStream" | "DescribeDeliveryStream" | "ListDeliveryStreams"
> = {
  CreateDeliveryStream: createDeliveryStream,
  DeleteDeliveryStream: deleteDeliveryStream,
  DescribeDeliveryStream: describeDeliveryStream,
  ListDeliveryStreams: listDeliveryStreams,
};
