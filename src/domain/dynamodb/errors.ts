/**
 * DynamoDB's errors (AWS JSON 1.0): `__type` is `com.amazonaws.dynamodb.v20120810#<Code>` and the
 * text is in `message`. Texts from ../shared/aws-recordings/dynamodb/ where recorded.
 */
import type { ErrorInfo } from "../errors";

const NAMESPACE = "com.amazonaws.dynamodb.v20120810#";

export const dynamoError = (code: string, message: string, status = 400): ErrorInfo => ({
  code,
  type: `${NAMESPACE}${code}`,
  message,
  status,
});

/** DynamoDB's own ValidationExceptions carry Coral's validator namespace (`com.amazon.coral.validate#`). */
export const validation = (message: string): ErrorInfo => ({
  code: "ValidationException",
  type: "com.amazon.coral.validate#ValidationException",
  message,
  status: 400,
});
export const resourceNotFound = (message = "Requested resource not found") => dynamoError("ResourceNotFoundException", message);
export const resourceInUse = (message: string) => dynamoError("ResourceInUseException", message);
export const conditionalCheckFailed = (message = "The conditional request failed") =>
  dynamoError("ConditionalCheckFailedException", message);
export const limitExceeded = (message: string) => dynamoError("LimitExceededException", message);
export const transactionCanceled = (message: string) => dynamoError("TransactionCanceledException", message);
export const idempotentParameterMismatch = (message: string) => dynamoError("IdempotentParameterMismatchException", message);
// A write to an item a transaction holds between its two phases (the API reference's error list).
export const transactionConflict = (message = "Transaction is ongoing for the item") =>
  dynamoError("TransactionConflictException", message);
