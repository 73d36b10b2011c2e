/**
 * CopyObject (PUT with x-amz-copy-source): the source's bytes stream from its bucket object into the
 * destination's (writeData, then putObject), never whole in memory, in the same bucket or across
 * buckets. The copy's ETag and checksums are computed afresh as the bytes pass (the source's
 * algorithms, or the one x-amz-checksum-algorithm asks for).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { parseChecksumAlgorithm, type ChecksumAlgorithm } from "../../domain/s3/checksums";
import {
  copiedHeaders,
  copySourceProblem,
  copyToItselfProblem,
  MAX_COPY_SOURCE_BYTES,
  parseCopySource,
  parseDirective,
} from "../../domain/s3/copy-rules";
import { unsupportedChecksumAlgorithm } from "../../domain/s3/errors";
import { keyProblem } from "../../domain/s3/names";
import { metadataProblem } from "../../domain/s3/object-rules";
import { parseTaggingHeader } from "../../domain/s3/tagging";
import { checkWriteConditions, validateWriteConditions } from "../../domain/s3/preconditions";
import { bucketObject } from "../../durable/names";
import { accessOf, bucketStub } from "./context";
import { contentHeadersOf, userMetadataOf } from "./object-headers";
import type { S3Request, S3Response } from "./wire";
import { requestEventOf } from "./notifications";
import { objectStream } from "./object-stream";

const emptyStream = (): ReadableStream<Uint8Array> =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.close();
    },
  });

const ENCRYPTION_HEADERS = [
  "x-amz-server-side-encryption",
  "x-amz-server-side-encryption-customer-algorithm",
  "x-amz-server-side-encryption-aws-kms-key-id",
];

/** CopyObjectResult's LastModified: ISO 8601 to the second (S3's `.000Z`). */
const resultDate = (epochMs: number): string => new Date(Math.floor(epochMs / 1000) * 1000).toISOString();

/** Everything about the request that can be refused before either bucket is asked. */
function validate(request: S3Request) {
  const { headers } = request;
  const source = parseCopySource(headers.get("x-amz-copy-source")!);
  if (!source.ok) return source;
  const metadataDirective = parseDirective(headers.get("x-amz-metadata-directive"), "metadata");
  if (!metadataDirective.ok) return metadataDirective;
  const taggingDirective = parseDirective(headers.get("x-amz-tagging-directive"), "tagging");
  if (!taggingDirective.ok) return taggingDirective;
  const keyTooLong = keyProblem(request.key!);
  if (keyTooLong) return fail(keyTooLong);
  const conditions = { ifMatch: headers.get("if-match"), ifNoneMatch: headers.get("if-none-match") };
  const badConditions = validateWriteConditions(conditions);
  if (badConditions) return fail(badConditions);
  const metadata = userMetadataOf(headers);
  if (metadataDirective.value === "REPLACE") {
    const tooMuch = metadataProblem(metadata);
    if (tooMuch) return fail(tooMuch);
  }
  const tags = parseTaggingHeader(headers.get("x-amz-tagging") ?? undefined);
  if (!tags.ok) return tags;
  const algorithmName = headers.get("x-amz-checksum-algorithm");
  const algorithm = algorithmName === null ? undefined : parseChecksumAlgorithm(algorithmName);
  if (algorithmName !== null && !algorithm) return fail(unsupportedChecksumAlgorithm());
  return ok({
    source: source.value,
    metadataDirective: metadataDirective.value,
    taggingDirective: taggingDirective.value,
    conditions,
    metadata,
    tags: tags.value,
    algorithm,
  });
}

export async function copyObject(request: S3Request): Promise<Result<S3Response>> {
  const valid = validate(request);
  if (!valid.ok) return valid;
  const { source, metadataDirective, taggingDirective, conditions, algorithm } = valid.value;
  const { headers } = request;
  const access = accessOf(request);
  const destination = bucketStub(request);
  const destinationBucket = await destination.describe(access);
  if (!destinationBucket.ok) return destinationBucket;

  const sourceStub = bucketObject(request.env, source.bucket);
  const read = await sourceStub.getObject(access, source.key, {});
  if (!read.ok) return read;
  const { object, segments } = read.value;
  // Pulled from the source bucket object one chunk at a time, only once the destination reads it.
  const body = object.size > 0 ? objectStream(sourceStub, segments, 0, object.size - 1) : undefined;
  const refuse = async (problem: Parameters<typeof fail>[0]) => {
    await body?.cancel().catch(() => {});
    return fail(problem);
  };
  const sourceProblem = copySourceProblem(
    source,
    object,
    {
      ifMatch: headers.get("x-amz-copy-source-if-match"),
      ifNoneMatch: headers.get("x-amz-copy-source-if-none-match"),
      ifModifiedSince: headers.get("x-amz-copy-source-if-modified-since"),
      ifUnmodifiedSince: headers.get("x-amz-copy-source-if-unmodified-since"),
    },
    request.now,
  );
  if (sourceProblem) return refuse(sourceProblem);
  const changes = {
    metadataDirective,
    storageClass: headers.has("x-amz-storage-class"),
    websiteRedirectLocation: headers.has("x-amz-website-redirect-location"),
    encryption: ENCRYPTION_HEADERS.some((h) => headers.has(h)),
  };
  const itself = copyToItselfProblem(source, { bucket: request.bucket!, key: request.key! }, changes);
  if (itself) return refuse(itself);
  if (conditions.ifMatch || conditions.ifNoneMatch) {
    const current = await destination.headObject(access, request.key!);
    const problem = checkWriteConditions(conditions, request.key!, current.ok ? current.value.object : undefined);
    if (problem) return refuse(problem);
  }

  const algorithms: ChecksumAlgorithm[] = algorithm ? [algorithm] : (Object.keys(object.checksums) as ChecksumAlgorithm[]);
  const written = await destination.writeData(access, body ?? emptyStream(), {
    algorithms,
    payloadSha256: false,
    maxBytes: MAX_COPY_SOURCE_BYTES,
  });
  if (!written.ok) return written;
  const data = written.value;
  const stored = await destination.putObject(
    access,
    {
      key: request.key!,
      size: data.size,
      etag: `"${data.md5Hex}"`,
      headers: copiedHeaders(metadataDirective, object.headers, contentHeadersOf(headers)),
      metadata: metadataDirective === "REPLACE" ? valid.value.metadata : object.metadata,
      checksums: data.checksums,
      tags: taggingDirective === "REPLACE" ? valid.value.tags : object.tags,
      segments: [{ dataId: data.dataId, size: data.size }],
    },
    { event: requestEventOf(request), eventName: "s3:ObjectCreated:Copy" },
  );
  if (!stored.ok) {
    await destination.discardData(data.dataId);
    return stored;
  }
  const result: Record<string, string> = { LastModified: resultDate(stored.value.lastModified), ETag: stored.value.etag };
  for (const [name, value] of Object.entries(data.checksums) as [ChecksumAlgorithm, string][]) {
    result[`Checksum${name}`] = value;
  }
  if (Object.keys(data.checksums).length) result.ChecksumType = "FULL_OBJECT";
  return ok({
    headers: { "x-amz-server-side-encryption": "AES256" },
    xml: { CopyObjectResult: result },
  });
}
