/**
 * Put/Get/DeleteBucketPolicy: the policy JSON checked as S3 does (src/domain/s3/bucket-policy.ts),
 * stored as sent and returned as sent. Not evaluated yet: requests are not refused by it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { policyProblem } from "../../domain/s3/bucket-policy";
import { noSuchBucketPolicy } from "../../domain/s3/settings-errors";
import { deleteSetting, getSetting, putSetting, textResponse } from "./settings-context";
import type { S3Request, S3Response } from "./wire";

export async function putBucketPolicy(request: S3Request): Promise<Result<S3Response>> {
  const text = await request.body.text();
  if (!text.ok) return text;
  const exists = await getSetting(request, "policy");
  if (!exists.ok) return exists;
  const problem = policyProblem(text.value, request.bucket!);
  if (problem) return fail(problem);
  const stored = await putSetting(request, "policy", text.value);
  return stored.ok ? ok({ status: 204 }) : stored;
}

export async function getBucketPolicy(request: S3Request): Promise<Result<S3Response>> {
  const policy = await getSetting<string>(request, "policy");
  if (!policy.ok) return policy;
  if (policy.value === undefined) return fail(noSuchBucketPolicy(request.bucket!));
  return ok(textResponse(policy.value, "application/json"));
}

export async function deleteBucketPolicy(request: S3Request): Promise<Result<S3Response>> {
  const deleted = await deleteSetting(request, "policy");
  return deleted.ok ? ok({ status: 204 }) : deleted;
}
