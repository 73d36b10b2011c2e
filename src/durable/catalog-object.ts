/**
 * CatalogObject: the queues, topics and subscriptions of one (account, region). Queue and topic
 * objects register here on create and unregister on delete; ListQueues, ListDeadLetterSourceQueues,
 * ListTopics and ListSubscriptions read from here. The resource objects remain the truth; this is
 * their index.
 */
import { DurableObject } from "cloudflare:workers";
import { migrate, type Migration } from "./sql";

const MIGRATIONS: readonly Migration[] = [
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
];

export interface SubscriptionEntry {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  pending: boolean;
}

export interface CatalogEntry {
  name: string;
  createdAt: number;
  /** ARN of the queue's dead-letter queue, if it has a RedrivePolicy. */
  deadLetterTarget: string | null;
}

export class CatalogObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, MIGRATIONS);
  }

  /** Adds or updates a queue's entry (idempotent). */
  register(entry: CatalogEntry): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO queues (name, created_at, dead_letter_target) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET created_at = excluded.created_at, dead_letter_target = excluded.dead_letter_target`,
      entry.name,
      entry.createdAt,
      entry.deadLetterTarget,
    );
  }

  unregister(name: string): void {
    this.ctx.storage.sql.exec("DELETE FROM queues WHERE name = ?", name);
  }

  /** Names in order, filtered by a case-sensitive prefix, starting after `after`. */
  list(prefix: string, limit: number, after?: string): string[] {
    return this.ctx.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM queues WHERE substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?",
        prefix.length,
        prefix,
        after ?? "",
        limit,
      )
      .toArray()
      .map((r) => r.name);
  }

  /** Queues whose RedrivePolicy names `targetArn` as their dead-letter queue. */
  deadLetterSources(targetArn: string, limit: number, after?: string): string[] {
    return this.ctx.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM queues WHERE dead_letter_target = ? AND name > ? ORDER BY name LIMIT ?",
        targetArn,
        after ?? "",
        limit,
      )
      .toArray()
      .map((r) => r.name);
  }

  registerTopic(name: string, createdAt: number): void {
    this.ctx.storage.sql.exec("INSERT OR IGNORE INTO topics (name, created_at) VALUES (?, ?)", name, createdAt);
  }

  /** Drops a topic and every subscription to it. */
  unregisterTopic(name: string, topicArn: string): void {
    this.ctx.storage.sql.exec("DELETE FROM topics WHERE name = ?", name);
    this.ctx.storage.sql.exec("DELETE FROM subscriptions WHERE topic_arn = ?", topicArn);
  }

  listTopics(limit: number, after?: string): string[] {
    return this.ctx.storage.sql
      .exec<{ name: string }>("SELECT name FROM topics WHERE name > ? ORDER BY name LIMIT ?", after ?? "", limit)
      .toArray()
      .map((r) => r.name);
  }

  registerSubscription(entry: SubscriptionEntry): void {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO subscriptions (arn, topic_arn, protocol, endpoint, owner, pending) VALUES (?, ?, ?, ?, ?, ?)",
      entry.arn,
      entry.topicArn,
      entry.protocol,
      entry.endpoint,
      entry.owner,
      entry.pending ? 1 : 0,
    );
  }

  unregisterSubscription(arn: string): void {
    this.ctx.storage.sql.exec("DELETE FROM subscriptions WHERE arn = ?", arn);
  }

  listSubscriptions(limit: number, after?: string): SubscriptionEntry[] {
    return this.ctx.storage.sql
      .exec<{ arn: string; topic_arn: string; protocol: string; endpoint: string; owner: string; pending: number }>(
        "SELECT * FROM subscriptions WHERE arn > ? ORDER BY arn LIMIT ?",
        after ?? "",
        limit,
      )
      .toArray()
      .map((r) => ({
        arn: r.arn,
        topicArn: r.topic_arn,
        protocol: r.protocol,
        endpoint: r.endpoint,
        owner: r.owner,
        pending: r.pending === 1,
      }));
  }
}
