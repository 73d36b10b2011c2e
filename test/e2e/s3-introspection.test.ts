/**
 * GET /_aws/s3/buckets: the account's buckets with their object counts and stored bytes, beside the
 * other services' developer routes (locally `?account=` picks the account; a 12-digit access key is
 * the account).
 */
import { describe, expect, it } from "vitest";
import { endpoint } from "./clients";
import { bucketName, s3, s3Client } from "./s3-clients";

describe("S3 introspection", () => {
  it("lists the account's buckets with object counts and bytes", async () => {
    const account = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
    const client = s3Client({ accessKeyId: account });
    const Bucket = bucketName("introspect");
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    await client.send(new s3.PutObjectCommand({ Bucket, Key: "a", Body: "12345" }));
    await client.send(new s3.PutObjectCommand({ Bucket, Key: "b/c", Body: "678" }));
    const response = await fetch(`${endpoint()}/_aws/s3/buckets?account=${account}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      account,
      buckets: [{ name: Bucket, region: "us-east-1", createdAt: expect.stringMatching(/^\d{4}-/), objects: 2, bytes: 8 }],
    });
  });
});
