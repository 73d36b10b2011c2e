/** Data plane: PutRecord, PutRecords (./put-records.ts), GetShardIterator, GetRecords (./get-records.ts). */
import type { KinesisHandlers } from "./context";
import { readOperations } from "./get-records";
import { putOperations } from "./put-records";

export const recordOperations: KinesisHandlers<"PutRecord" | "PutRecords" | "GetShardIterator" | "GetRecords"> = {
  ...putOperations,
  ...readOperations,
};
