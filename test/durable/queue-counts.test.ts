/**
 * A queue's message counts come from a stored-message counter and the few not-yet-visible messages
 * (src/durable/queue/message-counts.ts), not from a scan. These tests hold them to the scan they
 * replace, run as SQL on the object's own table, through every change: sends (delayed too), receives,
 * visibility running out, deletes, purges, retention expiry before and after the sweep, dead-letter
 * moves, move tasks and restarts of the object.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { queueObject } from "../../src/durable/names";
import { COUNT_PARTS } from "../../src/durable/queue/message-counts";
import { MessageStore } from "../../src/durable/queue/message-store";
import { STANDARD_DEFAULTS } from "../../src/domain/sqs/queue-attributes";
import { value as unwrapOk } from "../unit/results";
import { handleRef, message, ref, sql } from "./queue-fixtures";
import { rowsReadBy } from "./sql-cost";

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

type Stub = ReturnType<typeof queueObject>;

async function createQueue(name: string, attributes: Record<string, string> = {}) {
  const q = ref(name);
  const stub = queueObject(env, q);
  unwrapOk(await stub.create({ ...q, attributes: { ...STANDARD_DEFAULTS, ...attributes }, requested: {}, tags: {} }));
  return { stub, arn: `arn:aws:sqs:${q.region}:${q.account}:${name}` };
}

/** The counts as the object used to compute them: one scan of every message. */
const SCAN = `SELECT
    COALESCE(SUM(visible_at <= ?1 AND sent_at <= ?2), 0) AS visible,
    COALESCE(SUM(visible_at > ?1 AND receive_count > 0), 0) AS inFlight,
    COALESCE(SUM(receive_count = 0 AND (visible_at > ?1 OR sent_at > ?2)), 0) AS delayed
  FROM messages WHERE sent_at > ?3`;

/** The object's counts, checked against the scan at the same instant (inside the object). */
async function counts(stub: Stub, retentionMs = 345_600_000, delayMs = 0) {
  return runInDurableObject(stub, (instance, state) => {
    const answer = unwrapOk(instance.describe({ counts: true })).counts;
    const now = Date.now();
    const scan = state.storage.sql
      .exec<{ visible: number; inFlight: number; delayed: number }>(SCAN, now, now - delayMs, now - retentionMs)
      .one();
    expect(answer).toEqual({ visible: scan.visible, inFlight: scan.inFlight, delayed: scan.delayed });
    return answer;
  });
}

const SEND = (n: number, prefix = "m") => Array.from({ length: n }, (_, i) => message(`${prefix}${i}`));

describe("queue counts", () => {
  it("stay exact through send, receive, visibility running out, delete, purge and restarts", async () => {
    const { stub } = await createQueue(unique("counts"));
    expect(await counts(stub)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    // Counted from here on (the first count reads the table once).
    unwrapOk(await stub.send(SEND(10), true));
    unwrapOk(await stub.send([message("later", { delaySeconds: 900 })], false));
    expect(await counts(stub)).toEqual({ visible: 10, inFlight: 0, delayed: 1 });

    const received = unwrapOk(await stub.receive({ maxMessages: 4, visibilityTimeout: 600 }));
    expect(await counts(stub)).toEqual({ visible: 6, inFlight: 4, delayed: 1 });

    unwrapOk(await stub.deleteMessages(received.slice(0, 2).map((m) => handleRef(m.receiptHandle))));
    expect(await counts(stub)).toEqual({ visible: 6, inFlight: 2, delayed: 1 });
    // A handle already used deletes nothing, and the counter knows it.
    unwrapOk(await stub.deleteMessages(received.slice(0, 1).map((m) => handleRef(m.receiptHandle))));
    expect(await counts(stub)).toEqual({ visible: 6, inFlight: 2, delayed: 1 });

    // Time passes (no write by the queue): the in-flight and the delayed message become visible.
    await sql(stub, "UPDATE messages SET visible_at = ? WHERE visible_at > ?", Date.now() - 1, Date.now());
    expect(await counts(stub)).toEqual({ visible: 9, inFlight: 0, delayed: 0 });

    await evictDurableObject(stub);
    expect(await counts(stub)).toEqual({ visible: 9, inFlight: 0, delayed: 0 });
    unwrapOk(await stub.send(SEND(3, "after-restart"), true));
    expect(await counts(stub)).toEqual({ visible: 12, inFlight: 0, delayed: 0 });

    unwrapOk(await stub.purge());
    expect(await counts(stub)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    unwrapOk(await stub.send(SEND(2, "after-purge"), true));
    expect(await counts(stub)).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
    // Changes while the object has not counted yet (just woken) are counted by the first count.
    await evictDurableObject(stub);
    unwrapOk(await stub.send(SEND(1, "uncounted"), true));
    expect(await counts(stub)).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
  });

  it("leave out messages past retention before the alarm sweeps them, and after", async () => {
    const { stub } = await createQueue(unique("counts-retention"), { MessageRetentionPeriod: "60" });
    unwrapOk(await stub.send([...SEND(3, "old"), message("old-delayed", { delaySeconds: 600 })], true));
    unwrapOk(await stub.receive({ maxMessages: 1, visibilityTimeout: 600 }));
    expect(await counts(stub, 60_000)).toEqual({ visible: 2, inFlight: 1, delayed: 1 });
    await sql(stub, "UPDATE messages SET sent_at = sent_at - 61000");
    unwrapOk(await stub.send(SEND(2, "new"), true));
    expect(await counts(stub, 60_000)).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await sql<{ n: number }>(stub, "SELECT COUNT(*) AS n FROM messages"))[0]!.n).toBe(2);
    expect(await counts(stub, 60_000)).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
  });

  it("follow messages moved to the dead-letter queue and back by a move task", async () => {
    const dlq = await createQueue(unique("counts-dlq"));
    const source = await createQueue(unique("counts-source"), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    });
    expect(await counts(source.stub)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await counts(dlq.stub)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    unwrapOk(await source.stub.send(SEND(3), true));
    unwrapOk(await source.stub.receive({ maxMessages: 10, visibilityTimeout: 0 }));
    // Received once: the next receive moves all three to the dead-letter queue.
    expect(unwrapOk(await source.stub.receive({ maxMessages: 10, visibilityTimeout: 0 }))).toEqual([]);
    expect(await counts(source.stub)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await counts(dlq.stub)).toEqual({ visible: 3, inFlight: 0, delayed: 0 });

    unwrapOk(await dlq.stub.startMoveTask(null, null));
    expect(await runDurableObjectAlarm(dlq.stub)).toBe(true);
    expect(await counts(dlq.stub)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await counts(source.stub)).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
  });

  it("equal the scan for random messages around every boundary (FIFO read delay included)", async () => {
    const stub = queueObject(env, ref(unique("counts-random")));
    await runInDurableObject(stub, (_instance, state) => {
      const db = state.storage.sql;
      const store = new MessageStore(db);
      let seed = 11;
      const pick = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
      const now = Date.now();
      for (let i = 0; i < 400; i++) {
        const received = pick(3) > 0;
        db.exec(
          `INSERT INTO messages (message_id, body, md5_body, sender_id, sent_at, visible_at, receive_count, size)
           VALUES (?, 'b', 'x', 't', ?, ?, ?, 1)`,
          `r${i}`,
          now - 20_000 + pick(21_000),
          now - 10_000 + pick(20_000),
          received ? 1 + pick(3) : 0,
        );
      }
      for (const [retentionMs, delayMs] of [
        [60_000, 0],
        [15_000, 0],
        [15_000, 5_000],
        [5_000, 15_000],
        [60_000, 900_000],
      ] as const) {
        const scan = db
          .exec<{ visible: number; inFlight: number; delayed: number }>(SCAN, now, now - delayMs, now - retentionMs)
          .one();
        expect(store.counts(now, now - retentionMs, delayMs), `retention ${retentionMs}, delay ${delayMs}`).toEqual({
          visible: scan.visible,
          inFlight: scan.inFlight,
          delayed: scan.delayed,
        });
        const visibleAlive = db
          .exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE visible_at <= ? AND sent_at > ?", now, now - retentionMs)
          .one().n;
        expect(store.countVisible(now, now - retentionMs)).toBe(visibleAlive);
      }
    });
  });

  it("are read from index ranges, never a scan of the messages", async () => {
    const { stub } = await createQueue(unique("counts-plan"));
    for (let i = 0; i < 30; i++) unwrapOk(await stub.send(SEND(10, `b${i}-`), true));
    unwrapOk(await stub.receive({ maxMessages: 2, visibilityTimeout: 600 }));
    expect(await counts(stub)).toEqual({ visible: 298, inFlight: 2, delayed: 0 });
    await runInDurableObject(stub, (instance, state) => {
      // Counted once: from then on a count reads the two in flight, not the 298 visible.
      expect(rowsReadBy(state.storage.sql, () => instance.describe({ counts: true }))).toBeLessThanOrEqual(4);
      expect(rowsReadBy(state.storage.sql, () => instance.describe())).toBe(0);
    });
    await runInDurableObject(stub, (_instance, state) => {
      const plan = state.storage.sql
        .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${COUNT_PARTS}`, 0, 0, 0, 0, 0, 0)
        .toArray()
        .map((row) => row.detail);
      const reads = plan.filter((detail) => /messages/.test(detail));
      expect(reads).toHaveLength(3);
      for (const read of reads) expect(read).toMatch(/^SEARCH messages USING (COVERING )?INDEX messages_by_(sent|visible)_at/);
      expect(reads.filter((read) => read.includes("messages_by_visible_at"))).toHaveLength(1);
    });
  });
});
