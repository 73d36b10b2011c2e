/**
 * What PutObject, UploadPart and CreateMultipartUpload share: the checks of a new object's key, user
 * metadata and `x-amz-tagging` header, and storing a request body in the bucket object and holding it
 * to what the client declared (aws-chunked framing and chunk signatures, checksums in headers or
 * trailers, Content-MD5, a hex x-amz-content-sha256). A body that fails is discarded: nothing of it
 * becomes visible.
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { ChecksumAlgorithm } from "../../domain/s3/checksums";
import type { Tag, WrittenData } from "../../domain/s3/contract";
import { keyProblem } from "../../domain/s3/names";
import { metadataProblem } from "../../domain/s3/object-rules";
import { parseTaggingHeader } from "../../domain/s3/tagging";
import { checksumProblem, type ChecksumExpectations } from "./checksum-expectations";
import { accessOf, bucketStub } from "./context";
import { userMetadataOf } from "./object-headers";
import type { S3Request } from "./wire";

export interface NewObjectFields {
  key: string;
  metadata: Record<string, string>;
  tags: Tag[];
}

/** The key, user metadata and tags of an object about to be created, checked as S3 checks them. */
export function newObjectFields(request: S3Request): Result<NewObjectFields> {
  const key = request.key!;
  const keyTooLong = keyProblem(key);
  if (keyTooLong) return fail(keyTooLong);
  const metadata = userMetadataOf(request.headers);
  const tooMuchMetadata = metadataProblem(metadata);
  if (tooMuchMetadata) return fail(tooMuchMetadata);
  const tags = parseTaggingHeader(request.headers.get("x-amz-tagging") ?? undefined);
  if (!tags.ok) return tags;
  return ok({ key, metadata, tags: tags.value });
}

const emptyStream = (): ReadableStream<Uint8Array> => new Blob([]).stream();

/** Bodies up to one chunk row (1 MiB) are read whole and sent to the bucket object in one RPC message. */
const SMALL_BODY_BYTES = 1024 * 1024;

/**
 * Writes the request's body into the bucket object (as it arrives) and checks it once it is complete;
 * the written data, not yet any object's, or the reason it was refused.
 */
export async function storeBody(
  request: S3Request,
  expected: ChecksumExpectations,
  options: { algorithms: ChecksumAlgorithm[]; maxBytes: number },
): Promise<Result<WrittenData>> {
  const { body } = request;
  const stub = bucketStub(request);
  // A small body of a declared length travels in the RPC message itself (read whole here), which
  // costs far less than a stream between the Worker and the object; larger ones stream.
  let content: ReadableStream<Uint8Array> | Uint8Array = body.stream ?? emptyStream();
  if (body.stream && body.length !== undefined && body.length <= SMALL_BODY_BYTES) {
    const bytes = await body.bytes(SMALL_BODY_BYTES);
    if (!bytes.ok) return bytes;
    content = bytes.value;
  }
  const written = await stub.writeData(accessOf(request), content, {
    algorithms: options.algorithms,
    payloadSha256: expected.claimedSha256 !== undefined,
    maxBytes: options.maxBytes,
  });
  // The framing (aws-chunked, chunk signatures) explains a failed read better than the store can.
  const framing = body.finish();
  if (!written.ok) return framing.ok ? written : framing;
  const data = written.value;
  const problem = framing.ok ? checksumProblem(expected, data, framing.value) : framing.error;
  if (problem) {
    await stub.discardData(data.dataId);
    return fail(problem);
  }
  return ok(data);
}
