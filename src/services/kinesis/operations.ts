/**
 * Amazon Kinesis Data Streams: the operation table (API version 2013-12-02, AWS JSON 1.1 and CBOR).
 * Each group of operations lives in its own module and contributes its handlers here.
 */
import { kinesisModel } from "./shapes/model";
import { consumerOperations } from "./consumers";
import type { KinesisHandler } from "./context";
import { recordOperations } from "./records";
import { reshardingOperations } from "./resharding";
import { streamOperations } from "./streams";
import { subscribeOperations } from "./subscribe";

export { kinesisModel };

export const kinesisOperations: Record<string, KinesisHandler> = {
  ...streamOperations,
  ...recordOperations,
  ...reshardingOperations,
  ...consumerOperations,
  ...subscribeOperations,
};
