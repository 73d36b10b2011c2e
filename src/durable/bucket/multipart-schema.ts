/**
 * SQLite schema of a bucket's multipart uploads: one row per upload in progress (what the object
 * will carry, and the key's object as it was at initiation, for CompleteMultipartUpload's
 * conditional writes), one row per uploaded part pointing at its data id (whose bytes live in the
 * bucket's `chunks`, tracked by the data ledger as live while the upload holds them).
 */
import type { Migration } from "../sql";

export const MULTIPART_MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE uploads (
      upload_id TEXT PRIMARY KEY,
      key TEXT NOT NULL,
      initiated INTEGER NOT NULL,
      owner TEXT NOT NULL,
      settings TEXT NOT NULL
    )`,
    // ListMultipartUploads: by key (SQLite's BINARY collation is UTF-8 byte order), then by initiation.
    "CREATE INDEX uploads_by_key ON uploads (key, initiated)",
    `CREATE TABLE parts (
      upload_id TEXT NOT NULL,
      part_number INTEGER NOT NULL,
      data_id TEXT NOT NULL,
      size INTEGER NOT NULL,
      etag TEXT NOT NULL,
      last_modified INTEGER NOT NULL,
      checksums TEXT NOT NULL,
      PRIMARY KEY (upload_id, part_number)
    )`,
  ],
];
