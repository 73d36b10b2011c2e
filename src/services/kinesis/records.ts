/** Data plane: PutRecord, PutRecords (./put-records.ts), GetShardIterator, GetRecords (./get-records.ts). */
import type { KinesisHandler } from "./context";
import { readOperations } from "./get-records";
import { putOperations } from "./put-records";

export const recordOperations: Record<string, KinesisHandler> = {
  ...putOperations,
  ...readOperations,
};
