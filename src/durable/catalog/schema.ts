/**
 * SQLite schema of a catalog object (one per account and region): the index of its queues, topics,
 * subscriptions and Kinesis streams. Versions are recorded in `_schema_migrations` (../sql.ts) and
 * have been since the first catalog was created: new tables go in a new migration at the end.
 */
import type { Migration } from "../sql";

export const CATALOG_MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE queues (
      name TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      dead_letter_target TEXT
    )`,
    "CREATE INDEX queues_by_dead_letter_target ON queues (dead_letter_target, name)",
  ],
  [
    // SNS: topics and the account's subscriptions (ListTopics, ListSubscriptions).
    "CREATE TABLE topics (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL)",
    `CREATE TABLE subscriptions (
      arn TEXT PRIMARY KEY,
      topic_arn TEXT NOT NULL,
      protocol TEXT NOT NULL,
      endpoint TEXT NOT NULL,
      owner TEXT NOT NULL,
      pending INTEGER NOT NULL DEFAULT 0
    )`,
    "CREATE INDEX subscriptions_by_topic ON subscriptions (topic_arn)",
  ],
  [
    // Kinesis: streams (ListStreams, shard quota, on-demand stream count) and account settings.
    `CREATE TABLE streams (
      name TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      status TEXT NOT NULL,
      mode TEXT NOT NULL,
      open_shards INTEGER NOT NULL
    )`,
    "CREATE TABLE kinesis_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  ],
  [
    // Firehose: delivery streams (ListDeliveryStreams, the per-region quota).
    "CREATE TABLE delivery_streams (name TEXT PRIMARY KEY, type TEXT NOT NULL, created_at INTEGER NOT NULL)",
  ],
  [
    // DynamoDB: tables (ListTables).
    "CREATE TABLE dynamodb_tables (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL)",
  ],
];
