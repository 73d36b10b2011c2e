/**
 * Shard iterators: opaque to clients, self-contained for us. An iterator names the stream incarnation,
 * the shard and the next record counter, so GetRecords goes straight to the shard object without
 * asking the stream. It is base64 of a version byte, the payload and an HMAC-SHA256 tag (truncated to
 * 16 bytes) over both: anything altered, truncated or made up is "Invalid ShardIterator.", as on AWS.
 * Iterators expire 5 minutes after they are issued ("A shard iterator expires 5 minutes after it is
 * returned to the requester", GetShardIterator's reference page).
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetShardIterator.html
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { fail, ok, type Result } from "../errors";
import { expiredIterator, invalidArgument } from "./errors";

export const ITERATOR_LIFETIME_MS = 300_000;

const VERSION = 1;
const TAG_BYTES = 16;
// Integrity, not secrecy: the payload is nothing a client could not know. Hosted mode additionally
// checks that the iterator's account is the caller's (services/kinesis/get-records.ts).
const KEY = new TextEncoder().encode("aws-messaging-on-workers/kinesis/shard-iterator/v1");

export interface ShardIterator {
  /** Epoch ms the iterator was issued. */
  issuedAt: number;
  account: string;
  region: string;
  stream: string;
  /** The stream incarnation (its creation time, ms): names the shard objects. */
  streamCreatedAt: number;
  shardId: string;
  /** The first record counter the next GetRecords may return. */
  seq: number;
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function encodeIterator(it: ShardIterator): string {
  const text = [it.issuedAt, it.account, it.region, it.stream, it.streamCreatedAt, it.shardId, it.seq].join("/");
  const body = utf8.encode(text);
  const bytes = new Uint8Array(1 + body.length + TAG_BYTES);
  bytes[0] = VERSION;
  bytes.set(body, 1);
  bytes.set(hmac(sha256, KEY, bytes.subarray(0, 1 + body.length)).subarray(0, TAG_BYTES), 1 + body.length);
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

/** The iterator's contents, or undefined for anything this service did not issue. */
export function decodeIterator(token: string): ShardIterator | undefined {
  if (token.length > 512 || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
  let binary: string;
  try {
    binary = atob(token);
  } catch {
    return undefined;
  }
  if (binary.length < 1 + TAG_BYTES + 8 || binary.charCodeAt(0) !== VERSION) return undefined;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const end = bytes.length - TAG_BYTES;
  const tag = hmac(sha256, KEY, bytes.subarray(0, end));
  let diff = 0;
  for (let i = 0; i < TAG_BYTES; i++) diff |= tag[i]! ^ bytes[end + i]!;
  if (diff !== 0) return undefined;
  let text: string;
  try {
    text = utf8Strict.decode(bytes.subarray(1, end));
  } catch {
    return undefined;
  }
  const parts = text.split("/");
  if (parts.length !== 7) return undefined;
  const [issuedAt, account, region, stream, streamCreatedAt, shardId, seq] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const numbers = [Number(issuedAt), Number(streamCreatedAt), Number(seq)];
  if (!numbers.every(Number.isSafeInteger)) return undefined;
  return {
    issuedAt: numbers[0]!,
    account,
    region,
    stream,
    streamCreatedAt: numbers[1]!,
    shardId,
    seq: numbers[2]!,
  };
}

export const invalidIterator = () => invalidArgument("Invalid ShardIterator.");

/**
 * The iterator a GetRecords call presents, checked: InvalidArgumentException for garbage or one from
 * the future, ExpiredIteratorException (AWS's wording) once it is older than 5 minutes.
 */
export function openIterator(token: string, now: number): Result<ShardIterator> {
  const it = decodeIterator(token);
  if (!it || it.issuedAt > now) return fail(invalidIterator());
  if (now - it.issuedAt > ITERATOR_LIFETIME_MS) {
    return fail(
      expiredIterator(
        `Iterator expired. The iterator was created at time ${amzUtcString(it.issuedAt)} while right now it is ` +
          `${amzUtcString(now)} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
      ),
    );
  }
  return ok(it);
}

/** `Thu Jan 22 01:22:02 UTC 2015`: Java's Date#toString in UTC, as AWS prints times in this message. */
export function amzUtcString(ms: number): string {
  const m = /^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/.exec(new Date(ms).toUTCString());
  if (!m) return new Date(ms).toISOString();
  return `${m[1]} ${m[3]} ${m[2]} ${m[5]} UTC ${m[4]}`;
}
