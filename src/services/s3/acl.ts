/**
 * Get/PutBucketAcl and Get/PutObjectAcl. A bucket's ACL is stored from a canned ACL (`x-amz-acl`)
 * grant headers or an AccessControlPolicy body, and shown as S3 shows it (owner FULL_CONTROL by
 * default). An object's ACL is accepted and validated but not stored yet: GetObjectAcl answers the
 * owner's FULL_CONTROL grant. Grants are shown, not enforced.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { parseAccessControlPolicy } from "../../domain/s3/acl-document";
import { accessControlPolicyXml, aclFromHeaders, PRIVATE_ACL, type AccessControlList } from "../../domain/s3/acl";
import type { BucketInfo } from "../../domain/s3/contract";
import { canonicalUserId } from "../../domain/s3/names";
import { aclUnexpectedContent } from "../../domain/s3/settings-errors";
import { accessOf, bucketStub } from "./context";
import { getSetting, putSetting, textResponse } from "./settings-context";
import type { S3Request, S3Response } from "./wire";

/** S3's document namespace (the protocol layer writes it on every other document). */
const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

const aclResponse = (acl: AccessControlList, bucket: BucketInfo) =>
  textResponse(accessControlPolicyXml(acl, canonicalUserId(bucket.owner), S3_NAMESPACE), "application/xml");

/** The ACL a Put*Acl asks for: from its headers or its body, not both. */
async function requestedAcl(request: S3Request): Promise<Result<AccessControlList>> {
  const body = await request.body.text();
  if (!body.ok) return body;
  const hasBody = body.value.trim() !== "";
  const fromHeaders = aclFromHeaders(request.headers, !hasBody);
  if (!fromHeaders.ok) return fromHeaders;
  if (hasBody && fromHeaders.value) return fail(aclUnexpectedContent());
  return hasBody ? parseAccessControlPolicy(body.value) : ok(fromHeaders.value!);
}

export async function getBucketAcl(request: S3Request): Promise<Result<S3Response>> {
  const bucket = await bucketStub(request).describe(accessOf(request));
  if (!bucket.ok) return bucket;
  const acl = await getSetting<AccessControlList>(request, "acl");
  if (!acl.ok) return acl;
  return ok(aclResponse(acl.value ?? PRIVATE_ACL, bucket.value));
}

export async function putBucketAcl(request: S3Request): Promise<Result<S3Response>> {
  const bucket = await bucketStub(request).describe(accessOf(request));
  if (!bucket.ok) return bucket;
  const acl = await requestedAcl(request);
  if (!acl.ok) return acl;
  const stored = await putSetting(request, "acl", acl.value);
  return stored.ok ? ok({}) : stored;
}

export async function getObjectAcl(request: S3Request): Promise<Result<S3Response>> {
  const stub = bucketStub(request);
  const bucket = await stub.describe(accessOf(request));
  if (!bucket.ok) return bucket;
  const object = await stub.hasObject(accessOf(request), request.key!);
  if (!object.ok) return object;
  return ok(aclResponse(PRIVATE_ACL, bucket.value));
}

export async function putObjectAcl(request: S3Request): Promise<Result<S3Response>> {
  const stub = bucketStub(request);
  const object = await stub.hasObject(accessOf(request), request.key!);
  if (!object.ok) return object;
  const acl = await requestedAcl(request);
  return acl.ok ? ok({}) : acl;
}
