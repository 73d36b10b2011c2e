/**
 * What the tagging and bucket-setting handlers share: reading, storing and deleting one bucket
 * setting through the bucket object, and answering a document that is not an XmlElement (a policy's
 * JSON, an ACL's XML with attributes).
 */
import type { Result } from "../../domain/errors";
import type { BucketSettingName } from "../../domain/s3/contract";
import { accessOf, bucketStub } from "./context";
import type { S3Request, S3Response } from "./wire";

export const getSetting = async <T>(request: S3Request, name: BucketSettingName): Promise<Result<T | undefined>> =>
  (await bucketStub(request).getSetting(accessOf(request), name)) as Result<T | undefined>;

export const putSetting = (request: S3Request, name: BucketSettingName, value: unknown): Promise<Result<void>> =>
  bucketStub(request).putSetting(accessOf(request), name, value);

export const deleteSetting = (request: S3Request, name: BucketSettingName): Promise<Result<void>> =>
  bucketStub(request).deleteSetting(accessOf(request), name);

/** A body written by the handler itself, with its length. */
export function textResponse(text: string, contentType: string): S3Response {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return { headers: { "content-type": contentType }, body, length: bytes.length };
}
