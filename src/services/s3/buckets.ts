/**
 * Bucket operations: CreateBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation.
 * A bucket is its own object (named by the bucket's name, global in the deployment); the account's
 * bucket list (ListBuckets) is updated after the bucket object agrees.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { bucketRegion, createOverExisting, US_EAST_1 } from "../../domain/s3/bucket-rules";
import { malformedXml } from "../../domain/s3/errors";
import { bucketNameProblem, canonicalUserId } from "../../domain/s3/names";
import { isoDate } from "../../domain/s3/object-rules";
import { accessOf, accountStub, bucketStub } from "./context";
import type { S3Request, S3Response } from "./wire";

/** `<CreateBucketConfiguration><LocationConstraint>…` of the body, if any. */
async function locationConstraint(request: S3Request): Promise<Result<string | undefined>> {
  const xml = await request.body.xml();
  if (!xml.ok) return xml;
  if (xml.value === undefined) return ok(undefined);
  const config = xml.value.CreateBucketConfiguration;
  if (config === undefined) return fail(malformedXml());
  if (config === "") return ok(undefined);
  if (typeof config !== "object" || config === null) return fail(malformedXml());
  const constraint = (config as Record<string, unknown>).LocationConstraint;
  if (constraint !== undefined && typeof constraint !== "string") return fail(malformedXml());
  return ok(constraint);
}

export async function createBucket(request: S3Request): Promise<Result<S3Response>> {
  const name = request.bucket!;
  const problem = bucketNameProblem(name);
  if (problem) return fail(problem);
  const constraint = await locationConstraint(request);
  if (!constraint.ok) return constraint;
  const region = bucketRegion(request.caller.region, constraint.value);
  if (!region.ok) return region;
  const info = { name, owner: request.caller.account, region: region.value, createdAt: request.now };
  const created = await bucketStub(request).create(info);
  if (!created.created) {
    const again = createOverExisting(created.existing, request.caller.account, request.caller.region);
    if (!again.ok) return again;
  } else {
    await accountStub(request).add(info);
  }
  const location = region.value === US_EAST_1 ? `/${name}` : `http://${name}.s3.amazonaws.com/`;
  return ok({ headers: { location, "x-amz-bucket-arn": `arn:aws:s3:::${name}` } });
}

export async function headBucket(request: S3Request): Promise<Result<S3Response>> {
  const bucket = await bucketStub(request).describe(accessOf(request));
  if (!bucket.ok) return bucket;
  return ok({
    headers: {
      "x-amz-bucket-region": bucket.value.region === "EU" ? "eu-west-1" : bucket.value.region,
      "x-amz-access-point-alias": "false",
      "x-amz-bucket-arn": `arn:aws:s3:::${bucket.value.name}`,
    },
  });
}

export async function deleteBucket(request: S3Request): Promise<Result<S3Response>> {
  const deleted = await bucketStub(request).destroy(accessOf(request));
  if (!deleted.ok) return deleted;
  await accountStub(request).remove(request.bucket!);
  return ok({ status: 204 });
}

export async function getBucketLocation(request: S3Request): Promise<Result<S3Response>> {
  const bucket = await bucketStub(request).describe(accessOf(request));
  if (!bucket.ok) return bucket;
  // us-east-1 buckets answer an empty LocationConstraint (the SDKs read it as null).
  return ok({ xml: { LocationConstraint: bucket.value.region === US_EAST_1 ? "" : bucket.value.region } });
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html */
export async function listBuckets(request: S3Request): Promise<Result<S3Response>> {
  const buckets = await accountStub(request).list(request.caller.account);
  const prefix = request.query.get("prefix") ?? undefined;
  const region = request.query.get("bucket-region") ?? undefined;
  const shown = buckets.filter((b) => (!prefix || b.name.startsWith(prefix)) && (!region || b.region === region));
  return ok({
    xml: {
      ListAllMyBucketsResult: {
        Owner: { ID: canonicalUserId(request.caller.account), DisplayName: "webfile" },
        Buckets: { Bucket: shown.map((b) => ({ Name: b.name, CreationDate: isoDate(b.createdAt), BucketRegion: b.region })) },
        Prefix: prefix,
      },
    },
  });
}
