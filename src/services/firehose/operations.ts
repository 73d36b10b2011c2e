/**
 * Amazon Data Firehose: the operation table (API version 2015-08-04, AWS JSON 1.1). Each group of
 * operations lives in its own module; the compiler checks every operation has its handler.
 */
import type { FirehoseOperationTable } from "./context";
import { destinationOperations } from "./destinations";
import { encryptionOperations } from "./encryption";
import { recordOperations } from "./records";
import { streamOperations } from "./streams";
import { tagOperations } from "./tagging";

export const firehoseOperations: FirehoseOperationTable = {
  ...streamOperations,
  ...recordOperations,
  ...destinationOperations,
  ...tagOperations,
  ...encryptionOperations,
};
