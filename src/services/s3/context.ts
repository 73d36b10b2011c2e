/** What every S3 handler needs from a request: the caller's access to a bucket, and the stubs. */
import type { Access } from "../../domain/s3/contract";
import { bucketObject, s3AccountObject } from "../../durable/names";
import type { S3Request } from "./wire";

export const accessOf = (request: S3Request): Access => {
  const expectedOwner = request.headers.get("x-amz-expected-bucket-owner") ?? undefined;
  return { account: request.caller.account, strict: request.caller.strict, ...(expectedOwner ? { expectedOwner } : {}) };
};

export const bucketStub = (request: S3Request) => bucketObject(request.env, request.bucket!);

export const accountStub = (request: S3Request) => s3AccountObject(request.env, request.caller.account);
