import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { queueObject } from "../../src/durable/names";
import { STANDARD_DEFAULTS } from "../../src/services/sqs/queue-attributes";

const ref = (name: string) => ({ account: "000000000000", region: "us-east-1", name });

describe("QueueObject", () => {
  it("deletes messages past retention from its alarm, with nobody polling", async () => {
    const q = ref("retention");
    const stub = queueObject(env, q);
    await stub.create({ ...q, attributes: { ...STANDARD_DEFAULTS, MessageRetentionPeriod: "60" }, requested: {}, tags: {} });
    const sent = await stub.send(
      [{ body: "old", attributes: null, md5OfBody: "x", md5OfAttributes: null, traceHeader: null, md5OfSystemAttributes: null, senderId: "t", size: 3 }],
      false,
    );
    expect(sent.ok).toBe(true);
    // Age the message past the 60 s retention, then let the alarm run.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE messages SET sent_at = sent_at - 61000");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const count = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n);
    expect(count).toBe(0);
  });
});
