/**
 * BucketObject in the Workers runtime: bodies written in 1 MiB chunk rows, objects visible only once
 * complete, replaced and deleted objects' chunks swept by the alarm after their grace period, and
 * failed or discarded writes leaving nothing behind. Reads come back one chunk per call.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { bucketObject } from "../../src/durable/names";
import { CHUNK_BYTES, chunkReads } from "../../src/durable/bucket/object-data";

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
const access = { account: "000000000000", strict: false };
const options = { algorithms: ["CRC32" as const], payloadSha256: false, maxBytes: 5 * 1024 ** 3 };

function streamOf(size: number, fail = false): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) {
        if (fail) controller.error(new Error("client went away"));
        else controller.close();
        return;
      }
      const n = Math.min(300_000, size - sent);
      controller.enqueue(new Uint8Array(n).fill(sent & 0xff));
      sent += n;
    },
  });
}

async function newBucket() {
  const name = unique("bucket");
  const stub = bucketObject(env, name);
  await expect(stub.create({ name, owner: "000000000000", region: "us-east-1", createdAt: Date.now() })).resolves.toEqual({
    created: true,
  });
  await stub.info();
  return stub;
}

const chunkCount = (stub: ReturnType<typeof bucketObject>) =>
  runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM chunks").one().n);

const write = async (stub: ReturnType<typeof bucketObject>, key: string, size: number) => {
  const written = await stub.writeData(access, streamOf(size), options);
  if (!written.ok) throw new Error(written.error.message);
  const data = written.value;
  const put = await stub.putObject(access, {
    key,
    size: data.size,
    etag: `"${data.md5Hex}"`,
    headers: {},
    metadata: {},
    checksums: data.checksums,
    tags: [],
    segments: [{ dataId: data.dataId, size: data.size }],
  });
  expect(put.ok).toBe(true);
  return data;
};

describe("BucketObject", () => {
  it("stores a body in 1 MiB chunk rows and reads it back chunk by chunk", async () => {
    const stub = await newBucket();
    const size = 2 * CHUNK_BYTES + 12_345;
    const data = await write(stub, "k", size);
    expect(data.size).toBe(size);
    expect(await chunkCount(stub)).toBe(3);
    const got = await stub.getObject(access, "k");
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    let total = 0;
    for (const read of chunkReads(got.value.segments, 0, size - 1)) {
      const chunk = await stub.readChunk(read.dataId, read.seq);
      total += read.to - read.from;
      expect(chunk!.length).toBeGreaterThanOrEqual(read.to);
    }
    expect(total).toBe(size);
  });

  it("sweeps a replaced object's chunks after the grace period, and a deleted one's", async () => {
    const stub = await newBucket();
    await write(stub, "k", CHUNK_BYTES + 1);
    await write(stub, "k", 10);
    expect(await chunkCount(stub)).toBe(3);
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE data SET due = ? WHERE state = 'garbage'", Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await chunkCount(stub)).toBe(1);
    expect(await stub.deleteObject(access, "k")).toEqual({ ok: true, value: { deleted: true } });
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE data SET due = ? WHERE state = 'garbage'", Date.now() - 1);
    });
    await runDurableObjectAlarm(stub);
    expect(await chunkCount(stub)).toBe(0);
    const rows = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("SELECT * FROM data").toArray().length);
    expect(rows).toBe(0);
  });

  it("leaves no object and sweeps the chunks of a body that broke off, or was discarded", async () => {
    const stub = await newBucket();
    const broken = await stub.writeData(access, streamOf(CHUNK_BYTES + 5, true), options);
    expect(broken).toMatchObject({ ok: false, error: { code: "IncompleteBody" } });
    const written = await stub.writeData(access, streamOf(100), options);
    expect(written.ok).toBe(true);
    if (written.ok) await stub.discardData(written.value.dataId);
    await runDurableObjectAlarm(stub);
    expect(await chunkCount(stub)).toBe(0);
    expect(await stub.headObject(access, "k")).toMatchObject({ ok: false, error: { code: "NoSuchKey" } });
  });

  it("also takes a body as bytes (one RPC message), in the same chunk rows", async () => {
    const stub = await newBucket();
    const written = await stub.writeData(access, new Uint8Array(CHUNK_BYTES + 9).fill(3), options);
    expect(written).toMatchObject({ ok: true, value: { size: CHUNK_BYTES + 9 } });
    expect(await chunkCount(stub)).toBe(2);
  });

  it("refuses a body over the limit with EntityTooLarge", async () => {
    const stub = await newBucket();
    const tooBig = await stub.writeData(access, streamOf(2 * CHUNK_BYTES), { ...options, maxBytes: CHUNK_BYTES });
    expect(tooBig).toMatchObject({ ok: false, error: { code: "EntityTooLarge", status: 400 } });
  });

  it("refuses a non-empty bucket's deletion, and other accounts in strict mode", async () => {
    const stub = await newBucket();
    await write(stub, "k", 1);
    expect(await stub.destroy(access)).toMatchObject({ ok: false, error: { code: "BucketNotEmpty", status: 409 } });
    expect(await stub.describe({ account: "111111111111", strict: true })).toMatchObject({
      ok: false,
      error: { code: "AccessDenied", status: 403 },
    });
    expect(await stub.describe({ account: "111111111111", strict: false })).toMatchObject({ ok: true });
  });
});

describe("BucketObject parts and tags", () => {
  it("holds written parts past the written deadline and makes them one object of several segments", async () => {
    const stub = await newBucket();
    const upload = await stub.createUpload(access, { key: "mp", headers: {}, metadata: {}, tags: [], checksum: {} });
    if (!upload.ok) throw new Error(upload.error.message);
    const { uploadId } = upload.value;
    const sizes = [5 * 1024 * 1024 + 3, 7];
    const etags: string[] = [];
    for (const [i, size] of sizes.entries()) {
      const written = await stub.writeData(access, streamOf(size), options);
      if (!written.ok) throw new Error(written.error.message);
      // A part of an upload in progress is held (UploadPart records it) until completion or abort.
      const etag = `"${written.value.md5Hex}"`;
      const part = { partNumber: i + 1, dataId: written.value.dataId, size, etag, checksums: {} };
      expect(await stub.recordPart(access, "mp", uploadId, part)).toMatchObject({ ok: true });
      etags.push(etag);
    }
    // Far past the written deadline: held parts have none.
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE data SET due = ? WHERE due IS NOT NULL", Date.now() - 1);
    });
    await runDurableObjectAlarm(stub);
    expect(await chunkCount(stub)).toBe(7);
    const completed = await stub.completeUpload(access, "mp", uploadId, {
      parts: etags.map((etag, i) => ({ partNumber: i + 1, etag })),
    });
    expect(completed.ok).toBe(true);
    const got = await stub.getObject(access, "mp");
    if (!got.ok) throw new Error(got.error.message);
    const size = sizes[0]! + sizes[1]!;
    const reads = [...chunkReads(got.value.segments, 0, size - 1)];
    expect(reads.map((r) => r.to - r.from)).toEqual([CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES, 3, 7]);
  });

  it("replaces an object's tags", async () => {
    const stub = await newBucket();
    await write(stub, "t", 1);
    expect(await stub.putObjectTags(access, "t", [{ key: "a", value: "1" }])).toEqual({ ok: true, value: undefined });
    const head = await stub.headObject(access, "t");
    expect(head.ok && head.value.object.tags).toEqual([{ key: "a", value: "1" }]);
    expect(await stub.putObjectTags(access, "missing", [])).toMatchObject({ ok: false, error: { code: "NoSuchKey" } });
  });
});

describe("BucketObject.listObjects", () => {
  it("pages objects in key order under a prefix, after a key", async () => {
    const stub = await newBucket();
    for (const key of ["a/1", "a/2", "a/3", "b/1", "a0"]) await write(stub, key, 1);
    const keys = async (query: Record<string, string>) => {
      const listed = await stub.listObjects(access, { version: 2, query });
      return listed.ok ? (listed.value.page.contents ?? []).map((o: { key: string }) => o.key) : listed.error.code;
    };
    expect(await keys({})).toEqual(["a/1", "a/2", "a/3", "a0", "b/1"]);
    expect(await keys({ prefix: "a/", "max-keys": "2" })).toEqual(["a/1", "a/2"]);
    expect(await keys({ prefix: "a/", "start-after": "a/2" })).toEqual(["a/3"]);
    expect(await keys({ prefix: "a/", "start-after": "0" })).toEqual(["a/1", "a/2", "a/3"]);
    expect(await keys({ prefix: "c" })).toEqual([]);
  });
});

describe("chunkReads", () => {
  it("maps a byte range over several segments to chunk reads", () => {
    const segments = [
      { dataId: "a", size: CHUNK_BYTES + 10 },
      { dataId: "b", size: 5 },
    ];
    expect([...chunkReads(segments, CHUNK_BYTES - 2, CHUNK_BYTES + 11)]).toEqual([
      { dataId: "a", seq: 0, from: CHUNK_BYTES - 2, to: CHUNK_BYTES },
      { dataId: "a", seq: 1, from: 0, to: 10 },
      { dataId: "b", seq: 0, from: 0, to: 2 },
    ]);
    expect([...chunkReads(segments, 0, 0)]).toEqual([{ dataId: "a", seq: 0, from: 0, to: 1 }]);
  });
});
