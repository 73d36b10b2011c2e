/**
 * ListObjectsV2 and ListObjects (V1) end to end with @aws-sdk/client-s3: prefixes, delimiters,
 * pagination (2,500 keys, with and without a delimiter), start-after, markers, encoding-type=url,
 * fetch-owner, the Contents members, the XML element order, and the errors with AWS's texts
 * (../shared/aws-recordings/s3/test_s3_list_operations.snapshot.json, test_s3.snapshot.json).
 */
import { describe, expect, it } from "vitest";
import { filledBucket, signedRequest } from "./s3-listing-helpers";
import { bucketName, s3, s3Client, s3Error, virtualHostedClient } from "./s3-clients";

const client = s3Client();
const pad = (n: number) => String(n).padStart(4, "0");

describe("ListObjectsV2", () => {
  it("lists under a prefix, rolling keys up under a delimiter (test_list_objects_v2_with_prefix_and_delimiter)", async () => {
    const Bucket = await filledBucket("v2-delim", ["test/foo/bar/123", "test/foo/bar/456", "test/bar/foo/123"]);
    const all = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix: "test/" }));
    expect(all.Contents!.map((c) => c.Key)).toEqual(["test/bar/foo/123", "test/foo/bar/123", "test/foo/bar/456"]);
    expect(all).toMatchObject({ KeyCount: 3, MaxKeys: 1000, IsTruncated: false, Prefix: "test/", Name: Bucket });
    const rolled = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix: "test/", Delimiter: "/" }));
    expect(rolled.CommonPrefixes).toEqual([{ Prefix: "test/bar/" }, { Prefix: "test/foo/" }]);
    expect(rolled).toMatchObject({ KeyCount: 2, Delimiter: "/" });
    expect(rolled.Contents).toBeUndefined();
    const first = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix: "test/", Delimiter: "/", MaxKeys: 1 }));
    expect(first.CommonPrefixes).toEqual([{ Prefix: "test/bar/" }]);
    expect(first).toMatchObject({ KeyCount: 1, IsTruncated: true });
    const rest = await client.send(
      new s3.ListObjectsV2Command({ Bucket, Prefix: "test/", Delimiter: "/", ContinuationToken: first.NextContinuationToken }),
    );
    expect(rest.CommonPrefixes).toEqual([{ Prefix: "test/foo/" }]);
    expect(rest.ContinuationToken).toBe(first.NextContinuationToken);
    const deeper = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix: "test/foo/bar", Delimiter: "/" }));
    expect(deeper.CommonPrefixes).toEqual([{ Prefix: "test/foo/bar/" }]);
  });

  it("pages through 2,500 keys with and without a delimiter", { timeout: 120_000 }, async () => {
    const keys = [
      ...Array.from({ length: 1000 }, (_, i) => `top-${pad(i)}`),
      ...Array.from({ length: 1500 }, (_, i) => `dir-${pad(i % 300)}/file-${pad(i)}`),
    ];
    const Bucket = await filledBucket("page", keys, "x");
    const seen: string[] = [];
    let pages = 0;
    for await (const page of s3.paginateListObjectsV2({ client }, { Bucket })) {
      pages++;
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...keys].sort());

    const entries: string[] = [];
    let delimitedPages = 0;
    for await (const page of s3.paginateListObjectsV2({ client, pageSize: 100 }, { Bucket, Delimiter: "/" })) {
      delimitedPages++;
      expect(page.KeyCount).toBe((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0));
      expect(page.KeyCount).toBeLessThanOrEqual(100);
      entries.push(...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
    }
    const prefixes = Array.from({ length: 300 }, (_, i) => `dir-${pad(i)}/`);
    expect(delimitedPages).toBe(13);
    expect(entries.sort()).toEqual([...prefixes, ...keys.filter((k) => k.startsWith("top-"))].sort());
    expect(new Set(entries).size).toBe(1300);

    // V1 without a delimiter: no NextMarker; the client continues from its last key.
    const v1: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await client.send(new s3.ListObjectsCommand({ Bucket, Marker: marker }));
      expect(page.NextMarker).toBeUndefined();
      v1.push(...page.Contents!.map((c) => c.Key!));
      if (!page.IsTruncated) break;
      marker = page.Contents!.at(-1)!.Key;
    }
    expect(v1).toEqual(seen);
  });

  it("starts after a key, and a token wins over start-after (test_list_objects_v2_continuation_start_after)", async () => {
    const Bucket = await filledBucket(
      "after",
      Array.from({ length: 12 }, (_, i) => `test_${i}`),
    );
    const five = await client.send(new s3.ListObjectsV2Command({ Bucket, MaxKeys: 5 }));
    expect(five.Contents!.map((c) => c.Key)).toEqual(["test_0", "test_1", "test_10", "test_11", "test_2"]);
    const after = await client.send(new s3.ListObjectsV2Command({ Bucket, MaxKeys: 2, StartAfter: "test_7" }));
    expect(after.Contents!.map((c) => c.Key)).toEqual(["test_8", "test_9"]);
    expect(after).toMatchObject({ StartAfter: "test_7", IsTruncated: false, KeyCount: 2 });
    const both = await client.send(
      new s3.ListObjectsV2Command({ Bucket, StartAfter: "test_7", ContinuationToken: five.NextContinuationToken, MaxKeys: 2 }),
    );
    expect(both.Contents!.map((c) => c.Key)).toEqual(["test_3", "test_4"]);
    expect(both.StartAfter).toBeUndefined();
  });

  it("shows Size, ETag, LastModified to the second, StorageClass, checksums and, when asked, the Owner", async () => {
    const Bucket = bucketName("members");
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    await client.send(new s3.PutObjectCommand({ Bucket, Key: "plain", Body: "hello world" }));
    await client.send(
      new s3.PutObjectCommand({
        Bucket,
        Key: "sha",
        Body: "hello world",
        ChecksumAlgorithm: "SHA256",
        StorageClass: "STANDARD_IA",
      }),
    );
    const listed = await client.send(new s3.ListObjectsV2Command({ Bucket }));
    const [plain, sha] = listed.Contents!;
    expect(plain).toMatchObject({ Key: "plain", Size: 11, ETag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"', StorageClass: "STANDARD" });
    expect(plain!.Owner).toBeUndefined();
    expect(plain!.LastModified!.getUTCMilliseconds()).toBe(0);
    expect(Math.abs(plain!.LastModified!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(sha).toMatchObject({ ChecksumAlgorithm: ["SHA256"], ChecksumType: "FULL_OBJECT", StorageClass: "STANDARD_IA" });
    const owned = await client.send(new s3.ListObjectsV2Command({ Bucket, FetchOwner: true }));
    const owner = (await client.send(new s3.ListBucketsCommand({}))).Owner!.ID;
    expect(owned.Contents!.map((c) => c.Owner)).toEqual([{ ID: owner }, { ID: owner }]);
    const v1 = await client.send(new s3.ListObjectsCommand({ Bucket }));
    expect(v1.Contents![0]!.Owner).toEqual({ ID: owner });
  });

  it("url-encodes odd keys with encoding-type=url and escapes them in XML otherwise (test_url_encoded_key)", async () => {
    const keys = ["test@key/", "a/😀", "sp ace", "plus+key", "amp&<key>", "date=2026-03-01/x"];
    const Bucket = await filledBucket("encode", keys);
    const encoded = await client.send(new s3.ListObjectsV2Command({ Bucket, EncodingType: "url" }));
    expect(encoded.EncodingType).toBe("url");
    expect(encoded.Contents!.map((c) => c.Key)).toEqual([
      "a/%F0%9F%98%80",
      "amp%26%3Ckey%3E",
      "date%3D2026-03-01/x",
      "plus%2Bkey",
      "sp+ace",
      "test%40key/",
    ]);
    const rolled = await client.send(
      new s3.ListObjectsV2Command({ Bucket, EncodingType: "url", Delimiter: "=", Prefix: "date" }),
    );
    expect(rolled).toMatchObject({ Prefix: "date", Delimiter: "%3D", CommonPrefixes: [{ Prefix: "date%3D" }] });
    const raw = await client.send(new s3.ListObjectsV2Command({ Bucket }));
    expect(raw.Contents!.map((c) => c.Key)).toEqual([...keys].sort());
    const v1 = await client.send(new s3.ListObjectsCommand({ Bucket, EncodingType: "url", Marker: "plus+key" }));
    expect(v1).toMatchObject({ Marker: "plus%2Bkey", EncodingType: "url" });
    expect(v1.Contents!.map((c) => c.Key)).toEqual(["sp+ace", "test%40key/"]);
  });

  it("writes ListBucketResult in S3's element order", async () => {
    // The SDK's default PUT sends a CRC32, so every object has one (as in AWS's recordings).
    const Bucket = await filledBucket("order", ["a/1", "b", "c"]);
    const response = await signedRequest("GET", `/${Bucket}`, {
      query: { "list-type": "2", delimiter: "/", "max-keys": "2", "fetch-owner": "true", "encoding-type": "url" },
    });
    const xml = await response.text();
    expect(response.status).toBe(200);
    const tags = [...xml.matchAll(/<([A-Za-z]+)[ >]/g)].map((m) => m[1]);
    expect(tags).toEqual([
      "ListBucketResult",
      "Name",
      "Prefix",
      "NextContinuationToken",
      "KeyCount",
      "MaxKeys",
      "Delimiter",
      "EncodingType",
      "IsTruncated",
      "Contents",
      "Key",
      "LastModified",
      "ETag",
      "ChecksumAlgorithm",
      "ChecksumType",
      "Size",
      "Owner",
      "ID",
      "StorageClass",
      "CommonPrefixes",
      "Prefix",
    ]);
    expect(xml).toContain("<Prefix></Prefix>");
    const v1 = await (await signedRequest("GET", `/${Bucket}`, { query: { prefix: "c" } })).text();
    expect([...v1.matchAll(/<([A-Za-z]+)[ >]/g)].map((m) => m[1])).toEqual([
      "ListBucketResult",
      "Name",
      "Prefix",
      "Marker",
      "MaxKeys",
      "IsTruncated",
      "Contents",
      "Key",
      "LastModified",
      "ETag",
      "ChecksumAlgorithm",
      "ChecksumType",
      "Size",
      "Owner",
      "ID",
      "StorageClass",
    ]);
  });
});

describe("ListObjects (V1)", () => {
  it("gives NextMarker only under a delimiter, and skips a common prefix a marker lies in", async () => {
    const Bucket = await filledBucket("v1", [
      "folder/aSubfolder/subFile1",
      "folder/aSubfolder/subFile2",
      "folder/file1",
      "folder/file2",
    ]);
    const first = await client.send(new s3.ListObjectsCommand({ Bucket, Delimiter: "/", Prefix: "folder/", MaxKeys: 1 }));
    expect(first).toMatchObject({ IsTruncated: true, NextMarker: "folder/aSubfolder/", Marker: "" });
    expect(first.CommonPrefixes).toEqual([{ Prefix: "folder/aSubfolder/" }]);
    const next = await client.send(
      new s3.ListObjectsCommand({ Bucket, Delimiter: "/", Prefix: "folder/", Marker: "folder/aSubfolder/subFile1" }),
    );
    expect(next.Contents!.map((c) => c.Key)).toEqual(["folder/file1", "folder/file2"]);
    expect(next.CommonPrefixes).toBeUndefined();
    const plain = await client.send(new s3.ListObjectsCommand({ Bucket, MaxKeys: 1 }));
    expect(plain).toMatchObject({ IsTruncated: true, Marker: "" });
    expect(plain.NextMarker).toBeUndefined();
  });
});

describe("virtual-hosted addressing", () => {
  it("lists, copies and batch-deletes with the bucket in the host name", async () => {
    const hosted = virtualHostedClient();
    const Bucket = await filledBucket("hosted", ["a/1", "a/2", "b"]);
    const listed = await hosted.send(new s3.ListObjectsV2Command({ Bucket, Delimiter: "/" }));
    expect(listed).toMatchObject({ Name: Bucket, CommonPrefixes: [{ Prefix: "a/" }], KeyCount: 2 });
    await hosted.send(new s3.CopyObjectCommand({ Bucket, Key: "c", CopySource: `${Bucket}/b` }));
    const deleted = await hosted.send(
      new s3.DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "a/1" }, { Key: "b" }] } }),
    );
    expect(deleted.Deleted).toHaveLength(2);
    const v1 = await hosted.send(new s3.ListObjectsCommand({ Bucket }));
    expect(v1.Contents!.map((c) => c.Key)).toEqual(["a/2", "c"]);
  });
});

describe("listing errors", () => {
  it("answers bad parameters and missing buckets as AWS does", async () => {
    const Bucket = await filledBucket("errors", ["k"]);
    const encoding = await s3Error(() => client.send(new s3.ListObjectsV2Command({ Bucket, EncodingType: "bogus" as "url" })));
    expect(encoding).toMatchObject({
      name: "InvalidArgument",
      status: 400,
      message: "Invalid Encoding Method specified in Request",
      ArgumentName: "encoding-type",
      ArgumentValue: "bogus",
    });
    const v1encoding = await s3Error(() => client.send(new s3.ListObjectsCommand({ Bucket, EncodingType: "x" as "url" })));
    expect(v1encoding).toMatchObject({ name: "InvalidArgument", ArgumentValue: "x" });
    const negative = await s3Error(() => client.send(new s3.ListObjectsV2Command({ Bucket, MaxKeys: -1 })));
    expect(negative).toMatchObject({
      name: "InvalidArgument",
      message: "Argument maxKeys must be an integer between 0 and 2147483647",
      ArgumentName: "maxKeys",
    });
    const token = await s3Error(() => client.send(new s3.ListObjectsV2Command({ Bucket, ContinuationToken: "not-a-token" })));
    expect(token).toMatchObject({
      name: "InvalidArgument",
      message: "The continuation token provided is incorrect",
      ArgumentName: "continuation-token",
    });
    const zero = await client.send(new s3.ListObjectsV2Command({ Bucket, MaxKeys: 0 }));
    expect(zero).toMatchObject({ KeyCount: 0, IsTruncated: false, MaxKeys: 0 });
    const missing = await s3Error(() => client.send(new s3.ListObjectsV2Command({ Bucket: bucketName("nobucket") })));
    expect(missing).toMatchObject({ name: "NoSuchBucket", status: 404, message: "The specified bucket does not exist" });
  });
});
