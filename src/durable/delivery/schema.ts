/**
 * SQLite schema of a delivery stream object. `records` holds every accepted record until the batch it
 * belongs to has been delivered (or backed up): acknowledged data survives any restart. A batch is a
 * range of record rows cut from the buffer when it is full or old enough; its row carries what a
 * retry must reuse (the object key, the HTTP request id) so that a retry after a crash writes the same
 * object and sends the same request id. New tables go in a new migration at the end.
 */
import type { Migration } from "../sql";

export const DELIVERY_STREAM_MIGRATIONS: readonly Migration[] = [
  [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    // Records packed in rows of at most 1 MiB (each record a 4-byte length and its bytes): one
    // INSERT per put call, not per record. `size` is the records' own bytes (what SizeInMBs counts).
    `CREATE TABLE records (
      seq INTEGER PRIMARY KEY,
      arrival INTEGER NOT NULL,
      count INTEGER NOT NULL,
      size INTEGER NOT NULL,
      data BLOB NOT NULL
    )`,
    `CREATE TABLE batches (
      id INTEGER PRIMARY KEY,
      first_seq INTEGER NOT NULL,
      last_seq INTEGER NOT NULL,
      records INTEGER NOT NULL,
      bytes INTEGER NOT NULL,
      oldest_arrival INTEGER NOT NULL,
      -- 'primary': to the destination; 'backup': failed data to the S3 backup under the error prefix
      stage TEXT NOT NULL,
      uuid TEXT NOT NULL,
      object_key TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      -- a 'failed' batch: the attempts its delivery made before it gave up (attemptsMade)
      attempts_made INTEGER NOT NULL DEFAULT 0,
      first_attempt_at INTEGER,
      next_at INTEGER NOT NULL,
      last_error TEXT,
      last_error_code TEXT
    )`,
    "CREATE INDEX batches_by_due ON batches (next_at)",
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
  ],
];
