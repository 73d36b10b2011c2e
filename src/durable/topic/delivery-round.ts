/**
 * One delivery round of a TopicObject: an attempt at one subscriber's due deliveries, after which
 * each is done, rescheduled by the retry policy, or handed to the subscription's dead-letter queue.
 */
import {
  AWS_MANAGED_RETRY,
  CUSTOMER_MANAGED_RETRY,
  effectiveHttpPolicy,
  nextRetryDelay,
  type RetryPolicy,
} from "../../domain/sns/delivery-policy";
import { matchesFilterPolicy } from "../../domain/sns/filter-policy";
import { subscriptionArn } from "../../domain/sns/names";
import { deliver, toQueue, type DeliveryContext } from "./deliver";
import type { DeliveryRow, Outbox } from "./outbox";
import type { SubscriptionStore } from "./subscription-store";
import type {
  ConfirmationPayload,
  Delivery,
  PublishEntry,
  StoredMessage,
  StoredSubscription,
  Target,
  TopicState,
} from "../../domain/sns/contract";

export class DeliveryRound {
  readonly #outbox: Outbox;
  readonly #subscriptions: SubscriptionStore;

  constructor(outbox: Outbox, subscriptions: SubscriptionStore) {
    this.#outbox = outbox;
    this.#subscriptions = subscriptions;
  }

  /** One attempt at a subscriber's due deliveries; each is then done, rescheduled, or dead-lettered. */
  async attempt(ctx: DeliveryContext, rows: DeliveryRow[]): Promise<void> {
    const subscription = this.#subscriptions.get(rows[0]!.subscription_id);
    const work: { row: DeliveryRow; delivery: Delivery; target: Target }[] = [];
    const gone: DeliveryRow[] = [];
    for (const row of rows) {
      const stored = this.#outbox.message<{ message: StoredMessage; origin: string } | ConfirmationPayload>(row.message_id);
      const target = subscription ? targetOf(ctx.topic, subscription) : (stored as ConfirmationPayload | undefined)?.target;
      if (!stored || !target) {
        gone.push(row);
        continue;
      }
      const delivery: Delivery =
        "message" in stored
          ? { kind: "Notification", message: stored.message, origin: stored.origin }
          : {
              kind: stored.kind,
              messageId: stored.messageId,
              token: stored.token,
              timestamp: stored.timestamp,
              origin: stored.origin,
            };
      work.push({ row, delivery, target });
    }
    this.#outbox.finish(gone);
    if (!work.length) return;
    const target = work[0]!.target;
    const outcomes = await deliver(
      ctx,
      target,
      work.map((w) => w.delivery),
    );
    const done: DeliveryRow[] = [];
    const deadLetters: { row: DeliveryRow; delivery: Delivery }[] = [];
    outcomes.forEach((outcome, i) => {
      const { row, delivery } = work[i]!;
      if (outcome.ok) return done.push(row);
      const delay = outcome.retry ? nextRetryDelay(this.#retryPolicy(ctx.topic, target), row.attempts + 1) : undefined;
      if (delay !== undefined) return this.#outbox.retryAt(row, Date.now() + delay * 1000, outcome.reason);
      if (delivery.kind === "Notification" && deadLetterQueue(target)) deadLetters.push({ row, delivery });
      else done.push(row);
    });
    this.#outbox.finish(done);
    if (deadLetters.length) await this.#deadLetter(ctx, target, deadLetters);
  }

  /** Given up: the subscription's dead-letter queue gets what the subscriber would have received. */
  async #deadLetter(ctx: DeliveryContext, target: Target, items: { row: DeliveryRow; delivery: Delivery }[]): Promise<void> {
    const outcomes = await toQueue(
      ctx,
      target,
      items.map((i) => i.delivery),
      deadLetterQueue(target)!,
    ).catch(() => items.map(() => ({ ok: false, retry: true, reason: "dead-letter queue unreachable" }) as const));
    const done: DeliveryRow[] = [];
    outcomes.forEach((outcome, i) => {
      // An unreachable dead-letter queue is tried again later; a missing one means the message is dropped, as on AWS.
      if (!outcome.ok && outcome.retry) this.#outbox.retryAt(items[i]!.row, Date.now() + 60_000, outcome.reason);
      else done.push(items[i]!.row);
    });
    this.#outbox.finish(done);
  }

  #retryPolicy(state: TopicState, target: Target): RetryPolicy {
    if (target.protocol === "http" || target.protocol === "https") {
      const sub = this.#subscriptions.get(target.subscriptionArn.split(":").pop()!);
      return effectiveHttpPolicy(state.attributes.DeliveryPolicy, sub?.attributes.DeliveryPolicy).retry;
    }
    return ["sqs", "lambda", "firehose"].includes(target.protocol) ? AWS_MANAGED_RETRY : CUSTOMER_MANAGED_RETRY;
  }
}

export function targetOf(state: TopicState, s: StoredSubscription): Target {
  const http = s.protocol === "http" || s.protocol === "https";
  return {
    subscriptionArn: subscriptionArn({ ...state, id: s.id }),
    protocol: s.protocol,
    endpoint: s.endpoint,
    owner: s.owner,
    attributes: s.attributes,
    contentType: http ? effectiveHttpPolicy(state.attributes.DeliveryPolicy, s.attributes.DeliveryPolicy).contentType : undefined,
  };
}

function deadLetterQueue(target: Target): string | undefined {
  const raw = target.attributes.RedrivePolicy;
  if (!raw) return undefined;
  try {
    const arn = (JSON.parse(raw) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof arn === "string" ? arn : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a subscription's filter policy (if any) lets a published entry through. */
export function subscriptionMatches(s: StoredSubscription, entry: PublishEntry): boolean {
  const policy = s.attributes.FilterPolicy;
  if (!policy) return true;
  const scope = s.attributes.FilterPolicyScope === "MessageBody" ? "MessageBody" : "MessageAttributes";
  const attributes: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(entry.attributes))
    attributes[name] = { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? "" };
  return matchesFilterPolicy(JSON.parse(policy) as unknown, { attributes, body: entry.message }, scope);
}
