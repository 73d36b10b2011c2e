/**
 * DeleteObjects (POST /bucket?delete): up to 1,000 keys in one request, removed by the bucket object
 * in one transaction. The body must carry an integrity check, Content-MD5 or an x-amz-checksum-*
 * (header or trailer), which is verified before anything is deleted. Every key is reported Deleted,
 * whether it had an object or not (recorded), unless Quiet; a version id other than `null` is an
 * Error for that key alone (this emulator's buckets are unversioned).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { BodyDigests, hex } from "../../domain/s3/checksums";
import { checksumAlgorithmWithoutValue, missingContentMd5, noSuchVersion } from "../../domain/s3/copy-delete-errors";
import { parseDeleteRequest, type DeleteTarget } from "../../domain/s3/delete-request";
import { checksumProblem, expectedChecksums } from "./checksum-expectations";
import { accessOf, bucketStub } from "./context";
import type { S3Request, S3Response, XmlElement } from "./wire";
import { requestEventOf } from "./notifications";

const utf8 = new TextEncoder();

/** The body, whole, once its integrity check holds. */
async function verifiedBody(request: S3Request): Promise<Result<string>> {
  const expected = expectedChecksums(request.headers, request.body);
  if (!expected.ok) return expected;
  const { contentMd5, headerValues, trailer, algorithms } = expected.value;
  if (contentMd5 === undefined && Object.keys(headerValues).length === 0 && trailer === undefined) {
    // (`algorithms` always names one: S3's default CRC64NVME when the client sends none.)
    const named = request.headers.has("x-amz-sdk-checksum-algorithm");
    return fail(named ? checksumAlgorithmWithoutValue() : missingContentMd5());
  }
  const text = await request.body.text(); // also checks a hex x-amz-content-sha256
  if (!text.ok) return text;
  const trailers = request.body.finish();
  if (!trailers.ok) return trailers;
  const digests = new BodyDigests(algorithms);
  const bytes = utf8.encode(text.value);
  digests.update(bytes);
  const { md5, checksums } = digests.finish();
  const { claimedSha256: _, ...declared } = expected.value;
  const problem = checksumProblem(
    declared,
    { dataId: "", size: bytes.length, md5Hex: md5 ? hex(md5) : "", checksums },
    trailers.value,
  );
  return problem ? fail(problem) : text;
}

export async function deleteObjects(request: S3Request): Promise<Result<S3Response>> {
  const text = await verifiedBody(request);
  if (!text.ok) return text;
  const parsed = parseDeleteRequest(text.value);
  if (!parsed.ok) return parsed;
  const { quiet, objects } = parsed.value;

  const deletable: DeleteTarget[] = [];
  const errors: XmlElement[] = [];
  for (const target of objects) {
    if (target.versionId === undefined || target.versionId === "null") {
      deletable.push(target);
      continue;
    }
    const error = noSuchVersion(target.key, target.versionId);
    errors.push({ Key: target.key, VersionId: target.versionId, Code: error.code, Message: error.message });
  }
  const removed = await bucketStub(request).deleteObjects(
    accessOf(request),
    deletable.map((t) => t.key),
    { event: requestEventOf(request) },
  );
  if (!removed.ok) return removed;
  const deleted: XmlElement[] = quiet ? [] : deletable.map((t) => ({ Key: t.key, VersionId: t.versionId }));
  return ok({
    xml: {
      DeleteResult: {
        Deleted: deleted.length ? deleted : undefined,
        Error: errors.length ? errors : undefined,
      },
    },
  });
}
