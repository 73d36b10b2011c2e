import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { shardObject } from "../../src/durable/names";
import { packPutBatch, type PutRecordEntry } from "../../src/domain/kinesis/put-batch";
import { storedSequenceNumbers } from "../../src/domain/kinesis/shard-contract";
import type { ShardSpec } from "../../src/domain/kinesis/contract";
import { parseSequenceNumber, sequenceNumber } from "../../src/domain/kinesis/sequence-numbers";

let counter = 0;
const HOUR = 3_600_000;

async function openShard(options: { throttled?: boolean; retentionHours?: number; index?: number } = {}) {
  const createdAt = Date.now() - 1000;
  const shardId = `shardId-${String(options.index ?? 2).padStart(12, "0")}`;
  const stream = `s-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const ref = { account: "000000000000", region: "us-east-1", stream, createdAt, shardId };
  const stub = shardObject(env, ref);
  const spec: ShardSpec = {
    account: ref.account,
    region: ref.region,
    streamName: stream,
    streamArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
    streamCreatedAt: createdAt,
    shard: {
      shardId,
      startingHashKey: "0",
      endingHashKey: "340282366920938463463374607431768211455",
      startingSequenceNumber: sequenceNumber({
        shardCreatedAt: createdAt,
        shardIndex: options.index ?? 2,
        seq: 0,
        recordAt: createdAt,
      }),
      createdAt,
    },
    retentionHours: options.retentionHours ?? 24,
    throttled: options.throttled ?? false,
  };
  await stub.open(spec);
  return { stub, spec };
}

const entry = (text: string, partitionKey = "pk"): PutRecordEntry => ({ data: new TextEncoder().encode(text), partitionKey });
const text = (data: Uint8Array) => new TextDecoder().decode(data);

type Stub = Awaited<ReturnType<typeof openShard>>["stub"];

/** Puts entries packed as the Worker sends them; a stored answer comes with its sequence numbers printed. */
async function putEntries(stub: Stub, entries: PutRecordEntry[]) {
  const outcome = await stub.put(packPutBatch(entries));
  if (outcome.status !== "stored") return { status: outcome.status };
  return { status: outcome.status, sequenceNumbers: storedSequenceNumbers(outcome, entries.length) };
}
const count = (stub: Stub) =>
  runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM records").one().n);

describe("ShardObject", () => {
  it("appends in order with strictly increasing sequence numbers and reads them back", async () => {
    const { stub, spec } = await openShard();
    const first = await putEntries(stub, [entry("a"), entry("b")]);
    const second = await putEntries(stub, [entry("c")]);
    expect(first.status).toBe("stored");
    const numbers = [
      ...(first.status === "stored" ? first.sequenceNumbers : []),
      ...(second.status === "stored" ? second.sequenceNumbers : []),
    ];
    expect(numbers.map((n) => parseSequenceNumber(n!)?.seq)).toEqual([1, 2, 3]);
    expect(numbers.every((n) => parseSequenceNumber(n!)?.shardIndex === 2)).toBe(true);
    const big = numbers.map((n) => BigInt(n!));
    expect(big[0]! > BigInt(spec.shard.startingSequenceNumber) && big[0]! < big[1]! && big[1]! < big[2]!).toBe(true);

    const read = await stub.read({ seq: 1, limit: 2 });
    if (read.status !== "ok") throw new Error(read.status);
    expect(read.records.map((r) => text(r.data))).toEqual(["a", "b"]);
    expect(read.records.map((r) => r.sequenceNumber)).toEqual(numbers.slice(0, 2));
    expect(read.nextSeq).toBe(3);
    expect(read.ended).toBe(false);
    const rest = await stub.read({ seq: read.nextSeq, limit: 100 });
    expect(rest.status === "ok" && rest.records.map((r) => text(r.data))).toEqual(["c"]);
    expect(rest.status === "ok" && rest.millisBehindLatest).toBe(0);
  });

  it("commits concurrent puts together, numbered in arrival order", async () => {
    const { stub } = await openShard();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => putEntries(stub, [entry(`c${i}`), entry(`d${i}`)])));
    const seqs = outcomes.flatMap((o) =>
      o.status === "stored" ? o.sequenceNumbers.map((n) => parseSequenceNumber(n!)!.seq) : [],
    );
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Each call's records are adjacent.
    for (const o of outcomes) {
      const [a, b] = o.status === "stored" ? o.sequenceNumbers.map((n) => parseSequenceNumber(n!)!.seq) : [];
      expect(b! - a!).toBe(1);
    }
    expect(await count(stub)).toBe(40);
  });

  it("stores each record of a packed batch with its own key, explicit hash key, size and counter", async () => {
    const { stub } = await openShard();
    // More records than one INSERT statement carries, of different sizes, some with explicit hash keys.
    const entries = Array.from({ length: 50 }, (_, i) => ({
      ...entry("x".repeat(i), `key-${i}`),
      ...(i % 3 === 0 ? { explicitHashKey: String(i * 1000) } : {}),
    }));
    const put = await putEntries(stub, entries);
    expect(put.sequenceNumbers?.map((n) => parseSequenceNumber(n!)?.seq)).toEqual(entries.map((_, i) => i + 1));
    const rows = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql
        .exec<{ seq: number; pk: string; ehk: string | null; size: number }>(
          "SELECT seq, partition_key AS pk, explicit_hash_key AS ehk, size FROM records ORDER BY seq",
        )
        .toArray(),
    );
    expect(rows).toEqual(entries.map((e, i) => ({ seq: i + 1, pk: `key-${i}`, ehk: e.explicitHashKey ?? null, size: i })));
    const read = await stub.read({ seq: 1, limit: 100 });
    expect(read.status === "ok" && read.records.map((r) => text(r.data))).toEqual(entries.map((_, i) => "x".repeat(i)));
  });

  it("starts iterators at TRIM_HORIZON, LATEST and AT_TIMESTAMP", async () => {
    const { stub } = await openShard();
    await putEntries(stub, [entry("old")]);
    await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("UPDATE records SET arrived_at = arrived_at - 60000"));
    const middle = Date.now() - 30_000;
    await putEntries(stub, [entry("new1"), entry("new2")]);
    expect(await stub.start({ type: "TRIM_HORIZON" })).toEqual({ status: "ok", seq: 1 });
    expect(await stub.start({ type: "LATEST" })).toEqual({ status: "ok", seq: 4 });
    expect(await stub.start({ type: "AT_TIMESTAMP", at: middle })).toEqual({ status: "ok", seq: 2 });
    expect(await stub.start({ type: "AT_TIMESTAMP", at: Date.now() + 1000 })).toEqual({ status: "ok", seq: 4 });
  });

  it("trims records past retention from its alarm, with nobody reading, and never reuses counters", async () => {
    const { stub } = await openShard({ retentionHours: 24 });
    await putEntries(stub, [entry("a"), entry("b"), entry("c")]);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now() + 23 * HOUR);
    await runInDurableObject(stub, (_i, state) =>
      state.storage.sql.exec("UPDATE records SET arrived_at = arrived_at - ? WHERE seq <= 2", 25 * HOUR),
    );
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now()));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await count(stub)).toBe(1);
    const read = await stub.read({ seq: 1, limit: 10 });
    expect(read.status === "ok" && read.records.map((r) => text(r.data))).toEqual(["c"]);
    expect(await stub.start({ type: "TRIM_HORIZON" })).toEqual({ status: "ok", seq: 3 });
    // Everything expires: the counter still continues after a restart-free trim of all rows.
    await runInDurableObject(stub, (_i, state) =>
      state.storage.sql.exec("UPDATE records SET arrived_at = arrived_at - ?", 25 * HOUR),
    );
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now()));
    await runDurableObjectAlarm(stub);
    expect(await count(stub)).toBe(0);
    const again = await putEntries(stub, [entry("d")]);
    expect(again.status === "stored" && parseSequenceNumber(again.sequenceNumbers[0]!)?.seq).toBe(4);
  });

  it("drops older records at once when retention is decreased", async () => {
    const { stub } = await openShard({ retentionHours: 48 });
    await putEntries(stub, [entry("a"), entry("b")]);
    await runInDurableObject(stub, (_i, state) =>
      state.storage.sql.exec("UPDATE records SET arrived_at = arrived_at - ? WHERE seq = 1", 30 * HOUR),
    );
    await stub.setRetention(24);
    await runDurableObjectAlarm(stub);
    expect(await count(stub)).toBe(1);
  });

  it("refuses writes once closed; readers reach its end", async () => {
    const { stub } = await openShard();
    const put = await putEntries(stub, [entry("a"), entry("b")]);
    const closed = await stub.close(Date.now());
    expect(put.status === "stored" && closed.endingSequenceNumber).toBe(put.status === "stored" && put.sequenceNumbers[1]);
    expect(await stub.close(Date.now() + 5)).toEqual(closed);
    expect(await putEntries(stub, [entry("c")])).toEqual({ status: "closed" });
    const first = await stub.read({ seq: 1, limit: 1 });
    expect(first.status === "ok" && first.ended).toBe(false);
    const last = await stub.read({ seq: 2, limit: 1 });
    expect(last.status === "ok" && [last.records.length, last.ended]).toEqual([1, true]);
    const past = await stub.read({ seq: 3, limit: 10 });
    expect(past.status === "ok" && [past.records.length, past.ended]).toEqual([0, true]);
  });

  it("is gone after destroy", async () => {
    const { stub, spec } = await openShard();
    await putEntries(stub, [entry("a")]);
    await stub.destroy();
    expect(await putEntries(stub, [entry("b")])).toEqual({ status: "gone" });
    expect(await stub.read({ seq: 1, limit: 10 })).toEqual({ status: "gone" });
    expect(await count(stub)).toBe(0);
    await stub.open(spec); // a late open never revives it
    expect(await putEntries(stub, [entry("b")])).toEqual({ status: "gone" });
  });

  it("throttles provisioned shards: 1,000 records/s written, 5 reads/s", async () => {
    const { stub } = await openShard({ throttled: true });
    const put = await putEntries(
      stub,
      Array.from({ length: 1200 }, (_, i) => entry(`r${i}`)),
    );
    if (put.status !== "stored") throw new Error(put.status);
    expect(put.sequenceNumbers.filter((n) => n !== null)).toHaveLength(1000);
    expect(put.sequenceNumbers.slice(1000).every((n) => n === null)).toBe(true);
    expect(await count(stub)).toBe(1000);
    // The answer itself names the refused entries, after the stored ones' first counter.
    const other = await openShard({ throttled: true });
    const raw = await other.stub.put(packPutBatch(Array.from({ length: 1200 }, (_, i) => entry(`r${i}`))));
    expect(raw.status === "stored" && [raw.first.seq, raw.refused]).toEqual([1, Array.from({ length: 200 }, (_, i) => 1000 + i)]);
    const reads = [];
    for (let i = 0; i < 6; i++) reads.push((await stub.read({ seq: 1, limit: 1 })).status);
    expect(reads).toEqual(["ok", "ok", "ok", "ok", "ok", "throttled"]);
    // SubscribeToShard reads have their own budget.
    expect((await stub.read({ seq: 1, limit: 1, fanOut: true })).status).toBe("ok");
  });

  it("stores records bigger than a SQLite row in chunks and caps reads at 10 MiB", async () => {
    const { stub } = await openShard();
    const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => i % 251);
    await putEntries(stub, [
      { data: big, partitionKey: "big" },
      { data: big, partitionKey: "big" },
      { data: big, partitionKey: "big" },
      { data: big, partitionKey: "big" },
    ]);
    const read = await stub.read({ seq: 1, limit: 10 });
    if (read.status !== "ok") throw new Error(read.status);
    expect(read.records).toHaveLength(3);
    expect(read.records[2]!.data).toEqual(big);
    expect(read.nextSeq).toBe(4);
    expect(read.millisBehindLatest).toBeGreaterThanOrEqual(0);
  });
});
