/**
 * A control-plane call on the stream a request names: resolves StreamName or StreamARN, calls the
 * StreamObject, and once the call succeeded forgets the Worker's cached routing, which the change
 * may have made stale (shards, status, record size).
 */
import { streamObject } from "../../durable/names";
import { ok, type Result } from "../../domain/errors";
import type { StreamRef } from "../../domain/kinesis/names";
import type { KinesisContext } from "./context";
import { resolveStream } from "./names";
import { forgetRouting } from "./routing";

export type StreamStub = ReturnType<typeof streamObject>;

export async function changeStream<T>(
  ctx: KinesisContext,
  input: { StreamName?: string; StreamARN?: string },
  call: (stream: StreamStub) => Promise<Result<T>>,
): Promise<Result<{ ref: StreamRef; value: T }>> {
  const ref = resolveStream(ctx, input);
  if (!ref.ok) return ref;
  const result = await call(streamObject(ctx.env, ref.value));
  if (!result.ok) return result;
  forgetRouting(ref.value);
  return ok({ ref: ref.value, value: result.value });
}
