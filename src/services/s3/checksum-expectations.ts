/**
 * The checksums a PUT declares, checked before the body is read (well-formed, one algorithm) and
 * after it is written (the values match): `x-amz-checksum-<algorithm>` headers, a trailer named by
 * `x-amz-trailer` (the JS SDK's default: CRC32 after an aws-chunked body), `x-amz-sdk-checksum-algorithm`,
 * Content-MD5 and a hex `x-amz-content-sha256`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { fail, ok, type Problem, type Result } from "../../domain/errors";
import {
  CHECKSUM_ALGORITHMS,
  checksumHeader,
  DIGEST_BYTES,
  fromBase64,
  parseChecksumAlgorithm,
  toBase64,
  type ChecksumAlgorithm,
} from "../../domain/s3/checksums";
import type { WrittenData } from "../../domain/s3/contract";
import {
  badChecksum,
  badContentMd5,
  contentSha256Mismatch,
  invalidChecksumHeader,
  invalidDigest,
  malformedTrailer,
  multipleChecksums,
  unsupportedChecksumAlgorithm,
} from "../../domain/s3/errors";
import type { S3Body } from "./wire";

/** What S3 computes and stores for a body sent without a checksum (since December 2024). */
const DEFAULT_CHECKSUM: ChecksumAlgorithm = "CRC64NVME";

export interface ChecksumExpectations {
  /** Algorithms to compute while writing. */
  algorithms: ChecksumAlgorithm[];
  /** Values sent as headers, by algorithm. */
  headerValues: Partial<Record<ChecksumAlgorithm, string>>;
  /** The algorithm whose value arrives as a trailer. */
  trailer?: ChecksumAlgorithm;
  contentMd5?: string;
  claimedSha256?: string;
}

export function expectedChecksums(headers: Headers, body: S3Body): Result<ChecksumExpectations> {
  const headerValues: Partial<Record<ChecksumAlgorithm, string>> = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = checksumHeader(algorithm);
    const value = headers.get(name);
    if (value === null) continue;
    if (fromBase64(value)?.length !== DIGEST_BYTES[algorithm]) return fail(invalidChecksumHeader(name));
    headerValues[algorithm] = value;
  }
  if (Object.keys(headerValues).length > 1) return fail(multipleChecksums());
  let trailer: ChecksumAlgorithm | undefined;
  if (body.trailer) {
    trailer = body.trailer.startsWith("x-amz-checksum-") ? parseChecksumAlgorithm(body.trailer.slice(15)) : undefined;
    if (!trailer) return fail(unsupportedChecksumAlgorithm());
  }
  const sdkAlgorithm = headers.get("x-amz-sdk-checksum-algorithm") ?? headers.get("x-amz-checksum-algorithm");
  if (sdkAlgorithm && !parseChecksumAlgorithm(sdkAlgorithm)) return fail(unsupportedChecksumAlgorithm());
  const contentMd5 = headers.get("content-md5") ?? undefined;
  if (contentMd5 !== undefined && fromBase64(contentMd5)?.length !== 16) return fail(invalidDigest(contentMd5));
  // What is stored: the algorithm whose value the client sends (header or trailer); without one,
  // S3's default CRC64NVME. An x-amz-sdk-checksum-algorithm without a value changes nothing
  // (test_s3_checksum_no_automatic_sdk_calculation: such an object has a CRC64NVME checksum).
  const sent = [...(Object.keys(headerValues) as ChecksumAlgorithm[]), ...(trailer ? [trailer] : [])];
  const algorithms: ChecksumAlgorithm[] = sent.length ? [...new Set(sent)] : [DEFAULT_CHECKSUM];
  return ok({
    algorithms,
    headerValues,
    ...(trailer ? { trailer } : {}),
    ...(contentMd5 ? { contentMd5 } : {}),
    ...(body.claimedSha256 ? { claimedSha256: body.claimedSha256 } : {}),
  });
}

const hexToBase64 = (hex: string): string => toBase64(Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)));

/** After the write: every declared value against what was computed (trailers from the decoder). */
export function checksumProblem(expected: ChecksumExpectations, written: WrittenData, trailers: Map<string, string>): Problem {
  if (expected.claimedSha256 !== undefined && written.sha256Hex !== expected.claimedSha256) {
    return contentSha256Mismatch(expected.claimedSha256, written.sha256Hex ?? "");
  }
  if (expected.contentMd5 !== undefined) {
    const calculated = hexToBase64(written.md5Hex);
    if (calculated !== expected.contentMd5) return badContentMd5(expected.contentMd5, calculated);
  }
  for (const [algorithm, value] of Object.entries(expected.headerValues) as [ChecksumAlgorithm, string][]) {
    if (written.checksums[algorithm] !== value) return badChecksum(algorithm);
  }
  if (expected.trailer) {
    const name = checksumHeader(expected.trailer);
    const value = trailers.get(name);
    // A trailer other than the one x-amz-trailer announced, or none: S3's MalformedTrailerError.
    if (value === undefined || [...trailers.keys()].some((n) => n !== name)) return malformedTrailer();
    if (fromBase64(value)?.length !== DIGEST_BYTES[expected.trailer]) return invalidChecksumHeader(name);
    if (written.checksums[expected.trailer] !== value) return badChecksum(expected.trailer);
  }
  return undefined;
}
