/**
 * FIFO queue rules inside a queue object: message-group ordering and locking on receive, the
 * 5-minute deduplication window, sequence numbers, and retried receives (ReceiveRequestAttemptId).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
 */
import type { MessageRow } from "./message-store";

/** SQS's deduplication interval, also how long a receive attempt id is remembered. */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

/** How many candidates a FIFO receive looks at to fill its answer from as few groups as possible. */
export const FIFO_CANDIDATES = 100;

/**
 * SequenceNumber as SQS shows it: a 20-digit decimal, strictly increasing in the queue (not
 * consecutive), derived from the message's position in the queue.
 */
export const sequenceNumber = (seq: number): string => String(18_000_000_000_000_000_000n + BigInt(seq) * 1000n);

export interface DedupSettings {
  /** `queue` (default) or `messageGroup`: whether the same id in two groups is a duplicate. */
  scope: string;
}

export const dedupKey = (settings: DedupSettings, groupId: string, deduplicationId: string): string =>
  settings.scope === "messageGroup" ? `${groupId}\n${deduplicationId}` : deduplicationId;

/**
 * Picks what a FIFO receive returns from candidates in queue order (each already the deliverable
 * head of its group): as many messages of the first group as fit, then the next group's, "still in
 * FIFO order" within each group.
 */
export function pickByGroup(candidates: MessageRow[], max: number): MessageRow[] {
  const groups = new Map<string, MessageRow[]>();
  for (const row of candidates) {
    const key = row.group_id ?? "";
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  const picked: MessageRow[] = [];
  for (const rows of groups.values()) {
    for (const row of rows) {
      if (picked.length >= max) return picked;
      picked.push(row);
    }
  }
  return picked;
}

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
