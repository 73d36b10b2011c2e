/**
 * SQLite schema of a bucket object: the bucket's settings (meta), its objects (one row per key), and
 * their bytes in chunks of at most 1 MiB (under the SQLite value limit), grouped by data id. A data
 * id's row in `data` says whether its bytes are being written, written and awaiting their object,
 * live, or garbage to sweep (`due`: when the alarm may remove them).
 */
import type { Migration } from "../sql";

export const BUCKET_MIGRATIONS: readonly Migration[] = [
  [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE objects (
      key TEXT PRIMARY KEY,
      size INTEGER NOT NULL,
      etag TEXT NOT NULL,
      last_modified INTEGER NOT NULL,
      headers TEXT NOT NULL,
      metadata TEXT NOT NULL,
      checksums TEXT NOT NULL,
      tags TEXT NOT NULL,
      segments TEXT NOT NULL
    )`,
    `CREATE TABLE data (
      data_id TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      size INTEGER NOT NULL DEFAULT 0,
      due INTEGER
    )`,
    "CREATE INDEX data_due ON data (due) WHERE due IS NOT NULL",
    `CREATE TABLE chunks (
      data_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      bytes BLOB NOT NULL,
      PRIMARY KEY (data_id, seq)
    )`,
  ],
];
