/**
 * S3 errors with AWS's codes, statuses and message texts (../shared/aws-recordings/s3). S3 writes its
 * own error document, `<Error><Code/><Message/>…fields…<RequestId/><HostId/></Error>`, where the
 * fields name what the error is about (`<BucketName>`, `<Key>`, `<Method>`…): they travel in `fields`.
 * Plain data, so Durable Objects return them across RPC.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
import type { ErrorInfo } from "../errors";

export interface S3ErrorInfo extends ErrorInfo {
  /** Extra elements of the error document, in order, after `<Message>`. */
  fields?: Record<string, string>;
}

export const s3Error = (code: string, status: number, message: string, fields?: Record<string, string>): S3ErrorInfo => ({
  code,
  status,
  message,
  ...(fields ? { fields } : {}),
});

export const noSuchBucket = (bucket: string) =>
  s3Error("NoSuchBucket", 404, "The specified bucket does not exist", { BucketName: bucket });

export const noSuchKey = (key: string) => s3Error("NoSuchKey", 404, "The specified key does not exist.", { Key: key });

export const bucketAlreadyOwnedByYou = (bucket: string) =>
  s3Error("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket succeeded and you already own it.", {
    BucketName: bucket,
  });

export const bucketAlreadyExists = (bucket: string) =>
  s3Error(
    "BucketAlreadyExists",
    409,
    "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
    { BucketName: bucket },
  );

export const bucketNotEmpty = (bucket: string) =>
  s3Error("BucketNotEmpty", 409, "The bucket you tried to delete is not empty", { BucketName: bucket });

export const invalidBucketName = (bucket: string) =>
  s3Error("InvalidBucketName", 400, "The specified bucket is not valid.", { BucketName: bucket });

export const invalidLocationConstraint = (constraint: string) =>
  s3Error("InvalidLocationConstraint", 400, "The specified location-constraint is not valid", { LocationConstraint: constraint });

export const illegalLocationConstraint = (constraint: string | undefined) =>
  s3Error(
    "IllegalLocationConstraintException",
    400,
    `The ${constraint ?? "unspecified"} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );

export const malformedXml = () =>
  s3Error("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema");

export const invalidArgument = (message: string, name?: string, value?: string) =>
  s3Error("InvalidArgument", 400, message, name === undefined ? undefined : { ArgumentName: name, ArgumentValue: value ?? "" });

export const invalidRequest = (message: string) => s3Error("InvalidRequest", 400, message);

export const methodNotAllowed = (method: string, resourceType: "SERVICE" | "BUCKET" | "OBJECT") =>
  s3Error("MethodNotAllowed", 405, "The specified method is not allowed against this resource.", {
    Method: method,
    ResourceType: resourceType,
  });

export const notImplemented = (header?: string) =>
  s3Error(
    "NotImplemented",
    501,
    "A header you provided implies functionality that is not implemented",
    header === undefined ? undefined : { Header: header },
  );

export const metadataTooLarge = (size: number, max: number) =>
  s3Error("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size", {
    Size: String(size),
    MaxSizeAllowed: String(max),
  });

export const entityTooLarge = (proposed: number, max: number) =>
  s3Error("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size", {
    ProposedSize: String(proposed),
    MaxSizeAllowed: String(max),
  });

export const missingContentLength = () =>
  s3Error("MissingContentLength", 411, "You must provide the Content-Length HTTP header.");

export const incompleteBody = () =>
  s3Error("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header");

/** A body whose aws-chunked framing does not parse (chunk sizes, CRLFs, trailers). */
export const invalidChunkEncoding = () => s3Error("InvalidRequest", 400, "Invalid chunk encoding or chunk size.");

export const invalidDigest = (contentMd5: string) =>
  s3Error("InvalidDigest", 400, "The Content-MD5 you specified was invalid.", { "Content-MD5": contentMd5 });

export const badContentMd5 = (expected: string, calculated: string) =>
  s3Error("BadDigest", 400, "The Content-MD5 you specified did not match what we received.", {
    ExpectedDigest: expected,
    CalculatedDigest: calculated,
  });

/** `algorithm` as AWS names it in the message: CRC32, CRC32C, CRC64NVME, SHA1, SHA256. */
export const badChecksum = (algorithm: string) =>
  s3Error("BadDigest", 400, `The ${algorithm} you specified did not match the calculated checksum.`);

export const invalidChecksumHeader = (header: string) => s3Error("InvalidRequest", 400, `Value for ${header} header is invalid.`);

export const multipleChecksums = () =>
  s3Error("InvalidRequest", 400, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");

export const unsupportedChecksumAlgorithm = () =>
  s3Error(
    "InvalidRequest",
    400,
    "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
  );

export const contentSha256Mismatch = (client: string, computed: string) =>
  s3Error("XAmzContentSHA256Mismatch", 400, "The provided 'x-amz-content-sha256' header does not match what was computed.", {
    ClientComputedContentSHA256: client,
    S3ComputedContentSHA256: computed,
  });

export const invalidContentSha256 = () =>
  s3Error(
    "InvalidArgument",
    400,
    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
    {
      ArgumentName: "x-amz-content-sha256",
    },
  );

export const signatureDoesNotMatch = (accessKeyId: string) =>
  s3Error(
    "SignatureDoesNotMatch",
    403,
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    { AWSAccessKeyId: accessKeyId },
  );

export const invalidAccessKeyId = (accessKeyId: string) =>
  s3Error("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.", {
    AWSAccessKeyId: accessKeyId,
  });

export const accessDenied = () => s3Error("AccessDenied", 403, "Access Denied");

export const requestExpired = (expires: string, expiresAt: string, serverTime: string) =>
  s3Error("AccessDenied", 403, "Request has expired", { "X-Amz-Expires": expires, Expires: expiresAt, ServerTime: serverTime });

export const requestTimeTooSkewed = (requestTime: string, serverTime: string) =>
  s3Error("RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too large.", {
    RequestTime: requestTime,
    ServerTime: serverTime,
    MaxAllowedSkewMilliseconds: "900000",
  });

export const authorizationHeaderMalformed = () =>
  s3Error(
    "AuthorizationHeaderMalformed",
    400,
    "The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.",
  );

export const authorizationQueryParametersError = () =>
  s3Error(
    "AuthorizationQueryParametersError",
    400,
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
  );

export const missingSecurityHeader = (header: string) =>
  s3Error("MissingSecurityHeader", 400, "Your request was missing a required header", { MissingHeaderName: header });

export const invalidBucketOwnerAccountId = (value: string) =>
  s3Error(
    "InvalidBucketOwnerAWSAccountID",
    400,
    `The value of the expected bucket owner parameter must be an AWS Account ID... [${value}]`,
  );

/** x-amz-trailer announced a checksum the body's trailer does not carry (or carries another). */
export const malformedTrailer = () =>
  s3Error(
    "MalformedTrailerError",
    400,
    "The request contained trailing data that was not well-formed or did not conform to our published schema.",
  );
