/** Data plane: PutRecord, PutRecords, GetShardIterator, GetRecords. */
import type { KinesisHandler } from "./context";

export const recordOperations: Record<string, KinesisHandler> = {};
