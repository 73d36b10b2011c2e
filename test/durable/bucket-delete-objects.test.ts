/**
 * DeleteObjects in a real bucket object: the batch is one transaction, the removed objects' bytes
 * become garbage for the alarm to sweep (after the grace that lets running GETs finish), and keys
 * without an object are no error.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { bucketObject } from "../../src/durable/names";
import { value } from "../unit/results";

const ACCESS = { account: "000000000000", strict: false };
let counter = 0;

const streamOf = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });

async function bucketWith(keys: readonly string[]) {
  const name = `batch-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const stub = bucketObject(env, name);
  await stub.create({ name, owner: ACCESS.account, region: "us-east-1", createdAt: 0 });
  const dataIds: Record<string, string> = {};
  for (const key of keys) {
    const data = value(await stub.writeData(ACCESS, streamOf(key), { algorithms: [], payloadSha256: false, maxBytes: 1024 }));
    value(
      await stub.putObject(ACCESS, {
        key,
        size: data.size,
        etag: `"${data.md5Hex}"`,
        headers: {},
        metadata: {},
        checksums: {},
        tags: [],
        segments: [{ dataId: data.dataId, size: data.size }],
      }),
    );
    dataIds[key] = data.dataId;
  }
  return { stub, dataIds };
}

describe("bucket DeleteObjects", () => {
  it("removes the keys' objects in one step and hands their bytes to the sweeper", async () => {
    const { stub, dataIds } = await bucketWith(["a", "b", "c"]);
    const before = Date.now();
    expect(value(await stub.deleteObjects(ACCESS, ["a", "b", "missing", "a"]))).toEqual({ removed: 2 });
    expect(value(await stub.listObjects(ACCESS, { version: 2, query: {} })).page.contents.map((c) => c.key)).toEqual(["c"]);
    await runInDurableObject(stub, (_instance, state) => {
      const rows = state.storage.sql
        .exec<{ data_id: string; state: string; due: number | null }>("SELECT data_id, state, due FROM data")
        .toArray();
      const stateOf = (key: string) => rows.find((r) => r.data_id === dataIds[key]);
      expect(stateOf("a")).toMatchObject({ state: "garbage" });
      expect(stateOf("b")).toMatchObject({ state: "garbage" });
      expect(stateOf("c")).toMatchObject({ state: "live", due: null });
      expect(stateOf("a")!.due!).toBeGreaterThan(before);
    });
    expect(value(await stub.deleteObjects(ACCESS, ["nothing"]))).toEqual({ removed: 0 });
  });

  it("answers NoSuchBucket for a bucket that does not exist", async () => {
    const missing = await bucketObject(env, `nobatch-${Date.now().toString(36)}`).deleteObjects(ACCESS, ["k"]);
    expect(!missing.ok && missing.error.code).toBe("NoSuchBucket");
  });
});
