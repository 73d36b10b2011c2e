/**
 * SQLite schema of a shard object. `records.seq` is the shard's record counter (it is also encoded in
 * each record's AWS sequence number); `arrived_at` drives retention and AT_TIMESTAMP iterators. It
 * never decreases along `seq`, so those searches walk the primary key and need no second index
 * (which would cost a write per record).
 * Rows over the 2 MB row limit of Durable Object SQLite (records up to 10 MiB) keep their data in
 * `record_chunks` instead of `records.data`.
 */
import type { Migration } from "../sql";

export const SHARD_MIGRATIONS: readonly Migration[] = [
  [
    // One JSON document per key: the shard's spec ("spec"), its closing ("closed"), its deletion
    // ("destroyed") and the highest counter ever trimmed ("trimmed"), so counters never repeat.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE records (
      seq INTEGER PRIMARY KEY,
      arrived_at INTEGER NOT NULL,
      partition_key TEXT NOT NULL,
      explicit_hash_key TEXT,
      size INTEGER NOT NULL,
      data BLOB
    )`,
    "CREATE TABLE record_chunks (seq INTEGER NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (seq, part))",
  ],
  [
    // Records written while the stream had server-side encryption on read back with EncryptionType KMS.
    "ALTER TABLE records ADD COLUMN encrypted INTEGER NOT NULL DEFAULT 0",
  ],
];
