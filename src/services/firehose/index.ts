/**
 * Amazon Data Firehose (API version 2015-08-04) as the Worker sees it: AWS JSON 1.1 behind Amazon's
 * Coral front end (the same order of checks and wording as Kinesis), SigV4 service `firehose`.
 */
import { unknownOperationError } from "../../domain/coral-errors";
import { invoker, type ServiceDescriptor } from "../descriptor";
import { firehoseContext, type FirehoseContext } from "./context";
import { firehoseOperations } from "./operations";
import { firehoseRoutes } from "./routes";
import { firehoseModel } from "./shapes/model";
import type { FirehoseOperations } from "./shapes/types";

export const firehose: ServiceDescriptor = {
  name: "firehose",
  signingName: "firehose",
  model: firehoseModel,
  json: { targetPrefix: "Firehose_20150804", contentType: "application/x-amz-json-1.1" },
  coral: true,
  unknownOperation: unknownOperationError,
  routes: firehoseRoutes,
  invoke: invoker<FirehoseOperations, FirehoseContext>(firehoseOperations, firehoseContext),
};
