/**
 * ListObjects over a real bucket object's SQLite: the key source is a range scan of the key index
 * (bucket/listing-query.ts), so a page costs about the rows it shows, and a delimiter skips a common
 * prefix's keys by a jump instead of reading them. 10,000 keys are paged through quickly.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ListResult } from "../../src/domain/s3/contract";
import { bucketObject } from "../../src/durable/names";
import { value } from "../unit/results";
import { rowsReadBy } from "./sql-cost";

const ACCESS = { account: "000000000000", strict: false };
let counter = 0;

/** A bucket whose objects table holds `keys` (rows written directly: the listing reads only this table). */
async function bucketWith(keys: readonly string[]) {
  const name = `listing-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const stub = bucketObject(env, name);
  await stub.create({ name, owner: ACCESS.account, region: "us-east-1", createdAt: 0 });
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.transactionSync(() => {
      for (const key of keys) {
        state.storage.sql.exec(
          `INSERT INTO objects (key, size, etag, last_modified, headers, metadata, checksums, tags, segments)
           VALUES (?, 1, '"e"', 1700000000123, ?, '{}', ?, '[]', '[]')`,
          key,
          key.endsWith("ia") ? '{"x-amz-storage-class":"STANDARD_IA"}' : "{}",
          key.endsWith("sum") ? '{"CRC32":"AAAAAA=="}' : "{}",
        );
      }
    });
  });
  return stub;
}

const pad = (n: number) => String(n).padStart(5, "0");
const keysOf = (result: ListResult) => result.page.contents.map((c) => c.key);

describe("bucket listing", () => {
  it("pages through 10,000 keys, a page costing about the rows it shows", async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `list/${pad(i)}`);
    const stub = await bucketWith(keys);
    const started = Date.now();
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = { prefix: "list/" };
      if (token) query["continuation-token"] = token;
      const result = value(await stub.listObjects(ACCESS, { version: 2, query }));
      if (result.version !== 2) throw new Error("expected a V2 page");
      seen.push(...keysOf(result));
      token = result.page.nextContinuationToken;
    } while (token);
    expect(seen).toEqual(keys);
    expect(Date.now() - started).toBeLessThan(5_000);

    await runInDurableObject(stub, (instance, state) => {
      let page: ListResult | undefined;
      const rows = rowsReadBy(state.storage.sql, () => {
        page = value(instance.listObjects(ACCESS, { version: 2, query: { "start-after": "list/04999" } }));
      });
      expect(keysOf(page!)).toHaveLength(1000);
      expect(keysOf(page!)[0]).toBe("list/05000");
      expect(rows).toBeLessThanOrEqual(1001);
      const plan = state.storage.sql
        .exec<{ detail: string }>(
          "EXPLAIN QUERY PLAN SELECT key, size, etag, checksums FROM objects WHERE key > ? AND key < ? ORDER BY key LIMIT ?",
          "a",
          "b",
          10,
        )
        .toArray()
        .map((r) => r.detail)
        .join(" ");
      expect(plan).toMatch(/SEARCH objects USING (COVERING )?INDEX sqlite_autoindex_objects_1 \(key>\? AND key<\?\)/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    });
  });

  it("jumps past a common prefix instead of reading the keys under it", async () => {
    const keys = [
      ...Array.from({ length: 5_000 }, (_, i) => `big/${pad(i)}`),
      "big0",
      "top-ia",
      "top-sum",
      ...Array.from({ length: 20 }, (_, i) => `dirs/${pad(i)}/a`),
    ];
    const stub = await bucketWith(keys);
    await runInDurableObject(stub, (instance, state) => {
      let result: ListResult | undefined;
      const rows = rowsReadBy(state.storage.sql, () => {
        result = value(instance.listObjects(ACCESS, { version: 1, query: { delimiter: "/" } }));
      });
      expect(result!.page.commonPrefixes).toEqual(["big/", "dirs/"]);
      expect(keysOf(result!)).toEqual(["big0", "top-ia", "top-sum"]);
      expect(rows).toBeLessThan(150);
      const [, ia, sum] = result!.page.contents;
      expect(ia).toMatchObject({ storageClass: "STANDARD_IA", checksumAlgorithms: [] });
      expect(sum).toMatchObject({ storageClass: "STANDARD", checksumAlgorithms: ["CRC32"], lastModified: 1700000000123 });
      expect(result!.bucket.owner).toBe(ACCESS.account);
    });
    const under = value(
      await stub.listObjects(ACCESS, { version: 2, query: { prefix: "dirs/", delimiter: "/", "max-keys": "7" } }),
    );
    expect(under.page.commonPrefixes).toHaveLength(7);
    expect(under.page.isTruncated).toBe(true);
  });

  it("answers NoSuchBucket when the bucket does not exist", async () => {
    const missing = await bucketObject(env, `nobucket-${Date.now().toString(36)}`).listObjects(ACCESS, { version: 2, query: {} });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error.code).toBe("NoSuchBucket");
  });
});
