/**
 * StreamObject in the Workers runtime: the alarm alone completes CREATING → ACTIVE and DELETING →
 * gone (shards destroyed, catalog entry dropped), and a reshard applied at the end of UPDATING
 * closes the parent with the ending sequence number its shard object reports.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { catalogObject, streamObject } from "../../src/durable/names";
import type { CreateStreamRequest, StreamState } from "../../src/domain/kinesis/contract";

const account = "210987654321";
const region = "us-east-1";

const request = (name: string, shardCount = 2): CreateStreamRequest => ({
  account,
  region,
  name,
  arn: `arn:aws:kinesis:${region}:${account}:stream/${name}`,
  shardCount,
  mode: "PROVISIONED",
  tags: {},
  maxRecordSizeKiB: 1024,
  shardLimit: 500,
  onDemandStreamLimit: 50,
});

/** The stored settings row, read without going through the object's methods (which settle). */
const storedState = (stub: ReturnType<typeof streamObject>) =>
  runInDurableObject(stub, (_i, state) => {
    const row = state.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'stream'").toArray()[0];
    return row ? (JSON.parse(row.value) as StreamState) : null;
  });

/** Lets the status delay (500 ms in wrangler.toml) pass; the object keeps its settings in memory. */
const makeDue = (_stub: unknown) => sleep(550);

describe("StreamObject", () => {
  it("becomes ACTIVE by its alarm, with nobody asking", async () => {
    const stub = streamObject(env, { account, region, name: "by-alarm" });
    expect((await stub.create(request("by-alarm"))).ok).toBe(true);
    expect((await storedState(stub))!.status).toBe("CREATING");
    await makeDue(stub);
    await runDurableObjectAlarm(stub); // false when the runtime already fired it by itself
    const state = await storedState(stub);
    expect(state!.status).toBe("ACTIVE");
    expect(state!.statusDueAt).toBeUndefined();
    const [entry] = await catalogObject(env, account, region).listStreams(10, "by-alarl");
    expect(entry).toMatchObject({ name: "by-alarm", status: "ACTIVE", openShards: 2 });
  });

  it("applies a split when UPDATING ends: parent closed with its ending sequence number, children open", async () => {
    const stub = streamObject(env, { account, region, name: "split" });
    await stub.create(request("split", 1));
    await makeDue(stub);
    await runDurableObjectAlarm(stub);
    const limits = { account, region, shardLimit: 500, onDemandStreamLimit: 50 };
    const planned = await stub.reshard(
      { kind: "split", shardToSplit: "shardId-000000000000", newStartingHashKey: "1000" },
      limits,
    );
    expect(planned.ok).toBe(true);
    expect((await storedState(stub))!.status).toBe("UPDATING");
    await makeDue(stub);
    await runDurableObjectAlarm(stub);
    const routing = await stub.routing();
    if (!routing.ok) throw new Error(routing.error.message);
    const [parent, left, right] = routing.value.shards;
    expect(routing.value.status).toBe("ACTIVE");
    expect(parent!.endingSequenceNumber).toMatch(/^\d+$/);
    expect(BigInt(parent!.endingSequenceNumber!)).toBeGreaterThanOrEqual(BigInt(parent!.startingSequenceNumber));
    expect([left!.parentShardId, left!.endingHashKey, right!.startingHashKey]).toEqual(["shardId-000000000000", "999", "1000"]);
  });

  it("is gone after DELETING ends: storage wiped, catalog entry dropped", async () => {
    const stub = streamObject(env, { account, region, name: "doomed" });
    await stub.create(request("doomed"));
    expect((await stub.destroy(false)).ok).toBe(true);
    expect((await storedState(stub))!.status).toBe("DELETING");
    await makeDue(stub);
    await runDurableObjectAlarm(stub);
    expect(await storedState(stub)).toBeNull();
    const routing = await stub.routing();
    expect(!routing.ok && routing.error).toMatchObject({
      code: "ResourceNotFoundException",
      message: `Stream doomed under account ${account} not found.`,
    });
    const names = (await catalogObject(env, account, region).listStreams(100)).map((e) => e.name);
    expect(names).not.toContain("doomed");
  });
});
