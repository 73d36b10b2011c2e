/**
 * The deduplication window of a FIFO queue or topic: the message a deduplication key stands for, kept
 * five minutes (AWS's window), so a repeated send or publish answers the first one's MessageId and
 * SequenceNumber and stores nothing. Lives in the object's `dedup (key, message_id, sequence_number,
 * expires_at)` table.
 * @see https://docs.aws.amazon.com/sns/latest/dg/fifo-message-dedup.html
 */
import { DEDUP_WINDOW_MS } from "../domain/sqs/fifo";

export class DedupWindow {
  constructor(private readonly sql: SqlStorage) {}

  /** The message a deduplication key already stands for, within the window. */
  duplicateOf(key: string, now: number): { messageId: string; sequenceNumber: string } | undefined {
    const row = this.sql
      .exec<{ message_id: string; sequence_number: string }>(
        "SELECT message_id, sequence_number FROM dedup WHERE key = ? AND expires_at > ?",
        key,
        now,
      )
      .toArray()[0];
    return row ? { messageId: row.message_id, sequenceNumber: row.sequence_number } : undefined;
  }

  /** Starts the window for a key; it holds even after the message is gone. */
  remember(key: string, messageId: string, sequenceNumber: string, now: number): void {
    this.sql.exec(
      `INSERT INTO dedup (key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET message_id = excluded.message_id, sequence_number = excluded.sequence_number,
         expires_at = excluded.expires_at`,
      key,
      messageId,
      sequenceNumber,
      now + DEDUP_WINDOW_MS,
    );
  }

  expire(now: number): void {
    this.sql.exec("DELETE FROM dedup WHERE expires_at <= ?", now);
  }

  nextExpiry(): number | undefined {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM dedup").one().t ?? undefined;
  }
}
