/**
 * TopicObject in the Workers runtime: its outbox (one delivery row per matching subscription, kept
 * until delivered), its retry schedule (the delivery policy's delays, then the dead-letter queue or
 * nothing) and its alarm (armed at the earliest due row, idempotent). HTTP endpoints that fail are an
 * unreachable loopback port; retries are made due by moving their `due_at`, not by waiting.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { queueObject, topicObject } from "../../src/durable/names";
import type { PublishEntry } from "../../src/domain/sns/contract";
import { parseSubscriptionDeliveryPolicy } from "../../src/domain/sns/delivery-policy";
import { initialTopicAttributes } from "../../src/domain/sns/topic-attributes";
import { STANDARD_DEFAULTS } from "../../src/domain/sqs/queue-attributes";
import { value } from "../unit/results";
import { ref } from "./queue-fixtures";

const ACCOUNT = "000000000000";
const REGION = "us-east-1";
const ORIGIN = "http://localhost:4566";
/**
 * Nothing listens here: every delivery attempt fails with a network error, which SNS retries. (workerd
 * logs each refused connection as "Network connection lost" even though the delivery handles it.)
 */
const UNREACHABLE = "http://127.0.0.1:9";

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

async function createTopic() {
  const ref = { account: ACCOUNT, region: REGION, name: unique("topic") };
  const stub = topicObject(env, ref);
  value(await stub.create({ ...ref, fifo: false, attributes: initialTopicAttributes(ref, false, {}), requested: {}, tags: {} }));
  return stub;
}

type TopicStub = Awaited<ReturnType<typeof createTopic>>;

async function createQueue() {
  const q = ref(unique("queue"));
  const stub = queueObject(env, q);
  value(await stub.create({ ...q, attributes: { ...STANDARD_DEFAULTS }, requested: {}, tags: {} }));
  return { stub, arn: `arn:aws:sqs:${q.region}:${q.account}:${q.name}` };
}

async function subscribe(topic: TopicStub, protocol: string, endpoint: string, attributes: Record<string, string> = {}) {
  const { id } = value(
    await topic.subscribe({ protocol, endpoint, owner: ACCOUNT, attributes, needsConfirmation: false, origin: ORIGIN }),
  );
  return id;
}

/** A subscription's DeliveryPolicy attribute as SetSubscriptionAttributes stores it. */
const deliveryPolicy = (healthyRetryPolicy: Record<string, unknown>) =>
  value(parseSubscriptionDeliveryPolicy(JSON.stringify({ healthyRetryPolicy })));

const entry = (message: string, attributes: PublishEntry["attributes"] = {}): PublishEntry => ({ message, attributes });

type Row = { subscription_id: string; attempts: number; due_at: number; first_failure: string | null };

const deliveries = (topic: TopicStub) =>
  runInDurableObject(topic, (_i, state) =>
    state.storage.sql.exec<Row>("SELECT subscription_id, attempts, due_at, first_failure FROM deliveries ORDER BY seq").toArray(),
  );

const messageRows = (topic: TopicStub) =>
  runInDurableObject(topic, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n);

const alarmAt = (topic: TopicStub) => runInDurableObject(topic, (_i, state) => state.storage.getAlarm());

/** Makes a subscription's next retry due now, as if its delay had passed. */
const makeDue = (topic: TopicStub, subscriptionId: string) =>
  runInDurableObject(topic, (_i, state) => {
    state.storage.sql.exec("UPDATE deliveries SET due_at = ? WHERE subscription_id = ?", Date.now(), subscriptionId);
  });

/** Runs the alarm (which first joins a delivery pump already running) and says when it started and ended. */
async function alarmRound(topic: TopicStub) {
  const before = Date.now();
  expect(await runDurableObjectAlarm(topic)).toBe(true);
  return { before, after: Date.now() };
}

const received = async (queue: Awaited<ReturnType<typeof createQueue>>) =>
  value(await queue.stub.receive({ maxMessages: 10, visibilityTimeout: 0, waitSeconds: 0 }));

describe("TopicObject outbox", () => {
  it("stores one delivery per matching subscription and keeps each until it is delivered", async () => {
    const topic = await createTopic();
    const delivered = await createQueue();
    const filteredOut = await createQueue();
    const queueId = await subscribe(topic, "sqs", delivered.arn);
    const httpId = await subscribe(topic, "http", `${UNREACHABLE}/outbox`);
    await subscribe(topic, "sqs", filteredOut.arn, { FilterPolicy: JSON.stringify({ kind: ["refund"] }) });

    // Read in the same turn as the publish: the rows are written before the pump's first await.
    const stored = await runInDurableObject(topic, (instance, state) => {
      const published = value(instance.publish([entry("hello", { kind: { DataType: "String", StringValue: "order" } })], ORIGIN));
      return {
        published,
        rows: state.storage.sql
          .exec<{ subscription_id: string }>("SELECT subscription_id FROM deliveries ORDER BY seq")
          .toArray(),
        messages: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n,
      };
    });
    expect(stored.published).toHaveLength(1);
    expect(stored.rows.map((r) => r.subscription_id).sort()).toEqual([queueId, httpId].sort());
    expect(stored.messages).toBe(1);

    await alarmRound(topic);
    // The queue got its message and its row went; the failing endpoint's row (and so the message) stays.
    const [body] = (await received(delivered)).map((m) => JSON.parse(m.body) as { Type: string; Message: string });
    expect(body).toMatchObject({ Type: "Notification", Message: "hello" });
    expect(await received(filteredOut)).toEqual([]);
    const rows = await deliveries(topic);
    expect(rows.map((r) => r.subscription_id)).toEqual([httpId]);
    expect(rows[0]!.attempts).toBe(1);
    expect(rows[0]!.first_failure).toBeTruthy();
    expect(await messageRows(topic)).toBe(1);
  });
});

describe("TopicObject retries and alarm", () => {
  it("retries a failing HTTP endpoint by its delivery policy, then hands the message to its dead-letter queue", async () => {
    const topic = await createTopic();
    const dlq = await createQueue();
    // Delays before the retries: 0 (no-delay phase), then linear backoff from 1 s to 3 s over two steps: 2 s, 3 s.
    const retrying = await subscribe(topic, "http", `${UNREACHABLE}/retrying`, {
      DeliveryPolicy: deliveryPolicy({
        numRetries: 3,
        numNoDelayRetries: 1,
        minDelayTarget: 1,
        maxDelayTarget: 3,
        backoffFunction: "linear",
      }),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    // The default HTTP policy: 3 retries, 20 s apart.
    const slow = await subscribe(topic, "http", `${UNREACHABLE}/slow`);
    const row = async (id: string) => (await deliveries(topic)).find((r) => r.subscription_id === id);

    value(await topic.publish([entry("to be dead-lettered")], ORIGIN));
    // The first attempt and the no-delay retry fail; the next retry waits 2 s; the alarm is at the earliest row.
    const first = await alarmRound(topic);
    expect(await row(retrying)).toMatchObject({ attempts: 2 });
    expect((await row(retrying))!.due_at).toBeGreaterThanOrEqual(first.before + 2000);
    expect((await row(retrying))!.due_at).toBeLessThanOrEqual(first.after + 2000);
    expect(await row(slow)).toMatchObject({ attempts: 1 });
    expect((await row(slow))!.due_at).toBeGreaterThanOrEqual(first.before + 20_000);
    expect(await alarmAt(topic)).toBe((await row(retrying))!.due_at);

    // An alarm with nothing due changes nothing and stays armed at the same row.
    const dueAt = (await row(retrying))!.due_at;
    await alarmRound(topic);
    expect(await row(retrying)).toMatchObject({ attempts: 2, due_at: dueAt });
    expect(await alarmAt(topic)).toBe(dueAt);

    await makeDue(topic, retrying);
    const third = await alarmRound(topic);
    expect(await row(retrying)).toMatchObject({ attempts: 3 });
    expect((await row(retrying))!.due_at).toBeGreaterThanOrEqual(third.before + 3000);
    expect((await row(retrying))!.due_at).toBeLessThanOrEqual(third.after + 3000);
    expect(await alarmAt(topic)).toBe((await row(retrying))!.due_at);

    // The last retry fails too: the dead-letter queue gets the notification the endpoint would have had.
    await makeDue(topic, retrying);
    await alarmRound(topic);
    expect(await row(retrying)).toBeUndefined();
    const [dead] = await received(dlq);
    expect(JSON.parse(dead!.body)).toMatchObject({ Type: "Notification", Message: "to be dead-lettered" });
    // The slow subscription still owes the message: its row, the message, and the alarm at its retry remain.
    expect(await messageRows(topic)).toBe(1);
    expect(await alarmAt(topic)).toBe((await row(slow))!.due_at);
  });

  it("drops a message whose retries are used up when the subscription has no dead-letter queue", async () => {
    const topic = await createTopic();
    await subscribe(topic, "http", `${UNREACHABLE}/dropped`, {
      DeliveryPolicy: deliveryPolicy({ numRetries: 1, numNoDelayRetries: 1 }),
    });
    value(await topic.publish([entry("dropped")], ORIGIN));
    await alarmRound(topic);
    expect(await deliveries(topic)).toEqual([]);
    expect(await messageRows(topic)).toBe(0);
    // Nothing is due any more: no alarm, and running the handler anyway does nothing.
    expect(await alarmAt(topic)).toBeNull();
    expect(await runDurableObjectAlarm(topic)).toBe(false);
    await runInDurableObject(topic, (instance) => instance.alarm());
    expect(await alarmAt(topic)).toBeNull();
    expect(await deliveries(topic)).toEqual([]);
  });
});
