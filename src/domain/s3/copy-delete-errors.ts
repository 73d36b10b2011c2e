/**
 * The errors of DeleteObjects and CopyObject, with AWS's codes, statuses and texts
 * (../shared/aws-recordings/s3: test_s3.snapshot.json test_s3_copy_object_*, test_s3_api.snapshot.json
 * test_delete_objects; the missing Content-MD5 wording as AWS answers it in aws-cli#400, aws-sdk-cpp#91).
 */
import { s3Error, type S3ErrorInfo } from "./errors";

/** DeleteObjects without Content-MD5 or any x-amz-checksum-* for its body. */
export const missingContentMd5 = (): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, "Missing required header for this request: Content-MD5");

/** x-amz-sdk-checksum-algorithm names an algorithm whose value is sent neither as a header nor as a trailer. */
export const checksumAlgorithmWithoutValue = (): S3ErrorInfo =>
  s3Error(
    "InvalidRequest",
    400,
    "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.",
  );

/** A version id the bucket does not have (an unversioned bucket has only `null`). */
export const noSuchVersion = (key: string, versionId: string): S3ErrorInfo =>
  s3Error("NoSuchVersion", 404, "The specified version does not exist.", { Key: key, VersionId: versionId });

/** x-amz-copy-source without a `/` between bucket and key (recorded: ArgumentValue is the header's name). */
export const invalidCopySource = (): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, "Invalid copy source object key", {
    ArgumentName: "x-amz-copy-source",
    ArgumentValue: "x-amz-copy-source",
  });

export const copyToItself = (): S3ErrorInfo =>
  s3Error(
    "InvalidRequest",
    400,
    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
  );

export const copySourceTooLarge = (max: number): S3ErrorInfo =>
  s3Error("InvalidRequest", 400, `The specified copy source is larger than the maximum allowable size for a copy source: ${max}`);

export const unknownMetadataDirective = (value: string): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, "Unknown metadata directive.", {
    ArgumentName: "x-amz-metadata-directive",
    ArgumentValue: value,
  });

export const unknownTaggingDirective = (value: string): S3ErrorInfo =>
  s3Error("InvalidArgument", 400, "Unknown tagging directive.", {
    ArgumentName: "x-amz-tagging-directive",
    ArgumentValue: value,
  });
