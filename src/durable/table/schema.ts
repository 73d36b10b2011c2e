/**
 * SQLite schema of a table object: the definition and settings in `meta`, items keyed by the
 * order-preserving key encoding, and secondary-index rows beside them. New tables go in a new
 * migration at the end.
 */
import type { Migration } from "../sql";

export const TABLE_MIGRATIONS: readonly Migration[] = [
  ["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"],
  [
    // Items by encoded hash and range key (range '' when the table has none); see ./item-store.ts.
    `CREATE TABLE items (
      hash TEXT NOT NULL,
      range TEXT NOT NULL,
      item TEXT NOT NULL,
      size INTEGER NOT NULL,
      PRIMARY KEY (hash, range)
    ) WITHOUT ROWID`,
    `CREATE TABLE index_rows (
      index_name TEXT NOT NULL,
      hash TEXT NOT NULL,
      range TEXT NOT NULL,
      table_hash TEXT NOT NULL,
      table_range TEXT NOT NULL,
      PRIMARY KEY (index_name, hash, range, table_hash, table_range)
    ) WITHOUT ROWID`,
    "CREATE INDEX index_rows_by_item ON index_rows (table_hash, table_range)",
  ],
  [
    // Time to Live: when an item expires (epoch ms, from its TTL attribute), for the alarm's sweep.
    "ALTER TABLE items ADD COLUMN expires INTEGER",
    "CREATE INDEX items_by_expiry ON items (expires) WHERE expires IS NOT NULL",
  ],
  [
    // TransactWriteItems' ClientRequestTokens of the last 10 minutes (see ./client-tokens.ts).
    "CREATE TABLE client_tokens (token TEXT PRIMARY KEY, digest TEXT NOT NULL, answer TEXT NOT NULL, expires INTEGER NOT NULL)",
  ],
];
