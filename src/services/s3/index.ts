/**
 * Amazon S3: the descriptor the protocol layer (src/protocol/s3) serves from. Adding an operation is
 * its handler here and one rule in src/protocol/s3/operations.ts.
 */
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from "./buckets";
import { deleteObject, getObject, headObject, putObject } from "./objects";
// listing and copying
import { copyObject } from "./copy-object";
import { deleteObjects } from "./delete-objects";
import { listObjects, listObjectsV2 } from "./listing";
import type { S3Handler, S3Service } from "./wire";

const operations: Record<string, S3Handler> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  // listing and copying
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjects,
  DeleteObjects: deleteObjects,
  CopyObject: copyObject,
};

export const s3: S3Service = { name: "s3", signingName: "s3", operations };
