/**
 * The messages of one queue in SQLite. All functions are synchronous SQL, so a claim and the update
 * that hides the claimed rows cannot interleave with another request (Durable Object input gates).
 * Times are epoch milliseconds; a message is visible when `visible_at <= now` and alive while
 * `sent_at > now - retention`.
 */
import type { MessageContent, MovedMessage, QueueCounts } from "../../domain/sqs/contract";
import { queueCounts } from "../../domain/sqs/message-counts";
import { countParts, countStored, countVisible } from "./message-counts";

/** What a stored message is made of: its content, and its FIFO group and deduplication ids if any. */
export type Insertable = MessageContent & { groupId?: string | null; deduplicationId?: string | null };

/** Receives a message had before it came here (a dead-letter move), counted on in ApproximateReceiveCount. */
interface History {
  receiveCount: number;
  firstReceivedAt: number | null;
  deadLetterSource: string | null;
}

const NO_HISTORY: History = { receiveCount: 0, firstReceivedAt: null, deadLetterSource: null };

export type MessageRow = {
  seq: number;
  message_id: string;
  body: string;
  attributes: string | null;
  md5_body: string;
  md5_attributes: string | null;
  trace_header: string | null;
  md5_system: string | null;
  group_id: string | null;
  dedup_id: string | null;
  sender_id: string;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_received_at: number | null;
  received_at: number | null;
  receipt: number;
  dead_letter_source: string | null;
  size: number;
  /** Receives before a dead-letter move brought the message here (see schema). */
  receives_before: number;
};

export class MessageStore {
  /**
   * How many messages are stored, once counted (null until a count is asked for): every insert and
   * delete goes through this class and keeps it. In memory only, so a restart (or a crash before a
   * commit) cannot leave it wrong: the next count starts again from the table.
   */
  #stored: number | null = null;

  constructor(private readonly sql: SqlStorage) {}

  /** Stores a new message; returns its sequence in the queue when asked (FIFO sequence numbers). */
  insert(message: Insertable, messageId: string, sentAt: number, visibleAt: number, returnSeq = false): number | undefined {
    return this.#insert(message, messageId, sentAt, visibleAt, NO_HISTORY, returnSeq);
  }

  /** Stores a message moved from another queue, keeping its id, sent time and receive history. */
  insertMoved(message: MovedMessage, sourceArn: string, visibleAt: number): void {
    const history = { receiveCount: message.receiveCount, firstReceivedAt: message.firstReceivedAt, deadLetterSource: sourceArn };
    this.#insert(message, message.messageId, message.sentAt, visibleAt, history, false);
  }

  #insert(message: Insertable, messageId: string, sentAt: number, visibleAt: number, history: History, returnSeq: boolean) {
    const cursor = this.sql.exec<{ seq: number }>(
      `INSERT INTO messages (message_id, body, attributes, md5_body, md5_attributes, trace_header, md5_system,
         group_id, dedup_id, sender_id, sent_at, visible_at, receive_count, first_received_at, dead_letter_source, size,
         receives_before)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${returnSeq ? " RETURNING seq" : ""}`,
      messageId,
      message.body,
      message.attributes,
      message.md5OfBody,
      message.md5OfAttributes,
      message.traceHeader,
      message.md5OfSystemAttributes,
      message.groupId ?? null,
      message.deduplicationId ?? null,
      message.senderId,
      sentAt,
      visibleAt,
      history.receiveCount,
      history.firstReceivedAt,
      history.deadLetterSource,
      message.size,
      history.receiveCount,
    );
    if (this.#stored !== null) this.#stored++;
    return returnSeq ? cursor.one().seq : undefined;
  }

  /**
   * Oldest-visible-first candidates for a receive (standard queues make no stronger ordering promise).
   * Rows come back as arrays (`raw()`), which workerd builds much faster than objects.
   */
  visible(now: number, aliveAfter: number, limit: number): MessageRow[] {
    const rows: MessageRow[] = [];
    const cursor = this.sql.exec(
      `SELECT ${COLUMNS.join(", ")} FROM messages WHERE visible_at <= ? AND sent_at > ? ORDER BY visible_at, seq LIMIT ?`,
      now,
      aliveAfter,
      limit,
    );
    for (const values of cursor.raw()) rows.push(toRow(values));
    return rows;
  }

  /**
   * FIFO candidates in queue order: visible, past the queue's delay, and before the first in-flight
   * message of their group (a group is blocked from its first in-flight message on; earlier ones whose
   * visibility was reset may be received again). A message past retention is gone and holds nothing.
   */
  fifoCandidates(now: number, aliveAfter: number, delayMs: number, limit: number): MessageRow[] {
    const rows: MessageRow[] = [];
    const cursor = this.sql.exec(
      `WITH blocked AS (
         SELECT group_id, MIN(seq) AS first_in_flight FROM messages
         WHERE visible_at > ? AND receive_count > 0 AND sent_at > ? GROUP BY group_id
       )
       SELECT ${COLUMNS.map((c) => `m.${c}`).join(", ")} FROM messages m LEFT JOIN blocked b ON b.group_id = m.group_id
       WHERE m.visible_at <= ? AND m.sent_at <= ? AND m.sent_at > ? AND (b.first_in_flight IS NULL OR m.seq < b.first_in_flight)
       ORDER BY m.seq LIMIT ?`,
      now,
      aliveAfter,
      now,
      now - delayMs,
      aliveAfter,
      limit,
    );
    for (const values of cursor.raw()) rows.push(toRow(values));
    return rows;
  }

  /** Messages by sequence, e.g. to answer a retried FIFO receive. */
  bySeq(seqs: number[]): MessageRow[] {
    const rows: MessageRow[] = [];
    for (const chunk of chunks(seqs)) {
      const cursor = this.sql.exec(
        `SELECT ${COLUMNS.join(", ")} FROM messages WHERE seq IN (${placeholders(chunk.length)}) ORDER BY seq`,
        ...chunk,
      );
      for (const values of cursor.raw()) rows.push(toRow(values));
    }
    return rows;
  }

  /** Records one receive of several messages: hidden until `visibleAt`, under the receive's receipt. */
  markReceived(seqs: number[], now: number, visibleAt: number, receipt: number): void {
    for (const chunk of chunks(seqs)) {
      this.sql.exec(
        `UPDATE messages SET visible_at = ?, receive_count = receive_count + 1,
           first_received_at = COALESCE(first_received_at, ?), received_at = ?, receipt = ?
         WHERE seq IN (${placeholders(chunk.length)})`,
        visibleAt,
        now,
        now,
        receipt,
        ...chunk,
      );
    }
  }

  /** Hides messages without counting a receive (while they are being moved elsewhere). */
  hideMany(seqs: number[], until: number): void {
    for (const chunk of chunks(seqs)) {
      this.sql.exec(`UPDATE messages SET visible_at = ? WHERE seq IN (${placeholders(chunk.length)})`, until, ...chunk);
    }
  }

  deleteMany(seqs: number[]): void {
    for (const chunk of chunks(seqs)) {
      this.#deleted(this.sql.exec(`DELETE FROM messages WHERE seq IN (${placeholders(chunk.length)})`, ...chunk));
    }
  }

  /** Deletes the messages whose current receipt is the given one (an outdated handle deletes nothing). */
  deleteReceived(handles: { seq: number; receipt: number }[]): void {
    for (const chunk of chunks(handles, 45)) {
      this.#deleted(
        this.sql.exec(
          `DELETE FROM messages WHERE (seq, receipt) IN (VALUES ${chunk.map(() => "(?, ?)").join(", ")})`,
          ...chunk.flatMap((h) => [h.seq, h.receipt]),
        ),
      );
    }
  }

  /** Current receipt, receive time and visibility of messages, for deletes and visibility changes. */
  receipts(seqs: number[]): Map<number, { receipt: number; receivedAt: number | null; visibleAt: number }> {
    const out = new Map<number, { receipt: number; receivedAt: number | null; visibleAt: number }>();
    for (const chunk of chunks(seqs)) {
      const cursor = this.sql.exec(
        `SELECT seq, receipt, received_at, visible_at FROM messages WHERE seq IN (${placeholders(chunk.length)})`,
        ...chunk,
      );
      for (const [seq, receipt, receivedAt, visibleAt] of cursor.raw()) {
        out.set(seq as number, {
          receipt: receipt as number,
          receivedAt: receivedAt as number | null,
          visibleAt: visibleAt as number,
        });
      }
    }
    return out;
  }

  setVisibleAt(seq: number, visibleAt: number): void {
    this.sql.exec("UPDATE messages SET visible_at = ? WHERE seq = ?", visibleAt, seq);
  }

  deleteAll(): void {
    this.sql.exec("DELETE FROM messages");
    this.#stored = 0;
  }

  /** Deletes up to `limit` messages past retention; returns how many went. */
  expire(aliveAfter: number, limit: number): number {
    return this.#deleted(
      this.sql.exec("DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE sent_at <= ? LIMIT ?)", aliveAfter, limit),
    );
  }

  /** Keeps the stored count after a DELETE (whose rows written are the rows it deleted); returns them. */
  #deleted(cursor: SqlStorageCursor<Record<string, SqlStorageValue>>): number {
    const deleted = cursor.rowsWritten;
    if (this.#stored !== null) this.#stored -= deleted;
    return deleted;
  }

  /** The storage was changed behind this store's back (wiped, or a transaction rolled back): count again. */
  forgetCount(): void {
    this.#stored = null;
  }

  #storedCount(): number {
    this.#stored ??= countStored(this.sql);
    return this.#stored;
  }

  oldestSentAt(): number | undefined {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(sent_at) AS t FROM messages").one().t ?? undefined;
  }

  /**
   * The next time a hidden message becomes visible, for waking long polls. `delayMs` is the FIFO
   * queue delay, applied at read time (a FIFO delay change applies to waiting messages).
   */
  nextVisibleAt(now: number, delayMs = 0): number | undefined {
    const hidden = this.sql
      .exec<{ t: number | null }>("SELECT MIN(visible_at) AS t FROM messages WHERE visible_at > ?", now)
      .one().t;
    const delayed = delayMs
      ? this.sql
          .exec<{ t: number | null }>(
            "SELECT MIN(sent_at) AS t FROM messages WHERE receive_count = 0 AND sent_at > ?",
            now - delayMs,
          )
          .one().t
      : null;
    const candidates = [hidden, delayed === null ? null : delayed + delayMs].filter((t): t is number => t !== null);
    return candidates.length ? Math.min(...candidates) : undefined;
  }

  /**
   * ApproximateNumberOfMessages / …NotVisible / …Delayed (`delayMs` as for nextVisibleAt), reading
   * only the messages that are not plainly visible (see ./message-counts.ts).
   */
  counts(now: number, aliveAfter: number, delayMs = 0): QueueCounts {
    return queueCounts(countParts(this.sql, this.#storedCount(), now, aliveAfter, delayMs));
  }

  countVisible(now: number, aliveAfter: number): number {
    return countVisible(this.sql, this.#storedCount(), now, aliveAfter);
  }
}

export function toMovedMessage(row: MessageRow): MovedMessage {
  return {
    messageId: row.message_id,
    body: row.body,
    attributes: row.attributes,
    md5OfBody: row.md5_body,
    md5OfAttributes: row.md5_attributes,
    traceHeader: row.trace_header,
    md5OfSystemAttributes: row.md5_system,
    groupId: row.group_id,
    deduplicationId: row.dedup_id,
    senderId: row.sender_id,
    sentAt: row.sent_at,
    receiveCount: row.receive_count,
    firstReceivedAt: row.first_received_at,
    size: row.size,
  };
}

/** Columns of MessageRow, in the order `raw()` rows are read. */
const COLUMNS = [
  "seq",
  "message_id",
  "body",
  "attributes",
  "md5_body",
  "md5_attributes",
  "trace_header",
  "md5_system",
  "group_id",
  "dedup_id",
  "sender_id",
  "sent_at",
  "visible_at",
  "receive_count",
  "first_received_at",
  "received_at",
  "receipt",
  "dead_letter_source",
  "size",
  "receives_before",
] as const satisfies readonly (keyof MessageRow)[];

function toRow(values: SqlStorageValue[]): MessageRow {
  const row: Record<string, SqlStorageValue> = {};
  for (let i = 0; i < COLUMNS.length; i++) row[COLUMNS[i]!] = values[i]!;
  return row as MessageRow;
}

/** SQLite binds at most 100 parameters per statement; keep lists well under that. */
function chunks<T>(items: T[], size = 90): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const placeholders = (n: number): string => Array(n).fill("?").join(", ");
