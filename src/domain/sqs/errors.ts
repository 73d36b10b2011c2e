/**
 * SQS errors with AWS's codes, JSON `__type`s, HTTP statuses and message texts
 * (../shared/aws-recordings/sqs and the Smithy `awsQueryError` traits; see ../shared/reference/sqs.md §3.16).
 * Functions return ErrorInfo (plain data) so Durable Objects can return them across RPC.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 */
import type { ErrorInfo } from "../errors";

const SQS = "com.amazonaws.sqs#";
const CORAL = "com.amazon.coral.service#";

export const queueDoesNotExist = (): ErrorInfo => ({
  code: "AWS.SimpleQueueService.NonExistentQueue",
  type: `${SQS}QueueDoesNotExist`,
  message: "The specified queue does not exist.",
  queryMessage: "The specified queue does not exist for this wsdl version.",
});

export const invalidParameterValue = (message: string): ErrorInfo => ({
  code: "InvalidParameterValue",
  type: `${CORAL}InvalidParameterValueException`,
  message,
});

/** "Value X for parameter Y is invalid. Reason: Z." — AWS's wording for most parameter checks. */
export const invalidParameter = (parameter: string, value: unknown, reason?: string): ErrorInfo =>
  invalidParameterValue(`Value ${String(value)} for parameter ${parameter} is invalid.${reason ? ` Reason: ${reason}` : ""}`);

export const missingParameter = (parameter: string): ErrorInfo => ({
  code: "MissingParameter",
  type: `${CORAL}MissingRequiredParameterException`,
  message: `The request must contain the parameter ${parameter}.`,
});

export const invalidAttributeName = (message: string): ErrorInfo => ({
  code: "InvalidAttributeName",
  type: `${SQS}InvalidAttributeName`,
  message,
});

export const unknownAttribute = (name: string): ErrorInfo => invalidAttributeName(`Unknown Attribute ${name}.`);

export const invalidAttributeValue = (message: string): ErrorInfo => ({
  code: "InvalidAttributeValue",
  type: `${SQS}InvalidAttributeValue`,
  message,
});

export const queueNameExists = (attribute: string): ErrorInfo => ({
  code: "QueueAlreadyExists",
  type: `${SQS}QueueNameExists`,
  message: `A queue already exists with the same name and a different value for attribute ${attribute}`,
});

export const queueDeletedRecently = (): ErrorInfo => ({
  code: "AWS.SimpleQueueService.QueueDeletedRecently",
  type: `${SQS}QueueDeletedRecently`,
  message: "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
});

export const purgeQueueInProgress = (queueName: string, seconds: number): ErrorInfo => ({
  code: "AWS.SimpleQueueService.PurgeQueueInProgress",
  type: `${SQS}PurgeQueueInProgress`,
  status: 403,
  message: `Only one PurgeQueue operation on ${queueName} is allowed every ${seconds} seconds.`,
});

export const receiptHandleIsInvalid = (handle: string): ErrorInfo => ({
  code: "ReceiptHandleIsInvalid",
  type: `${SQS}ReceiptHandleIsInvalid`,
  status: 404,
  message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
});

export const invalidMessageContents = (message: string): ErrorInfo => ({
  code: "InvalidMessageContents",
  type: `${SQS}InvalidMessageContents`,
  message,
});

export const tooManyEntriesInBatchRequest = (sent: number): ErrorInfo => ({
  code: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
  type: `${SQS}TooManyEntriesInBatchRequest`,
  message: `Maximum number of entries per request are 10. You have sent ${sent}.`,
});

export const emptyBatchRequest = (entryShape: string): ErrorInfo => ({
  code: "AWS.SimpleQueueService.EmptyBatchRequest",
  type: `${SQS}EmptyBatchRequest`,
  message: `There should be at least one ${entryShape} in the request.`,
});

export const batchEntryIdsNotDistinct = (id: string): ErrorInfo => ({
  code: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
  type: `${SQS}BatchEntryIdsNotDistinct`,
  message: `Id ${id} repeated.`,
});

export const invalidBatchEntryId = (): ErrorInfo => ({
  code: "AWS.SimpleQueueService.InvalidBatchEntryId",
  type: `${SQS}InvalidBatchEntryId`,
  message:
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
});

export const batchRequestTooLong = (sent: number, limit: number): ErrorInfo => ({
  code: "AWS.SimpleQueueService.BatchRequestTooLong",
  type: `${SQS}BatchRequestTooLong`,
  message: `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`,
});

export const resourceNotFound = (message: string): ErrorInfo => ({
  code: "ResourceNotFoundException",
  type: `${SQS}ResourceNotFoundException`,
  status: 404,
  message,
});

export const overLimit = (message: string): ErrorInfo => ({
  code: "OverLimit",
  type: `${SQS}OverLimit`,
  status: 403,
  message,
});

export const unsupportedOperation = (message: string): ErrorInfo => ({
  code: "AWS.SimpleQueueService.UnsupportedOperation",
  type: `${SQS}UnsupportedOperation`,
  message,
});

export const accessDenied = (message: string): ErrorInfo => ({
  code: "AccessDenied",
  type: `${CORAL}AccessDeniedException`,
  status: 403,
  message,
});
