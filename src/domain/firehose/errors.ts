/**
 * Amazon Data Firehose's errors (AWS JSON 1.1, `__type` is the bare code). Texts as AWS words them
 * (../shared/reference/missing-parts.md §1.1); constraint violations are Coral's ValidationException.
 */
import type { ErrorInfo } from "../errors";

const error = (code: string, message: string, status = 400): ErrorInfo => ({ code, message, status });

export const invalidArgument = (message: string) => error("InvalidArgumentException", message);
export const resourceInUse = (message: string) => error("ResourceInUseException", message);
export const resourceNotFound = (message: string) => error("ResourceNotFoundException", message);
export const limitExceeded = (message: string) => error("LimitExceededException", message);
export const concurrentModification = (message: string) => error("ConcurrentModificationException", message);
export const invalidKmsResource = (message: string) => error("InvalidKMSResourceException", message);
export const invalidSource = (message: string) => error("InvalidSourceException", message);
export const serviceUnavailable = (message: string) => error("ServiceUnavailableException", message, 503);

export const streamExists = (name: string, account: string) =>
  resourceInUse(`Firehose ${name} under accountId ${account} already exists`);

export const streamNotFound = (name: string, account: string) =>
  resourceNotFound(`Firehose ${name} under account ${account} not found.`);

export const streamNotActive = (name: string, account: string, status: string) =>
  resourceInUse(`Firehose ${name} under account ${account} is currently in ${status} state and cannot be updated.`);

/** Put on a stream that reads from Kinesis (missing-parts §1.1). */
export const putOnKinesisSource = () =>
  invalidArgument("This operation is not permitted on KinesisStreamAsSource delivery stream type.");

/** An option AWS has that this emulator does not carry out: said, never silently accepted. */
export const notSupported = (what: string) =>
  invalidArgument(`${what} is not supported by this emulator (Amazon Data Firehose accepts it; see the README).`);

export { validationError, type ConstraintViolation } from "../coral-errors";
