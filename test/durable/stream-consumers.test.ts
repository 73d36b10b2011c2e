/**
 * The consumer rules of a stream object (src/durable/stream/consumers.ts) on real Durable Object
 * SQLite, with time passed in: status changes that settle when due, AWS's limits, and the
 * SubscribeToShard lease (refused within 5 s, taken over after, released at the end).
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as consumers from "../../src/durable/stream/consumers";
import { streamObject } from "../../src/durable/names";

let counter = 0;
const T0 = 1_800_000_000_000;
const DELAY = 500;

/** Runs `fn` with the SQLite storage of a fresh stream object (schema applied on wake, no stream row needed). */
async function withSql<T>(fn: (sql: SqlStorage) => T): Promise<T> {
  const stub = streamObject(env, { account: "000000000000", region: "us-east-1", name: `consumers-${counter++}` });
  return runInDurableObject(stub, async (_instance, state) => {
    return fn(state.storage.sql);
  });
}

const stream: consumers.StreamRef = {
  name: "s",
  arn: "arn:aws:kinesis:us-east-1:000000000000:stream/s",
  account: "000000000000",
  status: "ACTIVE",
};

const register = (sql: SqlStorage, name: string, now: number, tags: Record<string, string> = {}) =>
  consumers.registerConsumer(sql, stream, { name, tags, now, delayMs: DELAY });

describe("consumer status", () => {
  it("is CREATING until the delay has passed, then ACTIVE; DELETING, then gone with its tags", async () => {
    await withSql((sql) => {
      const created = register(sql, "c", T0, { team: "data" });
      expect(created).toEqual({
        ok: true,
        value: { name: "c", arn: `${stream.arn}/consumer/c:${T0 / 1000}`, status: "CREATING", createdAt: T0 },
      });
      expect(consumers.findConsumer(sql, { name: "c" }, T0 + DELAY - 1)?.status).toBe("CREATING");
      expect(consumers.findConsumer(sql, { name: "c" }, T0 + DELAY)?.status).toBe("ACTIVE");

      expect(consumers.deregisterConsumer(sql, stream, { name: "c" }, T0 + 1000, DELAY).ok).toBe(true);
      // The stream's own questions (ConsumerCount, DeleteStream's check) no longer see it.
      expect(sql.exec("SELECT COUNT(*) AS n FROM consumers").one().n).toBe(0);
      expect(consumers.findConsumer(sql, { arn: `${stream.arn}/consumer/c:${T0 / 1000}` }, T0 + 1000)?.status).toBe("DELETING");
      expect(consumers.findConsumer(sql, { name: "c" }, T0 + 1000 + DELAY)).toBeUndefined();
      expect(sql.exec("SELECT COUNT(*) AS n FROM consumer_tags").one().n).toBe(0);
    });
  });

  it("is refused on a stream that is CREATING or DELETING", async () => {
    await withSql((sql) => {
      const result = consumers.registerConsumer(
        sql,
        { ...stream, status: "CREATING" },
        { name: "c", tags: {}, now: T0, delayMs: 0 },
      );
      expect(result).toMatchObject({ ok: false, error: { code: "ResourceInUseException" } });
    });
  });

  it("allows 5 CREATING at once and 20 in all", async () => {
    await withSql((sql) => {
      for (let i = 0; i < 5; i++) expect(register(sql, `a${i}`, T0).ok).toBe(true);
      expect(register(sql, "sixth", T0)).toMatchObject({ ok: false, error: { code: "LimitExceededException" } });
      for (let i = 0; i < 15; i++) expect(register(sql, `b${i}`, T0 + DELAY * (1 + Math.floor(i / 5))).ok).toBe(true);
      expect(register(sql, "too-many", T0 + 10_000)).toMatchObject({ ok: false, error: { code: "LimitExceededException" } });
    });
  });

  it("lists in registration order, page by page", async () => {
    await withSql((sql) => {
      for (const [i, name] of ["x", "b", "a"].entries()) register(sql, name, T0 + i);
      const first = consumers.listConsumers(sql, undefined, 2, T0 + 10);
      expect(first.consumers.map((c) => c.name)).toEqual(["x", "b"]);
      expect(first.more).toBe(true);
      const last = first.consumers[1]!;
      const second = consumers.listConsumers(sql, { createdAt: last.createdAt, name: last.name }, 2, T0 + 10);
      expect(second).toMatchObject({ consumers: [{ name: "a" }], more: false });
    });
  });
});

describe("SubscribeToShard leases", () => {
  const arn = `${stream.arn}/consumer/c:${T0 / 1000}`;
  const acquire = (sql: SqlStorage, now: number, shardId = "shardId-000000000000") =>
    consumers.acquireLease(sql, stream, { consumerArn: arn, shardId, now });

  it("need an ACTIVE consumer", async () => {
    await withSql((sql) => {
      register(sql, "c", T0);
      expect(acquire(sql, T0 + 1)).toMatchObject({
        ok: false,
        error: {
          code: "ResourceInUseException",
          message: `Consumer c with creation timestamp ${T0 / 1000} under stream: s , account 000000000000 is not in ACTIVE status.`,
        },
      });
      expect(acquire(sql, T0 + DELAY).ok).toBe(true);
    });
  });

  it("refuse a second subscription within 5 s, hand over after, and free up when released", async () => {
    await withSql((sql) => {
      register(sql, "c", T0);
      const t = T0 + DELAY;
      const first = acquire(sql, t);
      if (!first.ok) throw new Error("first subscription refused");
      expect(acquire(sql, t + 4_999)).toMatchObject({
        ok: false,
        error: { message: "Another active subscription exists for this consumer: 000000000000:s:shardId-000000000000:c" },
      });
      // Another shard is another lease.
      expect(acquire(sql, t + 1, "shardId-000000000001").ok).toBe(true);

      const second = acquire(sql, t + 5_000);
      if (!second.ok) throw new Error("takeover refused");
      expect(consumers.leaseState(sql, "c", "shardId-000000000000", first.value.lease, t + 5_001)).toBe("taken-over");
      expect(consumers.leaseState(sql, "c", "shardId-000000000000", second.value.lease, t + 5_001)).toBe("held");

      // The old subscription's release leaves the new lease alone; the new one's frees the shard.
      consumers.releaseLease(sql, "c", "shardId-000000000000", first.value.lease);
      expect(acquire(sql, t + 5_002).ok).toBe(false);
      consumers.releaseLease(sql, "c", "shardId-000000000000", second.value.lease);
      expect(acquire(sql, t + 5_003).ok).toBe(true);
    });
  });

  it("end when the consumer is deregistered", async () => {
    await withSql((sql) => {
      register(sql, "c", T0);
      const granted = acquire(sql, T0 + DELAY);
      if (!granted.ok) throw new Error("refused");
      consumers.deregisterConsumer(sql, stream, { name: "c" }, T0 + DELAY + 1, DELAY);
      expect(consumers.leaseState(sql, "c", "shardId-000000000000", granted.value.lease, T0 + DELAY + 2)).toBe("consumer-gone");
    });
  });
});
