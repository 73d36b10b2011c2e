/** What every Kinesis operation handler receives. */
import type { WireProtocol } from "../descriptor";

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

/**
 * Handlers return the operation's output, or a ready Response for SubscribeToShard, whose
 * `application/vnd.amazon.eventstream` body is streamed rather than encoded by the codecs.
 */
export type KinesisHandler = (ctx: KinesisContext, input: Record<string, unknown>) => Promise<object | Response>;
