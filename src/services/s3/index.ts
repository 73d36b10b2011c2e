/**
 * Amazon S3: the descriptor the protocol layer (src/protocol/s3) serves from.
 *
 * Adding an operation: its handler (an `S3Handler` of ./wire.ts, in a file of its own or of its
 * family) in the table below, and one rule in src/protocol/s3/operations.ts (method, target, the
 * sub-resource query parameter or header that names it). What the bucket object offers handlers:
 * writeData/discardData (bodies and parts), putObject (one swap, with write conditions and its event),
 * getObject/headObject (with the Range and conditional headers) + readChunk (see ./object-stream.ts),
 * deleteObject(s), listObjects, object tags and bucket settings, multipart uploads, notification
 * configuration, describe/create/destroy (buckets).
 */
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from "./buckets";
import { getBucketNotificationConfiguration, putBucketNotificationConfiguration } from "./notifications";
import { deleteObject, getObject, headObject, putObject } from "./objects";
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from "./acl";
import { deleteBucketPolicy, getBucketPolicy, putBucketPolicy } from "./bucket-policy";
import {
  deleteBucketEncryption,
  deleteBucketLifecycle,
  getBucketEncryption,
  getBucketLifecycleConfiguration,
  getBucketVersioning,
  putBucketEncryption,
  putBucketLifecycleConfiguration,
  putBucketVersioning,
} from "./bucket-settings";
import { deleteBucketCors, getBucketCors, putBucketCors } from "./cors";
import {
  deleteBucketTagging,
  deleteObjectTagging,
  getBucketTagging,
  getObjectTagging,
  putBucketTagging,
  putObjectTagging,
} from "./tagging";
import { completeMultipartUpload } from "./multipart-complete";
import { uploadPart, uploadPartCopy } from "./multipart-parts";
import { abortMultipartUpload, createMultipartUpload, listMultipartUploads, listParts } from "./multipart-uploads";
// listing and copying
import { copyObject } from "./copy-object";
import { deleteObjects } from "./delete-objects";
import { listObjects, listObjectsV2 } from "./listing";
import { s3Routes } from "./introspection";
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
  // event notifications
  PutBucketNotificationConfiguration: putBucketNotificationConfiguration,
  GetBucketNotificationConfiguration: getBucketNotificationConfiguration,

  // tagging and bucket settings (CORS preflights: src/protocol/s3/cors-hook.ts)
  GetObjectTagging: getObjectTagging,
  PutObjectTagging: putObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  GetBucketTagging: getBucketTagging,
  PutBucketTagging: putBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  GetBucketPolicy: getBucketPolicy,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketCors: getBucketCors,
  PutBucketCors: putBucketCors,
  DeleteBucketCors: deleteBucketCors,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  GetBucketLifecycleConfiguration: getBucketLifecycleConfiguration,
  PutBucketLifecycleConfiguration: putBucketLifecycleConfiguration,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  GetBucketEncryption: getBucketEncryption,
  PutBucketEncryption: putBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  // multipart upload
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  // listing and copying
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjects,
  DeleteObjects: deleteObjects,
  CopyObject: copyObject,
};

export const s3: S3Service = { name: "s3", signingName: "s3", operations, routes: s3Routes };
