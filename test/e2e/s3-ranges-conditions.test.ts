/**
 * Range GETs and conditional requests through @aws-sdk/client-s3 (default configuration): the byte
 * ranges S3 serves (206 with Content-Range, InvalidRange 416 as recorded in test_invalid_range_error),
 * the read preconditions (304 Not Modified, 412 PreconditionFailed) and the conditional PUT
 * (If-None-Match: *, If-Match), each checked against the object as it is when the write lands.
 * Recordings: ../shared/aws-recordings/s3/test_s3.snapshot.json, test_s3_preconditions.snapshot.json,
 * test_s3_api.snapshot.json (TestS3ObjectWritePrecondition).
 */
import { describe, expect, it } from "vitest";
import { bucketName, s3, s3Client, s3Error } from "./s3-clients";

const client = s3Client();

async function bucketWith(key: string, body: string) {
  const Bucket = bucketName("ranges");
  await client.send(new s3.CreateBucketCommand({ Bucket }));
  const put = await client.send(new s3.PutObjectCommand({ Bucket, Key: key, Body: body }));
  return { Bucket, etag: put.ETag! };
}

describe("S3 Range GETs", () => {
  it("serves bytes a-b, a- and -n with 206 and Content-Range; an unsatisfiable range is InvalidRange", async () => {
    const { Bucket } = await bucketWith("k", "abcdefgh");
    const get = async (Range: string) => {
      const out = await client.send(new s3.GetObjectCommand({ Bucket, Key: "k", Range }));
      return {
        body: await out.Body!.transformToString(),
        range: out.ContentRange,
        length: out.ContentLength,
        status: out.$metadata.httpStatusCode,
      };
    };
    expect(await get("bytes=1-3")).toEqual({ body: "bcd", range: "bytes 1-3/8", length: 3, status: 206 });
    expect(await get("bytes=5-")).toEqual({ body: "fgh", range: "bytes 5-7/8", length: 3, status: 206 });
    expect(await get("bytes=-2")).toEqual({ body: "gh", range: "bytes 6-7/8", length: 2, status: 206 });
    expect(await get("bytes=4-100")).toEqual({ body: "efgh", range: "bytes 4-7/8", length: 4, status: 206 });
    // A header S3 cannot read is ignored: the whole object, 200.
    expect(await get("bytes=3-1")).toMatchObject({ body: "abcdefgh", status: 200 });
    const error = await s3Error(() => client.send(new s3.GetObjectCommand({ Bucket, Key: "k", Range: "bytes=1024-4096" })));
    expect(error).toMatchObject({
      name: "InvalidRange",
      message: "The requested range is not satisfiable",
      status: 416,
      ActualObjectSize: "8",
      RangeRequested: "bytes=1024-4096",
    });
    const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "k", Range: "bytes=0-1" }));
    expect([head.$metadata.httpStatusCode, head.ContentLength, head.ContentRange]).toEqual([206, 2, "bytes 0-1/8"]);
  });
});

describe("S3 conditional reads", () => {
  it("answers 304 for If-None-Match on the ETag, 412 for If-Match elsewhere and an earlier If-Unmodified-Since", async () => {
    const { Bucket, etag } = await bucketWith("k", "conditional");
    const past = new Date(Date.now() - 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    const notModified = await s3Error(() => client.send(new s3.GetObjectCommand({ Bucket, Key: "k", IfNoneMatch: etag })));
    expect(notModified.status).toBe(304);
    const head304 = await s3Error(() => client.send(new s3.HeadObjectCommand({ Bucket, Key: "k", IfNoneMatch: etag })));
    expect(head304.status).toBe(304);
    // An If-Modified-Since in the future is ignored, as AWS does (recorded).
    const ignored = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "k", IfModifiedSince: future }));
    expect(ignored.$metadata.httpStatusCode).toBe(200);
    const failed = await s3Error(() => client.send(new s3.GetObjectCommand({ Bucket, Key: "k", IfMatch: '"0000"' })));
    expect(failed).toMatchObject({ name: "PreconditionFailed", status: 412, Condition: "If-Match" });
    const unmodified = await s3Error(() => client.send(new s3.GetObjectCommand({ Bucket, Key: "k", IfUnmodifiedSince: past })));
    expect(unmodified).toMatchObject({ name: "PreconditionFailed", status: 412, Condition: "If-Unmodified-Since" });
    // Conditions that hold: the object.
    const ok = await client.send(new s3.GetObjectCommand({ Bucket, Key: "k", IfMatch: etag, IfModifiedSince: past }));
    expect(await ok.Body!.transformToString()).toBe("conditional");
  });
});

describe("S3 conditional PUT", () => {
  it("If-None-Match: * writes only a new key; If-Match writes only over that ETag; a missing key is NoSuchKey", async () => {
    const { Bucket, etag } = await bucketWith("k", "first");
    const taken = await s3Error(() =>
      client.send(new s3.PutObjectCommand({ Bucket, Key: "k", Body: "second", IfNoneMatch: "*" })),
    );
    expect(taken).toMatchObject({ name: "PreconditionFailed", status: 412, Condition: "If-None-Match" });
    await client.send(new s3.PutObjectCommand({ Bucket, Key: "new", Body: "new", IfNoneMatch: "*" }));
    const stale = await s3Error(() => client.send(new s3.PutObjectCommand({ Bucket, Key: "k", Body: "x", IfMatch: '"abc"' })));
    expect(stale).toMatchObject({ name: "PreconditionFailed", status: 412, Condition: "If-Match" });
    const replaced = await client.send(new s3.PutObjectCommand({ Bucket, Key: "k", Body: "third", IfMatch: etag }));
    expect(replaced.ETag).not.toBe(etag);
    const missing = await s3Error(() =>
      client.send(new s3.PutObjectCommand({ Bucket, Key: "absent", Body: "x", IfMatch: etag })),
    );
    expect(missing).toMatchObject({ name: "NoSuchKey", status: 404 });
    const both = await s3Error(() =>
      client.send(new s3.PutObjectCommand({ Bucket, Key: "k", Body: "x", IfMatch: etag, IfNoneMatch: "*" })),
    );
    expect(both).toMatchObject({ name: "NotImplemented", status: 501 });
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "k" }));
    expect(await got.Body!.transformToString()).toBe("third");
  });
});
