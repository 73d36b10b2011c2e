/** Amazon Kinesis Data Streams as the dispatcher sees it: AWS JSON 1.1 (and CBOR), Kinesis's error wording. */
import type { CodecErrors } from "../../protocol/codec-errors";
import { AwsError } from "../../protocol/errors";
import type { ServiceDefinition } from "../../protocol/service";
import { validationError } from "./errors";
import { kinesisModel, kinesisOperations } from "./index";

/** `Records.1.PartitionKey` → `records.1.member.partitionKey`, as Coral names members in messages. */
const coralPath = (path: string): string =>
  path
    .split(".")
    .map((part) => (/^\d+$/.test(part) ? `${part}.member` : part.charAt(0).toLowerCase() + part.slice(1)))
    .join(".");

export const kinesisCodecErrors = (): CodecErrors => ({
  missing: (_member, path) => validationError([{ value: null, path: coralPath(path), constraint: "Member must not be null" }]),
  invalidType: (_member, _path, expected) =>
    new AwsError({ code: "SerializationException", message: `Expected ${expected}.` }),
  malformed: (detail) => new AwsError({ code: "SerializationException", message: detail }),
});

export const kinesisService: ServiceDefinition = {
  signingName: "kinesis",
  model: kinesisModel,
  targetPrefix: "Kinesis_20131202",
  jsonContentType: "application/x-amz-json-1.1",
  queryCompatible: false,
  codecErrors: kinesisCodecErrors,
  unknownOperation: () => new AwsError({ code: "UnknownOperationException", message: "" }),
  async invoke(operation, input, info) {
    const handler = kinesisOperations[operation];
    if (!handler) throw kinesisService.unknownOperation(operation, info.protocol);
    return handler(
      {
        env: info.env,
        account: info.caller.account,
        region: info.caller.region,
        accessKeyId: info.caller.accessKeyId,
        strict: info.caller.strict,
        protocol: info.protocol,
        now: Date.now(),
      },
      input,
    );
  },
};
