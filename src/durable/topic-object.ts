/**
 * TopicObject: one SNS topic. Holds the topic's settings and subscriptions in SQLite; Publish
 * writes one outbox row per matching subscription and returns; a delivery pump (started after each
 * publish, and by the alarm for retries) works the outbox off in bounded, concurrent chunks, retries
 * failures by the delivery policy, and hands what cannot be delivered to the subscription's
 * dead-letter queue. At-least-once: a delivery row goes only after its delivery succeeded or gave up.
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Result } from "../domain/errors";
import { authorizationError, invalidParameter, notFound, topicNotFound } from "../domain/sns/errors";
import { subscriptionArn, topicArn } from "../domain/sns/names";
import { subscriptionAttributeMap } from "../domain/sns/subscription-attributes";
import {
  applyTopicAttributes,
  sameTopicAttributes,
  topicAttributeMap,
  type TopicAttributes,
} from "../domain/sns/topic-attributes";
import { DEDUP_WINDOW_MS, sequenceNumber } from "../domain/sqs/fifo";
import { catalogObject } from "./names";
import { migrate } from "./sql";
import type { DeliveryContext } from "./topic/deliver";
import { DeliveryRound, subscriptionMatches, targetOf } from "./topic/delivery-round";
import { Outbox, type DeliveryRow } from "./topic/outbox";
import { TOPIC_MIGRATIONS } from "./topic/schema";
import { SubscriptionStore } from "./topic/subscription-store";
import type {
  ConfirmationPayload,
  PublishEntry,
  Published,
  StoredMessage,
  StoredSubscription,
  SubscribeRequest,
  SubscriptionInfo,
  TopicState,
} from "../domain/sns/contract";
import type { EntryResult } from "../domain/sqs/contract";

/** Confirmation tokens stay valid for three days. */
const TOKEN_TTL_MS = 3 * 24 * 3600 * 1000;
/** Deliveries worked per pump round, and at once, so one round never holds too much. */
const DELIVERY_CHUNK = 100;
const DELIVERY_CONCURRENCY = 16;
/** Claims of deliveries in progress expire after a minute; the alarm picks up what was left. */
const WATCHDOG_MS = 60_000;

export interface CreateTopicRequest {
  account: string;
  region: string;
  name: string;
  fifo: boolean;
  attributes: TopicAttributes;
  requested: TopicAttributes;
  tags: Record<string, string>;
  dataProtectionPolicy?: string;
}

export class TopicObject extends DurableObject<Env> {
  readonly #subscriptions: SubscriptionStore;
  readonly #outbox: Outbox;
  readonly #round: DeliveryRound;
  #state: TopicState | null = null;
  #alarmAt: number | null = null;
  #pumping = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#subscriptions = new SubscriptionStore(ctx.storage.sql);
    this.#outbox = new Outbox(ctx.storage.sql);
    this.#round = new DeliveryRound(this.#outbox, this.#subscriptions);
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage.sql, TOPIC_MIGRATIONS);
      this.#state = this.#readMeta<TopicState>("topic") ?? null;
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  // ---- topic lifecycle -------------------------------------------------------------------------

  async create(req: CreateTopicRequest): Promise<Result<boolean>> {
    const existing = this.#state;
    if (existing) {
      if (!sameTopicAttributes(existing.attributes, req.requested)) {
        return fail(invalidParameter("Attributes Reason: Topic already exists with different attributes"));
      }
      const sameTags = Object.entries(req.tags).every(([k, v]) => existing.tags[k] === v);
      if (!sameTags) return fail(invalidParameter("Tags Reason: Topic already exists with different tags"));
      await this.#registerTopic(existing);
      return ok(false);
    }
    const state: TopicState = {
      account: req.account,
      region: req.region,
      name: req.name,
      fifo: req.fifo,
      attributes: req.attributes,
      tags: req.tags,
      dataProtectionPolicy: req.dataProtectionPolicy,
      createdAt: Date.now(),
      deletedSubscriptions: 0,
    };
    this.#saveState(state);
    await this.#registerTopic(state);
    return ok(true);
  }

  /** DeleteTopic: idempotent; subscriptions go with the topic. */
  async destroy(): Promise<Result<null>> {
    const state = this.#state;
    if (!state) return ok(null);
    const catalog = catalogObject(this.env, state.account, state.region);
    await catalog.unregisterTopic(state.name, topicArn(state));
    await this.ctx.storage.deleteAll();
    this.#subscriptions.invalidate();
    this.#state = null;
    this.#alarmAt = null;
    migrate(this.ctx.storage.sql, TOPIC_MIGRATIONS);
    return ok(null);
  }

  describe(): Result<{ state: TopicState; attributes: TopicAttributes }> {
    const state = this.#state;
    if (!state) return fail(topicNotFound());
    const counts = this.#subscriptions.counts();
    return ok({
      state,
      attributes: topicAttributeMap(state, state.attributes, { ...counts, deleted: state.deletedSubscriptions }),
    });
  }

  setAttributes(changes: TopicAttributes): Result<null> {
    const state = this.#state;
    if (!state) return fail(topicNotFound());
    this.#saveState({ ...state, attributes: applyTopicAttributes(state.attributes, changes) });
    return ok(null);
  }

  updateTags(set: Record<string, string>, remove: string[]): Result<Record<string, string>> {
    const state = this.#state;
    if (!state) return fail(notFound("Resource does not exist"));
    const tags = { ...state.tags, ...set };
    for (const key of remove) delete tags[key];
    if (Object.keys(tags).length > 50) {
      return fail({
        code: "TagLimitExceeded",
        status: 400,
        message: "Could not complete request: tag quota of per resource exceeded",
      });
    }
    this.#saveState({ ...state, tags });
    return ok(tags);
  }

  setDataProtectionPolicy(policy: string): Result<null> {
    const state = this.#state;
    if (!state) return fail(notFound("Resource does not exist"));
    this.#saveState({ ...state, dataProtectionPolicy: policy || undefined });
    return ok(null);
  }

  // ---- subscriptions ---------------------------------------------------------------------------

  /** Subscribe: idempotent for the same endpoint and attributes; confirmations go out through the outbox. */
  async subscribe(req: SubscribeRequest): Promise<Result<{ id: string; pending: boolean }>> {
    const state = this.#state;
    if (!state) return fail(topicNotFound());
    const now = Date.now();
    const existing = this.#subscriptions.byEndpoint(req.protocol, req.endpoint);
    if (existing) {
      // Defaults count as set (AWS-recorded `test_subscribe_idempotency`).
      const current: Record<string, string> = {
        RawMessageDelivery: "false",
        FilterPolicyScope: "MessageAttributes",
        ...existing.attributes,
      };
      const same = Object.entries(req.attributes).every(([k, v]) => current[k] === v);
      if (!same) return fail(invalidParameter("Attributes Reason: Subscription already exists with different attributes"));
      if (existing.pending) this.#sendConfirmation(state, existing, "SubscriptionConfirmation", req.origin, now);
      return ok({ id: existing.id, pending: existing.pending });
    }
    const subscription: StoredSubscription = {
      id: crypto.randomUUID(),
      protocol: req.protocol,
      endpoint: req.endpoint,
      owner: req.owner,
      attributes: req.attributes,
      pending: req.needsConfirmation,
      authenticated: !req.needsConfirmation,
      token: null,
      tokenExpiresAt: null,
      authenticateOnUnsubscribe: false,
    };
    this.#subscriptions.insert(subscription, now);
    if (req.needsConfirmation) this.#sendConfirmation(state, subscription, "SubscriptionConfirmation", req.origin, now);
    await this.#registerSubscription(state, subscription);
    return ok({ id: subscription.id, pending: subscription.pending });
  }

  /** ConfirmSubscription: the token names the subscription; confirming twice answers the same ARN. */
  async confirm(token: string, authenticated: boolean, authenticateOnUnsubscribe: boolean): Promise<Result<string>> {
    const state = this.#state;
    if (!state) return fail(topicNotFound());
    const subscription = this.#subscriptions.byToken(token);
    if (!subscription || (subscription.pending && (subscription.tokenExpiresAt ?? 0) < Date.now())) {
      return fail(invalidParameter("Token"));
    }
    if (subscription.pending) {
      this.#subscriptions.confirm(subscription.id, authenticated, authenticateOnUnsubscribe);
      await this.#registerSubscription(state, { ...subscription, pending: false });
    }
    return ok(subscriptionArn({ ...state, id: subscription.id }));
  }

  async unsubscribe(id: string, anonymous: boolean, origin: string): Promise<Result<null>> {
    const state = this.#state;
    if (!state) return fail(notFound("Subscription does not exist"));
    const subscription = this.#subscriptions.get(id);
    if (!subscription) return fail(notFound("Subscription does not exist"));
    if (anonymous && subscription.authenticateOnUnsubscribe) {
      return fail(authorizationError("Unsubscribe must be authenticated for this subscription"));
    }
    this.#outbox.dropSubscription(id);
    this.#subscriptions.delete(id);
    this.#saveState({ ...state, deletedSubscriptions: state.deletedSubscriptions + 1 });
    if (subscription.protocol === "http" || subscription.protocol === "https") {
      this.#sendConfirmation(state, subscription, "UnsubscribeConfirmation", origin, Date.now());
    }
    await catalogObject(this.env, state.account, state.region).unregisterSubscription(subscriptionArn({ ...state, id }));
    return ok(null);
  }

  subscriptions(): Result<SubscriptionInfo[]> {
    if (!this.#state) return fail(topicNotFound());
    return ok(this.#subscriptions.list());
  }

  subscriptionAttributes(id: string): Result<Record<string, string>> {
    const state = this.#state;
    const subscription = state && this.#subscriptions.get(id);
    if (!state || !subscription) return fail(notFound("Subscription does not exist"));
    return ok(subscriptionAttributeMap(state, subscription));
  }

  setSubscriptionAttribute(id: string, name: string, value: string): Result<null> {
    const subscription = this.#state && this.#subscriptions.get(id);
    if (!subscription) return fail(notFound("Subscription does not exist"));
    const attributes = { ...subscription.attributes, [name]: value };
    if (value === "" && name !== "FilterPolicy") delete attributes[name];
    if (name === "FilterPolicy" && value === "") delete attributes.FilterPolicy;
    this.#subscriptions.setAttributes(id, attributes);
    return ok(null);
  }

  // ---- publishing ------------------------------------------------------------------------------

  /** Publish / PublishBatch: dedups (FIFO), stores the message and one delivery per matching subscriber. */
  publish(entries: PublishEntry[], origin: string): Result<EntryResult<Published>[]> {
    const state = this.#state;
    if (!state) return fail(topicNotFound());
    const now = Date.now();
    const subscribers = this.#subscriptions.confirmed();
    const results = entries.map((entry): EntryResult<Published> => {
      let dedupKey: string | undefined;
      if (state.fifo) {
        const id =
          entry.deduplicationId ??
          (state.attributes.ContentBasedDeduplication === "true" ? entry.contentDeduplicationId : undefined);
        if (!id) {
          return {
            ok: false,
            error: invalidParameter(
              "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
            ),
          };
        }
        dedupKey = state.attributes.FifoThroughputScope === "MessageGroup" ? `${entry.groupId}\n${id}` : id;
        const duplicate = this.ctx.storage.sql
          .exec<{ message_id: string; sequence_number: string }>(
            "SELECT message_id, sequence_number FROM dedup WHERE key = ? AND expires_at > ?",
            dedupKey,
            now,
          )
          .toArray()[0];
        if (duplicate) return { ok: true, value: { messageId: duplicate.message_id, sequenceNumber: duplicate.sequence_number } };
        entry = { ...entry, deduplicationId: id };
      }
      const messageId = crypto.randomUUID();
      const sequence = state.fifo ? this.#nextSequence() : undefined;
      const message: StoredMessage = { ...entry, messageId, sequenceNumber: sequence, timestamp: new Date(now).toISOString() };
      const matching = subscribers.filter((s) => subscriptionMatches(s, entry));
      if (matching.length) {
        this.#outbox.addMessage(messageId, { message, origin }, now);
        for (const s of matching)
          this.#outbox.addDelivery(messageId, s.id, "Notification", state.fifo ? (entry.groupId ?? null) : null, now);
      }
      if (dedupKey) {
        this.ctx.storage.sql.exec(
          "INSERT OR REPLACE INTO dedup (key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?)",
          dedupKey,
          messageId,
          sequence ?? "",
          now + DEDUP_WINDOW_MS,
        );
      }
      return { ok: true, value: { messageId, sequenceNumber: sequence } };
    });
    // A watchdog alarm, in case this object goes away before the pump has worked everything off.
    this.#armAlarm(now + WATCHDOG_MS);
    this.#startPump();
    return ok(results);
  }

  // ---- delivery --------------------------------------------------------------------------------

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    if (!this.#state) return;
    const now = Date.now();
    this.ctx.storage.sql.exec("DELETE FROM dedup WHERE expires_at <= ?", now);
    this.#subscriptions.expirePending(now);
    await this.#pump();
    this.#armAlarm();
  }

  #startPump(): void {
    if (!this.#pumping) void this.#pump().finally(() => this.#armAlarm());
  }

  /**
   * Works due deliveries off in chunks until none is due: grouped per subscriber (an SQS queue gets
   * its messages in one call, in order), several subscribers at a time.
   */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        const state = this.#state;
        if (!state) return;
        const rows = this.#outbox.claimDue(Date.now(), DELIVERY_CHUNK, state.fifo);
        if (!rows.length) return;
        const bySubscriber = new Map<string, DeliveryRow[]>();
        for (const row of rows) bySubscriber.set(row.subscription_id, [...(bySubscriber.get(row.subscription_id) ?? []), row]);
        const ctx: DeliveryContext = { env: this.env, topic: state, signatures: new Map() };
        const groups = [...bySubscriber.values()];
        for (let i = 0; i < groups.length; i += DELIVERY_CONCURRENCY) {
          await Promise.all(groups.slice(i, i + DELIVERY_CONCURRENCY).map((group) => this.#round.attempt(ctx, group)));
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  #sendConfirmation(
    state: TopicState,
    s: StoredSubscription,
    kind: ConfirmationPayload["kind"],
    origin: string,
    now: number,
  ): void {
    const token = randomToken(state.name);
    if (kind === "SubscriptionConfirmation") this.#subscriptions.setToken(s.id, token, now + TOKEN_TTL_MS);
    const payload: ConfirmationPayload = {
      kind,
      messageId: crypto.randomUUID(),
      token,
      timestamp: new Date(now).toISOString(),
      origin,
      target: targetOf(state, s),
    };
    this.#outbox.addMessage(payload.messageId, payload, now);
    this.#outbox.addDelivery(payload.messageId, kind === "UnsubscribeConfirmation" ? `gone:${s.id}` : s.id, kind, null, now);
    this.#armAlarm(now + WATCHDOG_MS);
    this.#startPump();
  }

  /** FIFO sequence numbers: strictly increasing per topic. */
  #nextSequence(): string {
    const next = (this.#readMeta<number>("sequence") ?? 0) + 1;
    this.#writeMeta("sequence", next);
    return sequenceNumber(next);
  }

  /** Arms the alarm at the earliest deadline (deliveries, token expiry, dedup window, a watchdog). */
  #armAlarm(watchdog?: number): void {
    // Already armed early enough for the watchdog (the case on every publish but the first): no queries.
    if (watchdog !== undefined && this.#alarmAt !== null && this.#alarmAt >= Date.now() && this.#alarmAt <= watchdog) return;
    const candidates = [
      watchdog,
      this.#outbox.nextDue(),
      this.#subscriptions.nextTokenExpiry(),
      this.ctx.storage.sql.exec<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM dedup").one().t ?? undefined,
    ].filter((t): t is number => t !== undefined);
    if (!candidates.length || !this.#state) return;
    const at = Math.max(Math.min(...candidates), Date.now());
    if (this.#alarmAt === null || at < this.#alarmAt || this.#alarmAt < Date.now()) {
      void this.ctx.storage.setAlarm(at);
      this.#alarmAt = at;
    }
  }

  async #registerTopic(state: TopicState): Promise<void> {
    await catalogObject(this.env, state.account, state.region).registerTopic(state.name, state.createdAt);
  }

  async #registerSubscription(state: TopicState, s: StoredSubscription): Promise<void> {
    await catalogObject(this.env, state.account, state.region).registerSubscription({
      arn: subscriptionArn({ ...state, id: s.id }),
      topicArn: topicArn(state),
      protocol: s.protocol,
      endpoint: s.endpoint,
      owner: s.owner,
      pending: s.pending,
    });
  }

  #saveState(state: TopicState): void {
    this.#state = state;
    this.#writeMeta("topic", state);
  }

  #readMeta<T>(key: string): T | undefined {
    const row = this.ctx.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  #writeMeta(key: string, value: unknown): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }
}

/**
 * Confirmation tokens: long hex, as AWS's are: 64 random bytes, then the topic's name. The token
 * names its topic: AWS confirms a valid token even when SubscribeURL names another topic of the
 * region (AWS-recorded `test_subscribe_external_http_endpoint`, "nonexistent-token-confirm").
 */
function randomToken(topicName: string): string {
  const bytes = [...crypto.getRandomValues(new Uint8Array(64)), ...new TextEncoder().encode(topicName)];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
}
