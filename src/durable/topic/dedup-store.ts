/**
 * A FIFO topic's deduplication window: a message id per deduplication key, kept five minutes, so a
 * repeated publish answers the first one's MessageId and SequenceNumber and delivers nothing.
 * @see https://docs.aws.amazon.com/sns/latest/dg/fifo-message-dedup.html
 */
import type { Published } from "../../domain/sns/contract";

export class DedupStore {
  constructor(private readonly sql: SqlStorage) {}

  find(key: string, now: number): Published | undefined {
    const row = this.sql
      .exec<{ message_id: string; sequence_number: string }>(
        "SELECT message_id, sequence_number FROM dedup WHERE key = ? AND expires_at > ?",
        key,
        now,
      )
      .toArray()[0];
    return row && { messageId: row.message_id, sequenceNumber: row.sequence_number };
  }

  remember(key: string, published: Published, expiresAt: number): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO dedup (key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?)",
      key,
      published.messageId,
      published.sequenceNumber ?? "",
      expiresAt,
    );
  }

  expire(now: number): void {
    this.sql.exec("DELETE FROM dedup WHERE expires_at <= ?", now);
  }

  nextExpiry(): number | undefined {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM dedup").one().t ?? undefined;
  }
}
