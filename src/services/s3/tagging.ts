/**
 * Object and bucket tagging: Put/Get/DeleteObjectTagging (`?tagging` on a key) and
 * Put/Get/DeleteBucketTagging (`?tagging` on a bucket). Object tags live in the object's row (an
 * overwrite or delete of the object drops them, as on AWS); bucket tags are a bucket setting. A
 * bucket without tags answers NoSuchTagSet; putting an empty TagSet is deleting them (recorded).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html
 */
import { ok, fail, type Result } from "../../domain/errors";
import type { Tag } from "../../domain/s3/contract";
import { noSuchTagSet } from "../../domain/s3/settings-errors";
import { parseTaggingDocument, tagSetXml } from "../../domain/s3/tagging";
import { accessOf, bucketStub } from "./context";
import { deleteSetting, getSetting, putSetting } from "./settings-context";
import type { S3Request, S3Response } from "./wire";

export async function getObjectTagging(request: S3Request): Promise<Result<S3Response>> {
  const key = request.key!;
  const tags = await bucketStub(request).getObjectTags(accessOf(request), key, `${request.bucket}/${key}`);
  if (!tags.ok) return tags;
  return ok({ xml: { Tagging: { TagSet: tagSetXml(tags.value) } } });
}

export async function putObjectTagging(request: S3Request): Promise<Result<S3Response>> {
  const document = await request.body.xml();
  if (!document.ok) return document;
  const tags = parseTaggingDocument(document.value, "object");
  if (!tags.ok) return tags;
  const stored = await bucketStub(request).putObjectTags(accessOf(request), request.key!, tags.value);
  return stored.ok ? ok({}) : stored;
}

export async function deleteObjectTagging(request: S3Request): Promise<Result<S3Response>> {
  const stored = await bucketStub(request).putObjectTags(accessOf(request), request.key!, []);
  return stored.ok ? ok({ status: 204 }) : stored;
}

export async function getBucketTagging(request: S3Request): Promise<Result<S3Response>> {
  const tags = await getSetting<Tag[]>(request, "tagging");
  if (!tags.ok) return tags;
  if (!tags.value?.length) return fail(noSuchTagSet(request.bucket!));
  return ok({ xml: { Tagging: { TagSet: tagSetXml(tags.value) } } });
}

export async function putBucketTagging(request: S3Request): Promise<Result<S3Response>> {
  const document = await request.body.xml();
  if (!document.ok) return document;
  const tags = parseTaggingDocument(document.value, "bucket");
  // A missing bucket is NoSuchBucket before the document is judged (recorded with an empty TagSet).
  if (!tags.ok) {
    const exists = await getSetting(request, "tagging");
    return exists.ok ? tags : exists;
  }
  const stored = tags.value.length ? await putSetting(request, "tagging", tags.value) : await deleteSetting(request, "tagging");
  return stored.ok ? ok({ status: 204 }) : stored;
}

export async function deleteBucketTagging(request: S3Request): Promise<Result<S3Response>> {
  const deleted = await deleteSetting(request, "tagging");
  return deleted.ok ? ok({ status: 204 }) : deleted;
}
