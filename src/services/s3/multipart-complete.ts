/**
 * CompleteMultipartUpload: the body's `<Part>` list read (a document that is not one is MalformedXML),
 * then the bucket object checks the parts in AWS's order, evaluates If-Match / If-None-Match, and makes
 * the parts the key's object in one transaction. The result names the object's multipart ETag
 * (`"<md5 of the parts' md5s>-<N>"`) and checksum.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { CHECKSUM_ALGORITHMS, checksumHeader, type ChecksumAlgorithm } from "../../domain/s3/checksums";
import type { CompletionRequest } from "../../domain/s3/contract";
import { malformedXml } from "../../domain/s3/errors";
import { validateWriteConditions } from "../../domain/s3/preconditions";
import { accessOf, bucketStub } from "./context";
import { checksumResponseHeaders } from "./multipart-uploads";
import type { S3Request, S3Response, XmlElement } from "./wire";
import { requestEventOf } from "./notifications";

type RequestedParts = NonNullable<CompletionRequest["parts"]>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `<CompleteMultipartUpload><Part><PartNumber/><ETag/><ChecksumCRC32/>…</Part>…` as parts; undefined: no body. */
async function requestedParts(request: S3Request): Promise<Result<RequestedParts | undefined>> {
  const xml = await request.body.xml();
  if (!xml.ok) return xml;
  if (xml.value === undefined) return ok(undefined);
  const root = xml.value.CompleteMultipartUpload;
  if (root === "") return ok([]);
  if (!isRecord(root)) return fail(malformedXml());
  const listed = root.Part === undefined ? [] : Array.isArray(root.Part) ? root.Part : [root.Part];
  const parts: RequestedParts = [];
  for (const item of listed) {
    if (!isRecord(item)) return fail(malformedXml());
    const number =
      typeof item.PartNumber === "string" && /^-?\d+$/.test(item.PartNumber.trim()) ? Number(item.PartNumber) : undefined;
    if (item.PartNumber !== undefined && number === undefined) return fail(malformedXml());
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const value = item[`Checksum${algorithm}`];
      if (typeof value === "string") checksums[algorithm] = value;
    }
    parts.push({
      ...(number === undefined ? {} : { partNumber: number }),
      ...(typeof item.ETag === "string" ? { etag: item.ETag } : {}),
      checksums,
    });
  }
  return ok(parts);
}

/** Where the object is, as S3 answers it: this endpoint, path-style, the key URL-encoded. */
function locationOf(request: S3Request): string {
  const key = request.key!.split("/").map(encodeURIComponent).join("/");
  return `${request.url.origin}/${request.bucket!}/${key}`;
}

export async function completeMultipartUpload(request: S3Request): Promise<Result<S3Response>> {
  const { headers } = request;
  const conditions = { ifMatch: headers.get("if-match"), ifNoneMatch: headers.get("if-none-match") };
  const conditionProblem = validateWriteConditions(conditions);
  if (conditionProblem) return fail(conditionProblem);
  const parts = await requestedParts(request);
  if (!parts.ok) return parts;
  const fullObjectChecksums: Partial<Record<ChecksumAlgorithm, string>> = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = headers.get(checksumHeader(algorithm));
    if (value !== null) fullObjectChecksums[algorithm] = value;
  }
  const completed = await bucketStub(request).completeUpload(
    accessOf(request),
    request.key!,
    request.query.get("uploadId") ?? "",
    {
      parts: parts.value,
      checksumType: headers.get("x-amz-checksum-type"),
      objectSize: headers.get("x-amz-mp-object-size"),
      ...conditions,
      fullObjectChecksums,
    },
    { event: requestEventOf(request) },
  );
  if (!completed.ok) return completed;
  const { etag, checksums, checksumType } = completed.value;
  const members: XmlElement = {};
  for (const [algorithm, value] of Object.entries(checksums)) members[`Checksum${algorithm}`] = value;
  return ok({
    headers: {
      "x-amz-server-side-encryption": "AES256",
      ...checksumResponseHeaders(checksums),
      "x-amz-checksum-type": checksumType,
    },
    xml: {
      CompleteMultipartUploadResult: {
        Location: locationOf(request),
        Bucket: request.bucket!,
        Key: request.key!,
        ETag: etag,
        ...members,
        ChecksumType: checksumType,
      },
    },
  });
}
