/** What every Kinesis operation handler receives, and the types of handlers and their tables. */
import type { OperationTable, WireProtocol } from "../descriptor";
import type { KinesisOperations } from "./shapes/types";

export interface KinesisContext {
  env: Env;
  account: string;
  region: string;
  accessKeyId: string;
  /** Signatures are verified (hosted mode): accounts are isolated. */
  strict: boolean;
  protocol: WireProtocol;
  /** Request time, epoch ms (one clock reading per request). */
  now: number;
}

export type KinesisOperationTable = OperationTable<KinesisOperations, KinesisContext>;

/** The handler of one operation: the generated input in, the generated output (or a failure) out. */
export type KinesisHandler<Op extends keyof KinesisOperations> = KinesisOperationTable[Op];

/** The part of the table a module of handlers contributes. */
export type KinesisHandlers<Op extends keyof KinesisOperations> = Pick<KinesisOperationTable, Op>;
