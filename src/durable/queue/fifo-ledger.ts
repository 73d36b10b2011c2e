/** The FIFO tables of a queue object: the deduplication window and remembered receive attempts. */
import { DEDUP_WINDOW_MS } from "../../domain/sqs/fifo";
import { earliest } from "../alarm";
import { DedupWindow } from "../dedup-window";

/** A remembered receive attempt: the messages it returned and under which receipt. */
export interface ReceiveAttempt {
  seqs: number[];
  receipt: number;
}

/** The FIFO tables of a queue: the deduplication window (shared with FIFO topics) and receive attempts. */
export class FifoLedger extends DedupWindow {
  constructor(private readonly db: SqlStorage) {
    super(db);
  }

  attempt(attemptId: string, now: number): ReceiveAttempt | undefined {
    const row = this.db
      .exec<{ attempt: string }>("SELECT attempt FROM receive_attempts WHERE attempt_id = ? AND expires_at > ?", attemptId, now)
      .toArray()[0];
    return row ? (JSON.parse(row.attempt) as ReceiveAttempt) : undefined;
  }

  rememberAttempt(attemptId: string, attempt: ReceiveAttempt, now: number): void {
    this.db.exec(
      `INSERT INTO receive_attempts (attempt_id, attempt, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (attempt_id) DO UPDATE SET attempt = excluded.attempt, expires_at = excluded.expires_at`,
      attemptId,
      JSON.stringify(attempt),
      now + DEDUP_WINDOW_MS,
    );
  }

  /** PurgeQueue clears the deduplication window too (AWS-validated). */
  clear(): void {
    this.db.exec("DELETE FROM dedup");
    this.db.exec("DELETE FROM receive_attempts");
  }

  override expire(now: number): void {
    super.expire(now);
    this.db.exec("DELETE FROM receive_attempts WHERE expires_at <= ?", now);
  }

  override nextExpiry(): number | undefined {
    const attempts = this.db.exec<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM receive_attempts").one().t;
    return earliest(super.nextExpiry(), attempts);
  }
}
