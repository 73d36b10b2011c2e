/**
 * One delivery round of a TopicObject: an attempt at one subscriber's due deliveries, after which
 * each is done, rescheduled by the retry policy, or handed to the subscription's dead-letter queue.
 */
import { nextRetryDelay } from "../../domain/sns/delivery-policy";
import { subscriptionArn } from "../../domain/sns/names";
import { subscriptionSettings, targetOf } from "../../domain/sns/subscribers";
import { deliver, toQueue, type DeliveryContext } from "./deliver";
import type { DeliveryRow, Outbox } from "./outbox";
import type { SubscriptionStore } from "./subscription-store";
import type {
  ConfirmationPayload,
  Delivery,
  StoredMessage,
  StoredSubscription,
  SubscriberSnapshot,
  Target,
  TopicState,
} from "../../domain/sns/contract";

type StoredPayload = { message: StoredMessage; origin: string } | ConfirmationPayload;

/** An unreachable dead-letter queue is tried again after this long. */
const DEAD_LETTER_RETRY_MS = 60_000;

export class DeliveryRound {
  readonly #outbox: Outbox;
  readonly #subscriptions: SubscriptionStore;

  constructor(outbox: Outbox, subscriptions: SubscriptionStore) {
    this.#outbox = outbox;
    this.#subscriptions = subscriptions;
  }

  /** One attempt at a subscriber's due deliveries; each is then done, rescheduled, or dead-lettered. */
  async attempt(ctx: DeliveryContext, rows: DeliveryRow[]): Promise<void> {
    const subscriber = this.#subscriptions.subscriber(rows[0]!.subscription_id);
    let target: Target | undefined = subscriber && targetOf(ctx.topic, snapshotOf(ctx.state, subscriber), subscriber.settings);
    const work: { row: DeliveryRow; delivery: Delivery }[] = [];
    const gone: DeliveryRow[] = [];
    for (const row of rows) {
      const stored = this.#outbox.message<StoredPayload>(row.message_id);
      // Unsubscribe confirmations go to a subscription that is gone: the payload remembers it.
      const remembered = stored && !("message" in stored) ? stored.target : undefined;
      target ??= remembered && targetOf(ctx.topic, remembered, subscriptionSettings(remembered.attributes));
      if (!stored || !target) {
        gone.push(row);
        continue;
      }
      work.push({ row, delivery: deliveryOf(stored) });
    }
    this.#outbox.finish(gone);
    if (!work.length || !target) return;
    const outcomes = await deliver(
      ctx,
      target,
      work.map((w) => w.delivery),
    );
    const now = Date.now();
    const done: DeliveryRow[] = [];
    const deadLetters: { row: DeliveryRow; delivery: Delivery }[] = [];
    outcomes.forEach((outcome, i) => {
      const { row, delivery } = work[i]!;
      if (outcome.ok) return done.push(row);
      const delay = outcome.retry ? nextRetryDelay(target.retry, row.attempts + 1) : undefined;
      if (delay !== undefined) return this.#outbox.retryAt(row, now + delay * 1000, outcome.reason);
      if (delivery.kind === "Notification" && target.deadLetterQueue) deadLetters.push({ row, delivery });
      else done.push(row);
    });
    this.#outbox.finish(done);
    if (deadLetters.length) await this.#deadLetter(ctx, target, target.deadLetterQueue!, deadLetters);
  }

  /** Given up: the subscription's dead-letter queue gets what the subscriber would have received. */
  async #deadLetter(
    ctx: DeliveryContext,
    target: Target,
    queueArn: string,
    items: { row: DeliveryRow; delivery: Delivery }[],
  ): Promise<void> {
    const outcomes = await toQueue(
      ctx,
      target,
      items.map((i) => i.delivery),
      queueArn,
    ).catch(() => items.map(() => ({ ok: false, retry: true, reason: "dead-letter queue unreachable" }) as const));
    const now = Date.now();
    const done: DeliveryRow[] = [];
    outcomes.forEach((outcome, i) => {
      // An unreachable dead-letter queue is tried again later; a missing one means the message is dropped, as on AWS.
      if (!outcome.ok && outcome.retry) this.#outbox.retryAt(items[i]!.row, now + DEAD_LETTER_RETRY_MS, outcome.reason);
      else done.push(items[i]!.row);
    });
    this.#outbox.finish(done);
  }
}

/** A subscription as its deliveries (and an unsubscribe confirmation, once it is gone) name it. */
export function snapshotOf(state: TopicState, s: StoredSubscription): SubscriberSnapshot {
  return {
    subscriptionArn: subscriptionArn({ ...state, id: s.id }),
    protocol: s.protocol,
    endpoint: s.endpoint,
    owner: s.owner,
    attributes: s.attributes,
  };
}

function deliveryOf(stored: StoredPayload): Delivery {
  if ("message" in stored) return { kind: "Notification", message: stored.message, origin: stored.origin };
  const { kind, messageId, token, timestamp, origin } = stored;
  return { kind, messageId, token, timestamp, origin };
}
