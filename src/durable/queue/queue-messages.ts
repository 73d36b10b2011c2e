/**
 * What happens to messages in one queue, for standard and FIFO queues alike: storing sends
 * (with FIFO deduplication), claiming receives (with FIFO group order and locking, and the
 * dead-letter threshold), deletes and visibility changes with their receipt-handle rules.
 * Synchronous SQL only; the queue object adds RPC, long polling and time.
 */
import { encodeReceiptHandle } from "../../domain/tokens";
import type { ErrorInfo, Problem } from "../../domain/errors";
import { invalidParameter, invalidParameterValue, receiptHandleIsInvalid } from "../../domain/sqs/errors";
import { queueSettings, type QueueSettings } from "../../domain/sqs/queue-settings";
import { dedupKey, FIFO_CANDIDATES, pickByGroup, sequenceNumber } from "../../domain/sqs/fifo";
import { FifoLedger } from "./fifo-ledger";
import { MessageStore, type MessageRow } from "./message-store";
import type {
  EntryResult,
  HandleRef,
  NewMessage,
  QueueState,
  ReceivedMessage,
  ReceiveRequest,
  SentMessage,
  VisibilityChange,
} from "../../domain/sqs/contract";

/** AWS's cap on total in-flight time of one receive, counted from the receive. */
const MAX_VISIBILITY_MS = 43_200_000;
/** How long a message stays hidden while it is being handed to the dead-letter queue. */
export const DEAD_LETTER_HOLD_MS = 30_000;

/** The queue as message operations see it: its stored state and the settings derived from it once. */
export interface QueueView {
  state: QueueState;
  settings: QueueSettings;
}

/** Derives the settings; called when the stored state changes or the object wakes, never per call. */
export const queueView = (state: QueueState): QueueView => ({ state, settings: queueSettings(state) });

const missingDeduplicationId = (): ErrorInfo =>
  invalidParameterValue(
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
  );

const expiredHandle = (handle: string): ErrorInfo => invalidParameter("ReceiptHandle", handle, "The receipt handle has expired.");

export class QueueMessages {
  readonly fifoLedger: FifoLedger;

  constructor(
    readonly store: MessageStore,
    sql: SqlStorage,
  ) {
    this.fifoLedger = new FifoLedger(sql);
  }

  /**
   * A FIFO batch with an entry that has no deduplication id (and no content-based deduplication)
   * fails as a whole (AWS-recorded test_send_batch_missing_deduplication_id_for_fifo_queue).
   */
  batchProblem({ settings }: QueueView, entries: NewMessage[]): Problem {
    if (!settings.fifo || settings.contentBasedDeduplication) return undefined;
    return entries.some((entry) => entry.deduplicationId === undefined) ? missingDeduplicationId() : undefined;
  }

  /** Stores each valid entry in order; a failing entry fails alone. `visibleNow` tells whether to wake polls. */
  send({ settings }: QueueView, entries: NewMessage[], batch: boolean, now: number) {
    const maxSize = settings.maximumMessageSize;
    let visibleNow = false;
    const results = entries.map((entry): EntryResult<SentMessage> => {
      if (entry.size > maxSize) {
        const verb = batch ? "cannot be validated" : "are invalid";
        return {
          ok: false,
          error: invalidParameterValue(`One or more parameters ${verb}. Reason: Message must be shorter than ${maxSize} bytes.`),
        };
      }
      const sent = {
        md5OfBody: entry.md5OfBody,
        md5OfAttributes: entry.md5OfAttributes,
        md5OfSystemAttributes: entry.md5OfSystemAttributes,
      };
      if (!settings.fifo) {
        const delay = entry.delaySeconds ?? settings.delaySeconds;
        const messageId = crypto.randomUUID();
        this.store.insert(entry, messageId, now, now + delay * 1000);
        if (delay === 0) visibleNow = true;
        return { ok: true, value: { messageId, ...sent } };
      }
      const deduplicationId =
        entry.deduplicationId ?? (settings.contentBasedDeduplication ? entry.contentDeduplicationId : undefined);
      if (!deduplicationId) return { ok: false, error: missingDeduplicationId() };
      const key = dedupKey(settings.dedupScope, entry.groupId ?? "", deduplicationId);
      const duplicate = this.fifoLedger.duplicateOf(key, now);
      // A duplicate is accepted and answered like the original, but not stored again.
      if (duplicate)
        return { ok: true, value: { messageId: duplicate.messageId, sequenceNumber: duplicate.sequenceNumber, ...sent } };
      const messageId = crypto.randomUUID();
      const seq = this.store.insert({ ...entry, deduplicationId }, messageId, now, now, true)!;
      const sequence = sequenceNumber(seq);
      this.fifoLedger.remember(key, messageId, sequence, now);
      if (settings.readDelayMs === 0) visibleNow = true;
      return { ok: true, value: { messageId, sequenceNumber: sequence, ...sent } };
    });
    return { results, visibleNow };
  }

  /**
   * Claims messages for a receive. Messages past the dead-letter threshold are hidden and returned
   * separately for the queue object to move; for FIFO queues the rest of their group waits behind them.
   */
  claim(view: QueueView, req: ReceiveRequest, now: number): { messages: ReceivedMessage[]; deadLetters: MessageRow[] } {
    const { settings } = view;
    const visibilityMs = (req.visibilityTimeout ?? settings.visibilityTimeoutSeconds) * 1000;
    if (settings.fifo && req.attemptId) {
      const retried = this.#retryAttempt(view, req.attemptId, visibilityMs, now);
      if (retried) return { messages: retried, deadLetters: [] };
    }
    const aliveAfter = now - settings.retentionMs;
    const messages: ReceivedMessage[] = [];
    const deadLetters: MessageRow[] = [];
    const receivedSeqs: number[] = [];
    // One receipt per receive: handles still differ (they name the message) and change on every receive.
    const receipt = 1 + Math.floor(Math.random() * 0x7ffffffe);
    // Rows diverted to the dead-letter queue free their slot, so look again (bounded).
    for (let pass = 0; pass < 3 && messages.length < req.maxMessages; pass++) {
      const wanted = req.maxMessages - messages.length;
      const rows = settings.fifo
        ? pickByGroup(this.store.fifoCandidates(now, aliveAfter, settings.readDelayMs, FIFO_CANDIDATES), wanted)
        : this.store.visible(now, aliveAfter, wanted);
      const received: number[] = [];
      const diverted: number[] = [];
      const stoppedGroups = new Set<string>();
      for (const row of rows) {
        if (row.group_id !== null && stoppedGroups.has(row.group_id) && settings.fifo) continue;
        // maxReceiveCount counts receives from this queue only ("delivered to the source queue").
        if (settings.redrive && row.receive_count - row.receives_before >= settings.redrive.maxReceiveCount) {
          diverted.push(row.seq);
          deadLetters.push(row);
          if (row.group_id !== null) stoppedGroups.add(row.group_id);
          continue;
        }
        received.push(row.seq);
        messages.push(this.received(view, row, receipt, now, true));
      }
      this.store.markReceived(received, now, now + visibilityMs, receipt);
      this.store.hideMany(diverted, now + DEAD_LETTER_HOLD_MS);
      receivedSeqs.push(...received);
      if (!diverted.length || rows.length === 0) break;
    }
    if (settings.fifo && req.attemptId && receivedSeqs.length) {
      this.fifoLedger.rememberAttempt(req.attemptId, { seqs: receivedSeqs, receipt }, now);
    }
    return { messages, deadLetters };
  }

  /**
   * A retried FIFO receive (same ReceiveRequestAttemptId within 5 minutes) gets the same messages
   * and receipt handles, still held by that receive, and their visibility starts again.
   */
  #retryAttempt(view: QueueView, attemptId: string, visibilityMs: number, now: number): ReceivedMessage[] | undefined {
    const attempt = this.fifoLedger.attempt(attemptId, now);
    if (!attempt) return undefined;
    const order = new Map(attempt.seqs.map((seq, i) => [seq, i]));
    const rows = this.store
      .bySeq(attempt.seqs)
      .filter((row) => row.receipt === attempt.receipt)
      .sort((a, b) => order.get(a.seq)! - order.get(b.seq)!);
    for (const row of rows) this.store.setVisibleAt(row.seq, now + visibilityMs);
    return rows.map((row) => this.received(view, row, attempt.receipt, now, false));
  }

  /** The message as ReceiveMessage returns it; `counting` when this receive is being recorded now. */
  received(view: QueueView, row: MessageRow, receipt: number, now: number, counting: boolean): ReceivedMessage {
    const system: Record<string, string> = {
      SenderId: row.sender_id,
      SentTimestamp: String(row.sent_at),
      ApproximateReceiveCount: String(row.receive_count + (counting ? 1 : 0)),
      ApproximateFirstReceiveTimestamp: String(row.first_received_at ?? now),
    };
    if (row.trace_header) system.AWSTraceHeader = row.trace_header;
    if (row.dead_letter_source) system.DeadLetterQueueSourceArn = row.dead_letter_source;
    if (row.group_id) system.MessageGroupId = row.group_id;
    if (row.dedup_id) system.MessageDeduplicationId = row.dedup_id;
    if (view.settings.fifo) system.SequenceNumber = sequenceNumber(row.seq);
    return {
      messageId: row.message_id,
      receiptHandle: encodeReceiptHandle({ queue: view.state.incarnation, seq: row.seq, receipt }),
      body: row.body,
      md5OfBody: row.md5_body,
      attributes: row.attributes,
      md5OfAttributes: row.md5_attributes,
      system,
    };
  }

  /**
   * DeleteMessage(Batch). Standard queues: an already-deleted message or an outdated handle succeeds
   * (the latter without deleting, as SQS documents). FIFO queues: a handle whose visibility ran out
   * has expired.
   */
  delete(view: QueueView, refs: HandleRef[], now: number): EntryResult[] {
    const incarnation = view.state.incarnation;
    if (!view.settings.fifo) {
      this.store.deleteReceived(refs.filter((ref) => ref.incarnation === incarnation));
      return refs.map((ref) =>
        ref.incarnation === incarnation ? { ok: true, value: null } : { ok: false, error: receiptHandleIsInvalid(ref.handle) },
      );
    }
    const receipts = this.store.receipts(refs.map((ref) => ref.seq));
    const deletable: number[] = [];
    const results = refs.map((ref): EntryResult => {
      if (ref.incarnation !== incarnation) return { ok: false, error: receiptHandleIsInvalid(ref.handle) };
      const row = receipts.get(ref.seq);
      if (!row) return { ok: true, value: null };
      if (row.receipt !== ref.receipt || row.visibleAt <= now) return { ok: false, error: expiredHandle(ref.handle) };
      deletable.push(ref.seq);
      return { ok: true, value: null };
    });
    this.store.deleteMany(deletable);
    return results;
  }

  /** ChangeMessageVisibility(Batch); `released` when a message became visible at once. */
  changeVisibility(view: QueueView, changes: VisibilityChange[], now: number) {
    let released = false;
    const receipts = this.store.receipts(changes.map((c) => c.seq));
    const results = changes.map((change): EntryResult => {
      if (change.incarnation !== view.state.incarnation) return { ok: false, error: receiptHandleIsInvalid(change.handle) };
      const row = receipts.get(change.seq);
      if (view.settings.fifo && row && (row.receipt !== change.receipt || row.visibleAt <= now)) {
        return { ok: false, error: expiredHandle(change.handle) };
      }
      if (!row || row.receipt !== change.receipt) {
        return {
          ok: false,
          error: invalidParameter(
            "ReceiptHandle",
            change.handle,
            "Message does not exist or is not available for visibility timeout change.",
          ),
        };
      }
      const visibleAt = now + change.visibilityTimeout * 1000;
      if (visibleAt > (row.receivedAt ?? now) + MAX_VISIBILITY_MS) {
        return {
          ok: false,
          error: invalidParameter(
            "VisibilityTimeout",
            change.visibilityTimeout,
            "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]",
          ),
        };
      }
      this.store.setVisibleAt(change.seq, visibleAt);
      if (change.visibilityTimeout === 0) released = true;
      return { ok: true, value: null };
    });
    return { results, released };
  }

  /** PurgeQueue: every message, and for FIFO queues the deduplication window too. */
  purge(): void {
    this.store.deleteAll();
    this.fifoLedger.clear();
  }
}
