/**
 * The per-message calls to a queue object (send, receive, delete, change visibility), grouped: calls
 * to the same queue that arrive while one is in flight travel together (see durable/coalescer.ts).
 */
import { CoalescerRegistry, type CoalescerLimits } from "../../durable/coalescer";
import { objectName } from "../../durable/names";
import type {
  EntryResult,
  HandleRef,
  NewMessage,
  ReceivedMessage,
  ReceiveRequest,
  SentMessage,
  VisibilityChange,
} from "../../durable/queue/types";
import { ok, type Result } from "../../protocol/errors";
import { queueStub, type SqsContext } from "./context";
import type { QueueRef } from "./queue-names";

const registry = new CoalescerRegistry();

/** RPC payloads stay far below the platform's limits; a group is at most ~8 MiB of message data. */
const LIMITS: CoalescerLimits = { maxItems: 100, maxWeight: 8 * 1024 * 1024 };

const key = (ref: QueueRef, kind: string) => `${objectName({ ...ref, kind: "queue" })}|${kind}`;

/** `batch` picks AWS's wording of per-entry size errors ("cannot be validated" vs "are invalid"). */
export function sendMessages(ctx: SqsContext, ref: QueueRef, messages: NewMessage[], batch: boolean): Promise<Result<EntryResult<SentMessage>[]>> {
  const stub = queueStub(ctx, ref);
  return registry
    .get<NewMessage, EntryResult<SentMessage>>(key(ref, batch ? "send-batch" : "send"), (items) => stub.send(items, batch), LIMITS)
    .submit(messages, messages.reduce((sum, m) => sum + m.size, 0));
}

export function deleteMessages(ctx: SqsContext, ref: QueueRef, handles: HandleRef[]): Promise<Result<EntryResult[]>> {
  const stub = queueStub(ctx, ref);
  return registry.get<HandleRef, EntryResult>(key(ref, "delete"), (items) => stub.deleteMessages(items), LIMITS).submit(handles);
}

export function changeVisibility(ctx: SqsContext, ref: QueueRef, changes: VisibilityChange[]): Promise<Result<EntryResult[]>> {
  const stub = queueStub(ctx, ref);
  return registry.get<VisibilityChange, EntryResult>(key(ref, "visibility"), (items) => stub.changeVisibility(items), LIMITS).submit(changes);
}

/**
 * Claims for receives are grouped; a receive that finds nothing and should wait (long polling) then
 * waits on its own call, so one long poll never holds up the short ones grouped with it.
 */
export async function receiveMessages(ctx: SqsContext, ref: QueueRef, req: ReceiveRequest): Promise<Result<ReceivedMessage[]>> {
  const stub = queueStub(ctx, ref);
  const claimed = await registry
    .get<ReceiveRequest, ReceivedMessage[] | null>(key(ref, "receive"), (items) => stub.receiveNow(items), LIMITS)
    .submit([req]);
  if (!claimed.ok) return claimed;
  const messages = claimed.value[0];
  return messages ? ok(messages) : stub.receive(req);
}
