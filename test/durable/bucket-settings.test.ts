/**
 * A bucket object's settings and object tags over real Durable Object SQLite: a setting is kept per
 * bucket generation (a bucket deleted and created again under its name has none), CORS rules are
 * readable by anyone, and object tags follow the object's row (an overwrite drops them).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bucketObject } from "../../src/durable/names";
import { value } from "../unit/results";

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
const owner = { account: "000000000000", strict: false };
const stranger = { account: "111111111111", strict: true };

async function createBucket(name = unique("settings")) {
  const stub = bucketObject(env, name);
  const created = await stub.create({ name, owner: owner.account, region: "us-east-1", createdAt: Date.now() });
  expect(created.created).toBe(true);
  return { name, stub };
}

describe("bucket settings", { timeout: 30_000 }, () => {
  it("puts, gets and deletes a setting; a missing bucket or another account's strict access is refused", async () => {
    const { stub } = await createBucket();
    expect(value(await stub.getSetting(owner, "policy"))).toBeUndefined();
    value(await stub.putSetting(owner, "policy", '{"Statement":[]}'));
    expect(value(await stub.getSetting(owner, "policy"))).toBe('{"Statement":[]}');
    value(await stub.deleteSetting(owner, "policy"));
    expect(value(await stub.getSetting(owner, "policy"))).toBeUndefined();
    expect(await stub.getSetting(stranger, "policy")).toMatchObject({ ok: false, error: { code: "AccessDenied" } });
    const missing = bucketObject(env, unique("missing"));
    expect(await missing.putSetting(owner, "cors", [])).toMatchObject({ ok: false, error: { code: "NoSuchBucket" } });
    expect(await missing.corsRules()).toEqual({ exists: false });
  });

  it("forgets the settings of a deleted bucket when it is created again", async () => {
    const { name, stub } = await createBucket();
    const rules = [{ allowedOrigins: ["*"], allowedMethods: ["GET"], allowedHeaders: [], exposeHeaders: [] }];
    value(await stub.putSetting(owner, "cors", rules));
    expect(await stub.corsRules()).toEqual({ exists: true, rules });
    value(await stub.destroy(owner));
    await new Promise((resolve) => setTimeout(resolve, 2));
    await stub.create({ name, owner: owner.account, region: "us-east-1", createdAt: Date.now() });
    expect(await stub.corsRules()).toEqual({ exists: true, rules: undefined });
    expect(value(await stub.getSetting(owner, "cors"))).toBeUndefined();
  });

  it("reads and replaces an object's tags; a missing key is NoSuchKey named as asked", async () => {
    const { name, stub } = await createBucket();
    const put = async (tags: { key: string; value: string }[]) => {
      const body = new Blob(["data"]).stream();
      const data = value(await stub.writeData(owner, body, { algorithms: [], payloadSha256: false, maxBytes: 1024 }));
      value(
        await stub.putObject(owner, {
          key: "k",
          size: data.size,
          etag: '"e"',
          headers: {},
          metadata: {},
          checksums: {},
          tags,
          segments: [{ dataId: data.dataId, size: data.size }],
        }),
      );
    };
    await put([{ key: "a", value: "1" }]);
    expect(value(await stub.getObjectTags(owner, "k"))).toEqual([{ key: "a", value: "1" }]);
    value(await stub.putObjectTags(owner, "k", [{ key: "b", value: "" }]));
    expect(value(await stub.getObjectTags(owner, "k"))).toEqual([{ key: "b", value: "" }]);
    await put([]);
    expect(value(await stub.getObjectTags(owner, "k"))).toEqual([]);
    expect(await stub.getObjectTags(owner, "nope", `${name}/nope`)).toMatchObject({
      ok: false,
      error: { code: "NoSuchKey", fields: { Key: `${name}/nope` } },
    });
    expect(await stub.putObjectTags(owner, "nope", [])).toMatchObject({ ok: false, error: { fields: { Key: "nope" } } });
  });
});
