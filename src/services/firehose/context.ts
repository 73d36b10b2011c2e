/** What every Firehose operation handler receives, and the types of handlers and their tables. */
import type { OperationTable, RequestContext } from "../descriptor";
import type { FirehoseOperations } from "./shapes/types";

export interface FirehoseContext {
  env: Env;
  account: string;
  region: string;
  accessKeyId: string;
  /** Signatures are verified (hosted mode): accounts are isolated. */
  strict: boolean;
  /** Request time, epoch ms. */
  now: number;
}

export const firehoseContext = (request: RequestContext): FirehoseContext => ({
  env: request.env,
  account: request.caller.account,
  region: request.caller.region,
  accessKeyId: request.caller.accessKeyId,
  strict: request.caller.strict,
  now: request.now,
});

export type FirehoseOperationTable = OperationTable<FirehoseOperations, FirehoseContext>;
export type FirehoseHandler<Op extends keyof FirehoseOperations> = FirehoseOperationTable[Op];
export type FirehoseHandlers<Op extends keyof FirehoseOperations> = Pick<FirehoseOperationTable, Op>;
