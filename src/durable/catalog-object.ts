/**
 * CatalogObject: the queues, topics, subscriptions and Kinesis streams of one (account, region).
 * Queue, topic and stream objects register here on create and unregister on delete; ListQueues,
 * ListDeadLetterSourceQueues, ListTopics, ListSubscriptions and ListStreams read from here. The
 * resource objects remain the truth; this is their index. For Kinesis it is also where the account's
 * shard quota is enforced, since only here are all of an account's streams seen at once.
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Result } from "../domain/errors";
import { limitExceeded, onDemandLimitExceeded, shardLimitExceeded } from "../domain/kinesis/errors";
import { prefixRange } from "../domain/sqs/prefix-range";
import { CATALOG_MIGRATIONS } from "./catalog/schema";
import { migrate } from "./sql";

/** Streams an account may have CREATING at once (AWS). */
const MAX_CREATING_STREAMS = 5;

/** A Kinesis stream as ListStreams shows it, plus what the account's quotas count. */
export interface StreamEntry {
  name: string;
  /** Epoch ms: identifies the incarnation, so a late update of a deleted stream cannot touch a new one. */
  createdAt: number;
  status: string;
  mode: string;
  openShards: number;
}

export interface StreamLimits {
  account: string;
  region: string;
  shardLimit: number;
  onDemandStreamLimit: number;
}

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
    migrate(ctx.storage.sql, CATALOG_MIGRATIONS);
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

  /**
   * Names in order, filtered by a case-sensitive prefix, starting after `after`. The prefix is a
   * range of the name index, so a page reads its own names only, however many queues there are.
   */
  list(prefix: string, limit: number, after = ""): string[] {
    const sql = this.ctx.storage.sql;
    const range = prefixRange(prefix);
    let cursor: SqlStorageCursor<{ name: string }>;
    if (!prefix) {
      cursor = sql.exec("SELECT name FROM queues WHERE name > ? ORDER BY name LIMIT ?", after, limit);
    } else if (!range) {
      // A prefix with no range (see prefixRange): no queue name can start with it, but look anyway.
      cursor = sql.exec(
        "SELECT name FROM queues WHERE substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?",
        prefix.length,
        prefix,
        after,
        limit,
      );
    } else {
      // SQLite seeks the index to the first of two lower bounds, so the greater one goes first (both
      // filter, so a comparison here that disagreed with SQLite's byte order would cost reads, not results).
      const bounds = after > range.from ? "name > ? AND name >= ?" : "name >= ? AND name > ?";
      const values = after > range.from ? [after, range.from] : [range.from, after];
      cursor = sql.exec(
        `SELECT name FROM queues WHERE ${bounds} AND name < ? ORDER BY name LIMIT ?`,
        ...values,
        range.below,
        limit,
      );
    }
    return cursor.toArray().map((r) => r.name);
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

  // ---- Kinesis streams -------------------------------------------------------------------------

  /**
   * Registers a new stream if the account's quotas allow it, in one turn, so concurrent creates
   * cannot overshoot: open shards stay within the shard limit, on-demand streams within theirs.
   */
  reserveStream(entry: StreamEntry, limits: StreamLimits): Result<null> {
    const { shards, onDemand } = this.kinesisCounts();
    // "Have more than five streams in the CREATING state at any point in time" (CreateStream).
    const creating = this.ctx.storage.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM streams WHERE status = 'CREATING'")
      .one().n;
    if (creating >= MAX_CREATING_STREAMS)
      return fail(
        limitExceeded(
          `This request would exceed the limit of ${MAX_CREATING_STREAMS} streams in the CREATING state ` +
            `for the account ${limits.account} in ${limits.region}.`,
        ),
      );
    if (entry.mode === "ON_DEMAND" && onDemand + 1 > limits.onDemandStreamLimit)
      return fail(onDemandLimitExceeded(limits, onDemand));
    if (shards + entry.openShards > limits.shardLimit) {
      return fail(shardLimitExceeded({ ...limits, current: shards, limit: limits.shardLimit, additional: entry.openShards }));
    }
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO streams (name, created_at, status, mode, open_shards) VALUES (?, ?, ?, ?, ?)",
      entry.name,
      entry.createdAt,
      entry.status,
      entry.mode,
      entry.openShards,
    );
    return ok(null);
  }

  /** Reserves `additional` open shards for a reshard of an existing stream (quota permitting). */
  reserveShards(name: string, createdAt: number, additional: number, limits: StreamLimits): Result<null> {
    const { shards } = this.kinesisCounts();
    if (additional > 0 && shards + additional > limits.shardLimit) {
      return fail(shardLimitExceeded({ ...limits, current: shards, limit: limits.shardLimit, additional }));
    }
    this.ctx.storage.sql.exec(
      "UPDATE streams SET open_shards = open_shards + ? WHERE name = ? AND created_at = ?",
      additional,
      name,
      createdAt,
    );
    return ok(null);
  }

  /** Switches a stream to ON_DEMAND if the account's on-demand quota allows it (UpdateStreamMode). */
  switchToOnDemand(name: string, createdAt: number, limits: StreamLimits): Result<null> {
    const { onDemand } = this.kinesisCounts();
    const current = this.ctx.storage.sql
      .exec<{ mode: string }>("SELECT mode FROM streams WHERE name = ? AND created_at = ?", name, createdAt)
      .toArray()[0];
    if (current?.mode === "ON_DEMAND") return ok(null);
    if (onDemand + 1 > limits.onDemandStreamLimit) return fail(onDemandLimitExceeded(limits, onDemand));
    this.updateStream(name, createdAt, { mode: "ON_DEMAND" });
    return ok(null);
  }

  updateStream(name: string, createdAt: number, change: { status?: string; mode?: string; openShards?: number }): void {
    this.ctx.storage.sql.exec(
      `UPDATE streams SET status = COALESCE(?, status), mode = COALESCE(?, mode), open_shards = COALESCE(?, open_shards)
       WHERE name = ? AND created_at = ?`,
      change.status ?? null,
      change.mode ?? null,
      change.openShards ?? null,
      name,
      createdAt,
    );
  }

  unregisterStream(name: string, createdAt: number): void {
    this.ctx.storage.sql.exec("DELETE FROM streams WHERE name = ? AND created_at = ?", name, createdAt);
  }

  /** Streams in name order after `after`. */
  listStreams(limit: number, after?: string): StreamEntry[] {
    return this.ctx.storage.sql
      .exec<{ name: string; created_at: number; status: string; mode: string; open_shards: number }>(
        "SELECT * FROM streams WHERE name > ? ORDER BY name LIMIT ?",
        after ?? "",
        limit,
      )
      .toArray()
      .map((r) => ({ name: r.name, createdAt: r.created_at, status: r.status, mode: r.mode, openShards: r.open_shards }));
  }

  /** Open shards of every stream, and the number of on-demand streams (DescribeLimits, quotas). */
  kinesisCounts(): { shards: number; onDemand: number } {
    const row = this.ctx.storage.sql
      .exec<{ shards: number | null; on_demand: number | null }>(
        "SELECT SUM(open_shards) AS shards, SUM(mode = 'ON_DEMAND') AS on_demand FROM streams",
      )
      .one();
    return { shards: row.shards ?? 0, onDemand: row.on_demand ?? 0 };
  }

  kinesisSetting(key: string): string | undefined {
    return this.ctx.storage.sql.exec<{ value: string }>("SELECT value FROM kinesis_settings WHERE key = ?", key).toArray()[0]
      ?.value;
  }

  setKinesisSetting(key: string, value: string): void {
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO kinesis_settings (key, value) VALUES (?, ?)", key, value);
  }

  // ---- Firehose delivery streams ----------------------------------------------------------------

  /** Registers a delivery stream unless the account already has `limit` of them in this region. */
  reserveDeliveryStream(name: string, type: string, createdAt: number, limit: number): Result<null> {
    const sql = this.ctx.storage.sql;
    const n = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM delivery_streams").one().n;
    if (n >= limit && !sql.exec("SELECT 1 FROM delivery_streams WHERE name = ?", name).toArray().length)
      return fail({
        code: "LimitExceededException",
        message: `You have already consumed your firehose quota of ${limit} hoses. Firehose names: ${name}`,
      });
    sql.exec("INSERT OR REPLACE INTO delivery_streams (name, type, created_at) VALUES (?, ?, ?)", name, type, createdAt);
    return ok(null);
  }

  unregisterDeliveryStream(name: string): void {
    this.ctx.storage.sql.exec("DELETE FROM delivery_streams WHERE name = ?", name);
  }

  /** Delivery streams in name order after `after`, optionally of one type; one more than `limit` tells HasMore. */
  listDeliveryStreams(limit: number, after?: string, type?: string): string[] {
    return this.ctx.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM delivery_streams WHERE name > ? AND (? IS NULL OR type = ?) ORDER BY name LIMIT ?",
        after ?? "",
        type ?? null,
        type ?? null,
        limit,
      )
      .toArray()
      .map((r) => r.name);
  }

  // ---- DynamoDB tables --------------------------------------------------------------------------

  /** Registers a table unless the account already has `limit` of them in this region (AWS: 2,500). */
  reserveTable(name: string, createdAt: number, limit: number): Result<null> {
    const sql = this.ctx.storage.sql;
    const n = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM dynamodb_tables").one().n;
    if (n >= limit && !sql.exec("SELECT 1 FROM dynamodb_tables WHERE name = ?", name).toArray().length)
      return fail({
        code: "LimitExceededException",
        type: "com.amazonaws.dynamodb.v20120810#LimitExceededException",
        message: `Subscriber limit exceeded: Table count exceeded the account limit of ${limit}`,
      });
    sql.exec("INSERT OR REPLACE INTO dynamodb_tables (name, created_at) VALUES (?, ?)", name, createdAt);
    return ok(null);
  }

  unregisterTable(name: string): void {
    this.ctx.storage.sql.exec("DELETE FROM dynamodb_tables WHERE name = ?", name);
  }

  /** Table names in order after `after`, at most `limit`. */
  listTables(limit: number, after?: string): string[] {
    return this.ctx.storage.sql
      .exec<{ name: string }>("SELECT name FROM dynamodb_tables WHERE name > ? ORDER BY name LIMIT ?", after ?? "", limit)
      .toArray()
      .map((r) => r.name);
  }
}
