/**
 * S3 object and bucket tagging end to end with @aws-sdk/client-s3, against AWS's answers recorded in
 * ../shared/aws-recordings/s3/test_s3_api.snapshot.json (TestS3BucketObjectTagging).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName, s3, s3Client, s3Error } from "./s3-clients";

describe("S3 tagging", () => {
  const client = s3Client();
  const Bucket = bucketName("tagging");
  const missing = bucketName("tagging-missing");

  beforeAll(async () => {
    await client.send(new s3.CreateBucketCommand({ Bucket }));
  });

  const putObject = (Key: string, Tagging?: string) =>
    client.send(new s3.PutObjectCommand({ Bucket, Key, Body: "test-tagging", ...(Tagging === undefined ? {} : { Tagging }) }));
  const objectTags = async (Key: string) => (await client.send(new s3.GetObjectTaggingCommand({ Bucket, Key }))).TagSet;

  it("puts, gets, overwrites and deletes an object's tags; GET and HEAD count them", async () => {
    const Key = "test-object-tagging";
    await putObject(Key);
    expect(await objectTags(Key)).toEqual([]);
    const TagSet = [
      { Key: "tag1", Value: "tag1" },
      { Key: "tag2", Value: "" },
    ];
    await client.send(new s3.PutObjectTaggingCommand({ Bucket, Key, Tagging: { TagSet } }));
    expect(await objectTags(Key)).toEqual(TagSet);
    await client.send(new s3.PutObjectTaggingCommand({ Bucket, Key, Tagging: { TagSet: [{ Key: "tag3", Value: "tag3" }] } }));
    expect(await objectTags(Key)).toEqual([{ Key: "tag3", Value: "tag3" }]);
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key }));
    expect(got.TagCount).toBe(1);
    await got.Body!.transformToString();
    expect((await client.send(new s3.HeadObjectCommand({ Bucket, Key }))).TagCount).toBe(1);
    await client.send(new s3.DeleteObjectTaggingCommand({ Bucket, Key }));
    expect(await objectTags(Key)).toEqual([]);
    expect((await client.send(new s3.HeadObjectCommand({ Bucket, Key }))).TagCount).toBeUndefined();
  });

  it("reads x-amz-tagging on PutObject, and an overwrite or re-creation drops the tags", async () => {
    const Key = "test-put-object-tagging";
    await putObject(Key, "tag1=tag1&tag2=tag2&tag=");
    const tags = (await objectTags(Key))!.sort((a, b) => a.Key!.localeCompare(b.Key!));
    expect(tags).toEqual([
      { Key: "tag", Value: "" },
      { Key: "tag1", Value: "tag1" },
      { Key: "tag2", Value: "tag2" },
    ]);
    await putObject(Key);
    expect(await objectTags(Key)).toEqual([]);
    await client.send(new s3.PutObjectTaggingCommand({ Bucket, Key, Tagging: { TagSet: [{ Key: "tag3", Value: "tag3" }] } }));
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key }));
    await putObject(Key);
    expect(await objectTags(Key)).toEqual([]);
  });

  it("answers NoSuchBucket and NoSuchKey as recorded (GetObjectTagging names bucket/key)", async () => {
    const Key = "fake-key";
    for (const command of [
      new s3.GetObjectTaggingCommand({ Bucket: missing, Key }),
      new s3.DeleteObjectTaggingCommand({ Bucket: missing, Key }),
      new s3.PutObjectTaggingCommand({ Bucket: missing, Key, Tagging: { TagSet: [] } }),
    ]) {
      const error = await s3Error(() => client.send(command as never));
      expect(error).toMatchObject({ name: "NoSuchBucket", status: 404, BucketName: missing });
    }
    const get = await s3Error(() => client.send(new s3.GetObjectTaggingCommand({ Bucket, Key })));
    expect(get).toMatchObject({
      name: "NoSuchKey",
      status: 404,
      Key: `${Bucket}/${Key}`,
      message: "The specified key does not exist.",
    });
    const del = await s3Error(() => client.send(new s3.DeleteObjectTaggingCommand({ Bucket, Key })));
    expect(del).toMatchObject({ name: "NoSuchKey", Key });
    const put = await s3Error(() => client.send(new s3.PutObjectTaggingCommand({ Bucket, Key, Tagging: { TagSet: [] } })));
    expect(put).toMatchObject({ name: "NoSuchKey", Key });
  });

  it("refuses invalid tags with AWS's InvalidTag texts, bucket and object wording apart", async () => {
    const Key = "tagging-validation";
    await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: "" }));
    const bucketTags = (TagSet: { Key: string; Value: string }[]) =>
      s3Error(() => client.send(new s3.PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } })));
    const objectTagsPut = (TagSet: { Key: string; Value: string }[]) =>
      s3Error(() => client.send(new s3.PutObjectTaggingCommand({ Bucket, Key, Tagging: { TagSet } })));
    const duplicate = [
      { Key: "Key1", Value: "Val1" },
      { Key: "Key1", Value: "Val1" },
    ];
    for (const error of [await bucketTags(duplicate), await objectTagsPut(duplicate)])
      expect(error).toMatchObject({
        name: "InvalidTag",
        status: 400,
        message: "Cannot provide multiple Tags with the same key",
        TagKey: "Key1",
      });
    expect(await bucketTags([{ Key: "Key1,Key2", Value: "Val1" }])).toMatchObject({
      name: "InvalidTag",
      message: "The TagKey you have provided is invalid",
      TagKey: "Key1,Key2",
    });
    expect(await bucketTags([{ Key: "Key1", Value: "Val1,Val2" }])).toMatchObject({
      message: "The TagValue you have provided is invalid",
      TagKey: "Key1",
      TagValue: "Val1,Val2",
    });
    expect(await bucketTags([{ Key: "aws:prefixed", Value: "Val1" }])).toMatchObject({
      message: "System tags cannot be added/updated by requester",
      TagKey: "aws:prefixed",
    });
    expect(await objectTagsPut([{ Key: "aws:prefixed", Value: "Val1" }])).toMatchObject({
      message: "Your TagKey cannot be prefixed with aws:",
      TagKey: "aws:prefixed",
    });
    expect(await objectTagsPut([{ Key: "k".repeat(129), Value: "v" }])).toMatchObject({ name: "InvalidTag" });
    expect(await objectTagsPut([{ Key: "k", Value: "v".repeat(257) }])).toMatchObject({ name: "InvalidTag" });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(await objectTagsPut(eleven)).toMatchObject({ name: "BadRequest", message: "Object tags cannot be greater than 10" });
    await client.send(new s3.PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: eleven } }));
    await client.send(new s3.DeleteBucketTaggingCommand({ Bucket }));
  });

  // `key1=val1,key2=val2` too, once PutObject reads the header with src/domain/s3/tagging.ts (unit-tested there).
  it("refuses a repeated x-amz-tagging name on PutObject", async () => {
    for (const tagging of ["key1=val1&key1=val2"]) {
      const error = await s3Error(() => putObject("fake-key", tagging));
      expect(error).toMatchObject({
        name: "InvalidArgument",
        status: 400,
        message:
          "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
        ArgumentName: "x-amz-tagging",
        ArgumentValue: tagging,
      });
    }
  });

  it("puts, gets, overwrites and deletes bucket tags; none is NoSuchTagSet, an empty set deletes them", async () => {
    const noTags = await s3Error(() => client.send(new s3.GetBucketTaggingCommand({ Bucket })));
    expect(noTags).toMatchObject({ name: "NoSuchTagSet", status: 404, message: "The TagSet does not exist", BucketName: Bucket });
    const TagSet = [
      { Key: "tag1", Value: "tag1" },
      { Key: "tag2", Value: "" },
    ];
    await client.send(new s3.PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));
    expect((await client.send(new s3.GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual(TagSet);
    await client.send(new s3.PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: "tag3", Value: "tag3" }] } }));
    expect((await client.send(new s3.GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: "tag3", Value: "tag3" }]);
    await client.send(new s3.DeleteBucketTaggingCommand({ Bucket }));
    await client.send(new s3.DeleteBucketTaggingCommand({ Bucket }));
    expect(await s3Error(() => client.send(new s3.GetBucketTaggingCommand({ Bucket })))).toMatchObject({ name: "NoSuchTagSet" });
    await client.send(new s3.PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));
    await client.send(new s3.PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [] } }));
    expect(await s3Error(() => client.send(new s3.GetBucketTaggingCommand({ Bucket })))).toMatchObject({ name: "NoSuchTagSet" });
  });

  it("answers NoSuchBucket for bucket tagging on a missing bucket", async () => {
    for (const command of [
      new s3.GetBucketTaggingCommand({ Bucket: missing }),
      new s3.DeleteBucketTaggingCommand({ Bucket: missing }),
      new s3.PutBucketTaggingCommand({ Bucket: missing, Tagging: { TagSet: [] } }),
    ]) {
      expect(await s3Error(() => client.send(command as never))).toMatchObject({ name: "NoSuchBucket", BucketName: missing });
    }
  });
});
