/**
 * The bucket's notification outbox over real Durable Object SQLite, delivering to real queue and topic
 * objects through the bucket object's `deliver` adapter (notification-delivery.ts). The outbox lives in
 * the storage of a queue object that was never created (its tables are the host's; the outbox's are
 * added beside them), and time is an injected clock, so retries are made due without waiting. (The
 * bucket object's own use of it: bucket-notifications.test.ts.)
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ok } from "../../src/domain/errors";
import { eventMessage, testEventMessage } from "../../src/domain/s3/event-message";
import { initialTopicAttributes } from "../../src/domain/sns/topic-attributes";
import { STANDARD_DEFAULTS } from "../../src/domain/sqs/queue-attributes";
import { notificationDelivery } from "../../src/durable/bucket/notification-delivery";
import {
  NOTIFICATION_OUTBOX_MIGRATIONS,
  NotificationOutbox,
  RETRY,
  type Deliver,
  type Notification,
} from "../../src/durable/bucket/notification-outbox";
import { queueObject, topicObject } from "../../src/durable/names";
import { value } from "../unit/results";
import { ref } from "./queue-fixtures";

const ACCOUNT = "000000000000";
const REGION = "us-east-1";
const ORIGIN = "http://localhost:4566";

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

async function createQueue() {
  const q = ref(unique("queue"));
  const stub = queueObject(env, q);
  value(await stub.create({ ...q, attributes: { ...STANDARD_DEFAULTS }, requested: {}, tags: {} }));
  return { stub, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${q.name}` };
}

async function createTopic() {
  const t = { account: ACCOUNT, region: REGION, name: unique("topic") };
  const stub = topicObject(env, t);
  value(await stub.create({ ...t, fifo: false, attributes: initialTopicAttributes(t, false, {}), requested: {}, tags: {} }));
  return { stub, arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${t.name}` };
}

const received = async (queue: Awaited<ReturnType<typeof createQueue>>) =>
  value(await queue.stub.receive({ maxMessages: 10, visibilityTimeout: 0, waitSeconds: 0 }));

/**
 * The bucket object's own adapter: a queue gets the event JSON as the body of one message (with the
 * request's X-Ray header); a topic publishes it as the Message, Subject "Amazon S3 Notification".
 */
const deliver: Deliver = notificationDelivery(env);

/** A deliver that fails as an unreachable object does, counting its calls. */
const unreachable = () => {
  const calls: string[] = [];
  const fn: Deliver = async (_d, n) => {
    calls.push(n.body);
    throw new Error("Network connection lost.");
  };
  return { fn, calls };
};

/**
 * Runs `body` with an outbox in a fresh object's storage; `clock.now` is the outbox's time. The host
 * (an uncreated queue object) has migrated its own schema, so the outbox's statements are applied as they
 * are rather than through `migrate` (whose version counter is the host's).
 */
async function withOutbox<T>(
  body: (o: { outbox: NotificationOutbox; sql: SqlStorage; storage: DurableObjectStorage; clock: { now: number } }) => Promise<T>,
) {
  const host = queueObject(env, ref(unique("outbox-host")));
  return runInDurableObject(host, async (_instance, state) => {
    const sql = state.storage.sql;
    for (const statement of NOTIFICATION_OUTBOX_MIGRATIONS.flat()) sql.exec(statement);
    const clock = { now: Date.now() };
    const outbox = new NotificationOutbox(sql, () => clock.now);
    return body({ outbox, sql, storage: state.storage, clock });
  });
}

const event = (key: string) =>
  eventMessage(
    {
      eventName: "s3:ObjectCreated:Put",
      eventTime: Date.now(),
      region: REGION,
      bucket: "my-bucket",
      bucketOwner: "A3NL1KOZZKExample",
      requester: "AWS:AIDAJDPLRKLG7UEXAMPLE",
      sourceIp: "127.0.0.1",
      requestId: "R1",
      hostId: "H1",
      object: { key, size: 9, eTag: "437b930db84b8079c2dd804a71936b5f", sequencer: "0055AED6DCD90281E5" },
    },
    "config-1",
  );

const toQueue = (arn: string, body: string, extra: Partial<Notification> = {}): Notification => ({
  destination: { kind: "queue", arn },
  body,
  ...extra,
});

describe("bucket notification outbox", () => {
  it("is written in the object change's transaction: a change that fails leaves no message", async () => {
    await withOutbox(async ({ outbox, sql, storage, clock }) => {
      sql.exec("CREATE TABLE objects (key TEXT PRIMARY KEY)");
      storage.transactionSync(() => {
        sql.exec("INSERT INTO objects (key) VALUES ('a')");
        outbox.add([toQueue("arn:aws:sqs:us-east-1:000000000000:q", event("a"))], clock.now);
      });
      expect(() =>
        storage.transactionSync(() => {
          outbox.add([toQueue("arn:aws:sqs:us-east-1:000000000000:q", event("b"))], clock.now);
          sql.exec("INSERT INTO objects (key) VALUES ('a')"); // a constraint violation: the change fails
        }),
      ).toThrow();
      expect(outbox.pending()).toBe(1);
      expect(outbox.nextDue()).toBe(clock.now);
      expect(outbox.due(clock.now, 10).map((n) => JSON.parse(n.body).Records[0].s3.object.key)).toEqual(["a"]);
    });
  });

  it("delivers to a queue (the event JSON as the body) and to a topic (as the Message, with S3's subject)", async () => {
    const queue = await createQueue();
    const topic = await createTopic();
    const subscriber = await createQueue();
    value(
      await topic.stub.subscribe({
        protocol: "sqs",
        endpoint: subscriber.arn,
        owner: ACCOUNT,
        attributes: {},
        needsConfirmation: false,
        origin: ORIGIN,
      }),
    );
    const trace = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1";
    const body = event("test-data");
    const test = testEventMessage({ bucket: "my-bucket", requestId: "R0", hostId: "H0", time: Date.now() });
    const report = await withOutbox(async ({ outbox, clock }) => {
      outbox.add(
        [
          toQueue(queue.arn, test),
          toQueue(queue.arn, body, { traceHeader: trace }),
          { destination: { kind: "topic", arn: topic.arn }, body, origin: ORIGIN },
        ],
        clock.now,
      );
      const done = await outbox.pump(deliver);
      expect(outbox.pending()).toBe(0);
      expect(outbox.nextDue()).toBeUndefined();
      return done;
    });
    expect(report).toEqual({ delivered: 3, retried: 0, dropped: 0 });

    const direct = await received(queue);
    expect(direct.map((m) => m.body)).toEqual([test, body]);
    expect(direct[1]!.system.AWSTraceHeader).toBe(trace);

    // The topic's own pump delivers to its subscriber after the publish answered.
    let viaTopic = await received(subscriber);
    for (let i = 0; !viaTopic.length && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      viaTopic = await received(subscriber);
    }
    const envelope = JSON.parse(viaTopic[0]!.body);
    expect(envelope).toMatchObject({
      Type: "Notification",
      TopicArn: topic.arn,
      Subject: "Amazon S3 Notification",
      Message: body,
    });
  });

  it("retries an unreachable destination with growing delays; the messages after a failure wait as long", async () => {
    await withOutbox(async ({ outbox, clock }) => {
      const arn = "arn:aws:sqs:us-east-1:000000000000:down";
      outbox.add([toQueue(arn, "1"), toQueue(arn, "2"), toQueue("arn:aws:sqs:us-east-1:000000000000:other", "3")], clock.now);
      const down = unreachable();
      expect(await outbox.pump(down.fn)).toEqual({ delivered: 0, retried: 2, dropped: 0 });
      // One knock per destination: "2" waits behind "1" without being tried.
      expect(down.calls).toEqual(["1", "3"]);
      const start = clock.now;
      expect(outbox.nextDue()).toBe(start + 1_000);
      expect(outbox.due(start + 1_000, 10).map((n) => [n.body, n.attempts])).toEqual([
        ["1", 1],
        ["2", 0],
        ["3", 1],
      ]);
      clock.now = start + 1_000;
      await outbox.pump(down.fn);
      expect(outbox.nextDue()).toBe(start + 1_000 + 2_000);
      // Back up: everything goes, each destination's in order (destinations side by side).
      clock.now = start + 3_000;
      const delivered: string[] = [];
      const report = await outbox.pump(async (_d, n) => {
        delivered.push(n.body);
        return ok(null);
      });
      expect(report).toEqual({ delivered: 3, retried: 0, dropped: 0 });
      expect(delivered.filter((b) => b !== "3")).toEqual(["1", "2"]);
      expect(delivered).toContain("3");
      expect(outbox.pending()).toBe(0);
    });
  });

  it("drops a message its destination refuses (a queue that does not exist), and one nobody took for a day", async () => {
    await withOutbox(async ({ outbox, clock }) => {
      outbox.add([toQueue(`arn:aws:sqs:us-east-1:000000000000:${unique("missing")}`, event("a"))], clock.now);
      expect(await outbox.pump(deliver)).toEqual({ delivered: 0, retried: 0, dropped: 1 });
      expect(outbox.pending()).toBe(0);

      outbox.add([toQueue("arn:aws:sqs:us-east-1:000000000000:down", "late")], clock.now);
      clock.now += RETRY.giveUpAfterMs - RETRY.firstDelayMs;
      expect(await outbox.pump(unreachable().fn)).toEqual({ delivered: 0, retried: 1, dropped: 0 });
      clock.now = outbox.nextDue()!;
      expect(await outbox.pump(unreachable().fn)).toEqual({ delivered: 0, retried: 0, dropped: 1 });
      expect(outbox.pending()).toBe(0);
    });
  });

  it("runs one pump at a time; a pump asked for while one runs also takes what was added meanwhile", async () => {
    await withOutbox(async ({ outbox, clock }) => {
      const arn = "arn:aws:sqs:us-east-1:000000000000:q";
      const seen: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const slow: Deliver = async (_d, n) => {
        seen.push(n.body);
        if (n.body === "first") await gate;
        return ok(null);
      };
      outbox.add([toQueue(arn, "first")], clock.now);
      const running = outbox.pump(slow);
      outbox.add([toQueue(arn, "second")], clock.now);
      const joined = outbox.pump(slow);
      expect(joined).toBe(running);
      release();
      expect(await running).toEqual({ delivered: 2, retried: 0, dropped: 0 });
      expect(seen).toEqual(["first", "second"]);
      // Once stopped, the next pump is a new run.
      outbox.add([toQueue(arn, "third")], clock.now);
      expect(outbox.pump(slow)).not.toBe(running);
    });
  });

  it("forgets everything when the bucket goes", async () => {
    await withOutbox(async ({ outbox, clock }) => {
      outbox.add([toQueue("arn:aws:sqs:us-east-1:000000000000:q", "x")], clock.now);
      outbox.clear();
      expect(outbox.pending()).toBe(0);
      expect(outbox.nextDue()).toBeUndefined();
    });
  });
});
