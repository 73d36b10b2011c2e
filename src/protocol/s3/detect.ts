/**
 * Which requests are S3's, decided before the body is read (S3 bodies are streamed, not buffered):
 * - signed (Authorization header or presigned `X-Amz-Credential`) with the credential scope `s3`;
 * - or addressed virtual-hosted style: `<bucket>.s3.<anything>` or `<bucket>.localhost`;
 * - or unsigned and not another service's (no `X-Amz-Target`, no `Action=`, not a form POST, not
 *   a path another service claims such as an SQS queue URL).
 * Then where it points: the bucket and key, path-style (`/bucket/key`) or virtual-hosted.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
import type { AuthParseResult } from "../sigv4";

/** `claimedElsewhere`: a path another service owns (SQS queue URLs), for unsigned requests. */
export function isS3Request(
  method: string,
  headers: Headers,
  url: URL,
  auth: AuthParseResult,
  claimedElsewhere: (pathname: string) => boolean = () => false,
): boolean {
  if (auth.kind === "signed") return auth.auth.service === "s3";
  if (virtualHostedBucket(hostOf(headers, url)) !== undefined) return true;
  if (headers.has("x-amz-target") || url.searchParams.has("Action")) return false;
  if (claimedElsewhere(url.pathname)) return false;
  if (auth.kind === "malformed") return false;
  // The query protocol posts forms; a PUT with a form content type (curl's default) is still S3's.
  const type = (headers.get("content-type") ?? "").toLowerCase();
  return method !== "POST" || !type.startsWith("application/x-www-form-urlencoded");
}

/** The host the client addressed (the Host header, which a front or test harness may keep apart from the URL). */
export function hostOf(headers: Headers, url: URL): string {
  return (headers.get("host") ?? url.host).toLowerCase();
}

/** The bucket a virtual-hosted host names, or undefined (path-style). */
export function virtualHostedBucket(host: string): string | undefined {
  const name = host.replace(/:\d+$/, "");
  const s3 = name.indexOf(".s3.");
  if (s3 > 0) return name.slice(0, s3);
  if (name.endsWith(".s3-website.localhost")) return undefined;
  if (name.endsWith(".localhost") && name.length > ".localhost".length) {
    const bucket = name.slice(0, -".localhost".length);
    return bucket === "s3" ? undefined : bucket;
  }
  return undefined;
}

export interface S3Address {
  bucket: string | undefined;
  key: string | undefined;
  virtualHosted: boolean;
}

const decode = (part: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/** Bucket and key: from the host when virtual-hosted, else the first path segment; the rest is the key. */
export function addressOf(headers: Headers, url: URL): S3Address {
  const path = url.pathname;
  const hosted = virtualHostedBucket(hostOf(headers, url));
  if (hosted !== undefined) {
    const key = path.length > 1 ? decode(path.slice(1)) : undefined;
    return { bucket: hosted, key, virtualHosted: true };
  }
  const rest = path.slice(1);
  if (rest === "") return { bucket: undefined, key: undefined, virtualHosted: false };
  const slash = rest.indexOf("/");
  if (slash < 0) return { bucket: decode(rest), key: undefined, virtualHosted: false };
  const key = rest.slice(slash + 1);
  return { bucket: decode(rest.slice(0, slash)), key: key === "" ? undefined : decode(key), virtualHosted: false };
}
