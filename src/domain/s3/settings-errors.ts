/**
 * The errors of tagging and the bucket settings (policy, CORS, versioning, lifecycle, ACLs,
 * encryption), with AWS's codes, statuses and texts as ../shared/aws-recordings/s3 shows them
 * (test_s3_api TestS3BucketObjectTagging / TestS3BucketPolicy / TestS3BucketVersioning /
 * TestS3BucketEncryption, test_s3 TestS3BucketLifecycle and the ACL tests, test_s3_cors). A few
 * that no recording holds are worded as other S3 implementations captured them; each says so.
 */
import { s3Error, type S3ErrorInfo } from "./errors";

export const noSuchTagSet = (bucket: string): S3ErrorInfo =>
  s3Error("NoSuchTagSet", 404, "The TagSet does not exist", { BucketName: bucket });

export const noSuchBucketPolicy = (bucket: string): S3ErrorInfo =>
  s3Error("NoSuchBucketPolicy", 404, "The bucket policy does not exist", { BucketName: bucket });

export const noSuchCorsConfiguration = (bucket: string): S3ErrorInfo =>
  s3Error("NoSuchCORSConfiguration", 404, "The CORS configuration does not exist", { BucketName: bucket });

export const noSuchLifecycleConfiguration = (bucket: string): S3ErrorInfo =>
  s3Error("NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist", { BucketName: bucket });

/** GetObjectTagging names the missing key with its bucket (`bucket/key`); Put and Delete name the key alone. */
export const noSuchKeyNamed = (key: string): S3ErrorInfo =>
  s3Error("NoSuchKey", 404, "The specified key does not exist.", { Key: key });

// ---- tags (tagging.ts) ----

export const invalidTag = (message: string, fields?: Record<string, string>): S3ErrorInfo =>
  s3Error("InvalidTag", 400, message, fields);

export const duplicateTagKey = (key: string) => invalidTag("Cannot provide multiple Tags with the same key", { TagKey: key });

export const invalidTagKey = (key: string) =>
  invalidTag("The TagKey you have provided is invalid", key === "" ? undefined : { TagKey: key });

export const invalidTagValue = (key: string, value: string) =>
  invalidTag("The TagValue you have provided is invalid", { TagKey: key, TagValue: value });

/** PutBucketTagging words the reserved prefix one way, PutObjectTagging another (both recorded). */
export const systemBucketTag = (key: string) => invalidTag("System tags cannot be added/updated by requester", { TagKey: key });
export const systemObjectTag = (key: string) => invalidTag("Your TagKey cannot be prefixed with aws:", { TagKey: key });

/**
 * CreateBucket's wording, without a TagKey (recorded). A repeated key there is, as recorded, an
 * InternalError on AWS; tagsProblem answers the InvalidTag of PutBucketTagging instead.
 */
export const reservedNewBucketTag = () =>
  invalidTag(
    'User-defined tag keys can\'t start with "aws:". This prefix is reserved for system tags. Remove "aws:" from your tag keys and try again.',
  );

/** As boto3#1213 and terraform users captured it from S3. */
export const tooManyObjectTags = (): S3ErrorInfo => s3Error("BadRequest", 400, "Object tags cannot be greater than 10");

/** Not recorded; versitygw#1209's wording. */
export const tooManyBucketTags = (): S3ErrorInfo => s3Error("BadRequest", 400, "Bucket tag count cannot be greater than 50");

// ---- bucket policy (bucket-policy.ts) ----

export const malformedPolicy = (message: string): S3ErrorInfo => s3Error("MalformedPolicy", 400, message);

// ---- versioning ----

export const versioningElementMissing = (): S3ErrorInfo =>
  s3Error("IllegalVersioningConfigurationException", 400, "The Versioning element must be specified");

// ---- CORS (cors.ts) ----

export const unsupportedCorsMethod = (method: string): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);

/** versitygw#1870's capture. */
export const corsOriginWildcards = (origin: string): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, `AllowedOrigin "${origin}" can not have more than one wildcard.`);

export const corsHeaderWildcards = (header: string): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, `AllowedHeader "${header}" can not have more than one wildcard.`);

export const preflightWithoutOrigin = (): S3ErrorInfo =>
  s3Error("BadRequest", 400, "Insufficient information. Origin request header needed.");

export type CorsResourceType = "BUCKET" | "OBJECT";

/** A preflight S3 refuses: 403 AccessForbidden, naming the method asked for (or OPTIONS) and what was addressed. */
export const corsForbidden = (message: string, method: string, resourceType: CorsResourceType): S3ErrorInfo =>
  s3Error("AccessForbidden", 403, `CORSResponse: ${message}`, { Method: method, ResourceType: resourceType });

export const CORS_BUCKET_NOT_FOUND = "Bucket not found";
export const CORS_NOT_ENABLED = "CORS is not enabled for this bucket.";
/** AWS's spelling ("evalution") kept. */
export const CORS_NOT_ALLOWED =
  "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

// ---- lifecycle (lifecycle.ts) ----

export const lifecycleDateNotMidnight = (value: string): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, "'Date' must be at midnight GMT", { ArgumentName: "Date", ArgumentValue: value });

export const lifecycleDuplicateTagKeys = (): S3ErrorInfo => s3Error("InvalidRequest", 400, "Duplicate Tag Keys are not allowed.");

export const invalidTransitionMinimumSize = (value: string): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, `Invalid TransitionDefaultMinimumObjectSize found: ${value}`);

export const lifecycleNoAction = (): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, "At least one action needs to be specified in a rule");

export const lifecycleDaysNotPositive = (action: string): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, `'Days' for ${action} action must be a positive integer`);

export const lifecycleIdTooLong = (): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, "ID length should not exceed allowed limit of 255", { ArgumentName: "ID" });

export const lifecycleDuplicateId = (id: string): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, "Rule ID must be unique. Found same ID for more than one rule", {
    ArgumentName: "ID",
    ArgumentValue: id,
  });

// ---- ACLs (acl.ts) ----

/** The recording has no Message element (boto3 reads None); the error document here carries an empty one. */
export const invalidCannedAcl = (value: string): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, "", { ArgumentName: "x-amz-acl", ArgumentValue: value });

export const aclArgument = (message: string, name: string, value: string): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, message, { ArgumentName: name, ArgumentValue: value });

export const missingAcl = (): S3ErrorInfo =>
  s3Error("MissingSecurityHeader", 400, "Your request was missing a required header", { MissingHeaderName: "x-amz-acl" });

export const cannedAndGrants = (): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, "Specifying both Canned ACLs and Header Grants is not allowed");

export const aclUnexpectedContent = (): S3ErrorInfo => s3Error("UnexpectedContent", 400, "This request does not support content");

export const malformedAcl = (): S3ErrorInfo =>
  s3Error("MalformedACLError", 400, "The XML you provided was not well-formed or did not validate against our published schema");

// ---- encryption (encryption.ts) ----

export const kmsKeyWithoutKms = (): S3ErrorInfo =>
  s3Error(
    "InvalidArgument",
    400,
    "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
    {
      ArgumentName: "ApplyServerSideEncryptionByDefault",
    },
  );
