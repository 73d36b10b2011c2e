/**
 * FIFO rules inside a QueueObject, with real SQLite storage and alarms: the 5-minute deduplication
 * window and remembered receive attempts expire from the alarm (armed at the earliest expiry),
 * PurgeQueue forgets both, the queue delay applies at read time, a group with a message in flight is
 * held, and retention still applies.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { queueObject } from "../../src/durable/names";
import type { NewMessage, ReceivedMessage } from "../../src/domain/sqs/contract";
import { FIFO_DEFAULTS, STANDARD_DEFAULTS } from "../../src/domain/sqs/queue-attributes";
import { value as unwrapOk } from "../unit/results";
import { alarmAt, handleRef, message as plainMessage, ref, sql } from "./queue-fixtures";

const WINDOW_MS = 5 * 60 * 1000;

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}.fifo`;

/** A FIFO message of `group`, deduplicated by `dedup` (the body unless given). */
const message = (body: string, group = "g", dedup = body): NewMessage =>
  plainMessage(body, { groupId: group, deduplicationId: dedup });

async function createFifo(attributes: Record<string, string> = {}) {
  const q = ref(unique("fifo"));
  const stub = queueObject(env, q);
  const created = await stub.create({
    ...q,
    attributes: { ...STANDARD_DEFAULTS, ...FIFO_DEFAULTS, ...attributes },
    requested: {},
    tags: {},
  });
  expect(created).toEqual({ ok: true, value: true });
  return stub;
}

type Stub = Awaited<ReturnType<typeof createFifo>>;

const bodies = (messages: ReceivedMessage[]) => messages.map((m) => m.body);

const dedupRows = (stub: Stub) =>
  sql<{ key: string; expires_at: number }>(stub, "SELECT key, expires_at FROM dedup ORDER BY key");
const attemptRows = (stub: Stub) =>
  sql<{ attempt_id: string; expires_at: number }>(
    stub,
    "SELECT attempt_id, expires_at FROM receive_attempts ORDER BY attempt_id",
  );

const send = async (stub: Stub, ...messages: NewMessage[]) => {
  const results = unwrapOk(await stub.send(messages, messages.length > 1));
  return results.map(unwrapOk);
};

const receive = async (stub: Stub, options: { max?: number; visibility?: number; attemptId?: string; wait?: number } = {}) =>
  unwrapOk(
    await stub.receive({
      maxMessages: options.max ?? 10,
      visibilityTimeout: options.visibility ?? 30,
      waitSeconds: options.wait ?? 0,
      attemptId: options.attemptId,
    }),
  );

const release = async (stub: Stub, ...messages: ReceivedMessage[]) => {
  const results = unwrapOk(
    await stub.changeVisibility(messages.map((m) => ({ ...handleRef(m.receiptHandle), visibilityTimeout: 0 }))),
  );
  expect(results.every((r) => r.ok)).toBe(true);
};

describe("FIFO deduplication window and receive attempts", () => {
  it("expires both from the alarm, which is armed at the earliest expiry", async () => {
    const stub = await createFifo();
    const [first] = await send(stub, message("m1", "g", "d1"));
    const [sentRow] = await sql<{ sent_at: number }>(stub, "SELECT sent_at FROM messages");
    const dedup = await dedupRows(stub);
    expect(dedup).toEqual([{ key: "d1", expires_at: sentRow!.sent_at + WINDOW_MS }]);
    // The window ends long before retention (4 days): the alarm is due then.
    expect(await alarmAt(stub)).toBe(dedup[0]!.expires_at);

    const received = await receive(stub, { attemptId: "attempt-1" });
    expect(bodies(received)).toEqual(["m1"]);
    const [attempt] = await attemptRows(stub);
    expect(attempt!.attempt_id).toBe("attempt-1");
    expect(attempt!.expires_at).toBeGreaterThanOrEqual(sentRow!.sent_at + WINDOW_MS);
    expect(attempt!.expires_at).toBeLessThanOrEqual(Date.now() + WINDOW_MS);
    expect(await alarmAt(stub)).toBe(dedup[0]!.expires_at);

    // Within the window a duplicate is answered like the original and not stored.
    const [duplicate] = await send(stub, message("m1 again", "g", "d1"));
    expect(duplicate!.messageId).toBe(first!.messageId);
    expect(duplicate!.sequenceNumber).toBe(first!.sequenceNumber);
    expect(await sql(stub, "SELECT seq FROM messages")).toHaveLength(1);
    // A retried receive gets the same message and handle.
    const retried = await receive(stub, { attemptId: "attempt-1" });
    expect(retried.map((m) => m.receiptHandle)).toEqual(received.map((m) => m.receiptHandle));

    // The window ends: the alarm forgets the key, keeps the younger attempt and re-arms at its expiry.
    await sql(stub, "UPDATE dedup SET expires_at = expires_at - ?", WINDOW_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await dedupRows(stub)).toEqual([]);
    const attempts = await attemptRows(stub);
    expect(attempts.map((a) => a.attempt_id)).toEqual(["attempt-1"]);
    expect(await alarmAt(stub)).toBe(attempts[0]!.expires_at);

    // The attempt ends too: the alarm falls back to the message's retention deadline.
    await sql(stub, "UPDATE receive_attempts SET expires_at = expires_at - ?", WINDOW_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await attemptRows(stub)).toEqual([]);
    expect(await alarmAt(stub)).toBe(sentRow!.sent_at + 345_600_000);

    // The same deduplication id is a new message now; the same attempt id a new receive.
    const [fresh] = await send(stub, message("m1 later", "h", "d1"));
    expect(fresh!.messageId).not.toBe(first!.messageId);
    expect(BigInt(fresh!.sequenceNumber!)).toBeGreaterThan(BigInt(first!.sequenceNumber!));
    expect(bodies(await receive(stub, { attemptId: "attempt-1" }))).toEqual(["m1 later"]);
  });

  it("re-arms the alarm for a new window or attempt when only a later deadline is armed", async () => {
    const stub = await createFifo();
    await send(stub, message("old", "g", "d-old"));
    const [old] = await sql<{ sent_at: number }>(stub, "SELECT sent_at FROM messages");
    await sql(stub, "UPDATE dedup SET expires_at = expires_at - ?", WINDOW_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // Only the old message's retention (4 days away) is left to wait for.
    expect(await alarmAt(stub)).toBe(old!.sent_at + 345_600_000);

    await send(stub, message("new", "h", "d-new"));
    const [window] = await dedupRows(stub);
    expect(window!.key).toBe("d-new");
    expect(await alarmAt(stub)).toBe(window!.expires_at);

    await sql(stub, "UPDATE dedup SET expires_at = expires_at - ?", WINDOW_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await dedupRows(stub)).toEqual([]);
    expect(await alarmAt(stub)).toBe(old!.sent_at + 345_600_000);

    // A remembered receive attempt is a deadline of its own.
    expect(bodies(await receive(stub, { attemptId: "attempt-x", max: 1 }))).toEqual(["old"]);
    const [attempt] = await attemptRows(stub);
    expect(attempt!.attempt_id).toBe("attempt-x");
    expect(await alarmAt(stub)).toBe(attempt!.expires_at);
  });

  it("are both cleared by PurgeQueue", async () => {
    const stub = await createFifo();
    const [first] = await send(stub, message("m1", "g", "d1"), message("m2", "g", "d2"));
    expect(bodies(await receive(stub, { attemptId: "attempt-1" }))).toEqual(["m1", "m2"]);
    expect(await dedupRows(stub)).toHaveLength(2);
    expect(await attemptRows(stub)).toHaveLength(1);

    unwrapOk(await stub.purge());
    expect(await sql(stub, "SELECT seq FROM messages")).toEqual([]);
    expect(await dedupRows(stub)).toEqual([]);
    expect(await attemptRows(stub)).toEqual([]);

    // The deduplication id stores a new message; the attempt id receives it afresh.
    const [again] = await send(stub, message("m1 after purge", "g", "d1"));
    expect(again!.messageId).not.toBe(first!.messageId);
    expect(bodies(await receive(stub, { attemptId: "attempt-1" }))).toEqual(["m1 after purge"]);
  });
});

describe("FIFO queue delay", () => {
  it("applies DelaySeconds at read time: a change reaches messages already in the queue", async () => {
    const stub = await createFifo({ DelaySeconds: "60" });
    await send(stub, message("waiting"));
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect(await receive(stub)).toEqual([]);

    unwrapOk(await stub.setAttributes({ DelaySeconds: "0" }));
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    const [got] = await receive(stub);
    expect(got!.body).toBe("waiting");
    unwrapOk(await stub.deleteMessages([handleRef(got!.receiptHandle)]));

    // And the other way: a longer delay holds back a message that was visible.
    await send(stub, message("held"));
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    unwrapOk(await stub.setAttributes({ DelaySeconds: "60" }));
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect(await receive(stub)).toEqual([]);
    // Past the delay it is received.
    await sql(stub, "UPDATE messages SET sent_at = sent_at - 60000");
    expect(bodies(await receive(stub))).toEqual(["held"]);
  });

  it("answers a waiting long poll when a shorter delay makes a message available", async () => {
    const stub = await createFifo({ DelaySeconds: "60" });
    await send(stub, message("soon"));
    const started = Date.now();
    const polling = receive(stub, { wait: 4 });
    // Let the poll park first.
    await sleep(100);
    unwrapOk(await stub.setAttributes({ DelaySeconds: "1" }));
    const got = await polling;
    expect(bodies(got)).toEqual(["soon"]);
    expect(Date.now() - started).toBeLessThan(3500);
  });
});

describe("FIFO message groups", () => {
  it("never returns a message of a group that has one in flight", async () => {
    const stub = await createFifo();
    await send(stub, message("a1", "A"), message("a2", "A"), message("a3", "A"), message("b1", "B"));

    const [a1] = await receive(stub, { max: 1 });
    expect(a1!.body).toBe("a1");
    // Group A is held while a1 is in flight; group B is not.
    expect(bodies(await receive(stub))).toEqual(["b1"]);
    expect(await receive(stub)).toEqual([]);

    // Released, group A is delivered again from its first message, as many as fit.
    await release(stub, a1!);
    const all = await receive(stub);
    expect(bodies(all)).toEqual(["a1", "a2", "a3"]);
    expect(all.map((m) => m.system.MessageGroupId)).toEqual(["A", "A", "A"]);
    expect(all.map((m) => m.system.ApproximateReceiveCount)).toEqual(["2", "1", "1"]);

    // a2 stays in flight while a1 and a3 are released: a1 (before it) may be received again, a3 not.
    await release(stub, all[0]!, all[2]!);
    const again = await receive(stub);
    expect(bodies(again)).toEqual(["a1"]);
    unwrapOk(await stub.deleteMessages([handleRef(again[0]!.receiptHandle)]));
    expect(await receive(stub)).toEqual([]);

    // Once a2 is deleted, a3 follows.
    unwrapOk(await stub.deleteMessages([handleRef(all[1]!.receiptHandle)]));
    expect(bodies(await receive(stub))).toEqual(["a3"]);
  });

  it("holds a group for a receive that waits, and serves other groups to it", async () => {
    const stub = await createFifo();
    await send(stub, message("a1", "A"), message("a2", "A"));
    const [a1] = await receive(stub, { max: 1, visibility: 30 });
    expect(a1!.body).toBe("a1");
    const polling = receive(stub, { wait: 5 });
    await sleep(100);
    await send(stub, message("c1", "C"));
    expect(bodies(await polling)).toEqual(["c1"]);
  });
});

describe("FIFO retention", () => {
  it("applies to FIFO messages: expired ones are not received, do not hold their group, and the alarm deletes them", async () => {
    const stub = await createFifo({ MessageRetentionPeriod: "60" });
    await send(stub, message("expired in flight", "A"), message("old", "B"));
    expect(bodies(await receive(stub, { max: 1, visibility: 600 }))).toEqual(["expired in flight"]);
    await send(stub, message("young", "A"));
    await sql(stub, "UPDATE messages SET sent_at = sent_at - 61000 WHERE body IN ('expired in flight', 'old')");

    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    // The expired message no longer exists for AWS, so it no longer holds group A.
    expect(bodies(await receive(stub))).toEqual(["young"]);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await sql<{ body: string }>(stub, "SELECT body FROM messages")).map((r) => r.body)).toEqual(["young"]);
  });
});
