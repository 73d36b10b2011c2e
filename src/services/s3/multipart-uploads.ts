/**
 * Multipart uploads as a whole: CreateMultipartUpload, AbortMultipartUpload, ListParts and
 * ListMultipartUploads. An upload and its parts live in the bucket object (src/durable/bucket/
 * multipart-*.ts) until it completes (multipart-complete.ts) or is aborted.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
 */
import { ok, type Result } from "../../domain/errors";
import { checksumHeader, type ChecksumAlgorithm } from "../../domain/s3/checksums";
import type { PartInfo, UploadInfo } from "../../domain/s3/contract";
import { resolveUploadChecksum } from "../../domain/s3/multipart";
import { canonicalUserId } from "../../domain/s3/names";
import { isoDate } from "../../domain/s3/object-rules";
import { accessOf, bucketStub } from "./context";
import { contentHeadersOf } from "./object-headers";
import { newObjectFields } from "./new-object";
import type { S3Request, S3Response, XmlElement } from "./wire";

const SSE = { "x-amz-server-side-encryption": "AES256" };

/** Initiator and Owner of an upload: the account that began it. */
const principal = (account: string): XmlElement => ({ ID: canonicalUserId(account), DisplayName: "webfile" });

/** The response headers and XML members naming an upload's checksum settings. */
const checksumHeaders = (upload: UploadInfo) => ({
  "x-amz-checksum-algorithm": upload.checksum.algorithm,
  "x-amz-checksum-type": upload.checksum.type,
});

export async function createMultipartUpload(request: S3Request): Promise<Result<S3Response>> {
  const { headers } = request;
  const fields = newObjectFields(request);
  if (!fields.ok) return fields;
  const { key, metadata, tags } = fields.value;
  const checksum = resolveUploadChecksum(headers.get("x-amz-checksum-algorithm"), headers.get("x-amz-checksum-type"));
  if (!checksum.ok) return checksum;
  const created = await bucketStub(request).createUpload(accessOf(request), {
    key,
    headers: contentHeadersOf(headers),
    metadata,
    tags,
    checksum: checksum.value,
  });
  if (!created.ok) return created;
  const upload = created.value;
  return ok({
    headers: { ...SSE, ...checksumHeaders(upload) },
    xml: { InitiateMultipartUploadResult: { Bucket: request.bucket!, Key: key, UploadId: upload.uploadId } },
  });
}

export async function abortMultipartUpload(request: S3Request): Promise<Result<S3Response>> {
  const uploadId = request.query.get("uploadId") ?? "";
  const aborted = await bucketStub(request).abortUpload(accessOf(request), request.key!, uploadId);
  if (!aborted.ok) return aborted;
  return ok({ status: 204 });
}

/** A part's checksum members: only the upload's algorithm (recorded: other checksums a part had are not listed). */
function partChecksums(part: PartInfo, upload: UploadInfo): XmlElement {
  const algorithm = upload.checksum.algorithm;
  const value = algorithm ? part.checksums[algorithm] : undefined;
  return algorithm && value ? { [`Checksum${algorithm}`]: value } : {};
}

export async function listParts(request: S3Request): Promise<Result<S3Response>> {
  const uploadId = request.query.get("uploadId") ?? "";
  const listed = await bucketStub(request).listParts(accessOf(request), request.key!, uploadId, {
    "part-number-marker": request.query.get("part-number-marker"),
    "max-parts": request.query.get("max-parts"),
  });
  if (!listed.ok) return listed;
  const { upload, page } = listed.value;
  return ok({
    headers: checksumHeaders(upload),
    xml: {
      ListPartsResult: {
        Bucket: request.bucket!,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumberMarker: page.partNumberMarker,
        NextPartNumberMarker: page.nextPartNumberMarker,
        MaxParts: page.maxParts,
        IsTruncated: page.isTruncated,
        Part: page.parts.map((part) => ({
          PartNumber: part.partNumber,
          LastModified: isoDate(part.lastModified),
          ETag: part.etag,
          Size: part.size,
          ...partChecksums(part, upload),
        })),
        Initiator: principal(upload.owner),
        Owner: principal(upload.owner),
        StorageClass: upload.storageClass,
        ChecksumAlgorithm: upload.checksum.algorithm,
        ChecksumType: upload.checksum.type,
      },
    },
  });
}

export async function listMultipartUploads(request: S3Request): Promise<Result<S3Response>> {
  const q = request.query;
  const listed = await bucketStub(request).listUploads(accessOf(request), {
    prefix: q.get("prefix"),
    delimiter: q.get("delimiter"),
    "key-marker": q.get("key-marker"),
    "upload-id-marker": q.get("upload-id-marker"),
    "max-uploads": q.get("max-uploads"),
    "encoding-type": q.get("encoding-type"),
  });
  if (!listed.ok) return listed;
  const page = listed.value;
  return ok({
    xml: {
      ListMultipartUploadsResult: {
        Bucket: request.bucket!,
        KeyMarker: page.keyMarker,
        UploadIdMarker: page.uploadIdMarker,
        NextKeyMarker: page.nextKeyMarker,
        NextUploadIdMarker: page.nextUploadIdMarker,
        Prefix: page.prefix,
        Delimiter: page.delimiter,
        MaxUploads: page.maxUploads,
        EncodingType: page.encodingType,
        IsTruncated: page.isTruncated,
        Upload: page.uploads.map((upload) => ({
          Key: upload.key,
          UploadId: upload.uploadId,
          Initiator: principal(upload.owner),
          Owner: principal(upload.owner),
          StorageClass: upload.storageClass,
          Initiated: isoDate(upload.initiated),
          ChecksumAlgorithm: upload.checksum.algorithm,
          ChecksumType: upload.checksum.type,
        })),
        CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: prefix })),
      },
    },
  });
}

/** Checksum response headers of a part or object: `x-amz-checksum-crc32: …` for each value. */
export function checksumResponseHeaders(checksums: Partial<Record<ChecksumAlgorithm, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [algorithm, value] of Object.entries(checksums) as [ChecksumAlgorithm, string][]) {
    out[checksumHeader(algorithm)] = value;
  }
  return out;
}
