/** The subscriptions of one topic in SQLite, and their attributes read once for publishing and delivery. */
import type { StoredSubscription } from "../../domain/sns/contract";
import { subscriptionSettings, type SubscriptionSettings } from "../../domain/sns/subscribers";

/** A subscription with its attributes read (filter policy, delivery policy, raw delivery, dead-letter queue). */
export interface Subscriber extends StoredSubscription {
  settings: SubscriptionSettings;
}

type Row = {
  id: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: string;
  pending: number;
  token: string | null;
  token_expires_at: number | null;
  authenticated: number;
  authenticate_on_unsubscribe: number;
  created_at: number;
};

const toSubscription = (r: Row): StoredSubscription => ({
  id: r.id,
  protocol: r.protocol,
  endpoint: r.endpoint,
  owner: r.owner,
  pending: r.pending === 1,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  authenticated: r.authenticated === 1,
  token: r.token,
  tokenExpiresAt: r.token_expires_at,
  authenticateOnUnsubscribe: r.authenticate_on_unsubscribe === 1,
});

export class SubscriptionStore {
  /**
   * Subscribers kept in memory, read on first use after a change: every publish and delivery reads
   * them, few requests change them.
   */
  #subscribers: Map<string, Subscriber> | undefined;
  #confirmed: Subscriber[] | undefined;

  constructor(private readonly sql: SqlStorage) {}

  /** Forgets what is cached (after a change, or the topic's storage was wiped). */
  invalidate(): void {
    this.#subscribers = undefined;
    this.#confirmed = undefined;
  }

  #all(): Map<string, Subscriber> {
    this.#subscribers ??= new Map(this.list().map((s) => [s.id, { ...s, settings: subscriptionSettings(s.attributes) }]));
    return this.#subscribers;
  }

  /** The confirmed subscriptions a publish fans out to, in creation order. */
  confirmed(): Subscriber[] {
    this.#confirmed ??= [...this.#all().values()].filter((s) => !s.pending);
    return this.#confirmed;
  }

  /** A subscription as its deliveries need it. */
  subscriber(id: string): Subscriber | undefined {
    return this.#all().get(id);
  }

  get(id: string): StoredSubscription | undefined {
    const row = this.sql.exec<Row>("SELECT * FROM subscriptions WHERE id = ?", id).toArray()[0];
    return row ? toSubscription(row) : undefined;
  }

  byEndpoint(protocol: string, endpoint: string): StoredSubscription | undefined {
    const row = this.sql
      .exec<Row>("SELECT * FROM subscriptions WHERE protocol = ? AND endpoint = ?", protocol, endpoint)
      .toArray()[0];
    return row ? toSubscription(row) : undefined;
  }

  byToken(token: string): StoredSubscription | undefined {
    const row = this.sql.exec<Row>("SELECT * FROM subscriptions WHERE token = ?", token).toArray()[0];
    return row ? toSubscription(row) : undefined;
  }

  /** All subscriptions in creation order, optionally only confirmed ones. */
  list(confirmedOnly = false): StoredSubscription[] {
    const where = confirmedOnly ? "WHERE pending = 0" : "";
    return this.sql.exec<Row>(`SELECT * FROM subscriptions ${where} ORDER BY created_at, id`).toArray().map(toSubscription);
  }

  counts(): { confirmed: number; pending: number } {
    const row = this.sql
      .exec<{ confirmed: number; pending: number }>(
        "SELECT COALESCE(SUM(pending = 0), 0) AS confirmed, COALESCE(SUM(pending = 1), 0) AS pending FROM subscriptions",
      )
      .one();
    return row;
  }

  insert(s: StoredSubscription, now: number): void {
    this.invalidate();
    this.sql.exec(
      `INSERT INTO subscriptions (id, protocol, endpoint, owner, attributes, pending, token, token_expires_at, authenticated,
         authenticate_on_unsubscribe, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      s.id,
      s.protocol,
      s.endpoint,
      s.owner,
      JSON.stringify(s.attributes),
      s.pending ? 1 : 0,
      s.token,
      s.tokenExpiresAt,
      s.authenticated ? 1 : 0,
      s.authenticateOnUnsubscribe ? 1 : 0,
      now,
    );
  }

  setAttributes(id: string, attributes: Record<string, string>): void {
    this.invalidate();
    this.sql.exec("UPDATE subscriptions SET attributes = ? WHERE id = ?", JSON.stringify(attributes), id);
  }

  /** A new confirmation token (Subscribe again while pending, or an UnsubscribeConfirmation). */
  setToken(id: string, token: string, expiresAt: number): void {
    this.invalidate();
    this.sql.exec("UPDATE subscriptions SET token = ?, token_expires_at = ? WHERE id = ?", token, expiresAt, id);
  }

  confirm(id: string, authenticated: boolean, authenticateOnUnsubscribe: boolean): void {
    this.invalidate();
    this.sql.exec(
      "UPDATE subscriptions SET pending = 0, authenticated = ?, authenticate_on_unsubscribe = ? WHERE id = ?",
      authenticated ? 1 : 0,
      authenticateOnUnsubscribe ? 1 : 0,
      id,
    );
  }

  delete(id: string): void {
    this.invalidate();
    this.sql.exec("DELETE FROM subscriptions WHERE id = ?", id);
  }

  /** Pending subscriptions whose token expired are removed (AWS keeps them about three days). */
  expirePending(now: number): number {
    const removed = this.sql.exec("DELETE FROM subscriptions WHERE pending = 1 AND token_expires_at <= ?", now).rowsWritten;
    if (removed) this.invalidate();
    return removed;
  }

  nextTokenExpiry(): number | undefined {
    return (
      this.sql.exec<{ t: number | null }>("SELECT MIN(token_expires_at) AS t FROM subscriptions WHERE pending = 1").one().t ??
      undefined
    );
  }
}
