/**
 * Bucket names and keys by S3's rules: 3–63 characters of lower-case letters, digits, dots and
 * hyphens, starting and ending with a letter or digit, no `..`, not an IPv4 address, none of the
 * reserved prefixes and suffixes. Keys: up to 1024 bytes of UTF-8.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
import type { Problem } from "../errors";
import { invalidBucketName, s3Error } from "./errors";

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

export function bucketNameProblem(name: string): Problem {
  const valid =
    BUCKET_NAME.test(name) &&
    !name.includes("..") &&
    !name.includes(".-") &&
    !name.includes("-.") &&
    !IPV4.test(name) &&
    !RESERVED_PREFIXES.some((p) => name.startsWith(p)) &&
    !RESERVED_SUFFIXES.some((s) => name.endsWith(s));
  return valid ? undefined : invalidBucketName(name);
}

export const MAX_KEY_BYTES = 1024;

export function keyProblem(key: string): Problem {
  if (new TextEncoder().encode(key).length > MAX_KEY_BYTES)
    return s3Error("KeyTooLongError", 400, "Your key is too long", {
      Size: String(new TextEncoder().encode(key).length),
      MaxSizeAllowed: String(MAX_KEY_BYTES),
    });
  return undefined;
}

/** The owner id S3 shows for an account (canonical user ids are 64 hex digits): stable per account. */
export function canonicalUserId(account: string): string {
  let h = 0x811c9dc5;
  const out: string[] = [];
  for (let round = 0; round < 8; round++) {
    for (const c of `${account}:${round}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out.push(h.toString(16).padStart(8, "0"));
  }
  return out.join("");
}
