/**
 * SQLite schema of a table object. The first step keeps the table's definition and settings in
 * `meta`; item storage (keyed by the order-preserving key encoding, with index rows beside it) is
 * added as the next migration. New tables go in a new migration at the end.
 */
import type { Migration } from "../sql";

export const TABLE_MIGRATIONS: readonly Migration[] = [["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"]];
