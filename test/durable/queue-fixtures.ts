/**
 * Fixtures for the QueueObject tests (standard and FIFO): queue identities, messages as the SQS layer
 * hands them over, receipt-handle references, and reads of the object's own storage and alarm.
 */
import { runInDurableObject } from "cloudflare:test";
import type { queueObject } from "../../src/durable/names";
import type { NewMessage } from "../../src/domain/sqs/contract";
import { decodeReceiptHandle } from "../../src/domain/tokens";

type Stub = ReturnType<typeof queueObject>;

/** A queue of the test account and region. */
export const ref = (name: string) => ({ account: "000000000000", region: "us-east-1", name });

/** A message with placeholder digests (the object stores them, it does not check them). */
export const message = (body: string, extra: Partial<NewMessage> = {}): NewMessage => ({
  body,
  attributes: null,
  md5OfBody: "x",
  md5OfAttributes: null,
  traceHeader: null,
  md5OfSystemAttributes: null,
  senderId: "t",
  size: body.length,
  ...extra,
});

/** What DeleteMessage and ChangeMessageVisibility pass to the object for a receipt handle. */
export const handleRef = (handle: string) => {
  const decoded = decodeReceiptHandle(handle)!;
  return { handle, seq: decoded.seq, receipt: decoded.receipt, incarnation: decoded.queue };
};

/** Runs SQL inside the object, for looking at (or ageing) what it stored. */
export const sql = <T extends Record<string, SqlStorageValue>>(stub: Stub, query: string, ...bindings: unknown[]) =>
  runInDurableObject(stub, (_i, state) => state.storage.sql.exec<T>(query, ...bindings).toArray());

export const alarmAt = (stub: Stub) => runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
