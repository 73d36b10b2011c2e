/**
 * StartDeliveryStreamEncryption and StopDeliveryStreamEncryption: server-side encryption of the
 * buffered data, ENABLING → ENABLED and DISABLING → DISABLED after the status delay. Nothing is
 * encrypted here (the data never leaves this deployment); the state and the KMS key are kept and shown.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { EncryptionState } from "../../domain/firehose/contract";
import { invalidArgument } from "../../domain/firehose/errors";
import { checks } from "../../domain/kinesis/validate";
import type { FirehoseHandler, FirehoseHandlers } from "./context";
import { describeStream, streamStub } from "./names";

const KEY_TYPES = ["AWS_OWNED_CMK", "CUSTOMER_MANAGED_CMK"] as const;
const KMS_KEY_ARN_PATTERN = "arn:.*:kms:[a-zA-Z0-9\\-]+:\\d{12}:(key|alias)/[a-zA-Z_0-9+=,.@\\-_/]+";

/** DeliveryStreamEncryptionConfigurationInput: KeyType, and KeyARN exactly when the key is the customer's. */
export function encryptionInputOf(input: {
  KeyType: string;
  KeyARN?: string;
}): Result<Pick<EncryptionState, "keyType" | "keyArn">> {
  const problem = checks()
    .oneOf(input.KeyType, "deliveryStreamEncryptionConfigurationInput.keyType", KEY_TYPES)
    .string(input.KeyARN, "deliveryStreamEncryptionConfigurationInput.keyARN", { pattern: KMS_KEY_ARN_PATTERN, min: 1, max: 512 })
    .done();
  if (problem) return fail(problem);
  const keyType = input.KeyType as EncryptionState["keyType"];
  if (keyType === "CUSTOMER_MANAGED_CMK" && !input.KeyARN)
    return fail(invalidArgument("KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK."));
  if (keyType === "AWS_OWNED_CMK" && input.KeyARN)
    return fail(invalidArgument("KeyARN must not be specified when KeyType is AWS_OWNED_CMK."));
  return ok(input.KeyARN ? { keyType, keyArn: input.KeyARN } : { keyType });
}

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html
const startEncryption: FirehoseHandler<"StartDeliveryStreamEncryption"> = async (ctx, input) => {
  const described = await describeStream(ctx, input.DeliveryStreamName);
  if (!described.ok) return described;
  const config = described.value.config;
  if (config.type === "KinesisStreamAsSource")
    return fail(
      invalidArgument(
        `Encryption is not supported for delivery stream ${config.name} with source type KinesisStreamAsSource. Enable server-side encryption on the source Kinesis data stream instead.`,
      ),
    );
  const requested = encryptionInputOf(input.DeliveryStreamEncryptionConfigurationInput ?? { KeyType: "AWS_OWNED_CMK" });
  if (!requested.ok) return requested;
  const done = await streamStub(ctx, config.name).setEncryption({ ...requested.value, status: "ENABLING" });
  return done.ok ? ok({}) : done;
};

// https://docs.aws.amazon.com/firehose/latest/APIReference/API_StopDeliveryStreamEncryption.html
const stopEncryption: FirehoseHandler<"StopDeliveryStreamEncryption"> = async (ctx, input) => {
  const described = await describeStream(ctx, input.DeliveryStreamName);
  if (!described.ok) return described;
  const config = described.value.config;
  if (config.type === "KinesisStreamAsSource")
    return fail(
      invalidArgument(`Encryption is not supported for delivery stream ${config.name} with source type KinesisStreamAsSource.`),
    );
  const done = await streamStub(ctx, config.name).setEncryption({ status: "DISABLING" });
  return done.ok ? ok({}) : done;
};

export const encryptionOperations: FirehoseHandlers<"StartDeliveryStreamEncryption" | "StopDeliveryStreamEncryption"> = {
  StartDeliveryStreamEncryption: startEncryption,
  StopDeliveryStreamEncryption: stopEncryption,
};
