/**
 * The messages of one queue in SQLite. All functions are synchronous SQL, so a claim and the update
 * that hides the claimed rows cannot interleave with another request (Durable Object input gates).
 * Times are epoch milliseconds; a message is visible when `visible_at <= now` and alive while
 * `sent_at > now - retention`.
 */
import type { MovedMessage, NewMessage } from "./types";

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
  constructor(private readonly sql: SqlStorage) {}

  insert(message: NewMessage, messageId: string, now: number, visibleAt: number): void {
    this.sql.exec(
      `INSERT INTO messages (message_id, body, attributes, md5_body, md5_attributes, trace_header, md5_system,
           group_id, dedup_id, sender_id, sent_at, visible_at, size)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      now,
      visibleAt,
      message.size,
    );
  }

  /** Stores a message moved from another queue, keeping its id, sent time and receive history. */
  insertMoved(message: MovedMessage, sourceArn: string, visibleAt: number): void {
    this.sql.exec(
      `INSERT INTO messages (message_id, body, attributes, md5_body, md5_attributes, trace_header, md5_system,
         group_id, dedup_id, sender_id, sent_at, visible_at, receive_count, first_received_at, dead_letter_source, size,
         receives_before)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      message.messageId,
      message.body,
      message.attributes,
      message.md5OfBody,
      message.md5OfAttributes,
      message.traceHeader,
      message.md5OfSystemAttributes,
      message.groupId,
      message.deduplicationId,
      message.senderId,
      message.sentAt,
      visibleAt,
      message.receiveCount,
      message.firstReceivedAt,
      sourceArn,
      message.size,
      message.receiveCount,
    );
  }

  /** Oldest-visible-first candidates for a receive (standard queues make no stronger ordering promise). */
  visible(now: number, aliveAfter: number, limit: number): MessageRow[] {
    return this.sql
      .exec<MessageRow>(
        "SELECT * FROM messages WHERE visible_at <= ? AND sent_at > ? ORDER BY visible_at, seq LIMIT ?",
        now,
        aliveAfter,
        limit,
      )
      .toArray();
  }

  /** Records a receive: hides the message until `visibleAt` under a new receipt. */
  markReceived(seq: number, now: number, visibleAt: number, receipt: number): void {
    this.sql.exec(
      `UPDATE messages SET visible_at = ?, receive_count = receive_count + 1,
         first_received_at = COALESCE(first_received_at, ?), received_at = ?, receipt = ? WHERE seq = ?`,
      visibleAt,
      now,
      now,
      receipt,
      seq,
    );
  }

  /** Hides a message without counting a receive (while it is being moved elsewhere). */
  hide(seq: number, until: number): void {
    this.sql.exec("UPDATE messages SET visible_at = ? WHERE seq = ?", until, seq);
  }

  get(seq: number): MessageRow | undefined {
    return this.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq = ?", seq).toArray()[0];
  }

  setVisibleAt(seq: number, visibleAt: number): void {
    this.sql.exec("UPDATE messages SET visible_at = ? WHERE seq = ?", visibleAt, seq);
  }

  delete(seq: number): void {
    this.sql.exec("DELETE FROM messages WHERE seq = ?", seq);
  }

  deleteAll(): void {
    this.sql.exec("DELETE FROM messages");
  }

  /** Deletes up to `limit` messages past retention; returns how many went. */
  expire(aliveAfter: number, limit: number): number {
    return this.sql.exec(
      "DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE sent_at <= ? LIMIT ?)",
      aliveAfter,
      limit,
    ).rowsWritten;
  }

  oldestSentAt(): number | undefined {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(sent_at) AS t FROM messages").one().t ?? undefined;
  }

  /** The next time a hidden message becomes visible, for waking long polls. */
  nextVisibleAt(now: number): number | undefined {
    return (
      this.sql.exec<{ t: number | null }>("SELECT MIN(visible_at) AS t FROM messages WHERE visible_at > ?", now).one().t ??
      undefined
    );
  }

  /** ApproximateNumberOfMessages / …NotVisible / …Delayed. */
  counts(now: number, aliveAfter: number): { visible: number; inFlight: number; delayed: number } {
    const row = this.sql
      .exec<{ visible: number; in_flight: number; delayed: number }>(
        `SELECT
           COALESCE(SUM(visible_at <= ?), 0) AS visible,
           COALESCE(SUM(visible_at > ? AND receive_count > 0), 0) AS in_flight,
           COALESCE(SUM(visible_at > ? AND receive_count = 0), 0) AS delayed
         FROM messages WHERE sent_at > ?`,
        now,
        now,
        now,
        aliveAfter,
      )
      .one();
    return { visible: row.visible, inFlight: row.in_flight, delayed: row.delayed };
  }

  countVisible(now: number, aliveAfter: number): number {
    return this.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE visible_at <= ? AND sent_at > ?", now, aliveAfter)
      .one().n;
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
