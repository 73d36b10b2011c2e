/** Amazon Kinesis Data Streams as the dispatcher sees it: AWS JSON 1.1 and CBOR 1.1, Kinesis's error wording. */
import type { ServiceDefinition } from "../../protocol/service";
import { kinesisModel, kinesisOperations } from "./index";
import { JSON_CONTENT_TYPE, kinesisCodecErrors, kinesisFrontEnd, unknownOperationError } from "./wire";

export { coralPath, kinesisCodecErrors } from "./wire";

export const kinesisService: ServiceDefinition = {
  signingName: "kinesis",
  model: kinesisModel,
  targetPrefix: "Kinesis_20131202",
  jsonContentType: JSON_CONTENT_TYPE,
  cbor: true,
  coral: kinesisFrontEnd,
  queryCompatible: false,
  codecErrors: kinesisCodecErrors,
  // `{"__type":"UnknownOperationException"}` and nothing else (kinesalite test/connection.js).
  unknownOperation: unknownOperationError,
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
