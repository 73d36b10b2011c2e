/**
 * What the S3 service and the bucket Durable Object exchange over RPC: plain, structured-cloneable
 * data (object bodies travel beside it as ReadableStreams).
 */
import type { ChecksumAlgorithm } from "./checksums";
import type { ListObjectsQuery, ListObjectsV1Output, ListObjectsV2Output } from "./listing";

/** An object tag. */
export interface Tag {
  key: string;
  value: string;
}

/** Who asks a bucket object for something: in strict mode only the owner may. */
export interface Access {
  account: string;
  strict: boolean;
  /** `x-amz-expected-bucket-owner`: the request fails unless this account owns the bucket. */
  expectedOwner?: string;
}

/** A bucket as its object knows it. */
export interface BucketInfo {
  name: string;
  /** The account that owns it (bucket names are global in a deployment; owners differ). */
  owner: string;
  region: string;
  /** Epoch ms. */
  createdAt: number;
}

/** The system headers S3 stores with an object and returns on GET and HEAD (lower-case names). */
export interface ContentHeaders {
  "content-type"?: string;
  "content-encoding"?: string;
  "content-disposition"?: string;
  "content-language"?: string;
  "cache-control"?: string;
  expires?: string;
  "x-amz-website-redirect-location"?: string;
  "x-amz-storage-class"?: string;
}

/** One run of stored bytes; an object's body is one or more (a multipart object: one per part). */
export interface DataSegment {
  dataId: string;
  size: number;
}

/** What writing a body produced: where it is, its size and digests (not yet any object's). */
export interface WrittenData {
  dataId: string;
  size: number;
  md5Hex: string;
  /** Base64 values of the checksums asked for. */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  /** Hex SHA-256 of the body, when asked for (to check x-amz-content-sha256). */
  sha256Hex?: string;
}

export interface WriteOptions {
  algorithms: ChecksumAlgorithm[];
  payloadSha256: boolean;
  /** The body may not be longer than this (S3's 5 GiB single PUT); more fails the write. */
  maxBytes: number;
}

/** An object's row: everything GET and HEAD answer with, and where its bytes are. */
export interface ObjectRecord {
  key: string;
  size: number;
  /** Quoted, as S3 sends it. */
  etag: string;
  /** Epoch ms (S3 shows second precision). */
  lastModified: number;
  headers: ContentHeaders;
  /** User metadata, names without the `x-amz-meta-` prefix (lower case). */
  metadata: Record<string, string>;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  /** Object tags in order. */
  tags: Tag[];
  segments: DataSegment[];
}

/** A new object (or a new version of one), to become visible in one step. */
export type ObjectWrite = Omit<ObjectRecord, "lastModified">;

/** What a GET asks for beyond the key: the byte range and the conditions (wired in read-plan). */
export interface ReadOptions {
  /** The Range header, as sent. */
  range?: string;
  /** The conditional headers (if-match, if-none-match, if-modified-since, if-unmodified-since), lower case. */
  conditions?: Record<string, string>;
}

/** The object and, when a body is due, the bytes [start, end] of it. */
export interface ReadResult {
  object: Omit<ObjectRecord, "segments">;
  /** Inclusive byte range served; undefined: the whole object. */
  range?: { start: number; end: number };
  /** 304 Not Modified: no body. */
  notModified?: boolean;
}

// ---- event notifications ----

/**
 * What only the request knows about the event an object change causes (the rest, the object and the
 * bucket, the bucket object knows): the ids its response carries, who sent it and from where, and what
 * delivery passes on (the X-Ray header to a queue, the request's origin to a topic's envelopes).
 */
export interface RequestEvent {
  /** The response's `x-amz-request-id` and `x-amz-id-2`. */
  requestId: string;
  hostId: string;
  /** `userIdentity.principalId`. */
  requester: string;
  sourceIp: string;
  /** `X-Amzn-Trace-Id` of the request (the queue message's AWSTraceHeader). */
  traceHeader?: string;
  origin?: string;
}

/** PutObject's options beyond the object itself. */
export interface PutObjectOptions {
  /** Write preconditions (if-match, if-none-match; lower case), checked against the key's object at the swap. */
  conditions?: Record<string, string>;
  event?: RequestEvent;
  /** The event the change is (default `s3:ObjectCreated:Put`; CopyObject: `s3:ObjectCreated:Copy`). */
  eventName?: "s3:ObjectCreated:Put" | "s3:ObjectCreated:Copy" | "s3:ObjectCreated:Post";
}

/** DeleteObject's options beyond the key. */
export interface DeleteObjectOptions {
  event?: RequestEvent;
}
// ---- tagging and bucket settings ----

/** A bucket setting stored in the bucket object's meta table, by name (src/durable/bucket/settings.ts). */
export type BucketSettingName = "tagging" | "policy" | "cors" | "versioning" | "lifecycle" | "acl" | "encryption";

/** One CORS rule as stored (src/domain/s3/cors.ts reads and matches them). */
export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

/** What a CORS evaluation needs from the bucket: whether it exists, and its rules if it has any. */
export type CorsLookup = { exists: false } | { exists: true; rules: CorsRule[] | undefined };
// ---- multipart upload ----

/** How an upload checksums its parts (CreateMultipartUpload's x-amz-checksum-algorithm / -type). */
export interface UploadChecksumSettings {
  algorithm?: ChecksumAlgorithm;
  type?: "COMPOSITE" | "FULL_OBJECT";
}

/** CreateMultipartUpload: what the object will carry once the upload completes. */
export interface UploadCreate {
  key: string;
  headers: ContentHeaders;
  metadata: Record<string, string>;
  tags: Tag[];
  checksum: UploadChecksumSettings;
}

/** An upload in progress, as UploadPart and the listings see it. */
export interface UploadInfo {
  uploadId: string;
  key: string;
  /** Epoch ms. */
  initiated: number;
  owner: string;
  checksum: UploadChecksumSettings;
  storageClass: string;
}

/** A written body that becomes part `partNumber` of an upload (replacing an earlier one of that number). */
export interface PartWrite {
  partNumber: number;
  dataId: string;
  size: number;
  /** Quoted. */
  etag: string;
  /** Base64 checksums computed over the part (the upload's algorithm among them, when it has one). */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/** A part as ListParts shows it. */
export interface PartInfo {
  partNumber: number;
  size: number;
  etag: string;
  /** Epoch ms. */
  lastModified: number;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/** CompleteMultipartUpload as the bucket object needs it (the XML already read). */
export interface CompletionRequest {
  parts: { partNumber?: number; etag?: string; checksums?: Partial<Record<ChecksumAlgorithm, string>> }[] | undefined;
  checksumType?: string | null;
  objectSize?: string | null;
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
  /** The request's x-amz-checksum-<algorithm> headers: the whole object's checksum, for a FULL_OBJECT upload. */
  fullObjectChecksums?: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface CompletedUpload {
  etag: string;
  size: number;
  /** The object's checksum (a COMPOSITE value ends in `-<parts>`). */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  checksumType?: "COMPOSITE" | "FULL_OBJECT";
}
// ---- listing and copying ----

/** One Contents entry of a listing: what ListObjects/ListObjectsV2 show of an object. */
export interface ListedObject {
  key: string;
  size: number;
  /** Quoted. */
  etag: string;
  /** Epoch ms. */
  lastModified: number;
  /** The algorithms of the object's checksums (ChecksumAlgorithm elements), in stored order. */
  checksumAlgorithms: ChecksumAlgorithm[];
  /** STANDARD unless the object was written with another x-amz-storage-class. */
  storageClass: string;
}

/** A listing request: which operation, and its query parameters as sent. */
export interface ListRequest {
  version: 1 | 2;
  query: ListObjectsQuery;
}

/** A listing page and the bucket it is of (its owner is the Contents' Owner). */
export type ListResult =
  | { version: 1; bucket: BucketInfo; page: ListObjectsV1Output<ListedObject> }
  | { version: 2; bucket: BucketInfo; page: ListObjectsV2Output<ListedObject> };
