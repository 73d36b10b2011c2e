/**
 * Amazon DynamoDB: the operation table (API version 2012-08-10, AWS JSON 1.0). Each group of
 * operations lives in its own module; the compiler checks every generated operation has a handler.
 */
import { batchOperations } from "./batches";
import type { DynamoOperationTable } from "./context";
import { itemOperations } from "./items";
import { readOperations } from "./reads";
import { settingOperations } from "./table-settings";
import { tableOperations } from "./tables";
import { tagOperations } from "./tagging";
import { transactionOperations } from "./transactions";

export const dynamodbOperations: DynamoOperationTable = {
  ...tableOperations,
  ...tagOperations,
  ...settingOperations,
  ...itemOperations,
  ...readOperations,
  ...batchOperations,
  ...transactionOperations,
};
