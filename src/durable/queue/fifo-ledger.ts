/** The FIFO tables of a queue object: the deduplication window and remembered receive attempts. */
import { DEDUP_WINDOW_MS } from "../../domain/sqs/fifo";

/** A remembered receive attempt: the messages it returned and under which receipt. */
export interface ReceiveAttempt {
  seqs: number[];
  receipt: number;
}

/** The FIFO tables of a queue: deduplication window and remembered receive attempts. */
export class FifoLedger {
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

  /** Starts the window for a key; it holds even after the message is deleted. */
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

  attempt(attemptId: string, now: number): ReceiveAttempt | undefined {
    const row = this.sql
      .exec<{ attempt: string }>("SELECT attempt FROM receive_attempts WHERE attempt_id = ? AND expires_at > ?", attemptId, now)
      .toArray()[0];
    return row ? (JSON.parse(row.attempt) as ReceiveAttempt) : undefined;
  }

  rememberAttempt(attemptId: string, attempt: ReceiveAttempt, now: number): void {
    this.sql.exec(
      `INSERT INTO receive_attempts (attempt_id, attempt, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (attempt_id) DO UPDATE SET attempt = excluded.attempt, expires_at = excluded.expires_at`,
      attemptId,
      JSON.stringify(attempt),
      now + DEDUP_WINDOW_MS,
    );
  }

  /** PurgeQueue clears the deduplication window too (AWS-validated). */
  clear(): void {
    this.sql.exec("DELETE FROM dedup");
    this.sql.exec("DELETE FROM receive_attempts");
  }

  expire(now: number): void {
    this.sql.exec("DELETE FROM dedup WHERE expires_at <= ?", now);
    this.sql.exec("DELETE FROM receive_attempts WHERE expires_at <= ?", now);
  }

  nextExpiry(): number | undefined {
    const row = this.sql
      .exec<{ t: number | null }>(
        "SELECT MIN(t) AS t FROM (SELECT MIN(expires_at) AS t FROM dedup UNION ALL SELECT MIN(expires_at) FROM receive_attempts)",
      )
      .one();
    return row.t ?? undefined;
  }
}
