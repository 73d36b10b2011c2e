/**
 * UploadPart and UploadPartCopy. A part's body is streamed into the bucket object exactly as a
 * PutObject's is (writeData, then the declared checksums checked with objects.ts's pieces), computing
 * also the checksum the upload needs of every part (its algorithm, or CRC64NVME for S3's default
 * full-object checksum); only then does the bucket object record it as the part, in one step.
 * UploadPartCopy streams a byte range of an existing object, of this bucket or another, the same way.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { ChecksumAlgorithm } from "../../domain/s3/checksums";
import type { PartInfo, UploadInfo, WrittenData } from "../../domain/s3/contract";
import { entityTooLarge, invalidArgument, missingContentLength } from "../../domain/s3/errors";
import { checkPartChecksumAlgorithm, MAX_PART_SIZE, parsePartNumber } from "../../domain/s3/multipart";
import { partAlgorithmOf } from "../../domain/s3/multipart-checksum";
import { isoDate } from "../../domain/s3/object-rules";
import { checkCopySourcePreconditions } from "../../domain/s3/preconditions";
import { parseCopySourceRange, type ByteRange } from "../../domain/s3/range";
import { bucketObject } from "../../durable/names";
import { expectedChecksums } from "./checksum-expectations";
import { accessOf, bucketStub } from "./context";
import { checksumResponseHeaders } from "./multipart-uploads";
import { storeBody } from "./new-object";
import type { S3Request, S3Response } from "./wire";
import { objectStream } from "./object-stream";

const SSE = { "x-amz-server-side-encryption": "AES256" };

/** The part number and the upload it is for (NoSuchUpload before any byte is read, as AWS). */
async function partTarget(request: S3Request): Promise<Result<{ partNumber: number; upload: UploadInfo }>> {
  const partNumber = parsePartNumber(request.query.get("partNumber"));
  if (!partNumber.ok) return partNumber;
  const upload = await bucketStub(request).findUpload(accessOf(request), request.key!, request.query.get("uploadId") ?? "");
  if (!upload.ok) return upload;
  return ok({ partNumber: partNumber.value, upload: upload.value });
}

/** The checksums a part answers with: those the client sent, and the upload's own. */
function shownChecksums(data: WrittenData, upload: UploadInfo, sent: readonly ChecksumAlgorithm[]) {
  const shown: Partial<Record<ChecksumAlgorithm, string>> = {};
  for (const algorithm of [...sent, ...(upload.checksum.algorithm ? [upload.checksum.algorithm] : [])]) {
    const value = data.checksums[algorithm];
    if (value !== undefined) shown[algorithm] = value;
  }
  return shown;
}

/** Records written data as the part; on refusal the bucket object has already let the data go. */
async function recordPart(request: S3Request, partNumber: number, data: WrittenData): Promise<Result<PartInfo>> {
  return bucketStub(request).recordPart(accessOf(request), request.key!, request.query.get("uploadId") ?? "", {
    partNumber,
    dataId: data.dataId,
    size: data.size,
    etag: `"${data.md5Hex}"`,
    checksums: data.checksums,
  });
}

/** Bytes of an unread body read and dropped before an early refusal (beyond them, the body is cancelled). */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Reads and drops an unread body, so that the refusal reaches the client: wrangler's dev proxy (the
 * e2e harness) loses the connection when a Worker answers before reading a body of more than a few
 * MiB. AWS answers at once; the client sees the same error either way.
 */
async function drain(stream: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!stream || stream.locked) return;
  const reader = stream.getReader();
  let read = 0;
  try {
    while (read <= DRAIN_LIMIT) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.length;
    }
    await reader.cancel();
  } catch {
    // The body failed on its own: nothing left to drain.
  }
}

export async function uploadPart(request: S3Request): Promise<Result<S3Response>> {
  const answer = await writePart(request);
  if (!answer.ok) await drain(request.body.stream);
  return answer;
}

async function writePart(request: S3Request): Promise<Result<S3Response>> {
  const { headers, body } = request;
  const target = await partTarget(request);
  if (!target.ok) return target;
  const { partNumber, upload } = target.value;
  if (body.length !== undefined && body.length > MAX_PART_SIZE) return fail(entityTooLarge(body.length, MAX_PART_SIZE));
  if (body.stream && body.length === undefined && !headers.has("content-length")) return fail(missingContentLength());
  const expected = expectedChecksums(headers, body);
  if (!expected.ok) return expected;
  for (const algorithm of expected.value.algorithms) {
    const mismatch = checkPartChecksumAlgorithm(upload.checksum, algorithm);
    if (mismatch) return fail(mismatch);
  }

  const written = await storeBody(request, expected.value, {
    algorithms: [...new Set([...expected.value.algorithms, partAlgorithmOf(upload.checksum)])],
    maxBytes: MAX_PART_SIZE,
  });
  if (!written.ok) return written;
  const data = written.value;
  const recorded = await recordPart(request, partNumber, data);
  if (!recorded.ok) return recorded;
  const checksums = shownChecksums(data, upload, expected.value.algorithms);
  return ok({ headers: { etag: recorded.value.etag, ...SSE, ...checksumResponseHeaders(checksums) } });
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, URL-encoded. */
function parseCopySource(value: string): Result<{ bucket: string; key: string }> {
  const path = value.split("?")[0]!.replace(/^\//, "");
  const slash = path.indexOf("/");
  const invalid = () => fail(invalidArgument("Invalid copy source object key", "x-amz-copy-source", value));
  if (slash <= 0 || slash === path.length - 1) return invalid();
  try {
    return ok({ bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) });
  } catch {
    return invalid();
  }
}

/** Bytes [start, end] of a stream that starts at byte 0 (a source that served the whole object). */
function byteWindow(stream: ReadableStream<Uint8Array>, { start, end }: ByteRange): ReadableStream<Uint8Array> {
  let position = 0;
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || position > end) {
          if (!done) await reader.cancel().catch(() => {});
          controller.close();
          return;
        }
        const from = Math.max(0, start - position);
        const to = Math.min(value.length, end - position + 1);
        position += value.length;
        if (to > from) {
          controller.enqueue(value.subarray(from, to));
          return;
        }
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

export async function uploadPartCopy(request: S3Request): Promise<Result<S3Response>> {
  const { headers } = request;
  const target = await partTarget(request);
  if (!target.ok) return target;
  const { partNumber, upload } = target.value;
  const source = parseCopySource(headers.get("x-amz-copy-source") ?? "");
  if (!source.ok) return source;
  const access = accessOf(request);
  const sourceStub = bucketObject(request.env, source.value.bucket);
  const head = await sourceStub.headObject(access, source.value.key);
  if (!head.ok) return head;
  const object = head.value.object;
  const conditionProblem = checkCopySourcePreconditions(
    {
      ifMatch: headers.get("x-amz-copy-source-if-match"),
      ifNoneMatch: headers.get("x-amz-copy-source-if-none-match"),
      ifModifiedSince: headers.get("x-amz-copy-source-if-modified-since"),
      ifUnmodifiedSince: headers.get("x-amz-copy-source-if-unmodified-since"),
    },
    object,
    request.now,
  );
  if (conditionProblem) return fail(conditionProblem);
  const rangeHeader = headers.get("x-amz-copy-source-range");
  let range: ByteRange | undefined;
  if (rangeHeader !== null) {
    const parsed = parseCopySourceRange(rangeHeader, object.size);
    if (!parsed.ok) return parsed;
    range = parsed.value;
  }
  const length = range ? range.end - range.start + 1 : object.size;
  if (length > MAX_PART_SIZE) return fail(entityTooLarge(length, MAX_PART_SIZE));

  const read = await sourceStub.getObject(access, source.value.key, range ? { range: `bytes=${range.start}-${range.end}` } : {});
  if (!read.ok) return read;
  const served = read.value.range ?? { start: 0, end: read.value.object.size - 1 };
  let bytes =
    read.value.object.size > 0 ? objectStream(sourceStub, read.value.segments, served.start, served.end) : new Blob([]).stream();
  // A source that ignored the range (or was replaced in between by a shorter object) is windowed here.
  if (range && read.value.range === undefined) bytes = byteWindow(bytes, range);
  const stub = bucketStub(request);
  const written = await stub.writeData(access, bytes, {
    algorithms: [partAlgorithmOf(upload.checksum)],
    payloadSha256: false,
    maxBytes: MAX_PART_SIZE,
  });
  if (!written.ok) return written;
  const recorded = await recordPart(request, partNumber, written.value);
  if (!recorded.ok) return recorded;
  const algorithm = upload.checksum.algorithm;
  const checksum = algorithm ? written.value.checksums[algorithm] : undefined;
  return ok({
    headers: SSE,
    xml: {
      CopyPartResult: {
        ETag: recorded.value.etag,
        LastModified: isoDate(recorded.value.lastModified),
        ...(algorithm && checksum ? { [`Checksum${algorithm}`]: checksum } : {}),
      },
    },
  });
}
