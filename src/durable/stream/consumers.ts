/**
 * Enhanced fan-out consumers of one stream, and the SubscribeToShard leases on them, in the stream
 * object's SQLite. Status changes need no alarm: a consumer row carries when its CREATING ends
 * (`status_at`), and every call first settles the rows that are due, so what a caller sees is always
 * the status as of now. A deregistered consumer leaves `consumers` at once (so the stream's own
 * questions — ConsumerCount, DeleteStream's check — never see a stale row) and shows as DELETING
 * from `consumers_deleting` until the status delay has passed.
 *
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { limitExceeded, resourceInUse, resourceNotFound, streamNotActive } from "../../domain/kinesis/errors";
import type { ShardInfo } from "../../domain/kinesis/contract";

export type ConsumerStatus = "CREATING" | "ACTIVE" | "DELETING";

export interface ConsumerInfo {
  name: string;
  arn: string;
  status: ConsumerStatus;
  /** Epoch ms of RegisterStreamConsumer (its whole seconds end the ARN). */
  createdAt: number;
}

/** AWS: 20 consumers per stream (50 for On-demand Advantage), at most 5 of them CREATING. */
export const MAX_CONSUMERS = 20;
export const MAX_CREATING = 5;
/** A SubscribeToShard within 5 s of the last one for the same consumer and shard is refused. */
export const TAKEOVER_AFTER_MS = 5_000;

type Row = {
  name: string;
  arn: string;
  status: ConsumerStatus;
  created_at: number;
};

const toInfo = (r: Row): ConsumerInfo => ({ name: r.name, arn: r.arn, status: r.status, createdAt: r.created_at });

/** Completes the status changes that are due: CREATING → ACTIVE, DELETING → gone. */
export function settleConsumers(sql: SqlStorage, now: number): void {
  sql.exec("UPDATE consumers SET status = 'ACTIVE', status_at = NULL WHERE status = 'CREATING' AND status_at <= ?", now);
  sql.exec("DELETE FROM consumers_deleting WHERE gone_at <= ?", now);
}

/** The consumers of this stream in any status, for lookups and listings. */
const ALL_CONSUMERS = `(SELECT name, arn, status, created_at FROM consumers
  UNION ALL SELECT name, arn, 'DELETING' AS status, created_at FROM consumers_deleting)`;

function dropConsumer(sql: SqlStorage, name: string): void {
  sql.exec("DELETE FROM consumers WHERE name = ?", name);
  sql.exec("DELETE FROM consumer_tags WHERE consumer = ?", name);
  sql.exec("DELETE FROM consumer_leases WHERE consumer = ?", name);
}

/** DeleteStream (EnforceConsumerDeletion) or a stream that is gone: every consumer, tag and lease. */
export function dropAllConsumers(sql: SqlStorage): void {
  sql.exec("DELETE FROM consumers");
  sql.exec("DELETE FROM consumer_tags");
  sql.exec("DELETE FROM consumer_leases");
  sql.exec("DELETE FROM consumers_deleting");
}

/** The stream a consumer call is on (StreamState has these). */
export interface StreamRef {
  name: string;
  arn: string;
  account: string;
  status: string;
}

export interface RegisterRequest {
  name: string;
  tags: Record<string, string>;
  now: number;
  /** ms spent CREATING (KINESIS_STATUS_DELAY_MS). */
  delayMs: number;
}

export function registerConsumer(sql: SqlStorage, stream: StreamRef, req: RegisterRequest): Result<ConsumerInfo> {
  // Consumers can be added while the stream is ACTIVE or UPDATING (resharding keeps reads going).
  if (stream.status === "CREATING" || stream.status === "DELETING")
    return fail(streamNotActive(stream.name, stream.account, stream.status));
  settleConsumers(sql, req.now);
  const existing = sql.exec<Row>(`SELECT * FROM ${ALL_CONSUMERS} WHERE name = ?`, req.name).toArray()[0];
  if (existing)
    return fail(
      resourceInUse(`Consumer ${existing.name} under stream ${stream.name} already exists for account ${stream.account}.`),
    );
  const counts = sql
    .exec<{ total: number; creating: number | null }>(
      "SELECT COUNT(*) AS total, SUM(status = 'CREATING') AS creating FROM consumers",
    )
    .one();
  if (counts.total >= MAX_CONSUMERS)
    return fail(
      limitExceeded(
        `Consumer limit of ${MAX_CONSUMERS} reached for stream ${stream.name} under account ${stream.account}. ` +
          "Deregister an existing consumer before registering a new one.",
      ),
    );
  if ((counts.creating ?? 0) >= MAX_CREATING)
    return fail(
      limitExceeded(
        `Rate exceeded: stream ${stream.name} under account ${stream.account} already has ${MAX_CREATING} consumers in CREATING status.`,
      ),
    );
  const arn = `${stream.arn}/consumer/${req.name}:${Math.floor(req.now / 1000)}`;
  sql.exec(
    "INSERT INTO consumers (name, arn, status, created_at, status_at) VALUES (?, ?, 'CREATING', ?, ?)",
    req.name,
    arn,
    req.now,
    req.now + req.delayMs,
  );
  // A consumer of the same name that existed before (deregistered since) leaves no tags behind.
  sql.exec("DELETE FROM consumer_tags WHERE consumer = ?", req.name);
  for (const [key, value] of Object.entries(req.tags))
    sql.exec("INSERT OR REPLACE INTO consumer_tags (consumer, key, value) VALUES (?, ?, ?)", req.name, key, value);
  return ok({ name: req.name, arn, status: "CREATING", createdAt: req.now });
}

/** Which consumer a request names: its full ARN (creation time included), or its name on this stream. */
export type ConsumerKey = { arn: string } | { name: string };

export function findConsumer(sql: SqlStorage, key: ConsumerKey, now: number): ConsumerInfo | undefined {
  settleConsumers(sql, now);
  const row =
    "arn" in key
      ? sql.exec<Row>(`SELECT * FROM ${ALL_CONSUMERS} WHERE arn = ?`, key.arn).toArray()[0]
      : sql.exec<Row>(`SELECT * FROM ${ALL_CONSUMERS} WHERE name = ?`, key.name).toArray()[0];
  return row && toInfo(row);
}

export const consumerNotFound = (key: ConsumerKey, stream: StreamRef) =>
  resourceNotFound(
    "arn" in key
      ? `Consumer ${key.arn} under stream ${stream.name} not found for account ${stream.account}.`
      : `Consumer ${key.name} under stream ${stream.name} not found for account ${stream.account}.`,
  );

export function describeConsumer(sql: SqlStorage, stream: StreamRef, key: ConsumerKey, now: number): Result<ConsumerInfo> {
  const consumer = findConsumer(sql, key, now);
  return consumer ? ok(consumer) : fail(consumerNotFound(key, stream));
}

/**
 * Consumers in registration order, after the position a NextToken remembered (`after`: created_at and
 * name of the last one listed), at most `limit`.
 */
export function listConsumers(
  sql: SqlStorage,
  after: { createdAt: number; name: string } | undefined,
  limit: number,
  now: number,
): { consumers: ConsumerInfo[]; more: boolean } {
  settleConsumers(sql, now);
  const rows = after
    ? sql
        .exec<Row>(
          `SELECT * FROM ${ALL_CONSUMERS}
           WHERE created_at > ? OR (created_at = ? AND name > ?) ORDER BY created_at, name LIMIT ?`,
          after.createdAt,
          after.createdAt,
          after.name,
          limit + 1,
        )
        .toArray()
    : sql.exec<Row>(`SELECT * FROM ${ALL_CONSUMERS} ORDER BY created_at, name LIMIT ?`, limit + 1).toArray();
  return { consumers: rows.slice(0, limit).map(toInfo), more: rows.length > limit };
}

/** DeregisterStreamConsumer: DELETING for the status delay, then gone. Its subscriptions end. */
export function deregisterConsumer(
  sql: SqlStorage,
  stream: StreamRef,
  key: ConsumerKey,
  now: number,
  delayMs: number,
): Result<ConsumerInfo> {
  const consumer = findConsumer(sql, key, now);
  if (!consumer) return fail(consumerNotFound(key, stream));
  if (consumer.status === "DELETING") return ok(consumer);
  dropConsumer(sql, consumer.name);
  if (delayMs > 0)
    sql.exec(
      "INSERT INTO consumers_deleting (name, arn, created_at, gone_at) VALUES (?, ?, ?, ?)",
      consumer.name,
      consumer.arn,
      consumer.createdAt,
      now + delayMs,
    );
  return ok({ ...consumer, status: "DELETING" });
}

/** A SubscribeToShard call, as the lease sees it. */
export interface SubscribeRequest {
  consumerArn: string;
  shardId: string;
  now: number;
}

/**
 * SubscribeToShard's lease: one live subscription per consumer and shard. A second call within
 * TAKEOVER_AFTER_MS of the live one is refused (ResourceInUseException); a later one takes over, and
 * the earlier subscription sees its lease gone at its next check and ends.
 */
export function acquireLease(
  sql: SqlStorage,
  stream: StreamRef,
  req: SubscribeRequest,
): Result<{ consumer: ConsumerInfo; lease: string }> {
  const consumer = findConsumer(sql, { arn: req.consumerArn }, req.now);
  if (!consumer) return fail(consumerNotFound({ arn: req.consumerArn }, stream));
  if (consumer.status !== "ACTIVE")
    return fail(
      resourceInUse(
        `Consumer ${consumer.name} with creation timestamp ${Math.floor(consumer.createdAt / 1000)} under stream: ` +
          `${stream.name} , account ${stream.account} is not in ACTIVE status.`,
      ),
    );
  const held = sql
    .exec<{ started_at: number }>(
      "SELECT started_at FROM consumer_leases WHERE consumer = ? AND shard_id = ?",
      consumer.name,
      req.shardId,
    )
    .toArray()[0];
  if (held && req.now - held.started_at < TAKEOVER_AFTER_MS)
    return fail(
      resourceInUse(
        `Another active subscription exists for this consumer: ${stream.account}:${stream.name}:${req.shardId}:${consumer.name}`,
      ),
    );
  const lease = crypto.randomUUID();
  sql.exec(
    "INSERT OR REPLACE INTO consumer_leases (consumer, shard_id, lease, started_at) VALUES (?, ?, ?, ?)",
    consumer.name,
    req.shardId,
    lease,
    req.now,
  );
  return ok({ consumer, lease });
}

export type LeaseState = "held" | "taken-over" | "consumer-gone";

/** Whether a subscription still holds its lease (each subscription checks every CHECK_MS, 2 s). */
export function leaseState(sql: SqlStorage, consumerName: string, shardId: string, lease: string, now: number): LeaseState {
  settleConsumers(sql, now);
  const consumer = sql.exec<{ status: string }>("SELECT status FROM consumers WHERE name = ?", consumerName).toArray()[0];
  if (!consumer || consumer.status !== "ACTIVE") return "consumer-gone";
  const row = sql
    .exec<{ lease: string }>("SELECT lease FROM consumer_leases WHERE consumer = ? AND shard_id = ?", consumerName, shardId)
    .toArray()[0];
  return row?.lease === lease ? "held" : "taken-over";
}

/** A subscription ended (its time was up, or the client went away): the next one need not wait 5 s. */
export function releaseLease(sql: SqlStorage, consumerName: string, shardId: string, lease: string): void {
  sql.exec("DELETE FROM consumer_leases WHERE consumer = ? AND shard_id = ? AND lease = ?", consumerName, shardId, lease);
}

// ---- what the consumer calls need of the stream ------------------------------------------------

/** The shards a closed shard's readers continue with: those it is a parent of (split, merge). */
export function childShards(shards: ShardInfo[], shardId: string): ChildShard[] {
  return shards
    .filter((s) => s.parentShardId === shardId || s.adjacentParentShardId === shardId)
    .map((s) => ({
      shardId: s.shardId,
      parentShards: [s.parentShardId, s.adjacentParentShardId].filter((p): p is string => p !== undefined),
      startingHashKey: s.startingHashKey,
      endingHashKey: s.endingHashKey,
    }));
}

export interface ChildShard {
  shardId: string;
  parentShards: string[];
  startingHashKey: string;
  endingHashKey: string;
}
