/**
 * Amazon Kinesis Data Streams (API version 2013-12-02) as the Worker sees it: AWS JSON 1.1 and CBOR 1.1
 * behind Amazon's Coral front end, whose order of checks and wording the protocol layer applies.
 */
import { unknownOperationError } from "../../domain/coral-errors";
import { invoker, type ServiceDescriptor } from "../descriptor";
import type { KinesisContext } from "./context";
import type { KinesisOperations } from "./shapes/types";
import { kinesisOperations } from "./operations";
import { kinesisModel } from "./shapes/model";

export const kinesis: ServiceDescriptor = {
  name: "kinesis",
  signingName: "kinesis",
  model: kinesisModel,
  json: { targetPrefix: "Kinesis_20131202", contentType: "application/x-amz-json-1.1", cbor: true },
  coral: true,
  // "Signature expired: … (… - 5 min.)": Kinesis allows five minutes of clock skew, not fifteen.
  maxClockSkewMs: 5 * 60 * 1000,
  unknownOperation: unknownOperationError,
  invoke: invoker<KinesisOperations, KinesisContext>(kinesisOperations, (request) => ({
    env: request.env,
    account: request.caller.account,
    region: request.caller.region,
    accessKeyId: request.caller.accessKeyId,
    strict: request.caller.strict,
    protocol: request.protocol,
    now: request.now,
  })),
};
