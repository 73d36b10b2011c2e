import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { queueObject } from "../../src/durable/names";
import { STANDARD_DEFAULTS } from "../../src/domain/sqs/queue-attributes";
import { value as unwrapOk } from "../unit/results";
import { alarmAt, handleRef, message, ref, sql } from "./queue-fixtures";

describe("QueueObject", () => {
  it("deletes messages past retention from its alarm, with nobody polling", async () => {
    const q = ref("retention");
    const stub = queueObject(env, q);
    await stub.create({ ...q, attributes: { ...STANDARD_DEFAULTS, MessageRetentionPeriod: "60" }, requested: {}, tags: {} });
    const sent = await stub.send([message("old")], false);
    expect(sent.ok).toBe(true);
    // Age the message past the 60 s retention, then let the alarm run.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE messages SET sent_at = sent_at - 61000");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const count = await runInDurableObject(
      stub,
      (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n,
    );
    expect(count).toBe(0);
  });
});

// ---- helpers for the tests below -------------------------------------------------------------

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

async function createQueue(name: string, attributes: Record<string, string> = {}) {
  const q = ref(name);
  const stub = queueObject(env, q);
  const created = await stub.create({ ...q, attributes: { ...STANDARD_DEFAULTS, ...attributes }, requested: {}, tags: {} });
  expect(created).toEqual({ ok: true, value: true });
  return { q, stub, arn: `arn:aws:sqs:${q.region}:${q.account}:${name}` };
}

type Stub = Awaited<ReturnType<typeof createQueue>>["stub"];

const messageCount = async (stub: Stub) => (await sql<{ n: number }>(stub, "SELECT COUNT(*) AS n FROM messages"))[0]!.n;

describe("QueueObject retention", () => {
  it("expires in-flight and delayed messages too; counts leave out expired messages before the sweep", async () => {
    const { stub } = await createQueue(unique("retention-all"), { MessageRetentionPeriod: "60" });
    unwrapOk(await stub.send([message("visible"), message("in-flight"), message("delayed", { delaySeconds: 900 })], true));
    const received = unwrapOk(await stub.receive({ maxMessages: 1, visibilityTimeout: 600 }));
    expect(received).toHaveLength(1);
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 1, inFlight: 1, delayed: 1 });

    await sql(stub, "UPDATE messages SET sent_at = sent_at - 61000");
    // Past retention but not yet swept: gone from the counts and from receives.
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(unwrapOk(await stub.receive({ maxMessages: 10, visibilityTimeout: 0 }))).toEqual([]);
    // Deleting an expired message's handle succeeds (AWS answers 200).
    expect(unwrapOk(await stub.deleteMessages([handleRef(received[0]!.receiptHandle)]))).toEqual([{ ok: true, value: null }]);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await messageCount(stub)).toBe(0);
    expect(await alarmAt(stub)).toBeNull();
  });

  it("keeps the alarm armed at the earliest deadline", async () => {
    const { stub } = await createQueue(unique("alarm-earliest"), { MessageRetentionPeriod: "60" });
    expect(await alarmAt(stub)).toBeNull();

    unwrapOk(await stub.send([message("first")], false));
    const [first] = await sql<{ sent_at: number }>(stub, "SELECT sent_at FROM messages ORDER BY seq");
    expect(await alarmAt(stub)).toBe(first!.sent_at + 60_000);

    // A later message has a later deadline: the alarm stays at the first one's.
    await sleep(5);
    unwrapOk(await stub.send([message("second")], false));
    expect(await alarmAt(stub)).toBe(first!.sent_at + 60_000);

    // A longer retention moves the deadline later, a shorter one earlier.
    unwrapOk(await stub.setAttributes({ MessageRetentionPeriod: "120" }));
    expect(await alarmAt(stub)).toBe(first!.sent_at + 120_000);
    unwrapOk(await stub.setAttributes({ MessageRetentionPeriod: "90" }));
    expect(await alarmAt(stub)).toBe(first!.sent_at + 90_000);

    // A move task is due at once: it pulls the alarm to now.
    const { arn: destination } = await createQueue(unique("alarm-dest"));
    const before = Date.now();
    unwrapOk(await stub.startMoveTask(destination, 1));
    const armed = await alarmAt(stub);
    expect(armed).not.toBeNull();
    expect(armed!).toBeLessThanOrEqual(Date.now());
    expect(armed!).toBeGreaterThanOrEqual(before - 1000);
  });

  it("runs alarm() idempotently: a second run deletes nothing more and re-arms at the same deadline", async () => {
    const { stub } = await createQueue(unique("alarm-twice"), { MessageRetentionPeriod: "60" });
    unwrapOk(await stub.send([message("old"), message("young")], true));
    await sql(stub, "UPDATE messages SET sent_at = sent_at - 61000 WHERE body = 'old'");
    const [young] = await sql<{ sent_at: number }>(stub, "SELECT sent_at FROM messages WHERE body = 'young'");

    await runInDurableObject(stub, (instance) => instance.alarm());
    expect(await messageCount(stub)).toBe(1);
    expect(await alarmAt(stub)).toBe(young!.sent_at + 60_000);

    await runInDurableObject(stub, (instance) => instance.alarm());
    expect(await messageCount(stub)).toBe(1);
    expect(await alarmAt(stub)).toBe(young!.sent_at + 60_000);
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it("paces a move task across alarm runs: two runs within a second move one message at rate 1", async () => {
    const dlq = await createQueue(unique("pace-dlq"));
    const destination = await createQueue(unique("pace-dest"));
    const moved = ["a", "b", "c"].map((body) => ({
      ...message(body),
      messageId: crypto.randomUUID(),
      groupId: null,
      deduplicationId: null,
      sentAt: Date.now(),
      receiveCount: 1,
      firstReceivedAt: Date.now(),
    }));
    unwrapOk(await dlq.stub.acceptDeadLetters(moved, "arn:aws:sqs:us-east-1:000000000000:pace-source"));
    unwrapOk(await dlq.stub.startMoveTask(destination.arn, 1));

    await runInDurableObject(dlq.stub, (instance) => instance.alarm());
    await runInDurableObject(dlq.stub, (instance) => instance.alarm());
    const [task] = unwrapOk(await dlq.stub.listMoveTasks(10));
    expect(task).toMatchObject({ status: "RUNNING", moved: 1, toMove: 3 });
    expect(await messageCount(destination.stub)).toBe(1);
    expect(await messageCount(dlq.stub)).toBe(2);
    // The next tick is armed about a second later.
    const next = await alarmAt(dlq.stub);
    expect(next).not.toBeNull();
    expect(next! - Date.now()).toBeGreaterThan(0);
    expect(next! - Date.now()).toBeLessThanOrEqual(1000);
  });
});

describe("QueueObject lifecycle", () => {
  it("DeleteQueue wipes messages, tasks and alarm, and leaves only the tombstone that blocks re-creation for 60 s", async () => {
    const name = unique("delete-me");
    const { q, stub } = await createQueue(name, { MessageRetentionPeriod: "60" });
    unwrapOk(await stub.send([message("a"), message("b", { delaySeconds: 60 })], true));
    const [received] = unwrapOk(await stub.receive({ maxMessages: 1, visibilityTimeout: 600 }));
    const { arn: destination } = await createQueue(unique("delete-dest"));
    unwrapOk(await stub.startMoveTask(destination, 1));

    expect(unwrapOk(await stub.destroy())).toBeNull();
    expect(await messageCount(stub)).toBe(0);
    expect(await sql(stub, "SELECT * FROM move_tasks")).toEqual([]);
    expect((await sql<{ key: string }>(stub, "SELECT key FROM meta")).map((r) => r.key)).toEqual(["deleted"]);
    expect(await alarmAt(stub)).toBeNull();

    const gone = await stub.describe();
    expect(gone.ok ? null : gone.error.code).toBe("AWS.SimpleQueueService.NonExistentQueue");
    const again = await stub.destroy();
    expect(again.ok ? null : again.error.code).toBe("AWS.SimpleQueueService.NonExistentQueue");

    const recreate = { ...q, attributes: STANDARD_DEFAULTS, requested: {}, tags: {} };
    const tooSoon = await stub.create(recreate);
    expect(tooSoon.ok ? null : tooSoon.error).toMatchObject({
      code: "AWS.SimpleQueueService.QueueDeletedRecently",
      message: "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
    });

    await sql(stub, "UPDATE meta SET value = CAST(value AS INTEGER) - 61000 WHERE key = 'deleted'");
    expect(await stub.create(recreate)).toEqual({ ok: true, value: true });
    // The new queue is empty and a handle from the old one is not valid for it.
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const [stale] = unwrapOk(await stub.deleteMessages([handleRef(received!.receiptHandle)]));
    expect(stale!.ok ? null : stale!.error.code).toBe("ReceiptHandleIsInvalid");
  });

  it("PurgeQueue deletes every message (visible, in flight, delayed) and refuses a second purge within 60 s", async () => {
    const name = unique("purge-me");
    const { stub } = await createQueue(name);
    unwrapOk(await stub.send([message("visible"), message("in-flight"), message("delayed", { delaySeconds: 300 })], true));
    const [received] = unwrapOk(await stub.receive({ maxMessages: 1, visibilityTimeout: 600 }));

    expect(unwrapOk(await stub.purge())).toBeNull();
    expect(await messageCount(stub)).toBe(0);
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    // The purged message's handle deletes nothing and fails nothing.
    expect(unwrapOk(await stub.deleteMessages([handleRef(received!.receiptHandle)]))).toEqual([{ ok: true, value: null }]);

    const second = await stub.purge();
    expect(second.ok ? null : second.error).toMatchObject({
      code: "AWS.SimpleQueueService.PurgeQueueInProgress",
      status: 403,
      message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
    });

    // The queue goes on working.
    unwrapOk(await stub.send([message("after")], false));
    expect(unwrapOk(await stub.describe({ counts: true })).counts).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });
});

describe("QueueObject dead-letter moves", () => {
  it("keeps the message in the source queue when its dead-letter queue does not exist, and moves it once it does", async () => {
    const dlqName = unique("late-dlq");
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${dlqName}`;
    // Created directly on the object: the service layer would refuse a policy naming a missing queue.
    const source = await createQueue(unique("orphan-src"), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    });
    const [sent] = unwrapOk(await source.stub.send([message("precious")], false));
    const messageId = sent!.ok ? sent!.value.messageId : "";

    expect(unwrapOk(await source.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }))).toHaveLength(1);
    // Over maxReceiveCount: diverted, but the dead-letter queue isn't there. Nothing is lost.
    expect(unwrapOk(await source.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }))).toEqual([]);
    const rows = await sql<{ message_id: string; receive_count: number }>(
      source.stub,
      "SELECT message_id, receive_count FROM messages",
    );
    expect(rows).toEqual([{ message_id: messageId, receive_count: 1 }]);

    // Once the dead-letter queue exists, the next attempt moves the message there.
    const dlq = await createQueue(dlqName);
    await sql(source.stub, "UPDATE messages SET visible_at = 0");
    expect(unwrapOk(await source.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }))).toEqual([]);
    expect(await messageCount(source.stub)).toBe(0);
    const [arrived] = unwrapOk(await dlq.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }));
    expect(arrived).toMatchObject({ messageId, body: "precious" });
    expect(arrived!.system).toMatchObject({ DeadLetterQueueSourceArn: source.arn, ApproximateReceiveCount: "2" });
  });

  it("counts maxReceiveCount per queue: a dead-letter queue that is itself a source delivers before moving on", async () => {
    const last = await createQueue(unique("chain-last"));
    const middle = await createQueue(unique("chain-middle"), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: last.arn, maxReceiveCount: 1 }),
    });
    const first = await createQueue(unique("chain-first"), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: middle.arn, maxReceiveCount: 1 }),
    });
    unwrapOk(await first.stub.send([message("hop")], false));
    expect(unwrapOk(await first.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }))).toHaveLength(1);
    expect(unwrapOk(await first.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }))).toEqual([]);

    const [inMiddle] = unwrapOk(await middle.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }));
    expect(inMiddle?.system.ApproximateReceiveCount).toBe("2");
    expect(unwrapOk(await middle.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }))).toEqual([]);
    const [inLast] = unwrapOk(await last.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }));
    expect(inLast).toMatchObject({ messageId: inMiddle!.messageId, body: "hop" });
    expect(inLast!.system).toMatchObject({ ApproximateReceiveCount: "3", DeadLetterQueueSourceArn: middle.arn });
  });
});

describe("QueueObject dead-letter retention", () => {
  it("keeps a dead-lettered message's original enqueue time, so the DLQ's retention counts from the first send", async () => {
    const dlq = await createQueue(unique("ret-dlq"), { MessageRetentionPeriod: "60" });
    const source = await createQueue(unique("ret-src"), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    });
    unwrapOk(await source.stub.send([message("aging")], false));
    // Sent 61 s ago: fine for the source's 4 days, too old for the DLQ's 60 s.
    await sql(source.stub, "UPDATE messages SET sent_at = sent_at - 61000");
    const [first] = await sql<{ sent_at: number }>(source.stub, "SELECT sent_at FROM messages");
    expect(unwrapOk(await source.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }))).toHaveLength(1);
    expect(unwrapOk(await source.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }))).toEqual([]);
    expect(await messageCount(source.stub)).toBe(0);

    expect(await sql(dlq.stub, "SELECT sent_at FROM messages")).toEqual([{ sent_at: first!.sent_at }]);
    expect(unwrapOk(await dlq.stub.describe({ counts: true })).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(unwrapOk(await dlq.stub.receive({ maxMessages: 1, visibilityTimeout: 0 }))).toEqual([]);
    expect(await runDurableObjectAlarm(dlq.stub)).toBe(true);
    expect(await messageCount(dlq.stub)).toBe(0);
  });
});
