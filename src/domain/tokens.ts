/**
 * Opaque, versioned tokens handed to clients: receipt handles, pagination tokens (later shard
 * iterators). A token is base64url(JSON) plus a checksum, so garbage and truncated tokens are
 * recognised as invalid instead of being half-decoded. Only this module builds or reads them.
 */

const VERSION = "1";

/** FNV-1a, 32 bits: a cheap integrity check against typos and truncation (not a signature). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** base64url with the runtime's native btoa/atob (much cheaper in workerd than the Buffer polyfill). */
function toBase64Url(text: string): string {
  const bytes = utf8.encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(token: string): string | undefined {
  try {
    const binary = atob(token.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return utf8Strict.decode(bytes);
  } catch {
    return undefined;
  }
}

export function encodeToken(kind: string, payload: unknown): string {
  const body = `${VERSION}${kind}${JSON.stringify(payload)}`;
  return toBase64Url(`${body}~${fnv1a(body)}`);
}

export function decodeToken<T>(kind: string, token: string): T | undefined {
  if (!token || token.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const text = fromBase64Url(token);
  if (text === undefined) return undefined;
  const tilde = text.lastIndexOf("~");
  if (tilde < 0) return undefined;
  const body = text.slice(0, tilde);
  if (fnv1a(body) !== text.slice(tilde + 1)) return undefined;
  const prefix = `${VERSION}${kind}`;
  if (!body.startsWith(prefix)) return undefined;
  try {
    return JSON.parse(body.slice(prefix.length)) as T;
  } catch {
    return undefined;
  }
}

/** Names the message (by its sequence in the queue) and the receive that issued the handle. */
export interface ReceiptHandle {
  /** Identifies the queue incarnation: a handle from another or a deleted queue is invalid. */
  queue: string;
  seq: number;
  /** Changes on every receive, so an older handle is recognisable as such. */
  receipt: number;
}

export const encodeReceiptHandle = (h: ReceiptHandle): string => encodeToken("R", [h.queue, h.seq, h.receipt]);

export function decodeReceiptHandle(token: string): ReceiptHandle | undefined {
  const v = decodeToken<unknown>("R", token);
  if (!Array.isArray(v) || v.length !== 3) return undefined;
  const [queue, seq, receipt] = v;
  if (typeof queue !== "string" || !Number.isSafeInteger(seq) || !Number.isSafeInteger(receipt)) return undefined;
  return { queue, seq: seq as number, receipt: receipt as number };
}
