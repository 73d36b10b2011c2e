/**
 * What an S3 handler sees and answers, independent of the wire: src/protocol/s3 addresses the
 * request (bucket, key), resolves the operation, authenticates, decodes the body framing, and writes
 * the response (XML documents, byte streams, S3's error document).
 */
import type { Caller } from "../../domain/caller";
import type { Result } from "../../domain/errors";
import type { Route } from "../descriptor";

/** An XML document as nested values: an array repeats the element; undefined leaves it out. */
export type XmlValue = string | number | boolean | undefined | XmlElement | XmlValue[];
export interface XmlElement {
  [name: string]: XmlValue;
}

/** The request body, decoded (aws-chunked framing removed): read it as a stream or, when small, whole. */
export interface S3Body {
  /** The decoded bytes; null when the request has no body. */
  readonly stream: ReadableStream<Uint8Array> | null;
  /** The decoded length when the request declares it (Content-Length or x-amz-decoded-content-length). */
  readonly length: number | undefined;
  /** The hex SHA-256 the client signed (x-amz-content-sha256), when it is a hash rather than a mode. */
  readonly claimedSha256: string | undefined;
  /** The checksum the client will send after the body (`x-amz-trailer`), e.g. `x-amz-checksum-crc32`. */
  readonly trailer: string | undefined;
  /**
   * After the stream has been read: whether the framing and chunk signatures held, and the trailers
   * (lower-case names). A failed read of `stream` is explained here.
   */
  finish(): Result<Map<string, string>>;
  /** The whole (decoded) body, for small ones (at most `limit` bytes); `finish()` still tells whether it was framed right. */
  bytes(limit?: number): Promise<Result<Uint8Array>>;
  /** The whole body as text, for small XML documents (at most `limit` bytes). */
  text(limit?: number): Promise<Result<string>>;
  /** The body parsed as XML (fast-xml-parser's object form); undefined when the body is empty. */
  xml(limit?: number): Promise<Result<Record<string, unknown> | undefined>>;
}

export interface S3Request {
  operation: string;
  method: string;
  /** Path-style or virtual-hosted, already percent-decoded. */
  bucket: string | undefined;
  key: string | undefined;
  query: URLSearchParams;
  headers: Headers;
  body: S3Body;
  caller: Caller;
  env: Env;
  url: URL;
  requestId: string;
  /** The response's `x-amz-id-2` (event notifications carry it). [event notifications: added] */
  hostId?: string;
  /** Request time, epoch ms. */
  now: number;
}

export interface S3Response {
  status?: number;
  /** Response headers (lower-case names); undefined values are left out. */
  headers?: Record<string, string | undefined>;
  /** An XML document: `{ RootElement: {...} }`, written with S3's namespace. */
  xml?: XmlElement;
  /** A byte stream (GetObject); `length` bytes long when given. */
  body?: ReadableStream<Uint8Array>;
  length?: number;
}

export type S3Handler = (request: S3Request) => Promise<Result<S3Response>>;

/** The S3 service as the protocol layer sees it: its handlers by operation name. */
export interface S3Service {
  name: "s3";
  signingName: "s3";
  operations: Readonly<Record<string, S3Handler>>;
  /** Developer routes under `/_aws/s3/…` (bucket and object counts). */
  routes?: readonly Route[];
}
