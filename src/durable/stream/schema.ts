/**
 * SQLite schema of a stream object. The stream's settings are one JSON row in `meta` (read on wake,
 * small, changed rarely); shards, tags and consumers are tables because they are listed and paged.
 */
import type { Migration } from "../sql";

export const STREAM_MIGRATIONS: readonly Migration[] = [
  [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    // Every shard, open and closed; `idx` is the number in shardId-000000000007 (creation order).
    `CREATE TABLE shards (
      idx INTEGER PRIMARY KEY,
      parent INTEGER,
      adjacent_parent INTEGER,
      starting_hash_key TEXT NOT NULL,
      ending_hash_key TEXT NOT NULL,
      starting_sequence_number TEXT NOT NULL,
      ending_sequence_number TEXT,
      created_at INTEGER NOT NULL,
      closed_at INTEGER
    )`,
    "CREATE TABLE tags (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    // Enhanced fan-out consumers (stream/consumers.ts); DeleteStream only asks whether any exist.
    `CREATE TABLE consumers (
      name TEXT PRIMARY KEY,
      arn TEXT,
      status TEXT,
      created_at INTEGER,
      -- when CREATING ends (ACTIVE from then on)
      status_at INTEGER
    )`,
    // Deregistered consumers show as DELETING until gone_at.
    `CREATE TABLE consumers_deleting (
      name TEXT PRIMARY KEY,
      arn TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      gone_at INTEGER NOT NULL
    )`,
    // One SubscribeToShard per consumer and shard: a newer subscription takes the lease over.
    `CREATE TABLE consumer_leases (
      consumer TEXT NOT NULL,
      shard_id TEXT NOT NULL,
      lease TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      PRIMARY KEY (consumer, shard_id)
    )`,
    // Tags of consumers (TagResource on a consumer ARN), dropped with the consumer or the stream.
    "CREATE TABLE consumer_tags (consumer TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (consumer, key))",
  ],
];
