/**
 * CopyObject and DeleteObjects end to end with @aws-sdk/client-s3 (and raw signed requests where the
 * SDK would not send what is tested): copies in a bucket and across buckets, directives, copies onto
 * themselves, source preconditions, checksums; batch deletes with their integrity checks and per-key
 * answers (../shared/aws-recordings/s3/test_s3.snapshot.json, test_s3_api.snapshot.json).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { filledBucket, signedRequest } from "./s3-listing-helpers";
import { bucketName, s3, s3Client, s3Error } from "./s3-clients";

const client = s3Client();
const md5Base64 = (text: string) => createHash("md5").update(text).digest("base64");
const keysOf = async (Bucket: string) =>
  ((await client.send(new s3.ListObjectsV2Command({ Bucket }))).Contents ?? []).map((c) => c.Key);
const bodyOf = async (Bucket: string, Key: string) =>
  Buffer.from(await (await client.send(new s3.GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
const ILLEGAL_COPY =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

describe("DeleteObjects", () => {
  it("deletes existing and missing keys alike, odd keys included (test_delete_objects, test_delete_objects_encoding)", async () => {
    const keys = ["test-delete", "a%2Fb", "a/😀", " spaced key ", "amp&<x>"];
    const Bucket = await filledBucket("batch", keys);
    const answer = await client.send(
      new s3.DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [...keys, "c-wrong-key", "a-wrong-key"].map((Key) => ({ Key })) },
      }),
    );
    expect(answer.Deleted!.map((d) => d.Key).sort()).toEqual([...keys, "c-wrong-key", "a-wrong-key"].sort());
    expect(answer.Errors).toBeUndefined();
    expect(await keysOf(Bucket)).toEqual([]);
  });

  it("says nothing of deleted keys when Quiet, and answers a version id the bucket lacks per key", async () => {
    const Bucket = await filledBucket("quiet", ["one", "two", "three"]);
    const quiet = await client.send(new s3.DeleteObjectsCommand({ Bucket, Delete: { Quiet: true, Objects: [{ Key: "one" }] } }));
    expect(quiet.Deleted).toBeUndefined();
    const versions = await client.send(
      new s3.DeleteObjectsCommand({
        Bucket,
        Delete: {
          Objects: [
            { Key: "two", VersionId: "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD" },
            { Key: "three", VersionId: "null" },
          ],
        },
      }),
    );
    expect(versions.Errors).toEqual([
      {
        Code: "NoSuchVersion",
        Key: "two",
        Message: "The specified version does not exist.",
        VersionId: "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD",
      },
    ]);
    expect(versions.Deleted).toEqual([{ Key: "three", VersionId: "null" }]);
    expect(await keysOf(Bucket)).toEqual(["two"]);
  });

  it("refuses more than 1,000 keys, none, and XML that does not parse with MalformedXML", async () => {
    const Bucket = await filledBucket("limits", ["k"]);
    const many = await s3Error(() =>
      client.send(
        new s3.DeleteObjectsCommand({ Bucket, Delete: { Objects: Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` })) } }),
      ),
    );
    expect(many).toMatchObject({
      name: "MalformedXML",
      status: 400,
      message: "The XML you provided was not well-formed or did not validate against our published schema",
    });
    const thousand = await client.send(
      new s3.DeleteObjectsCommand({ Bucket, Delete: { Objects: Array.from({ length: 1000 }, (_, i) => ({ Key: `k${i}` })) } }),
    );
    expect(thousand.Deleted).toHaveLength(1000);
    for (const body of [
      "<Delete><Object><Key>k</Key></Object>",
      "<Delete></Delete>",
      "<Delete><Object></Object></Delete>",
      "garbage",
    ]) {
      const response = await signedRequest("POST", `/${Bucket}`, {
        query: { delete: "" },
        headers: { "content-md5": md5Base64(body) },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("<Code>MalformedXML</Code>");
    }
  });

  it("requires Content-MD5 or a checksum of the body, and checks it", async () => {
    const Bucket = await filledBucket("digest", ["k"]);
    const body = "<Delete><Object><Key>k</Key></Object></Delete>";
    const post = (headers: Record<string, string>) =>
      signedRequest("POST", `/${Bucket}`, { query: { delete: "" }, headers, body });
    const missing = await post({});
    expect(missing.status).toBe(400);
    const missingXml = await missing.text();
    expect(missingXml).toContain("<Code>InvalidRequest</Code>");
    expect(missingXml).toContain("<Message>Missing required header for this request: Content-MD5</Message>");
    const wrong = await post({ "content-md5": md5Base64("something else") });
    expect(wrong.status).toBe(400);
    const wrongXml = await wrong.text();
    expect(wrongXml).toContain("<Code>BadDigest</Code>");
    expect(wrongXml).toContain("<Message>The Content-MD5 you specified did not match what we received.</Message>");
    const invalid = await post({ "content-md5": "__invalid__" });
    expect(await invalid.text()).toContain("<Code>InvalidDigest</Code>");
    const crc = await post({ "x-amz-checksum-crc32": "AAAAAA==" });
    const crcXml = await crc.text();
    expect(crcXml).toContain("<Code>BadDigest</Code>");
    expect(crcXml).toContain("The CRC32 you specified did not match the calculated checksum.");
    expect(await keysOf(Bucket)).toEqual(["k"]);
    const good = await post({ "content-md5": md5Base64(body) });
    expect(good.status).toBe(200);
    expect(await good.text()).toContain("<Deleted><Key>k</Key></Deleted>");
    expect(await keysOf(Bucket)).toEqual([]);
  });

  it("answers NoSuchBucket for a bucket that does not exist", async () => {
    const missing = await s3Error(() =>
      client.send(new s3.DeleteObjectsCommand({ Bucket: bucketName("nobatch"), Delete: { Objects: [{ Key: "k" }] } })),
    );
    expect(missing).toMatchObject({ name: "NoSuchBucket", status: 404 });
  });
});

describe("CopyObject", () => {
  it("copies within a bucket with the source's headers, metadata, tags and checksum (COPY directives)", async () => {
    const Bucket = bucketName("copy");
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    const put = await client.send(
      new s3.PutObjectCommand({
        Bucket,
        Key: "source",
        Body: '{"key": "value"}',
        ContentType: "application/json",
        ContentLanguage: "en-US",
        Metadata: { key: "value" },
        Tagging: "key1=value1",
      }),
    );
    const copied = await client.send(
      new s3.CopyObjectCommand({ Bucket, Key: "dest", CopySource: `${Bucket}/source`, Tagging: "ignored=yes" }),
    );
    expect(copied.CopyObjectResult).toMatchObject({
      ETag: put.ETag,
      ChecksumCRC32: put.ChecksumCRC32,
      ChecksumType: "FULL_OBJECT",
    });
    expect(copied.CopyObjectResult!.LastModified!.getUTCMilliseconds()).toBe(0);
    expect(copied.ServerSideEncryption).toBe("AES256");
    const dest = await client.send(new s3.GetObjectCommand({ Bucket, Key: "dest" }));
    expect(dest).toMatchObject({
      ContentType: "application/json",
      ContentLanguage: "en-US",
      Metadata: { key: "value" },
      TagCount: 1,
    });
    expect(await dest.Body!.transformToString()).toBe('{"key": "value"}');
  });

  it("writes CopyObjectResult as S3 does: LastModified, ETag, the checksum, ChecksumType", async () => {
    const Bucket = await filledBucket("copyxml", ["src"]);
    const response = await signedRequest("PUT", `/${Bucket}/dst`, { headers: { "x-amz-copy-source": `/${Bucket}/src` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-amz-server-side-encryption")).toBe("AES256");
    const xml = await response.text();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\s*<CopyObjectResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><LastModified>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z<\/LastModified><ETag>(&quot;|")5eb63bbbe01eeed093cb22bb8f5acdc3(&quot;|")<\/ETag><ChecksumCRC32>DUoRhQ==<\/ChecksumCRC32><ChecksumType>FULL_OBJECT<\/ChecksumType><\/CopyObjectResult>$/,
    );
  });

  it("replaces metadata and tags when told to (test_s3_copy_metadata_replace, test_s3_copy_tagging_directive)", async () => {
    const Bucket = await filledBucket("replace", []);
    await client.send(
      new s3.PutObjectCommand({
        Bucket,
        Key: "src",
        Body: "data",
        ContentType: "application/json",
        Metadata: { key: "value" },
        Tagging: "a=1",
      }),
    );
    await client.send(
      new s3.CopyObjectCommand({
        Bucket,
        Key: "dst",
        CopySource: `${Bucket}/src`,
        MetadataDirective: "REPLACE",
        Metadata: { "another-key": "value" },
        ContentType: "image/jpg",
        TaggingDirective: "REPLACE",
        Tagging: "b=2&c=3",
      }),
    );
    const head = await client.send(new s3.GetObjectCommand({ Bucket, Key: "dst" }));
    expect(head).toMatchObject({ ContentType: "image/jpg", Metadata: { "another-key": "value" }, TagCount: 2 });
    await client.send(
      new s3.CopyObjectCommand({ Bucket, Key: "bare", CopySource: `${Bucket}/src`, MetadataDirective: "REPLACE" }),
    );
    const bare = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "bare" }));
    expect(bare).toMatchObject({ ContentType: "binary/octet-stream", Metadata: {} });
    const bad = await s3Error(() =>
      client.send(
        new s3.CopyObjectCommand({ Bucket, Key: "x", CopySource: `${Bucket}/src`, MetadataDirective: "MOVE" as "COPY" }),
      ),
    );
    expect(bad).toMatchObject({ name: "InvalidArgument", ArgumentName: "x-amz-metadata-directive", ArgumentValue: "MOVE" });
  });

  it("refuses a copy onto itself that changes nothing, and allows one that does (test_s3_copy_object_in_place*)", async () => {
    const Bucket = await filledBucket("inplace", []);
    await client.send(
      new s3.PutObjectCommand({ Bucket, Key: "obj", Body: "data", Metadata: { key: "value" }, StorageClass: "STANDARD_IA" }),
    );
    const same = await s3Error(() => client.send(new s3.CopyObjectCommand({ Bucket, Key: "obj", CopySource: `${Bucket}/obj` })));
    expect(same).toMatchObject({ name: "InvalidRequest", status: 400, message: ILLEGAL_COPY });
    const sameMeta = await s3Error(() =>
      client.send(new s3.CopyObjectCommand({ Bucket, Key: "obj", CopySource: `/${Bucket}/obj`, Metadata: { key: "value" } })),
    );
    expect(sameMeta.message).toBe(ILLEGAL_COPY);
    await client.send(new s3.CopyObjectCommand({ Bucket, Key: "obj", CopySource: `${Bucket}/obj`, StorageClass: "STANDARD" }));
    const standard = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "obj" }));
    expect(standard.StorageClass).toBeUndefined(); // STANDARD is not sent
    expect(standard.Metadata).toEqual({ key: "value" });
    const replaced = await client.send(
      new s3.CopyObjectCommand({
        Bucket,
        Key: "obj",
        CopySource: `${Bucket}/obj`,
        MetadataDirective: "REPLACE",
        Metadata: { k2: "v2" },
        ChecksumAlgorithm: "SHA256",
      }),
    );
    expect(replaced.CopyObjectResult!.ChecksumSHA256).toBe(createHash("sha256").update("data").digest("base64"));
    expect(replaced.CopyObjectResult!.ChecksumCRC32).toBeUndefined();
    expect((await client.send(new s3.HeadObjectCommand({ Bucket, Key: "obj" }))).Metadata).toEqual({ k2: "v2" });
  });

  it("streams a multi-chunk object across buckets, and reads url-encoded sources with a leading slash", async () => {
    const from = await filledBucket("from", []);
    const to = await filledBucket("to", []);
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 12)) & 0xff;
    await client.send(new s3.PutObjectCommand({ Bucket: from, Key: "dir/big file+ü.bin", Body: big }));
    const copied = await client.send(
      new s3.CopyObjectCommand({
        Bucket: to,
        Key: "copy.bin",
        CopySource: `/${from}/${encodeURIComponent("dir/big file+ü.bin")}?versionId=null`,
      }),
    );
    expect(copied.CopyObjectResult!.ETag).toBe(`"${createHash("md5").update(big).digest("hex")}"`);
    expect((await bodyOf(to, "copy.bin")).equals(big)).toBe(true);
    // Within one bucket object too: it reads its own chunks while it writes the copy's.
    await client.send(
      new s3.CopyObjectCommand({ Bucket: from, Key: "again.bin", CopySource: `${from}/dir/big%20file%2B%C3%BC.bin` }),
    );
    expect((await bodyOf(from, "again.bin")).equals(big)).toBe(true);
    await client.send(new s3.PutObjectCommand({ Bucket: from, Key: "empty", Body: "" }));
    const empty = await client.send(new s3.CopyObjectCommand({ Bucket: to, Key: "empty", CopySource: `${from}/empty` }));
    expect(empty.CopyObjectResult!.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    expect((await bodyOf(to, "empty")).length).toBe(0);
    await client.send(new s3.DeleteObjectCommand({ Bucket: to, Key: "empty" }));
    const odd = ["a/😀/", "test key//", "test@key/", "test+key"];
    for (const key of odd) {
      await client.send(new s3.PutObjectCommand({ Bucket: from, Key: key, Body: "test" }));
      await client.send(new s3.CopyObjectCommand({ Bucket: to, Key: key, CopySource: `${from}/${encodeURIComponent(key)}` }));
    }
    expect(await keysOf(to)).toEqual(["a/😀/", "copy.bin", "test key//", "test+key", "test@key/"]);
  });

  it("answers a missing source bucket or key, a wrong format and an unknown version as AWS does (test_s3_copy_object_src_not_exists)", async () => {
    const Bucket = await filledBucket("missing", ["present"]);
    const noBucket = bucketName("nosrc");
    const bucket = await s3Error(() => client.send(new s3.CopyObjectCommand({ Bucket, Key: "k", CopySource: `${noBucket}/x` })));
    expect(bucket).toMatchObject({ name: "NoSuchBucket", status: 404, BucketName: noBucket });
    const key = await s3Error(() =>
      client.send(new s3.CopyObjectCommand({ Bucket, Key: "k", CopySource: `${Bucket}/random-src-key` })),
    );
    expect(key).toMatchObject({
      name: "NoSuchKey",
      status: 404,
      Key: "random-src-key",
      message: "The specified key does not exist.",
    });
    const format = await s3Error(() => client.send(new s3.CopyObjectCommand({ Bucket, Key: "k", CopySource: "wrongformat" })));
    expect(format).toMatchObject({
      name: "InvalidArgument",
      message: "Invalid copy source object key",
      ArgumentName: "x-amz-copy-source",
      ArgumentValue: "x-amz-copy-source",
    });
    const version = await s3Error(() =>
      client.send(new s3.CopyObjectCommand({ Bucket, Key: "k", CopySource: `${Bucket}/present?versionId=abc` })),
    );
    expect(version).toMatchObject({ name: "NoSuchVersion", status: 404 });
    const destination = await s3Error(() =>
      client.send(new s3.CopyObjectCommand({ Bucket: noBucket, Key: "k", CopySource: `${Bucket}/present` })),
    );
    expect(destination).toMatchObject({ name: "NoSuchBucket", BucketName: noBucket });
  });

  it("checks the x-amz-copy-source-if-* preconditions against the source and If-None-Match against the destination", async () => {
    const Bucket = await filledBucket("cond", ["src", "existing"]);
    const { ETag } = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "src" }));
    const copy = (extra: Partial<s3.CopyObjectCommandInput>) =>
      client.send(new s3.CopyObjectCommand({ Bucket, Key: "dst", CopySource: `${Bucket}/src`, ...extra }));
    const cases: [Partial<s3.CopyObjectCommandInput>, string][] = [
      [{ CopySourceIfMatch: '"0000"' }, "x-amz-copy-source-If-Match"],
      [{ CopySourceIfNoneMatch: ETag }, "x-amz-copy-source-If-None-Match"],
      [{ CopySourceIfUnmodifiedSince: new Date(Date.now() - 3600_000) }, "x-amz-copy-source-If-Unmodified-Since"],
    ];
    for (const [extra, condition] of cases) {
      const failed = await s3Error(() => copy(extra));
      expect(failed).toMatchObject({ name: "PreconditionFailed", status: 412, Condition: condition });
    }
    // A matching If-Match, and an If-Modified-Since in the future (ignored, as HTTP says).
    await copy({ CopySourceIfMatch: ETag, CopySourceIfModifiedSince: new Date(Date.now() + 3600_000) });
    const exists = await s3Error(() =>
      client.send(new s3.CopyObjectCommand({ Bucket, Key: "existing", CopySource: `${Bucket}/src`, IfNoneMatch: "*" })),
    );
    expect(exists).toMatchObject({ name: "PreconditionFailed", status: 412, Condition: "If-None-Match" });
    await client.send(new s3.CopyObjectCommand({ Bucket, Key: "fresh", CopySource: `${Bucket}/src`, IfNoneMatch: "*" }));
    // test_copy_object_if_match, test_copy_object_precondition_write_validation
    const onto = (extra: Partial<s3.CopyObjectCommandInput>) =>
      s3Error(() => client.send(new s3.CopyObjectCommand({ Bucket, Key: "existing", CopySource: `${Bucket}/src`, ...extra })));
    expect(await onto({ IfMatch: '"0000"' })).toMatchObject({ name: "PreconditionFailed", Condition: "If-Match" });
    const absent = await s3Error(() =>
      client.send(new s3.CopyObjectCommand({ Bucket, Key: "non-existent-key", CopySource: `${Bucket}/src`, IfMatch: ETag })),
    );
    expect(absent).toMatchObject({ name: "NoSuchKey", Key: "non-existent-key" });
    expect(await onto({ IfNoneMatch: ETag })).toMatchObject({ name: "NotImplemented", status: 501, Header: "If-None-Match" });
    expect(await onto({ IfMatch: "*" })).toMatchObject({ name: "NotImplemented", Header: "If-Match" });
    expect(await onto({ IfMatch: ETag, IfNoneMatch: "*" })).toMatchObject({
      name: "NotImplemented",
      Header: "If-Match,If-None-Match",
      additionalMessage: "Multiple conditional request headers present in the request",
    });
    const inPlace = await client.send(
      new s3.CopyObjectCommand({ Bucket, Key: "src", CopySource: `${Bucket}/src`, IfMatch: ETag, StorageClass: "STANDARD" }),
    );
    expect(inPlace.CopyObjectResult!.ETag).toBe(ETag);
    expect(await keysOf(Bucket)).toEqual(["dst", "existing", "fresh", "src"]);
  });
});
