/**
 * SigV4 as S3 checks it (strict mode only; locally any credentials are accepted). S3 differs from the
 * other services: the path is not normalised or double-encoded, the payload hash is whatever
 * `x-amz-content-sha256` says (a hex hash checked against the body as it streams, `UNSIGNED-PAYLOAD`,
 * or a `STREAMING-…` mode whose chunks carry signatures chained from this one), and presigned URLs
 * sign `UNSIGNED-PAYLOAD`. The steps read like the spec's.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { constantTimeEqual, type SignedRequestAuth } from "../sigv4";

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
export const uriEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function canonicalQuery(query: URLSearchParams, omit?: string): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of query) if (k !== omit) pairs.push([uriEncode(k), uriEncode(v)]);
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** The path as sent, each segment encoded once (clients send it so; re-encoding what is already encoded would differ). */
export function canonicalPath(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // keep as sent
      }
      return uriEncode(decoded);
    })
    .join("/");
}

export interface SigningContext {
  key: Uint8Array;
  amzDate: string;
  scope: string;
}

export function signingKey(secret: string, date: string, region: string, service: string): Uint8Array {
  const kDate = hmac(sha256, utf8ToBytes(`AWS4${secret}`), utf8ToBytes(date));
  const kRegion = hmac(sha256, kDate, utf8ToBytes(region));
  const kService = hmac(sha256, kRegion, utf8ToBytes(service));
  return hmac(sha256, kService, utf8ToBytes("aws4_request"));
}

export const sign = (key: Uint8Array, text: string): string => bytesToHex(hmac(sha256, key, utf8ToBytes(text)));
export const sha256Hex = (bytes: Uint8Array | string): string =>
  bytesToHex(sha256(typeof bytes === "string" ? utf8ToBytes(bytes) : bytes));

export interface CanonicalParts {
  method: string;
  url: URL;
  headers: Headers;
  /** Host as the client addressed it. */
  host: string;
  auth: SignedRequestAuth;
  payloadHash: string;
}

export function canonicalRequest({ method, url, headers, host, auth, payloadHash }: CanonicalParts): string {
  const names = [...auth.signedHeaders].map((h) => h.toLowerCase()).sort();
  const lines = names.map((name) => {
    const value = name === "host" ? host : (headers.get(name) ?? "");
    return `${name}:${value.trim().replace(/\s+/g, " ")}\n`;
  });
  const query = canonicalQuery(url.searchParams, auth.location === "query" ? "X-Amz-Signature" : undefined);
  return [method, canonicalPath(url.pathname), query, lines.join(""), names.join(";"), payloadHash].join("\n");
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonical)].join("\n");
}

/** Whether the request's signature is the one its secret makes; the context signs its chunks. */
export function verifyRequestSignature(
  parts: CanonicalParts,
  amzDate: string,
  secret: string,
): { ok: boolean; context: SigningContext; stringToSign: string; canonical: string } {
  const { auth } = parts;
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const key = signingKey(secret, auth.date, auth.region, auth.service);
  const canonical = canonicalRequest(parts);
  const toSign = stringToSign(amzDate, scope, canonical);
  return {
    ok: constantTimeEqual(sign(key, toSign), auth.signature),
    context: { key, amzDate, scope },
    stringToSign: toSign,
    canonical,
  };
}

/** The signature of one aws-chunked chunk, chained from the previous one (the request's, first). */
export function chunkSignature(context: SigningContext, previous: string, chunkSha256: string): string {
  const text = ["AWS4-HMAC-SHA256-PAYLOAD", context.amzDate, context.scope, previous, EMPTY_SHA256, chunkSha256].join("\n");
  return sign(context.key, text);
}

/** The signature over the trailing headers (`name:value\n` each), chained from the last chunk's. */
export function trailerSignature(context: SigningContext, previous: string, trailerText: string): string {
  const text = ["AWS4-HMAC-SHA256-TRAILER", context.amzDate, context.scope, previous, sha256Hex(trailerText)].join("\n");
  return sign(context.key, text);
}
