/**
 * Amazon Kinesis Data Streams: the operation table (API version 2013-12-02, AWS JSON 1.1 and CBOR).
 * Each group of operations lives in its own module and contributes its handlers here; the compiler
 * checks that every operation of the generated shapes has one, with its input and output types.
 */
import { accountSettingOperations } from "./account-settings";
import { consumerOperations } from "./consumers";
import type { KinesisOperationTable } from "./context";
import { recordOperations } from "./records";
import { reshardingOperations } from "./resharding";
import { settingOperations } from "./stream-settings";
import { streamOperations } from "./streams";
import { subscribeOperations } from "./subscribe";
import { tagOperations } from "./tagging";

export const kinesisOperations: KinesisOperationTable = {
  ...streamOperations,
  ...settingOperations,
  ...accountSettingOperations,
  ...tagOperations,
  ...recordOperations,
  ...reshardingOperations,
  ...consumerOperations,
  ...subscribeOperations,
};
