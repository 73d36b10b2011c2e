/**
 * ListMultipartUploads pages (prefix, delimiter, key and upload-id markers, max-uploads; recorded in
 * test_s3_list_operations.snapshot.json TestS3ListMultipartUploads), and completion bodies no SDK
 * sends (raw, unsigned HTTP): not XML, a part without its ETag.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpoint } from "./clients";
import { bucketName, s3, s3Client, s3Error } from "./s3-clients";

describe("S3 multipart listings and completion bodies", () => {
  const client = s3Client();
  const Bucket = bucketName("mpu-list");
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    for (const Key of ["a/1", "a/2", "b", "b", "c/x/1", "d"]) {
      const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key }));
      (ids[Key] ??= []).push(UploadId!);
    }
  });

  afterAll(async () => {
    await client.send(new s3.DeleteBucketCommand({ Bucket })).catch(() => {});
  });

  it("lists uploads by key and then initiation, in pages", async () => {
    const all = await client.send(new s3.ListMultipartUploadsCommand({ Bucket }));
    expect(all.Uploads!.map((u) => [u.Key, u.UploadId])).toEqual([
      ["a/1", ids["a/1"]![0]],
      ["a/2", ids["a/2"]![0]],
      ["b", ids.b![0]],
      ["b", ids.b![1]],
      ["c/x/1", ids["c/x/1"]![0]],
      ["d", ids.d![0]],
    ]);
    expect(all).toMatchObject({ IsTruncated: false, MaxUploads: 1000, KeyMarker: "", UploadIdMarker: "", NextKeyMarker: "d" });

    const first = await client.send(new s3.ListMultipartUploadsCommand({ Bucket, MaxUploads: 3 }));
    expect(first).toMatchObject({ IsTruncated: true, NextKeyMarker: "b", NextUploadIdMarker: ids.b![0], MaxUploads: 3 });
    const next = await client.send(
      new s3.ListMultipartUploadsCommand({
        Bucket,
        MaxUploads: 3,
        KeyMarker: first.NextKeyMarker,
        UploadIdMarker: first.NextUploadIdMarker,
      }),
    );
    expect(next.Uploads!.map((u) => u.UploadId)).toEqual([ids.b![1], ids["c/x/1"]![0], ids.d![0]]);
    expect(next.IsTruncated).toBe(false);
    const afterKey = await client.send(new s3.ListMultipartUploadsCommand({ Bucket, KeyMarker: "b" }));
    expect(afterKey.Uploads!.map((u) => u.Key)).toEqual(["c/x/1", "d"]);
  });

  it("groups keys under common prefixes with a delimiter, and filters by prefix", async () => {
    const grouped = await client.send(new s3.ListMultipartUploadsCommand({ Bucket, Delimiter: "/" }));
    expect(grouped.Uploads!.map((u) => u.Key)).toEqual(["b", "b", "d"]);
    expect(grouped.CommonPrefixes!.map((p) => p.Prefix)).toEqual(["a/", "c/"]);
    expect(grouped.Delimiter).toBe("/");
    const prefixed = await client.send(new s3.ListMultipartUploadsCommand({ Bucket, Prefix: "a/" }));
    expect(prefixed.Uploads!.map((u) => u.Key)).toEqual(["a/1", "a/2"]);
    expect(prefixed.Prefix).toBe("a/");
  });

  it("refuses an upload-id marker that is not an upload of the key marker", async () => {
    const bad = await s3Error(() =>
      client.send(new s3.ListMultipartUploadsCommand({ Bucket, KeyMarker: "b", UploadIdMarker: "nope" })),
    );
    expect(bad).toMatchObject({
      name: "InvalidArgument",
      status: 400,
      message: "Invalid uploadId marker",
      ArgumentName: "upload-id-marker",
      ArgumentValue: "nope",
    });
  });

  it("answers a completion body that is not XML, or a part without an ETag, with MalformedXML", async () => {
    const uploadId = ids.d![0]!;
    const complete = (body: string) =>
      fetch(`${endpoint()}/${Bucket}/d?uploadId=${encodeURIComponent(uploadId)}`, { method: "POST", body });
    for (const body of [
      "not xml <",
      "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
      "<CompleteMultipartUpload></CompleteMultipartUpload>",
    ]) {
      const response = await complete(body);
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(text).toContain("<Code>MalformedXML</Code>");
      expect(text).toContain(
        "<Message>The XML you provided was not well-formed or did not validate against our published schema</Message>",
      );
    }
  });

  it("answers multipart calls on a bucket that does not exist with NoSuchBucket", async () => {
    const Missing = bucketName("mpu-missing");
    const create = await s3Error(() => client.send(new s3.CreateMultipartUploadCommand({ Bucket: Missing, Key: "k" })));
    expect(create).toMatchObject({ name: "NoSuchBucket", status: 404, BucketName: Missing });
    const list = await s3Error(() => client.send(new s3.ListMultipartUploadsCommand({ Bucket: Missing })));
    expect(list).toMatchObject({ name: "NoSuchBucket", status: 404 });
  });
});
