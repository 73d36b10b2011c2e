/**
 * A bucket's default encryption (Put/Get/DeleteBucketEncryption). Every bucket has one: SSE-S3
 * (AES256) until another is put, and again after DeleteBucketEncryption (recorded). A configuration
 * has exactly one rule (none or two is MalformedXML, recorded); KMSMasterKeyID only with aws:kms or
 * aws:kms:dsse. The setting is stored and returned; objects are stored as they are (the object
 * responses keep saying AES256).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html
 */
import { fail, ok, type Result } from "../errors";
import { malformedXml } from "./errors";
import { kmsKeyWithoutKms } from "./settings-errors";
import { listOf, nodeOf, rootOf, textOf } from "./xml-values";

export interface EncryptionRule {
  algorithm: "AES256" | "aws:kms" | "aws:kms:dsse";
  kmsKeyId?: string;
  bucketKeyEnabled: boolean;
}

export const DEFAULT_ENCRYPTION: EncryptionRule = { algorithm: "AES256", bucketKeyEnabled: false };

const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

export function parseEncryptionDocument(document: Record<string, unknown> | undefined): Result<EncryptionRule> {
  const config = rootOf(document, "ServerSideEncryptionConfiguration");
  if (!config) return fail(malformedXml());
  const rules = listOf(config.Rule);
  if (rules.length !== 1) return fail(malformedXml());
  const rule = nodeOf(rules[0]);
  const byDefault = nodeOf(rule?.ApplyServerSideEncryptionByDefault);
  const algorithm = textOf(byDefault?.SSEAlgorithm);
  if (!rule || !byDefault || algorithm === undefined || !ALGORITHMS.includes(algorithm)) return fail(malformedXml());
  const kmsKeyId = byDefault.KMSMasterKeyID === undefined ? undefined : textOf(byDefault.KMSMasterKeyID);
  if (kmsKeyId !== undefined && algorithm === "AES256") return fail(kmsKeyWithoutKms());
  const bucketKey = rule.BucketKeyEnabled === undefined ? "false" : textOf(rule.BucketKeyEnabled);
  if (bucketKey !== "true" && bucketKey !== "false") return fail(malformedXml());
  return ok({
    algorithm: algorithm as EncryptionRule["algorithm"],
    ...(kmsKeyId ? { kmsKeyId } : {}),
    bucketKeyEnabled: bucketKey === "true",
  });
}

export const encryptionDocument = (rule: EncryptionRule) => ({
  ServerSideEncryptionConfiguration: {
    Rule: {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: rule.algorithm, KMSMasterKeyID: rule.kmsKeyId },
      BucketKeyEnabled: rule.bucketKeyEnabled,
    },
  },
});
