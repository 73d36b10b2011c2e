/**
 * Kinesis's errors: JSON `{"__type": "<Code>", "message": "..."}` (CBOR alike), HTTP 400, with AWS's
 * wording. The wording of each message is AWS's (see ../shared/reference/sns-kinesis.md §2.5).
 */
import type { ErrorInfo } from "../errors";

const error = (code: string, message: string): ErrorInfo => ({ code, message });

export const streamNotFound = (name: string, account: string) =>
  error("ResourceNotFoundException", `Stream ${name} under account ${account} not found.`);

export const resourceNotFound = (message: string) => error("ResourceNotFoundException", message);

/** A shard the stream does not have (any more). */
export const shardNotFound = (shardId: string, stream: { name: string; account: string }) =>
  resourceNotFound(`Shard ${shardId} in stream ${stream.name} under account ${stream.account} does not exist`);
export const resourceInUse = (message: string) => error("ResourceInUseException", message);
export const invalidArgument = (message: string) => error("InvalidArgumentException", message);
export const limitExceeded = (message: string) => error("LimitExceededException", message);
export const expiredIterator = (message: string) => error("ExpiredIteratorException", message);
export const expiredNextToken = (message: string) => error("ExpiredNextTokenException", message);
export const accessDenied = (message: string) => error("AccessDeniedException", message);
export const throughputExceeded = (message: string) => error("ProvisionedThroughputExceededException", message);

/** Coral's ValidationException (see ../coral-errors.ts). */
export { validationError, type ConstraintViolation } from "../coral-errors";

/** ResourceInUseException for acting on a stream that is CREATING, UPDATING or DELETING. */
export const streamNotActive = (name: string, account: string, status: string) =>
  resourceInUse(`Stream ${name} under account ${account} not ACTIVE, instead in state ${status}`);

/** The account's shard quota (the text kinesalite recorded from AWS, §2.5 of the reference). */
export const shardLimitExceeded = (p: { account: string; region: string; current: number; limit: number; additional: number }) =>
  limitExceeded(
    `This request would exceed the shard limit for the account ${p.account} in ${p.region}. ` +
      `Current shard count for the account: ${p.current}. Limit: ${p.limit}. ` +
      `Number of additional shards that would have resulted from this request: ${p.additional}. ` +
      "Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) " +
      "for current limits and how to request higher limits.",
  );

/** The account's quota of on-demand streams (50 by default). */
export const onDemandLimitExceeded = (p: { account: string; region: string; onDemandStreamLimit: number }, current: number) =>
  limitExceeded(
    `This request would exceed the limit for on-demand streams for the account ${p.account} in ${p.region}. ` +
      `Current on-demand stream count for the account: ${current}. Limit: ${p.onDemandStreamLimit}.`,
  );
