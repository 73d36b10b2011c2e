/**
 * The checksums S3 computes over object bodies, incrementally (a body is never held whole): CRC32,
 * CRC32C and CRC64NVME from tables in plain TypeScript, SHA-1 and SHA-256 from @noble/hashes, and
 * MD5 for ETags and Content-MD5. Values travel base64-encoded, as in `x-amz-checksum-<algorithm>`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { md5 } from "@noble/hashes/legacy.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

export const CHECKSUM_ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** `x-amz-checksum-crc32` for CRC32, and so on. */
export const checksumHeader = (algorithm: ChecksumAlgorithm): string => `x-amz-checksum-${algorithm.toLowerCase()}`;

export const parseChecksumAlgorithm = (name: string): ChecksumAlgorithm | undefined =>
  CHECKSUM_ALGORITHMS.find((a) => a === name.toUpperCase());

/** Bytes of each algorithm's digest (a header value of another length is invalid). */
export const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

export interface Hasher {
  update(bytes: Uint8Array): void;
  digest(): Uint8Array;
}

/** Slicing-by-8 tables for a reflected 32-bit CRC: eight bytes per step. */
function crc32Tables(poly: number): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    tables[0]![i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    for (let t = 1; t < 8; t++) tables[t]![i] = (tables[t - 1]![i]! >>> 8) ^ tables[0]![tables[t - 1]![i]! & 0xff]!;
  }
  return tables;
}

const CRC32_TABLES = crc32Tables(0xedb88320);
const CRC32C_TABLES = crc32Tables(0x82f63b78);

class Crc32 implements Hasher {
  #crc = 0xffffffff;
  constructor(private readonly t: Uint32Array[]) {}

  update(bytes: Uint8Array): void {
    const [t0, t1, t2, t3, t4, t5, t6, t7] = this.t as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    let crc = this.#crc;
    let i = 0;
    const n = bytes.length;
    for (; i + 8 <= n; i += 8) {
      const a = (crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
      crc =
        t7[a & 0xff]! ^
        t6[(a >>> 8) & 0xff]! ^
        t5[(a >>> 16) & 0xff]! ^
        t4[a >>> 24]! ^
        t3[bytes[i + 4]!]! ^
        t2[bytes[i + 5]!]! ^
        t1[bytes[i + 6]!]! ^
        t0[bytes[i + 7]!]!;
    }
    for (; i < n; i++) crc = t0[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
    this.#crc = crc >>> 0;
  }

  digest(): Uint8Array {
    const v = (this.#crc ^ 0xffffffff) >>> 0;
    return new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
  }
}

/** CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), as two 32-bit halves to stay off BigInt. */
const CRC64_LO = new Uint32Array(256);
const CRC64_HI = new Uint32Array(256);
{
  const poly = 0x9a6c9329ac4bc9b5n;
  for (let i = 0; i < 256; i++) {
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    CRC64_LO[i] = Number(c & 0xffffffffn);
    CRC64_HI[i] = Number(c >> 32n);
  }
}

class Crc64Nvme implements Hasher {
  #lo = 0xffffffff;
  #hi = 0xffffffff;

  update(bytes: Uint8Array): void {
    let lo = this.#lo;
    let hi = this.#hi;
    for (let i = 0; i < bytes.length; i++) {
      const idx = (lo ^ bytes[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ CRC64_LO[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ CRC64_HI[idx]!) >>> 0;
    }
    this.#lo = lo;
    this.#hi = hi;
  }

  digest(): Uint8Array {
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, (this.#hi ^ 0xffffffff) >>> 0);
    view.setUint32(4, (this.#lo ^ 0xffffffff) >>> 0);
    return out;
  }
}

export function createHasher(algorithm: ChecksumAlgorithm | "MD5"): Hasher {
  switch (algorithm) {
    case "CRC32":
      return new Crc32(CRC32_TABLES);
    case "CRC32C":
      return new Crc32(CRC32C_TABLES);
    case "CRC64NVME":
      return new Crc64Nvme();
    case "SHA1":
      return sha1.create();
    case "SHA256":
      return sha256.create();
    case "MD5":
      return md5.create();
  }
}

export function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return btoa(text);
}

/** Decodes strict base64 (the checksum headers, Content-MD5); undefined when it is not. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

export const hex = bytesToHex;

/** The ETag of a single-part object: its MD5 in hex, in double quotes. */
export const etagOf = (md5Digest: Uint8Array): string => `"${bytesToHex(md5Digest)}"`;

/** One pass over a body for everything asked: MD5 always (the ETag), and the named checksums. */
export class BodyDigests {
  readonly #md5: Hasher | undefined;
  readonly #checksums: [ChecksumAlgorithm, Hasher][];
  readonly #sha256: Hasher | undefined;
  size = 0;

  /**
   * `payloadSha256`: also hash for x-amz-content-sha256 (when it is not one of the checksums).
   * `md5`: false when the caller computes MD5 another way (a runtime's native digest).
   */
  constructor(algorithms: readonly ChecksumAlgorithm[], payloadSha256 = false, md5 = true) {
    this.#md5 = md5 ? createHasher("MD5") : undefined;
    this.#checksums = [...new Set(algorithms)].map((a) => [a, createHasher(a)]);
    this.#sha256 = payloadSha256 && !algorithms.includes("SHA256") ? createHasher("SHA256") : undefined;
  }

  update(bytes: Uint8Array): void {
    this.size += bytes.length;
    this.#md5?.update(bytes);
    for (const [, h] of this.#checksums) h.update(bytes);
    this.#sha256?.update(bytes);
  }

  finish(): { md5: Uint8Array | undefined; checksums: Partial<Record<ChecksumAlgorithm, string>>; sha256Hex?: string } {
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    let sha256Hex: string | undefined;
    for (const [a, h] of this.#checksums) {
      const d = h.digest();
      checksums[a] = toBase64(d);
      if (a === "SHA256") sha256Hex = bytesToHex(d);
    }
    if (this.#sha256) sha256Hex = bytesToHex(this.#sha256.digest());
    return { md5: this.#md5?.digest(), checksums, ...(sha256Hex ? { sha256Hex } : {}) };
  }
}
