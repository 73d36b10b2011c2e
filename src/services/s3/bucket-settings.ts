/**
 * The bucket settings that are stored and returned: versioning status (Put/GetBucketVersioning;
 * objects stay unversioned for now), lifecycle configuration (Put/Get/DeleteBucketLifecycle-
 * Configuration; stored, not applied), default encryption (Put/Get/DeleteBucketEncryption; SSE-S3
 * AES256 when none is set, as AWS answers today).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { DEFAULT_ENCRYPTION, encryptionDocument, parseEncryptionDocument, type EncryptionRule } from "../../domain/s3/encryption";
import { parseLifecycleDocument, type LifecycleConfiguration } from "../../domain/s3/lifecycle";
import { noSuchLifecycleConfiguration } from "../../domain/s3/settings-errors";
import { parseVersioningDocument, versioningDocument, type VersioningStatus } from "../../domain/s3/versioning";
import { deleteSetting, getSetting, putSetting } from "./settings-context";
import type { S3Request, S3Response } from "./wire";

export async function putBucketVersioning(request: S3Request): Promise<Result<S3Response>> {
  const document = await request.body.xml();
  if (!document.ok) return document;
  const previous = await getSetting<VersioningStatus>(request, "versioning");
  if (!previous.ok) return previous;
  const versioning = parseVersioningDocument(document.value, previous.value);
  if (!versioning.ok) return versioning;
  const stored = await putSetting(request, "versioning", versioning.value);
  return stored.ok ? ok({}) : stored;
}

export async function getBucketVersioning(request: S3Request): Promise<Result<S3Response>> {
  const versioning = await getSetting<VersioningStatus>(request, "versioning");
  if (!versioning.ok) return versioning;
  return ok({ xml: versioningDocument(versioning.value) });
}

const MINIMUM_SIZE_HEADER = "x-amz-transition-default-minimum-object-size";

export async function putBucketLifecycleConfiguration(request: S3Request): Promise<Result<S3Response>> {
  const document = await request.body.xml();
  if (!document.ok) return document;
  const exists = await getSetting(request, "lifecycle");
  if (!exists.ok) return exists;
  const config = parseLifecycleDocument(document.value, request.headers.get(MINIMUM_SIZE_HEADER));
  if (!config.ok) return config;
  const stored = await putSetting(request, "lifecycle", config.value);
  if (!stored.ok) return stored;
  return ok({ headers: { [MINIMUM_SIZE_HEADER]: config.value.transitionMinimumSize } });
}

export async function getBucketLifecycleConfiguration(request: S3Request): Promise<Result<S3Response>> {
  const config = await getSetting<LifecycleConfiguration>(request, "lifecycle");
  if (!config.ok) return config;
  if (!config.value) return fail(noSuchLifecycleConfiguration(request.bucket!));
  return ok({
    headers: { [MINIMUM_SIZE_HEADER]: config.value.transitionMinimumSize },
    xml: { LifecycleConfiguration: { Rule: config.value.rules as S3Response["xml"][] } },
  });
}

export async function deleteBucketLifecycle(request: S3Request): Promise<Result<S3Response>> {
  const deleted = await deleteSetting(request, "lifecycle");
  return deleted.ok ? ok({ status: 204 }) : deleted;
}

export async function putBucketEncryption(request: S3Request): Promise<Result<S3Response>> {
  const document = await request.body.xml();
  if (!document.ok) return document;
  const exists = await getSetting(request, "encryption");
  if (!exists.ok) return exists;
  const rule = parseEncryptionDocument(document.value);
  if (!rule.ok) return rule;
  const stored = await putSetting(request, "encryption", rule.value);
  return stored.ok ? ok({}) : stored;
}

export async function getBucketEncryption(request: S3Request): Promise<Result<S3Response>> {
  const rule = await getSetting<EncryptionRule>(request, "encryption");
  if (!rule.ok) return rule;
  return ok({ xml: encryptionDocument(rule.value ?? DEFAULT_ENCRYPTION) });
}

export async function deleteBucketEncryption(request: S3Request): Promise<Result<S3Response>> {
  const deleted = await deleteSetting(request, "encryption");
  return deleted.ok ? ok({ status: 204 }) : deleted;
}
