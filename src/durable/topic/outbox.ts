/**
 * The topic's outbox: one stored message, one delivery row per subscriber. A delivery is rescheduled
 * (due_at, attempts) when it fails and deleted when it succeeds or gives up; a message goes once its
 * last delivery has. The topic's one delivery pump reads due rows, attempts them all, and only then
 * reads again, so no row is ever attempted twice at once and nothing needs claiming (the
 * `claimed_until` column of older versions is ignored). Messages published since the object woke are
 * also kept in memory until their last delivery, so a delivery does not read back what was just written.
 */
export type DeliveryKind = "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";

export type DeliveryRow = {
  seq: number;
  message_id: string;
  subscription_id: string;
  kind: DeliveryKind;
  group_id: string | null;
  attempts: number;
  due_at: number;
  claimed_until: number;
  first_failure: string | null;
};

/** Messages kept in memory at most (beyond, deliveries read them from storage). */
const CACHED_MESSAGES = 10_000;

export class Outbox {
  /** Payloads of messages still owed to someone, with how many deliveries still need them. */
  readonly #cache = new Map<string, { payload: unknown; deliveries: number }>();

  constructor(private readonly sql: SqlStorage) {}

  addMessage(id: string, payload: unknown, now: number): void {
    this.sql.exec("INSERT OR REPLACE INTO messages (id, payload, created_at) VALUES (?, ?, ?)", id, JSON.stringify(payload), now);
    if (this.#cache.size < CACHED_MESSAGES) this.#cache.set(id, { payload, deliveries: 0 });
  }

  message<T>(id: string): T | undefined {
    const cached = this.#cache.get(id);
    if (cached) return cached.payload as T;
    const row = this.sql.exec<{ payload: string }>("SELECT payload FROM messages WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.payload) as T) : undefined;
  }

  addDelivery(messageId: string, subscriptionId: string, kind: DeliveryKind, groupId: string | null, dueAt: number): void {
    const cached = this.#cache.get(messageId);
    if (cached) cached.deliveries++;
    this.sql.exec(
      "INSERT INTO deliveries (message_id, subscription_id, kind, group_id, due_at) VALUES (?, ?, ?, ?, ?)",
      messageId,
      subscriptionId,
      kind,
      groupId,
      dueAt,
    );
  }

  /**
   * Up to `limit` due deliveries in publish order. For FIFO topics a delivery also waits while an
   * earlier delivery of the same message group to the same subscriber waits for a retry, so each group
   * arrives in order (earlier ones due now come with it).
   */
  due(now: number, limit: number, fifo: boolean): DeliveryRow[] {
    return this.sql
      .exec<DeliveryRow>(
        fifo
          ? `SELECT d.* FROM deliveries d WHERE d.due_at <= ?
               AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.subscription_id = d.subscription_id
                 AND e.group_id IS d.group_id AND e.seq < d.seq AND e.due_at > ?)
             ORDER BY d.seq LIMIT ?`
          : "SELECT * FROM deliveries WHERE due_at <= ? ORDER BY due_at, seq LIMIT ?",
        ...(fifo ? [now, now, limit] : [now, limit]),
      )
      .toArray();
  }

  /** Done with deliveries (delivered, or given up): drop them, and messages nothing else needs. */
  finish(rows: DeliveryRow[]): void {
    for (const row of rows) {
      const cached = this.#cache.get(row.message_id);
      if (cached && --cached.deliveries <= 0) this.#cache.delete(row.message_id);
    }
    for (let i = 0; i < rows.length; i += 90) {
      const chunk = rows.slice(i, i + 90);
      const marks = chunk.map(() => "?").join(", ");
      this.sql.exec(`DELETE FROM deliveries WHERE seq IN (${marks})`, ...chunk.map((r) => r.seq));
      this.sql.exec(
        `DELETE FROM messages WHERE id IN (${marks}) AND NOT EXISTS (SELECT 1 FROM deliveries WHERE message_id = messages.id)`,
        ...chunk.map((r) => r.message_id),
      );
    }
  }

  retryAt(row: DeliveryRow, dueAt: number, failure: string): void {
    this.sql.exec(
      "UPDATE deliveries SET attempts = attempts + 1, due_at = ?, first_failure = COALESCE(first_failure, ?) WHERE seq = ?",
      dueAt,
      failure,
      row.seq,
    );
  }

  /** Drops everything owed to a subscription (it was removed). */
  dropSubscription(subscriptionId: string): void {
    this.finish(this.sql.exec<DeliveryRow>("SELECT * FROM deliveries WHERE subscription_id = ?", subscriptionId).toArray());
  }

  /** When the next delivery is due. */
  nextDue(): number | undefined {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(due_at) AS t FROM deliveries").one().t ?? undefined;
  }

  pending(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM deliveries").one().n;
  }
}
