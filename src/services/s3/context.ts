/** What every S3 handler needs from a request: the caller's access to a bucket, and the stubs. */
import type { Access } from "../../domain/s3/contract";
import { bucketObject, s3AccountObject } from "../../durable/names";
import type { S3Request } from "./wire";

export const accessOf = (request: S3Request): Access => ({ account: request.caller.account, strict: request.caller.strict });

export const bucketStub = (request: S3Request) => bucketObject(request.env, request.bucket!);

export const accountStub = (request: S3Request) => s3AccountObject(request.env, request.caller.account);
