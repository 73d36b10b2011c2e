/**
 * SQLite schema of a topic object. Publish stores one `messages` row and one `deliveries` row per
 * matching subscription (the outbox); the topic's alarm and a delivery pump work the outbox off.
 * Every retry time is a `due_at`; the alarm is armed at the earliest.
 */
import type { Migration } from "../sql";

export const TOPIC_MIGRATIONS: readonly Migration[] = [
  [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE subscriptions (
      id TEXT PRIMARY KEY,
      protocol TEXT NOT NULL,
      endpoint TEXT NOT NULL,
      owner TEXT NOT NULL,
      attributes TEXT NOT NULL,
      pending INTEGER NOT NULL,
      token TEXT,
      token_expires_at INTEGER,
      authenticated INTEGER NOT NULL DEFAULT 0,
      authenticate_on_unsubscribe INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    )`,
    "CREATE INDEX subscriptions_by_endpoint ON subscriptions (protocol, endpoint)",
    "CREATE INDEX subscriptions_by_token ON subscriptions (token)",
    `CREATE TABLE messages (
      id TEXT PRIMARY KEY,
      payload TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
    `CREATE TABLE deliveries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      message_id TEXT NOT NULL,
      subscription_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation')),
      group_id TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      due_at INTEGER NOT NULL,
      claimed_until INTEGER NOT NULL DEFAULT 0,
      first_failure TEXT
    )`,
    "CREATE INDEX deliveries_by_due_at ON deliveries (due_at)",
    "CREATE INDEX deliveries_by_message ON deliveries (message_id)",
    "CREATE TABLE dedup (key TEXT PRIMARY KEY, message_id TEXT NOT NULL, sequence_number TEXT NOT NULL, expires_at INTEGER NOT NULL)",
    "CREATE INDEX dedup_by_expiry ON dedup (expires_at)",
  ],
];
