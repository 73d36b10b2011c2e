/**
 * S3 buckets end to end with @aws-sdk/client-s3 (default configuration): create, head, list,
 * location, delete; and the errors with AWS's codes, statuses and texts (../shared/aws-recordings/s3).
 */
import { describe, expect, it } from "vitest";
import { bucketName, s3, s3Client, s3Error, virtualHostedClient } from "./s3-clients";

describe("S3 buckets", () => {
  const client = s3Client();

  it("creates, heads, lists, locates and deletes a bucket", async () => {
    const Bucket = bucketName("life");
    const created = await client.send(new s3.CreateBucketCommand({ Bucket }));
    expect(created.Location).toBe(`/${Bucket}`);
    const head = await client.send(new s3.HeadBucketCommand({ Bucket }));
    expect(head.BucketRegion).toBe("us-east-1");
    const list = await client.send(new s3.ListBucketsCommand({}));
    const entry = list.Buckets!.find((b) => b.Name === Bucket);
    expect(entry?.CreationDate).toBeInstanceOf(Date);
    expect(list.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const location = await client.send(new s3.GetBucketLocationCommand({ Bucket }));
    expect(location.LocationConstraint ?? null).toBeFalsy();
    await client.send(new s3.DeleteBucketCommand({ Bucket }));
    const gone = await s3Error(() => client.send(new s3.HeadBucketCommand({ Bucket })));
    expect(gone.status).toBe(404);
    const after = await client.send(new s3.ListBucketsCommand({}));
    expect(after.Buckets!.some((b) => b.Name === Bucket)).toBe(false);
  });

  it("creates in another region with a LocationConstraint, and says so", async () => {
    const Bucket = bucketName("region");
    await client.send(new s3.CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: "eu-west-2" } }));
    const location = await client.send(new s3.GetBucketLocationCommand({ Bucket }));
    expect(location.LocationConstraint).toBe("eu-west-2");
    const regional = s3Client({ region: "eu-west-2" });
    const again = await s3Error(() =>
      regional.send(new s3.CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: "eu-west-2" } })),
    );
    expect(again).toMatchObject({ name: "BucketAlreadyOwnedByYou", status: 409, BucketName: Bucket });
    expect(again.message).toBe("Your previous request to create the named bucket succeeded and you already own it.");
    await client.send(new s3.DeleteBucketCommand({ Bucket }));
  });

  it("answers CreateBucket of an own us-east-1 bucket with success, another account's with BucketAlreadyExists", async () => {
    const Bucket = bucketName("twice");
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    const other = s3Client({ accessKeyId: "111111111111" });
    const taken = await s3Error(() => other.send(new s3.CreateBucketCommand({ Bucket })));
    expect(taken).toMatchObject({ name: "BucketAlreadyExists", status: 409 });
    const otherList = await other.send(new s3.ListBucketsCommand({}));
    expect(otherList.Buckets?.some((b) => b.Name === Bucket) ?? false).toBe(false);
    await client.send(new s3.DeleteBucketCommand({ Bucket }));
  });

  it("refuses invalid names and location constraints with AWS's errors", async () => {
    const invalid = await s3Error(() => client.send(new s3.CreateBucketCommand({ Bucket: "Upper-Case-Bucket" })));
    expect(invalid).toMatchObject({ name: "InvalidBucketName", status: 400, message: "The specified bucket is not valid." });
    expect(invalid.BucketName).toBe("Upper-Case-Bucket");
    const us = await s3Error(() =>
      client.send(
        new s3.CreateBucketCommand({
          Bucket: bucketName("loc"),
          CreateBucketConfiguration: { LocationConstraint: "us-east-1" as s3.BucketLocationConstraint },
        }),
      ),
    );
    expect(us).toMatchObject({
      name: "InvalidLocationConstraint",
      status: 400,
      message: "The specified location-constraint is not valid",
    });
    const regional = s3Client({ region: "us-east-2" });
    // (The SDK itself adds the client's region as LocationConstraint when none is given.)
    const elsewhere = await s3Error(() =>
      regional.send(
        new s3.CreateBucketCommand({ Bucket: bucketName("loc"), CreateBucketConfiguration: { LocationConstraint: "us-west-1" } }),
      ),
    );
    expect(elsewhere).toMatchObject({
      name: "IllegalLocationConstraintException",
      status: 400,
      message: "The us-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.",
    });
  });

  it("answers NoSuchBucket and BucketNotEmpty as AWS does", async () => {
    const missing = bucketName("missing");
    const noBucket = await s3Error(() => client.send(new s3.DeleteBucketCommand({ Bucket: missing })));
    expect(noBucket).toMatchObject({
      name: "NoSuchBucket",
      status: 404,
      message: "The specified bucket does not exist",
      BucketName: missing,
    });
    const Bucket = bucketName("full");
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    await client.send(new s3.PutObjectCommand({ Bucket, Key: "k", Body: "x" }));
    const notEmpty = await s3Error(() => client.send(new s3.DeleteBucketCommand({ Bucket })));
    expect(notEmpty).toMatchObject({
      name: "BucketNotEmpty",
      status: 409,
      message: "The bucket you tried to delete is not empty",
      BucketName: Bucket,
    });
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "k" }));
    await client.send(new s3.DeleteBucketCommand({ Bucket }));
  });

  it("serves virtual-hosted requests (Host: <bucket>.localhost)", async () => {
    const hosted = virtualHostedClient();
    const Bucket = bucketName("vhost");
    await hosted.send(new s3.CreateBucketCommand({ Bucket }));
    await hosted.send(new s3.PutObjectCommand({ Bucket, Key: "dir/hello.txt", Body: "hello" }));
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "dir/hello.txt" }));
    expect(await got.Body!.transformToString()).toBe("hello");
    const back = await hosted.send(new s3.GetObjectCommand({ Bucket, Key: "dir/hello.txt" }));
    expect(await back.Body!.transformToString()).toBe("hello");
    await hosted.send(new s3.DeleteObjectCommand({ Bucket, Key: "dir/hello.txt" }));
    await hosted.send(new s3.DeleteBucketCommand({ Bucket }));
    const gone = await s3Error(() => hosted.send(new s3.GetObjectCommand({ Bucket, Key: "dir/hello.txt" })));
    expect(gone).toMatchObject({ name: "NoSuchBucket", status: 404 });
  });
});
