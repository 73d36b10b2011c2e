/**
 * Multipart uploads in a real bucket object (workerd, SQLite): parts are data the ledger keeps live
 * while the upload holds them; completing makes them the object's segments and hands the parts left
 * out to the sweep; aborting hands all of them; DeleteBucket aborts what is in progress.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Access } from "../../src/domain/s3/contract";
import { bucketObject } from "../../src/durable/names";
import { failure, value } from "../unit/results";
import { objectStream } from "../../src/services/s3/object-stream";

const ACCESS: Access = { account: "000000000000", strict: false };
let counter = 0;

async function newBucket() {
  const name = `mpu-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const stub = bucketObject(env, name);
  await stub.create({ name, owner: ACCESS.account, region: "us-east-1", createdAt: Date.now() });
  return stub;
}

const streamOf = (bytes: Uint8Array) => new Blob([bytes]).stream();
const bytesOf = (size: number, fill: number) => new Uint8Array(size).fill(fill);

type Stub = Awaited<ReturnType<typeof newBucket>>;

async function writePart(stub: Stub, key: string, uploadId: string, partNumber: number, bytes: Uint8Array) {
  const data = value(
    await stub.writeData(ACCESS, streamOf(bytes), { algorithms: ["CRC64NVME"], payloadSha256: false, maxBytes: 1 << 30 }),
  );
  value(
    await stub.recordPart(ACCESS, key, uploadId, {
      partNumber,
      dataId: data.dataId,
      size: data.size,
      etag: `"${data.md5Hex}"`,
      checksums: data.checksums,
    }),
  );
  return data.dataId;
}

/** Each data id's ledger state and chunk count (gone: undefined). */
const ledger = (stub: Stub, ids: string[]) =>
  runInDurableObject(stub, (_instance, state) =>
    ids.map((id) => {
      const row = state.storage.sql.exec<{ state: string }>("SELECT state FROM data WHERE data_id = ?", id).toArray()[0];
      const chunks = state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM chunks WHERE data_id = ?", id).one().n;
      return row ? `${row.state}:${chunks}` : `gone:${chunks}`;
    }),
  );

/** Makes every garbage row due now and runs the sweep until none is left (one run removes one data id, today). */
async function sweep(stub: Stub) {
  const dueNow = () =>
    runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE data SET due = 0 WHERE state = 'garbage'");
      return state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM data WHERE state = 'garbage'").one().n;
    });
  for (let run = 0; run < 10 && (await dueNow()) > 0; run++) await runDurableObjectAlarm(stub);
}

describe("bucket object multipart uploads", () => {
  it("completes with the parts named, in order, and sweeps a part left out and a replaced part", async () => {
    const stub = await newBucket();
    const upload = value(await stub.createUpload(ACCESS, { key: "k", headers: {}, metadata: {}, tags: [], checksum: {} }));
    const first = await writePart(stub, "k", upload.uploadId, 1, bytesOf(5 * 1024 * 1024, 1));
    const replaced = await writePart(stub, "k", upload.uploadId, 2, bytesOf(10, 9));
    const second = await writePart(stub, "k", upload.uploadId, 2, bytesOf(10, 2));
    const unused = await writePart(stub, "k", upload.uploadId, 3, bytesOf(10, 3));
    expect(await ledger(stub, [first, replaced, second, unused])).toEqual(["live:5", "garbage:1", "live:1", "live:1"]);
    const parts = value(await stub.listParts(ACCESS, "k", upload.uploadId, {})).page.parts;
    const completed = value(
      await stub.completeUpload(ACCESS, "k", upload.uploadId, {
        parts: parts.slice(0, 2).map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
      }),
    );
    expect(completed.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect(completed.checksumType).toBe("FULL_OBJECT");
    await sweep(stub);
    expect(await ledger(stub, [first, replaced, second, unused])).toEqual(["live:5", "gone:0", "live:1", "gone:0"]);
    const read = value(await stub.getObject(ACCESS, "k"));
    expect(read.object.size).toBe(5 * 1024 * 1024 + 10);
    const body = new Uint8Array(await new Response(objectStream(stub, read.segments, 0, read.object.size - 1)).arrayBuffer());
    expect([body[0], body[5 * 1024 * 1024 - 1], body[5 * 1024 * 1024], body.length]).toEqual([1, 1, 2, 5 * 1024 * 1024 + 10]);
    expect(failure(await stub.listParts(ACCESS, "k", upload.uploadId, {})).code).toBe("NoSuchUpload");
  });

  it("sweeps every part of an aborted upload, and refuses a part for an upload that is gone", async () => {
    const stub = await newBucket();
    const upload = value(await stub.createUpload(ACCESS, { key: "a", headers: {}, metadata: {}, tags: [], checksum: {} }));
    const part = await writePart(stub, "a", upload.uploadId, 1, bytesOf(2 * 1024 * 1024 + 5, 7));
    value(await stub.abortUpload(ACCESS, "a", upload.uploadId));
    expect(await ledger(stub, [part])).toEqual(["garbage:3"]);
    await sweep(stub);
    expect(await ledger(stub, [part])).toEqual(["gone:0"]);
    const late = value(
      await stub.writeData(ACCESS, streamOf(bytesOf(4, 1)), { algorithms: [], payloadSha256: false, maxBytes: 100 }),
    );
    const refused = await stub.recordPart(ACCESS, "a", upload.uploadId, {
      partNumber: 1,
      dataId: late.dataId,
      size: 4,
      etag: '"x"',
      checksums: {},
    });
    expect(failure(refused).code).toBe("NoSuchUpload");
    expect(await ledger(stub, [late.dataId])).toEqual(["garbage:1"]);
  });

  it("deletes a bucket with uploads in progress and lets their parts go", async () => {
    const stub = await newBucket();
    const upload = value(await stub.createUpload(ACCESS, { key: "p", headers: {}, metadata: {}, tags: [], checksum: {} }));
    const part = await writePart(stub, "p", upload.uploadId, 1, bytesOf(100, 1));
    value(await stub.destroy(ACCESS));
    expect(await ledger(stub, [part])).toEqual(["garbage:1"]);
  });
});
