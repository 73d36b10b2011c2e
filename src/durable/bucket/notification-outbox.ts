/**
 * A bucket's notification outbox: one row per message owed to a queue or a topic, written in the same
 * transaction as the object change that caused it (so an event is never lost, and never sent for a
 * change that did not happen), worked off by a pump through an injected `deliver`, and retried from
 * the bucket's one alarm while the destination is unreachable. At-least-once, like AWS's own
 * notifications: a row goes once its message was accepted, or refused for good (a destination that no
 * longer exists), or after a day of failures.
 *
 * Only the pump reads due rows, one pump at a time, and it attempts each row before reading again, so
 * no row is ever attempted twice at once and nothing needs claiming (the topic outbox's lesson).
 */
import type { Result } from "../../domain/errors";
import type { Migration } from "../sql";

/**
 * The outbox's tables, one migration: the bucket object appends it to its own list (`[...BUCKET,
 * ...NOTIFICATION_OUTBOX_MIGRATIONS]`, later migrations of either after both).
 */
export const NOTIFICATION_OUTBOX_MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE notification_outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CHECK (kind IN ('queue', 'topic')),
      arn TEXT NOT NULL,
      body TEXT NOT NULL,
      trace_header TEXT,
      origin TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      due_at INTEGER NOT NULL,
      last_failure TEXT
    )`,
    "CREATE INDEX notification_outbox_by_due_at ON notification_outbox (due_at)",
  ],
];

/** Where a message goes: an SQS queue or an SNS topic of this deployment, by ARN. */
export interface OutboxDestination {
  kind: "queue" | "topic";
  arn: string;
}

/** One message owed to one destination: an event (or a test event) for one configuration. */
export interface Notification {
  destination: OutboxDestination;
  /** The event JSON: the queue message's body, or the topic message's Message. */
  body: string;
  /** The X-Ray header of the request that caused the event (the queue message's AWSTraceHeader). */
  traceHeader?: string;
  /** The origin of that request (what SNS needs for the URLs in its envelopes). */
  origin?: string;
}

export interface PendingNotification extends Notification {
  seq: number;
  attempts: number;
  createdAt: number;
  dueAt: number;
}

/**
 * Delivers one message. A failure value is the destination's answer (a queue or topic that does not
 * exist: refused for good unless its status is 5xx); a throw (the destination's object unreachable,
 * overloaded, restarting) is worth trying again.
 */
export type Deliver = (destination: OutboxDestination, notification: Notification) => Promise<Result<unknown>>;

export interface PumpReport {
  delivered: number;
  retried: number;
  dropped: number;
}

type Row = {
  seq: number;
  kind: "queue" | "topic";
  arn: string;
  body: string;
  trace_header: string | null;
  origin: string | null;
  attempts: number;
  created_at: number;
  due_at: number;
};

// ---- the retry schedule (pure) ----------------------------------------------------------------------

/** Retries wait 1 s, 2 s, 4 s … up to 5 minutes; a message nobody took within a day is dropped. */
export const RETRY = { firstDelayMs: 1_000, maxDelayMs: 5 * 60_000, giveUpAfterMs: 24 * 60 * 60_000 } as const;

/** How long to wait after the `failures`-th failed attempt (1 for the first). */
export const retryDelay = (failures: number): number =>
  Math.min(RETRY.firstDelayMs * 2 ** Math.max(0, failures - 1), RETRY.maxDelayMs);

/** When to try again after a failed attempt, or undefined to give up (the message is older than a day). */
export function nextAttempt(createdAt: number, failures: number, now: number): number | undefined {
  const at = now + retryDelay(failures);
  return at - createdAt > RETRY.giveUpAfterMs ? undefined : at;
}

/** What an attempt came to: done, worth another try, or refused for good. */
export type AttemptOutcome = { kind: "delivered" } | { kind: "retry"; reason: string } | { kind: "refused"; reason: string };

export function outcomeOf(result: Result<unknown> | { thrown: unknown }): AttemptOutcome {
  if ("thrown" in result) {
    return { kind: "retry", reason: result.thrown instanceof Error ? result.thrown.message : String(result.thrown) };
  }
  if (result.ok) return { kind: "delivered" };
  const transient = (result.error.status ?? 400) >= 500;
  return { kind: transient ? "retry" : "refused", reason: result.error.code };
}

/** Due messages per destination, each group in the order the events happened. */
export function byDestination<T extends { destination: OutboxDestination }>(items: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = `${item.destination.kind} ${item.destination.arn}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

// ---- the outbox ---------------------------------------------------------------------------------------

/** Messages attempted per pump round, and destinations attempted at once. */
const CHUNK = 100;
const CONCURRENCY = 16;

export class NotificationOutbox {
  #running: Promise<PumpReport> | null = null;
  /** Someone asked for a pump while one ran: it goes round once more before it stops. */
  #again = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Stores messages owed, due at once. Call it inside the `transactionSync` that makes the change the
   * events are about; start the pump (and arm the alarm) once that transaction is committed.
   */
  add(notifications: readonly Notification[], now: number): void {
    for (const n of notifications) {
      this.sql.exec(
        "INSERT INTO notification_outbox (kind, arn, body, trace_header, origin, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        n.destination.kind,
        n.destination.arn,
        n.body,
        n.traceHeader ?? null,
        n.origin ?? null,
        now,
        now,
      );
    }
  }

  /** Up to `limit` messages due at `now`, in the order they were added. */
  due(now: number, limit: number): PendingNotification[] {
    return this.sql
      .exec<Row>("SELECT * FROM notification_outbox WHERE due_at <= ? ORDER BY seq LIMIT ?", now, limit)
      .toArray()
      .map(pendingOf);
  }

  /** When the next message is due (the alarm's time), or undefined when nothing is owed. */
  nextDue(): number | undefined {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(due_at) AS t FROM notification_outbox").one().t ?? undefined;
  }

  pending(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM notification_outbox").one().n;
  }

  /** Forgets everything owed (the bucket is deleted). */
  clear(): void {
    this.sql.exec("DELETE FROM notification_outbox");
  }

  /**
   * Works off every due message; one pump at a time (a call while one runs joins it, and makes it look
   * for due messages once more before it stops, so nothing added meanwhile waits for the alarm).
   * Afterwards the alarm belongs at `nextDue()`.
   */
  pump(deliver: Deliver): Promise<PumpReport> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#run(deliver);
    return this.#running;
  }

  async #run(deliver: Deliver): Promise<PumpReport> {
    const report: PumpReport = { delivered: 0, retried: 0, dropped: 0 };
    try {
      for (;;) {
        this.#again = false;
        const rows = this.due(this.clock(), CHUNK);
        if (rows.length) {
          const groups = byDestination(rows);
          for (let i = 0; i < groups.length; i += CONCURRENCY) {
            await Promise.all(groups.slice(i, i + CONCURRENCY).map((group) => this.#attempt(deliver, group, report)));
          }
        } else if (!this.#again) {
          // Decided in the same turn as the read: a pump asked for after this starts a new run.
          this.#running = null;
          return report;
        }
      }
    } catch (error) {
      this.#running = null;
      throw error;
    }
  }

  /**
   * One destination's due messages, in order. When one fails and is to be tried again, the ones after
   * it wait as long (no point knocking on a door that just stayed shut, and the order holds).
   */
  async #attempt(deliver: Deliver, group: PendingNotification[], report: PumpReport): Promise<void> {
    for (let i = 0; i < group.length; i++) {
      const row = group[i]!;
      const outcome = outcomeOf(await deliver(row.destination, row).catch((thrown: unknown) => ({ thrown })));
      if (outcome.kind === "delivered") {
        this.#delete(row);
        report.delivered++;
        continue;
      }
      const now = this.clock();
      const at = outcome.kind === "retry" ? nextAttempt(row.createdAt, row.attempts + 1, now) : undefined;
      if (at === undefined) {
        this.#delete(row);
        report.dropped++;
        continue;
      }
      this.sql.exec(
        "UPDATE notification_outbox SET attempts = attempts + 1, due_at = ?, last_failure = ? WHERE seq = ?",
        at,
        outcome.reason,
        row.seq,
      );
      report.retried++;
      const rest = group.slice(i + 1).map((r) => r.seq);
      if (rest.length) {
        this.sql.exec(`UPDATE notification_outbox SET due_at = ? WHERE seq IN (${rest.map(() => "?").join(", ")})`, at, ...rest);
      }
      return;
    }
  }

  #delete(row: PendingNotification): void {
    this.sql.exec("DELETE FROM notification_outbox WHERE seq = ?", row.seq);
  }
}

function pendingOf(row: Row): PendingNotification {
  const pending: PendingNotification = {
    seq: row.seq,
    destination: { kind: row.kind, arn: row.arn },
    body: row.body,
    attempts: row.attempts,
    createdAt: row.created_at,
    dueAt: row.due_at,
  };
  if (row.trace_header !== null) pending.traceHeader = row.trace_header;
  if (row.origin !== null) pending.origin = row.origin;
  return pending;
}
