/**
 * CreateBucket's rules about regions and names that exist already, as AWS applies them
 * (test_different_location_constraint, test_create_bucket_with_existing_name in the recordings):
 * - to us-east-1, no LocationConstraint means us-east-1; any other valid region (or `EU`) is taken;
 *   `us-east-1` itself, `aws-global` or nonsense is InvalidLocationConstraint;
 * - to another region, the constraint must name that region (`EU` for eu-west-1), else
 *   IllegalLocationConstraintException;
 * - an existing bucket of the caller: success again in us-east-1 (S3's legacy behaviour),
 *   BucketAlreadyOwnedByYou elsewhere; another account's: BucketAlreadyExists.
 */
import { fail, ok, type Result } from "../errors";
import type { BucketInfo } from "./contract";
import { bucketAlreadyExists, bucketAlreadyOwnedByYou, illegalLocationConstraint, invalidLocationConstraint } from "./errors";

export const US_EAST_1 = "us-east-1";
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/** The region a new bucket is in, from the endpoint's region and the request's LocationConstraint. */
export function bucketRegion(endpointRegion: string, constraint: string | undefined): Result<string> {
  if (endpointRegion === US_EAST_1) {
    if (constraint === undefined || constraint === "") return ok(US_EAST_1);
    if (constraint === "EU") return ok("EU");
    if (constraint === US_EAST_1 || !REGION.test(constraint)) return fail(invalidLocationConstraint(constraint));
    return ok(constraint);
  }
  const matching = constraint === endpointRegion || (constraint === "EU" && endpointRegion === "eu-west-1");
  return matching ? ok(constraint!) : fail(illegalLocationConstraint(constraint || undefined));
}

/** Whether creating over an existing bucket succeeds (idempotently) or which error it is. */
export function createOverExisting(existing: BucketInfo, account: string, endpointRegion: string): Result<void> {
  if (existing.owner !== account) return fail(bucketAlreadyExists(existing.name));
  if (endpointRegion === US_EAST_1 && existing.region === US_EAST_1) return ok(undefined);
  return fail(bucketAlreadyOwnedByYou(existing.name));
}
