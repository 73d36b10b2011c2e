/**
 * Amazon S3: the descriptor the protocol layer (src/protocol/s3) serves from.
 *
 * Adding an operation: its handler (an `S3Handler` of ./wire.ts, in a file of its own or of its
 * family) in the table below, and one rule in src/protocol/s3/operations.ts (method, target, the
 * sub-resource query parameter or header that names it). What the bucket object offers handlers:
 * writeData/discardData/holdData (bodies and parts), putObject (one swap, with write conditions),
 * getObject/headObject (with the Range and conditional headers) + readChunk (see ./object-stream.ts),
 * deleteObject, scanObjects (listings), setObjectTags, describe/create/destroy (buckets).
 */
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from "./buckets";
import { deleteObject, getObject, headObject, putObject } from "./objects";
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
};

export const s3: S3Service = { name: "s3", signingName: "s3", operations };
