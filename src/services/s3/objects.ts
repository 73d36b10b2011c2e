/**
 * Object operations: PutObject, GetObject, HeadObject, DeleteObject. A PUT streams its body into the
 * bucket object (which writes chunks as they arrive and computes the digests), checks what the
 * client declared (checksums, Content-MD5, x-amz-content-sha256, trailers), and only then makes the
 * bytes the key's object, in one step. A GET streams the bytes back, one chunk at a time.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { checksumHeader, etagOf, type ChecksumAlgorithm } from "../../domain/s3/checksums";
import { entityTooLarge, missingContentLength } from "../../domain/s3/errors";
import { MAX_SINGLE_PUT_BYTES } from "../../domain/s3/object-rules";
import { expectedChecksums } from "./checksum-expectations";
import { accessOf, bucketStub } from "./context";
import { contentHeadersOf, objectResponseHeaders } from "./object-headers";
import { requestEventOf } from "./notifications"; // [event notifications]
import { objectStream } from "./object-stream";
import { newObjectFields, storeBody } from "./new-object";
import type { S3Request, S3Response } from "./wire";
import { validateWriteConditions } from "../../domain/s3/preconditions";

const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));

export async function putObject(request: S3Request): Promise<Result<S3Response>> {
  const { headers, body } = request;
  const fields = newObjectFields(request);
  if (!fields.ok) return fields;
  const { key, metadata, tags } = fields.value;
  if (body.length !== undefined && body.length > MAX_SINGLE_PUT_BYTES)
    return fail(entityTooLarge(body.length, MAX_SINGLE_PUT_BYTES));
  if (body.stream && body.length === undefined && !headers.has("content-length")) return fail(missingContentLength());
  const expected = expectedChecksums(headers, body);
  if (!expected.ok) return expected;
  // Conditions S3 does not take on a PUT (both at once, If-None-Match other than *) are refused
  // before the body is stored; the others are checked at the swap.
  const refused = validateWriteConditions({ ifMatch: headers.get("if-match"), ifNoneMatch: headers.get("if-none-match") });
  if (refused) return fail(refused);

  const written = await storeBody(request, expected.value, {
    algorithms: expected.value.algorithms,
    maxBytes: MAX_SINGLE_PUT_BYTES,
  });
  if (!written.ok) return written;
  const data = written.value;
  const stub = bucketStub(request);
  const access = accessOf(request);
  const stored = await stub.putObject(
    access,
    {
      key,
      size: data.size,
      etag: etagOf(fromHex(data.md5Hex)),
      headers: contentHeadersOf(headers),
      metadata,
      checksums: data.checksums,
      tags,
      segments: [{ dataId: data.dataId, size: data.size }],
    },
    { conditions: writeConditionsOf(headers), event: requestEventOf(request) },
  );
  if (!stored.ok) {
    await stub.discardData(data.dataId);
    return stored;
  }
  const response: Record<string, string> = { etag: stored.value.etag, "x-amz-server-side-encryption": "AES256" };
  for (const [algorithm, value] of Object.entries(data.checksums) as [ChecksumAlgorithm, string][]) {
    response[checksumHeader(algorithm)] = value;
  }
  if (Object.keys(data.checksums).length) response["x-amz-checksum-type"] = "FULL_OBJECT";
  return ok({ headers: response });
}

/** The conditional headers of a write (If-None-Match: *, If-Match), for the bucket object's write plan. */
function writeConditionsOf(headers: Headers): Record<string, string> {
  const conditions: Record<string, string> = {};
  for (const name of ["if-match", "if-none-match"]) {
    const value = headers.get(name);
    if (value !== null) conditions[name] = value;
  }
  return conditions;
}

/** The conditional headers of a read, for the bucket object's read plan. */
function conditionsOf(headers: Headers): Record<string, string> {
  const conditions: Record<string, string> = {};
  for (const name of ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"]) {
    const value = headers.get(name);
    if (value !== null) conditions[name] = value;
  }
  return conditions;
}

const checksumMode = (headers: Headers) => headers.get("x-amz-checksum-mode")?.toUpperCase() === "ENABLED";

export async function getObject(request: S3Request): Promise<Result<S3Response>> {
  const range = request.headers.get("range") ?? undefined;
  const stub = bucketStub(request);
  const read = await stub.getObject(accessOf(request), request.key!, {
    ...(range ? { range } : {}),
    conditions: conditionsOf(request.headers),
  });
  if (!read.ok) return read;
  const { object, segments } = read.value;
  const partial = read.value.range !== undefined;
  const headers = objectResponseHeaders(object, {
    checksumMode: checksumMode(request.headers),
    overrides: request.query,
    partial,
  });
  if (read.value.notModified)
    return ok({ status: 304, headers: { etag: object.etag, "last-modified": headers["last-modified"] } });
  const { start, end } = read.value.range ?? { start: 0, end: object.size - 1 };
  const length = end - start + 1;
  const body = length > 0 ? objectStream(stub, segments, start, end) : undefined;
  if (partial) headers["content-range"] = `bytes ${start}-${end}/${object.size}`;
  return ok({ ...(partial ? { status: 206 } : {}), headers, ...(body ? { body } : {}), length });
}

export async function headObject(request: S3Request): Promise<Result<S3Response>> {
  const range = request.headers.get("range") ?? undefined;
  const read = await bucketStub(request).headObject(accessOf(request), request.key!, {
    ...(range ? { range } : {}),
    conditions: conditionsOf(request.headers),
  });
  if (!read.ok) return read;
  const { object } = read.value;
  const headers = objectResponseHeaders(object, {
    checksumMode: checksumMode(request.headers),
    partial: read.value.range !== undefined,
  });
  if (read.value.notModified)
    return ok({ status: 304, headers: { etag: object.etag, "last-modified": headers["last-modified"] } });
  if (read.value.range) {
    const { start, end } = read.value.range;
    headers["content-range"] = `bytes ${start}-${end}/${object.size}`;
    return ok({ status: 206, headers, length: end - start + 1 });
  }
  return ok({ headers, length: object.size });
}

export async function deleteObject(request: S3Request): Promise<Result<S3Response>> {
  // [event notifications: the options argument]
  const deleted = await bucketStub(request).deleteObject(accessOf(request), request.key!, { event: requestEventOf(request) });
  if (!deleted.ok) return deleted;
  return ok({ status: 204 });
}
