/**
 * The S3 errors the pure rule modules (ranges, preconditions, listing, multipart) return, with AWS's
 * codes, statuses, messages and extra XML members exactly as ../shared/aws-recordings/s3 shows them.
 * S3's `<Error>` document carries members beyond Code and Message (Key, Condition, RangeRequested…):
 * they travel in `fields`, in the order AWS writes them, each a child element of `<Error>` (an empty
 * string is an empty element, as in `<ArgumentValue></ArgumentValue>`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
import {
  invalidArgument,
  invalidRequest,
  malformedXml,
  noSuchKey,
  s3Error,
  unsupportedChecksumAlgorithm,
  type S3ErrorInfo,
} from "./errors";

// The general S3 errors these rules share with the rest of S3 (one definition, in ./errors.ts).
export { invalidArgument, noSuchKey, unsupportedChecksumAlgorithm, malformedXml as malformedXML, type S3ErrorInfo };

// ---- GET ranges (range.ts) ----

export const invalidRange = (rangeRequested: string, actualObjectSize: number): S3ErrorInfo =>
  s3Error("InvalidRange", 416, "The requested range is not satisfiable", {
    RangeRequested: rangeRequested,
    ActualObjectSize: String(actualObjectSize),
  });

export const invalidPartNumberRequested = (partNumberRequested: number, actualPartCount: number): S3ErrorInfo =>
  s3Error("InvalidPartNumber", 416, "The requested partnumber is not satisfiable", {
    PartNumberRequested: String(partNumberRequested),
    ActualPartCount: String(actualPartCount),
  });

export const rangeWithPartNumber = (): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, "Cannot specify both Range header and partNumber query parameter");

/** UploadPartCopy's x-amz-copy-source-range is strict, unlike GET's Range. */
export const invalidCopySourceRangeFormat = (value: string): S3ErrorInfo =>
  invalidArgument(
    "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
    "x-amz-copy-source-range",
    value,
  );

export const copySourceRangeBeyondSize = (value: string, size: number): S3ErrorInfo =>
  invalidArgument(`Range specified is not valid for source object of size: ${size}`, "x-amz-copy-source-range", value);

export const copySourceRangeStartBeyondSize = (): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, "The specified copy range is invalid for the source object size");

// ---- conditional requests (preconditions.ts) ----

export const preconditionFailed = (condition: string): S3ErrorInfo =>
  s3Error("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold", { Condition: condition });

/** A conditional write whose target changed between the check and the commit (a racing write or delete). */
export const conditionalRequestConflict = (condition: string, key: string): S3ErrorInfo =>
  s3Error(
    "ConditionalRequestConflict",
    409,
    "The conditional request cannot succeed due to a conflicting operation against this resource.",
    {
      Condition: condition,
      Key: key,
    },
  );

/** `Header` names the header(s); `additionalMessage` (lower-case `a`, as AWS spells it) only when AWS gives one. */
export const notImplementedHeader = (header: string, additionalMessage?: string): S3ErrorInfo =>
  s3Error("NotImplemented", 501, "A header you provided implies functionality that is not implemented", {
    Header: header,
    ...(additionalMessage === undefined ? {} : { additionalMessage }),
  });

// ---- listing (listing.ts) ----

export const invalidContinuationToken = (): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, "The continuation token provided is incorrect", { ArgumentName: "continuation-token" });

export const invalidEncodingType = (value: string): S3ErrorInfo =>
  invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", value);

/** A max-keys / max-uploads / max-parts / part-number-marker that parses as an int32 but is negative. */
export const negativeMaxArgument = (camelName: string, value: string): S3ErrorInfo =>
  invalidArgument(`Argument ${camelName} must be an integer between 0 and 2147483647`, camelName, value);

/** A max-keys / max-uploads / max-parts / part-number-marker that is not an int32 at all. */
export const unreadableMaxArgument = (queryName: string, value: string): S3ErrorInfo =>
  invalidArgument(`Provided ${queryName} not an integer or within integer range`, queryName, value);

export const invalidUploadIdMarker = (value: string): S3ErrorInfo =>
  invalidArgument("Invalid uploadId marker", "upload-id-marker", value);

// ---- multipart uploads (multipart.ts) ----

export const invalidPartNumberArgument = (value: string): S3ErrorInfo =>
  invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", value);

/** A CompleteMultipartUpload part numbered below 1 (AWS's answer as versitygw#1072 records it). */
export const completionPartNumberTooLow = (): S3ErrorInfo => s3Error("InvalidArgument", 400, "PartNumber must be >= 1");

export const noSuchUpload = (uploadId: string): S3ErrorInfo =>
  s3Error(
    "NoSuchUpload",
    404,
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    { UploadId: uploadId },
  );

/** The ETag member is the part's ETag without quotes. */
export const entityTooSmall = (proposedSize: number, minSizeAllowed: number, partNumber: number, etag: string): S3ErrorInfo =>
  s3Error("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed size", {
    ProposedSize: String(proposedSize),
    MinSizeAllowed: String(minSizeAllowed),
    PartNumber: String(partNumber),
    ETag: etag,
  });

/** AWS's message has two spaces after "found.". The ETag member is the one the request named, without quotes. */
export const invalidPart = (uploadId: string, partNumber: number, etag: string): S3ErrorInfo =>
  s3Error(
    "InvalidPart",
    400,
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    { UploadId: uploadId, PartNumber: String(partNumber), ETag: etag },
  );

export const invalidPartOrder = (uploadId: string): S3ErrorInfo =>
  s3Error("InvalidPartOrder", 400, "The list of parts was not in ascending order. Parts must be ordered by part number.", {
    UploadId: uploadId,
  });

/** CompleteMultipartUpload without a body. */
export const noPartsSpecified = (): S3ErrorInfo => s3Error("InvalidRequest", 400, "You must specify at least one part");

/** `algorithm` lower-case, as AWS words it: "The sha256 you specified for part 1 …". */
export const partChecksumBadDigest = (algorithm: string, partNumber: number): S3ErrorInfo =>
  s3Error("BadDigest", 400, `The ${algorithm} you specified for part ${partNumber} did not match what we received.`);

export const partChecksumMissing = (algorithm: string, partNumber: number): S3ErrorInfo =>
  invalidRequest(
    `The upload was created using a ${algorithm} checksum. The complete request must include the checksum for each part. It was missing for part ${partNumber} in the request.`,
  );

/** `mode` is COMPOSITE, FULL_OBJECT, or `null` for an upload created without a checksum algorithm. */
export const checksumModeMismatch = (mode: string): S3ErrorInfo =>
  invalidRequest(`The upload was created using the ${mode} checksum mode. The complete request must use the same checksum mode.`);

/** UploadPart with a checksum of another algorithm than the upload's (both lower-case). */
export const partChecksumTypeMismatch = (expected: string, actual: string): S3ErrorInfo =>
  invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${expected}, actual checksum Type: ${actual}`);

export const checksumTypeWithoutAlgorithm = (): S3ErrorInfo =>
  invalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");

/** `algorithm` lower-case: "The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm." */
export const checksumTypeIncompatible = (type: string, algorithm: string): S3ErrorInfo =>
  invalidRequest(`The ${type} checksum type cannot be used with the ${algorithm} checksum algorithm.`);

export const objectSizeMismatch = (provided: string, computed: number): S3ErrorInfo =>
  invalidRequest(`The provided 'x-amz-mp-object-size' header value ${provided} does not match what was computed: ${computed}`);
