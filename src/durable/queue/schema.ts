/**
 * SQLite schema of a queue object. Every timer is a column: `visible_at` (delay and visibility),
 * `sent_at` (retention), move-task `next_run_at`. Indexes cover what receive and the alarm poll.
 */
import type { Migration } from "../sql";

export const QUEUE_MIGRATIONS: readonly Migration[] = [
  [
    // One JSON document per key: the queue's settings ("queue") and its deletion tombstone ("deleted").
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      message_id TEXT NOT NULL,
      body TEXT NOT NULL,
      attributes TEXT,
      md5_body TEXT NOT NULL,
      md5_attributes TEXT,
      trace_header TEXT,
      md5_system TEXT,
      group_id TEXT,
      dedup_id TEXT,
      sender_id TEXT NOT NULL,
      sent_at INTEGER NOT NULL,
      visible_at INTEGER NOT NULL,
      receive_count INTEGER NOT NULL DEFAULT 0,
      first_received_at INTEGER,
      received_at INTEGER,
      receipt INTEGER NOT NULL DEFAULT 0,
      dead_letter_source TEXT,
      size INTEGER NOT NULL
    )`,
    "CREATE INDEX messages_by_visible_at ON messages (visible_at)",
    "CREATE INDEX messages_by_sent_at ON messages (sent_at)",
    `CREATE TABLE move_tasks (
      task_id TEXT PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'CANCELLING', 'CANCELLED', 'FAILED')),
      source_arn TEXT NOT NULL,
      destination_arn TEXT,
      max_per_second INTEGER,
      moved INTEGER NOT NULL DEFAULT 0,
      to_move INTEGER NOT NULL,
      started_at INTEGER NOT NULL,
      next_run_at INTEGER,
      failure_reason TEXT
    )`,
  ],
  [
    // Receives a dead-lettered message had before it arrived here: ApproximateReceiveCount continues
    // from them, but maxReceiveCount counts only receives from this queue (chains of DLQs).
    "ALTER TABLE messages ADD COLUMN receives_before INTEGER NOT NULL DEFAULT 0",
  ],
  [
    // FIFO queues: the 5-minute deduplication window (key = dedup id, or group + dedup id with
    // DeduplicationScope=messageGroup) and remembered receive attempts (ReceiveRequestAttemptId).
    "CREATE TABLE dedup (key TEXT PRIMARY KEY, message_id TEXT NOT NULL, sequence_number TEXT NOT NULL, expires_at INTEGER NOT NULL)",
    "CREATE INDEX dedup_by_expiry ON dedup (expires_at)",
    "CREATE TABLE receive_attempts (attempt_id TEXT PRIMARY KEY, attempt TEXT NOT NULL, expires_at INTEGER NOT NULL)",
    "CREATE INDEX receive_attempts_by_expiry ON receive_attempts (expires_at)",
    // FIFO receives find each group's first in-flight message.
    "CREATE INDEX messages_by_group ON messages (group_id, seq)",
  ],
];
