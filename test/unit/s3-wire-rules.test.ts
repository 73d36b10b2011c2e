/**
 * S3's wire rules that need no server: which requests are S3's, bucket and key addressing
 * (path-style and virtual-hosted), operation resolution with S3's answers for the rest, bucket
 * names, and CreateBucket's region rules.
 */
import { describe, expect, it } from "vitest";
import { bucketRegion, createOverExisting } from "../../src/domain/s3/bucket-rules";
import { bucketNameProblem } from "../../src/domain/s3/names";
import { addressOf, isS3Request, virtualHostedBucket } from "../../src/protocol/s3/detect";
import { resolveOperation, targetOf } from "../../src/protocol/s3/operations";
import { parseAuth } from "../../src/protocol/sigv4";

const signedFor = (service: string) =>
  new Headers({
    authorization: `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`,
  });

describe("S3 detection", () => {
  const url = new URL("http://localhost:4566/bucket/key");
  it.each([
    [
      "unsigned PUT with a form content type",
      new Headers({ "content-type": "application/x-www-form-urlencoded" }),
      url,
      true,
      "PUT",
    ],
    ["signed for s3", signedFor("s3"), url, true],
    ["signed for sqs", signedFor("sqs"), url, false],
    ["unsigned, plain", new Headers(), url, true],
    ["unsigned with X-Amz-Target", new Headers({ "x-amz-target": "AmazonSQS.ListQueues" }), url, false],
    ["unsigned form post", new Headers({ "content-type": "application/x-www-form-urlencoded" }), url, false],
    ["unsigned with Action=", new Headers(), new URL("http://localhost:4566/?Action=ListQueues"), false],
    ["virtual-hosted", new Headers({ host: "photos.localhost:4566" }), new URL("http://photos.localhost:4566/?Action=x"), true],
  ] as [string, Headers, URL, boolean, string?][])("%s → %s", (_what, headers, u, expected, method = "POST") => {
    expect(isS3Request(method, headers, u, parseAuth(headers, u))).toBe(expected);
  });

  it("reads presigned credentials from the query", () => {
    const u = new URL(
      "http://localhost/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Signature=abc",
    );
    expect(isS3Request("GET", new Headers(), u, parseAuth(new Headers(), u))).toBe(true);
  });

  it("leaves unsigned requests to paths other services claim", () => {
    const u = new URL("http://localhost:4566/000000000000/my-queue");
    expect(isS3Request("GET", new Headers(), u, parseAuth(new Headers(), u), (p) => p.startsWith("/000000000000/"))).toBe(false);
  });
});

describe("S3 addressing", () => {
  it.each([
    ["photos.localhost:4566", "photos"],
    ["photos.s3.amazonaws.com", "photos"],
    ["my.dotted.bucket.s3.us-east-1.amazonaws.com", "my.dotted.bucket"],
    ["photos.s3.localhost.localstack.cloud:4566", "photos"],
    ["localhost:4566", undefined],
    ["s3.amazonaws.com", undefined],
    ["127.0.0.1:4566", undefined],
  ])("host %s names bucket %s", (host, bucket) => {
    expect(virtualHostedBucket(host)).toBe(bucket);
  });

  it("splits path-style paths into bucket and key, percent-decoded", () => {
    const at = (path: string, host = "localhost:4566") => addressOf(new Headers({ host }), new URL(`http://${host}${path}`));
    expect(at("/")).toEqual({ bucket: undefined, key: undefined, virtualHosted: false });
    expect(at("/b")).toEqual({ bucket: "b", key: undefined, virtualHosted: false });
    expect(at("/b/")).toEqual({ bucket: "b", key: undefined, virtualHosted: false });
    expect(at("/b/dir/a%20file%2B.txt")).toEqual({ bucket: "b", key: "dir/a file+.txt", virtualHosted: false });
    expect(at("/dir/x", "b.localhost:4566")).toEqual({ bucket: "b", key: "dir/x", virtualHosted: true });
    expect(at("/", "b.localhost:4566")).toEqual({ bucket: "b", key: undefined, virtualHosted: true });
  });
});

describe("S3 operation resolution", () => {
  const resolve = (method: string, bucket?: string, key?: string, query = "", headers: Record<string, string> = {}) =>
    resolveOperation(method, targetOf(bucket, key), new URLSearchParams(query), new Headers(headers));

  it.each([
    ["GET", undefined, undefined, "", "ListBuckets"],
    ["PUT", "b", undefined, "", "CreateBucket"],
    ["GET", "b", undefined, "location", "GetBucketLocation"],
    ["GET", "b", undefined, "list-type=2&prefix=a", "ListObjectsV2"],
    ["GET", "b", undefined, "prefix=a", "ListObjects"],
    ["PUT", "b", "k", "x-id=PutObject", "PutObject"],
    ["GET", "b", "k", "response-content-type=x", "GetObject"],
    ["DELETE", "b", "k", "", "DeleteObject"],
  ])("%s bucket=%s key=%s ?%s → %s", (method, bucket, key, query, operation) => {
    expect(resolve(method, bucket, key, query)).toEqual({ ok: true, value: operation });
  });

  it("tells CopyObject by its header", () => {
    expect(resolve("PUT", "b", "k", "", { "x-amz-copy-source": "/a/b" })).toEqual({ ok: true, value: "CopyObject" });
  });

  it("answers MethodNotAllowed and NotImplemented as S3 does", () => {
    expect(resolve("POST", "b", "k")).toMatchObject({ ok: false, error: { code: "MethodNotAllowed", status: 405 } });
    expect(resolve("GET", "b", undefined, "website")).toMatchObject({
      ok: false,
      error: { code: "NotImplemented", status: 501 },
    });
    expect(resolve("POST", "b", "k", "restore")).toMatchObject({ ok: false, error: { code: "NotImplemented" } });
  });
});

describe("bucket names", () => {
  it.each(["abc", "my-bucket", "my.bucket.name", "a".repeat(63), "123bucket"])("%s is valid", (name) => {
    expect(bucketNameProblem(name)).toBeUndefined();
  });
  it.each([
    "ab",
    "a".repeat(64),
    "Upper",
    "-start",
    "end-",
    "a..b",
    "a.-b",
    "192.168.1.1",
    "xn--abc",
    "bucket-s3alias",
    "under_score",
  ])("%s is InvalidBucketName", (name) => {
    expect(bucketNameProblem(name)).toMatchObject({ code: "InvalidBucketName", status: 400, fields: { BucketName: name } });
  });
});

describe("CreateBucket regions", () => {
  it("follows the recordings", () => {
    expect(bucketRegion("us-east-1", undefined)).toEqual({ ok: true, value: "us-east-1" });
    expect(bucketRegion("us-east-1", "eu-west-2")).toEqual({ ok: true, value: "eu-west-2" });
    expect(bucketRegion("us-east-1", "us-east-1")).toMatchObject({ ok: false, error: { code: "InvalidLocationConstraint" } });
    expect(bucketRegion("us-east-1", "aws-global")).toMatchObject({ ok: false, error: { code: "InvalidLocationConstraint" } });
    expect(bucketRegion("us-east-2", "us-east-2")).toEqual({ ok: true, value: "us-east-2" });
    expect(bucketRegion("eu-west-1", "EU")).toEqual({ ok: true, value: "EU" });
    expect(bucketRegion("us-east-2", undefined)).toMatchObject({
      ok: false,
      error: {
        code: "IllegalLocationConstraintException",
        message: "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
      },
    });
  });

  it("answers existing buckets as AWS does", () => {
    const existing = { name: "b", owner: "111111111111", region: "us-east-1", createdAt: 0 };
    expect(createOverExisting(existing, "111111111111", "us-east-1").ok).toBe(true);
    expect(createOverExisting({ ...existing, region: "eu-west-1" }, "111111111111", "eu-west-1")).toMatchObject({
      ok: false,
      error: { code: "BucketAlreadyOwnedByYou", status: 409 },
    });
    expect(createOverExisting(existing, "222222222222", "us-east-1")).toMatchObject({
      ok: false,
      error: { code: "BucketAlreadyExists", status: 409 },
    });
  });
});
