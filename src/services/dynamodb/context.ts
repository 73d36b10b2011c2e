/** What every DynamoDB operation handler receives, and the types of handlers and their tables. */
import type { OperationTable, RequestContext } from "../descriptor";
import type { DynamoDBOperations } from "./shapes/types";

export interface DynamoContext {
  env: Env;
  account: string;
  region: string;
  accessKeyId: string;
  strict: boolean;
  /** `scheme://host` the client called (DescribeEndpoints answers with it). */
  origin: string;
  now: number;
}

export const dynamoContext = (request: RequestContext): DynamoContext => ({
  env: request.env,
  account: request.caller.account,
  region: request.caller.region,
  accessKeyId: request.caller.accessKeyId,
  strict: request.caller.strict,
  origin: request.origin,
  now: request.now,
});

export type DynamoOperationTable = OperationTable<DynamoDBOperations, DynamoContext>;
export type DynamoHandler<Op extends keyof DynamoDBOperations> = DynamoOperationTable[Op];
export type DynamoHandlers<Op extends keyof DynamoDBOperations> = Pick<DynamoOperationTable, Op>;
