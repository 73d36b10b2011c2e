/**
 * The topic's outbox: one stored message, one delivery row per subscriber. A delivery is claimed
 * (claimed_until) while it is being attempted, rescheduled (due_at, attempts) when it fails, and
 * deleted when it succeeds or gives up; a message goes once its last delivery has.
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

/** A claim lasts this long; a delivery not finished by then (object evicted mid-way) is tried again. */
const CLAIM_MS = 60_000;

export class Outbox {
  constructor(private readonly sql: SqlStorage) {}

  addMessage(id: string, payload: unknown, now: number): void {
    this.sql.exec("INSERT OR REPLACE INTO messages (id, payload, created_at) VALUES (?, ?, ?)", id, JSON.stringify(payload), now);
  }

  message<T>(id: string): T | undefined {
    const row = this.sql.exec<{ payload: string }>("SELECT payload FROM messages WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.payload) as T) : undefined;
  }

  addDelivery(messageId: string, subscriptionId: string, kind: DeliveryKind, groupId: string | null, dueAt: number): void {
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
   * Claims up to `limit` due deliveries in publish order. For FIFO topics a delivery also waits while
   * an earlier delivery of the same message group to the same subscriber is still being tried or
   * waits for a retry, so each group arrives in order (earlier ones due now are claimed with it).
   */
  claimDue(now: number, limit: number, fifo: boolean): DeliveryRow[] {
    const rows = this.sql
      .exec<DeliveryRow>(
        fifo
          ? `SELECT d.* FROM deliveries d WHERE d.due_at <= ? AND d.claimed_until <= ?
               AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.subscription_id = d.subscription_id
                 AND e.group_id IS d.group_id AND e.seq < d.seq AND (e.due_at > ? OR e.claimed_until > ?))
             ORDER BY d.seq LIMIT ?`
          : "SELECT * FROM deliveries WHERE due_at <= ? AND claimed_until <= ? ORDER BY due_at, seq LIMIT ?",
        ...(fifo ? [now, now, now, now, limit] : [now, now, limit]),
      )
      .toArray();
    for (let i = 0; i < rows.length; i += 90) {
      const chunk = rows.slice(i, i + 90);
      this.sql.exec(
        `UPDATE deliveries SET claimed_until = ? WHERE seq IN (${chunk.map(() => "?").join(", ")})`,
        now + CLAIM_MS,
        ...chunk.map((r) => r.seq),
      );
    }
    return rows;
  }

  /** Done with deliveries (delivered, or given up): drop them, and messages nothing else needs. */
  finish(rows: DeliveryRow[]): void {
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
      "UPDATE deliveries SET attempts = attempts + 1, due_at = ?, claimed_until = 0, first_failure = COALESCE(first_failure, ?) WHERE seq = ?",
      dueAt,
      failure,
      row.seq,
    );
  }

  /** Drops everything owed to a subscription (it was removed). */
  dropSubscription(subscriptionId: string): void {
    this.finish(this.sql.exec<DeliveryRow>("SELECT * FROM deliveries WHERE subscription_id = ?", subscriptionId).toArray());
  }

  /** When the next delivery is due (claimed ones count from their claim's end). */
  nextDue(): number | undefined {
    return (
      this.sql.exec<{ t: number | null }>("SELECT MIN(MAX(due_at, claimed_until)) AS t FROM deliveries").one().t ?? undefined
    );
  }

  pending(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM deliveries").one().n;
  }
}
