/**
 * TopicObject: one SNS topic. Holds the topic's settings and subscriptions in SQLite; Publish
 * writes one outbox row per matching subscription and returns; a delivery pump (started after each
 * publish, and by the alarm for retries) works the outbox off in bounded, concurrent chunks, retries
 * failures by the delivery policy, and hands what cannot be delivered to the subscription's
 * dead-letter queue. At-least-once: a delivery row goes only after its delivery succeeded or gave up.
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Result } from "../domain/errors";
import { confirmationToken, TOKEN_TTL_MS } from "../domain/sns/confirmation-token";
import { deduplicationOf } from "../domain/sns/deduplication";
import { authorizationError, invalidParameter, notFound, tagLimitExceeded, topicNotFound } from "../domain/sns/errors";
import { subscriptionArn, topicArn } from "../domain/sns/names";
import { subscriptionMatches, topicSettings, type TopicSettings } from "../domain/sns/subscribers";
import { subscriptionAttributeMap } from "../domain/sns/subscription-attributes";
import {
  applyTopicAttributes,
  sameTopicAttributes,
  topicAttributeMap,
  type TopicAttributes,
} from "../domain/sns/topic-attributes";
import { sequenceNumber } from "../domain/sqs/fifo";
import { Alarm, earliest } from "./alarm";
import { MetaTable } from "./meta";
import { DedupWindow } from "./dedup-window";
import { catalogObject } from "./names";
import { migrate } from "./sql";
import type { DeliveryContext } from "./topic/deliver";
import { DeliveryRound, snapshotOf } from "./topic/delivery-round";
import { Outbox, type DeliveryRow } from "./topic/outbox";
import { TOPIC_MIGRATIONS } from "./topic/schema";
import { SubscriptionStore } from "./topic/subscription-store";
import type {
  ConfirmationPayload,
  CreateTopicRequest,
  PublishEntry,
  Published,
  StoredMessage,
  StoredSubscription,
  SubscribeRequest,
  SubscriptionInfo,
  TopicState,
} from "../domain/sns/contract";
import type { EntryResult } from "../domain/sqs/contract";

/** Deliveries worked per pump round, and at once, so one round never holds too much. */
const DELIVERY_CHUNK = 100;
const DELIVERY_CONCURRENCY = 16;
/**
 * After new deliveries the alarm is armed this far ahead at the latest, so that what an evicted object
 * left undelivered is picked up; it stays armed (firing idly at worst) rather than being cleared and
 * set again around every publish.
 */
const WATCHDOG_MS = 60_000;

export class TopicObject extends DurableObject<Env> {
  readonly #meta: MetaTable;
  readonly #alarm: Alarm;
  readonly #subscriptions: SubscriptionStore;
  readonly #outbox: Outbox;
  readonly #dedup: DedupWindow;
  readonly #round: DeliveryRound;
  #state: TopicState | null = null;
  /** The topic's attributes as publishing and delivery read them (parsed when they change). */
  #settings: TopicSettings | null = null;
  /** The last FIFO sequence number given out. */
  #sequence = 0;
  /** The delivery pump while it runs. */
  #pumping: Promise<void> | null = null;
  /** A pump start is scheduled for the next turn. */
  #pumpScheduled = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    this.#meta = new MetaTable(sql);
    this.#alarm = new Alarm(ctx.storage);
    this.#subscriptions = new SubscriptionStore(sql);
    this.#outbox = new Outbox(sql);
    this.#dedup = new DedupWindow(sql);
    this.#round = new DeliveryRound(this.#outbox, this.#subscriptions);
    void ctx.blockConcurrencyWhile(async () => {
      migrate(sql, TOPIC_MIGRATIONS);
      this.#load();
      await this.#alarm.load();
    });
  }

  /** Reads the topic's settings rows into typed fields (on wake, and after the topic was deleted). */
  #load(): void {
    this.#state = this.#meta.get<TopicState>("topic") ?? null;
    this.#settings = this.#state && topicSettings(this.#state);
    this.#sequence = this.#meta.get<number>("sequence") ?? 0;
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
    await this.#alarm.clear();
    await this.ctx.storage.deleteAll();
    this.#subscriptions.invalidate();
    migrate(this.ctx.storage.sql, TOPIC_MIGRATIONS);
    this.#load();
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
    if (Object.keys(tags).length > 50)
      return fail(tagLimitExceeded("Could not complete request: tag quota of per resource exceeded"));
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
    const settings = this.#settings;
    if (!settings) return fail(topicNotFound());
    const now = Date.now();
    const subscribers = this.#subscriptions.confirmed();
    const results = entries.map((entry): EntryResult<Published> => {
      let dedupKey: string | undefined;
      if (settings.fifo) {
        const dedup = deduplicationOf(settings, entry);
        if (!dedup.ok) return dedup;
        const duplicate = this.#dedup.duplicateOf(dedup.value.key, now);
        if (duplicate) return ok(duplicate);
        dedupKey = dedup.value.key;
        entry = { ...entry, deduplicationId: dedup.value.id };
      }
      const published: Published = {
        messageId: crypto.randomUUID(),
        sequenceNumber: settings.fifo ? this.#nextSequence() : undefined,
      };
      const message: StoredMessage = { ...entry, ...published, timestamp: new Date(now).toISOString() };
      const matching = subscribers.filter((s) => subscriptionMatches(s.settings, entry));
      if (matching.length) {
        this.#outbox.addMessage(published.messageId, { message, origin }, now);
        const group = settings.fifo ? (entry.groupId ?? null) : null;
        for (const s of matching) this.#outbox.addDelivery(published.messageId, s.id, "Notification", group, now);
      }
      if (dedupKey) this.#dedup.remember(dedupKey, published.messageId, published.sequenceNumber ?? "", now);
      return ok(published);
    });
    this.#afterWrite(now);
    return ok(results);
  }

  // ---- delivery --------------------------------------------------------------------------------

  /** Expires what is past its time, then works off every delivery that is due (retries, leftovers). */
  override async alarm(): Promise<void> {
    this.#alarm.fired();
    if (!this.#state) return;
    const now = Date.now();
    this.#dedup.expire(now);
    this.#subscriptions.expirePending(now);
    // A pump a publish started is joined, not run beside: then one more round for what fell due meanwhile.
    await this.#pumping;
    await this.#startPump();
  }

  /**
   * New deliveries are in the outbox: a watchdog alarm, in case this object goes away before the pump
   * is done, and the pump, started in a later turn so that the write's RPC answers as soon as its rows
   * are committed, whatever the topic's width (AWS's Publish returns before delivery, too).
   */
  #afterWrite(now: number): void {
    this.#alarm.arm(now + WATCHDOG_MS, now);
    if (!this.#pumping && !this.#pumpScheduled) {
      this.#pumpScheduled = true;
      setTimeout(() => {
        this.#pumpScheduled = false;
        void this.#startPump();
      }, 0);
    }
  }

  /** Starts the delivery pump unless it runs; when it stops, the alarm is set at the next due time. */
  #startPump(): Promise<void> {
    this.#pumping ??= this.#pump().finally(() => {
      this.#pumping = null;
      this.#armAlarm();
    });
    return this.#pumping;
  }

  /**
   * Works due deliveries off in chunks until none is due: grouped per subscriber (an SQS queue gets
   * its messages in one call, in order), several subscribers at a time.
   */
  async #pump(): Promise<void> {
    for (;;) {
      const state = this.#state;
      const settings = this.#settings;
      if (!state || !settings) return;
      const rows = this.#outbox.due(Date.now(), DELIVERY_CHUNK, settings.fifo);
      if (!rows.length) return;
      const bySubscriber = new Map<string, DeliveryRow[]>();
      for (const row of rows) bySubscriber.set(row.subscription_id, [...(bySubscriber.get(row.subscription_id) ?? []), row]);
      const ctx: DeliveryContext = { env: this.env, state, topic: settings, signatures: new Map() };
      const groups = [...bySubscriber.values()];
      for (let i = 0; i < groups.length; i += DELIVERY_CONCURRENCY) {
        await Promise.all(groups.slice(i, i + DELIVERY_CONCURRENCY).map((group) => this.#round.attempt(ctx, group)));
      }
    }
  }

  #sendConfirmation(
    state: TopicState,
    s: StoredSubscription,
    kind: ConfirmationPayload["kind"],
    origin: string,
    now: number,
  ): void {
    const token = confirmationToken(state.name);
    if (kind === "SubscriptionConfirmation") this.#subscriptions.setToken(s.id, token, now + TOKEN_TTL_MS);
    const payload: ConfirmationPayload = {
      kind,
      messageId: crypto.randomUUID(),
      token,
      timestamp: new Date(now).toISOString(),
      origin,
      target: snapshotOf(state, s),
    };
    this.#outbox.addMessage(payload.messageId, payload, now);
    this.#outbox.addDelivery(payload.messageId, kind === "UnsubscribeConfirmation" ? `gone:${s.id}` : s.id, kind, null, now);
    this.#afterWrite(now);
  }

  /** FIFO sequence numbers: strictly increasing per topic. */
  #nextSequence(): string {
    this.#meta.set("sequence", ++this.#sequence);
    return sequenceNumber(this.#sequence);
  }

  /**
   * Arms the alarm at the earliest deadline (deliveries, token expiry, dedup window). With nothing due
   * an armed watchdog is left to fire once, idly, instead of being cleared now and set again by the
   * next publish (two storage writes per publish otherwise).
   */
  #armAlarm(): void {
    if (!this.#state) return;
    const due = earliest(this.#outbox.nextDue(), this.#subscriptions.nextTokenExpiry(), this.#dedup.nextExpiry());
    if (due !== undefined) this.#alarm.arm(due, Date.now(), true);
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
    this.#meta.set("topic", state);
    if (state.attributes !== this.#state?.attributes) this.#settings = topicSettings(state);
    this.#state = state;
  }
}
