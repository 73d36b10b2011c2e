/** Helpers for the multipart end-to-end tests: part bodies, the ETag S3 gives a multipart object, digests. */
import { createHash, randomBytes } from "node:crypto";
import { createHasher, type ChecksumAlgorithm } from "../../src/domain/s3/checksums";
import { s3, type s3Client } from "./s3-clients";

export const MiB = 1024 * 1024;

export const randomBody = (size: number): Buffer => randomBytes(size);

export const md5Hex = (bytes: Uint8Array): string => createHash("md5").update(bytes).digest("hex");

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** `"<md5 of the parts' binary md5s>-<N>"`, as S3 computes it. */
export function multipartEtagOf(parts: readonly Uint8Array[]): string {
  const digests = Buffer.concat(parts.map((p) => createHash("md5").update(p).digest()));
  return `"${md5Hex(digests)}-${parts.length}"`;
}

/** A checksum of the bytes, base64 as S3 sends it (the server's own hashers, checked against AWS in unit tests). */
export function checksumOf(algorithm: ChecksumAlgorithm, bytes: Uint8Array): string {
  const hasher = createHasher(algorithm);
  hasher.update(bytes);
  return Buffer.from(hasher.digest()).toString("base64");
}

export async function readBody(output: { Body?: unknown }): Promise<Buffer> {
  const body = output.Body as { transformToByteArray(): Promise<Uint8Array> } | undefined;
  return Buffer.from(body ? await body.transformToByteArray() : new Uint8Array());
}

type Client = ReturnType<typeof s3Client>;

/** Uploads `parts` to a new upload of `Key`; returns the upload id and the parts as Complete names them. */
export async function uploadParts(client: Client, Bucket: string, Key: string, parts: readonly Uint8Array[]) {
  const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key }));
  const completed: { PartNumber: number; ETag: string }[] = [];
  for (const [i, Body] of parts.entries()) {
    const out = await client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
    completed.push({ PartNumber: i + 1, ETag: out.ETag! });
  }
  return { UploadId: UploadId!, parts: completed };
}
