/**
 * The CRC of a concatenation from the CRCs of its pieces and their lengths, without the bytes: how a
 * FULL_OBJECT multipart checksum (CRC32, CRC32C, CRC64NVME) is made from the parts' checksums, and
 * how S3's default CRC64NVME of an upload created without a checksum algorithm is. The method is
 * zlib's crc32_combine (multiplication by x^(8·len) modulo the polynomial, in the reflected bit
 * order), in BigInt so that one function serves 32- and 64-bit CRCs: a few thousand operations per part.
 * @see https://github.com/madler/zlib/blob/develop/crc32.c (crc32_combine_op, multmodp, x2nmodp)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */

export type CombinableCrc = "CRC32" | "CRC32C" | "CRC64NVME";

interface CrcShape {
  width: number;
  /** The reflected polynomial. */
  poly: bigint;
}

const SHAPES: Record<CombinableCrc, CrcShape> = {
  CRC32: { width: 32, poly: 0xedb88320n },
  CRC32C: { width: 32, poly: 0x82f63b78n },
  CRC64NVME: { width: 64, poly: 0x9a6c9329ac4bc9b5n },
};

export const isCombinable = (algorithm: string): algorithm is CombinableCrc => algorithm in SHAPES;

/** a·b modulo the polynomial, both in reflected order (the top bit is x^0). */
function multiplyModPoly(a: bigint, b: bigint, { width, poly }: CrcShape): bigint {
  let m = 1n << BigInt(width - 1);
  let product = 0n;
  for (;;) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ poly : b >> 1n;
  }
  return product;
}

const POWERS = new Map<CombinableCrc, bigint[]>();

/** x^(2^k) modulo the polynomial for k = 0..63 (enough for any byte length below 2^60). */
function powersOf(algorithm: CombinableCrc): bigint[] {
  let powers = POWERS.get(algorithm);
  if (!powers) {
    const shape = SHAPES[algorithm];
    powers = [1n << BigInt(shape.width - 2)]; // x^1
    for (let k = 1; k < 64; k++) powers.push(multiplyModPoly(powers[k - 1]!, powers[k - 1]!, shape));
    POWERS.set(algorithm, powers);
  }
  return powers;
}

/** x^(8·bytes) modulo the polynomial. */
function shiftByBytes(bytes: number, algorithm: CombinableCrc): bigint {
  const shape = SHAPES[algorithm];
  const powers = powersOf(algorithm);
  let p = 1n << BigInt(shape.width - 1); // x^0
  let n = BigInt(bytes);
  let k = 3; // 8 = 2^3 bits per byte
  while (n > 0n) {
    if (n & 1n) p = multiplyModPoly(powers[k]!, p, shape);
    n >>= 1n;
    k++;
  }
  return p;
}

const toBigInt = (bytes: Uint8Array): bigint => bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);

function toBytes(value: bigint, width: number): Uint8Array {
  const out = new Uint8Array(width / 8);
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** The CRC (big-endian bytes, as S3's checksums are) of the pieces concatenated, from each piece's CRC and length. */
export function combineCrcs(algorithm: CombinableCrc, pieces: readonly { crc: Uint8Array; size: number }[]): Uint8Array {
  const shape = SHAPES[algorithm];
  // The CRC of no bytes is 0 for these CRCs (initial value and final XOR are all ones).
  let crc = 0n;
  for (const piece of pieces) {
    crc = multiplyModPoly(shiftByBytes(piece.size, algorithm), crc, shape) ^ toBigInt(piece.crc);
  }
  return toBytes(crc, shape.width);
}
