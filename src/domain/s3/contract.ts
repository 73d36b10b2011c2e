/**
 * What the S3 service and the bucket Durable Object exchange over RPC: plain, structured-cloneable
 * data (object bodies travel beside it as ReadableStreams).
 */
import type { ChecksumAlgorithm } from "./checksums";

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
