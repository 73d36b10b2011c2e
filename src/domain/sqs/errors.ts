/**
 * SQS errors with AWS's codes, JSON `__type`s, HTTP statuses and message texts
 * (../shared/aws-recordings/sqs and the Smithy `awsQueryError` traits; see ../shared/reference/sqs.md §3.16).
 * Functions return ErrorInfo (plain data) so Durable Objects can return them across RPC.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 */
import type { ErrorInfo } from "../errors";

/**
 * An error of the SQS model: JSON `__type` `com.amazonaws.sqs#<name>`; its query code is the name,
 * or the legacy `AWS.SimpleQueueService.<…>` code the model's awsQueryError trait gives it.
 */
const sqsError = (name: string, message: string, options: { code?: string; status?: number } = {}): ErrorInfo => ({
  code: options.code ?? name,
  type: `com.amazonaws.sqs#${name}`,
  ...(options.status === undefined ? {} : { status: options.status }),
  message,
});

const legacy = (name: string): string => `AWS.SimpleQueueService.${name}`;

/** An SQS error whose query code is the legacy `AWS.SimpleQueueService.<name>`. */
const legacyError = (name: string, message: string, status?: number): ErrorInfo =>
  sqsError(name, message, { code: legacy(name), status });

/** A Coral framework error (`com.amazon.coral.service#<type>`) under its query code. */
const coralError = (code: string, type: string, message: string, status?: number): ErrorInfo => ({
  code,
  type: `com.amazon.coral.service#${type}`,
  ...(status === undefined ? {} : { status }),
  message,
});

export const queueDoesNotExist = (): ErrorInfo => ({
  ...sqsError("QueueDoesNotExist", "The specified queue does not exist.", { code: legacy("NonExistentQueue") }),
  queryMessage: "The specified queue does not exist for this wsdl version.",
});

export const invalidParameterValue = (message: string): ErrorInfo =>
  coralError("InvalidParameterValue", "InvalidParameterValueException", message);

/** "Value X for parameter Y is invalid. Reason: Z." — AWS's wording for most parameter checks. */
export const invalidParameter = (parameter: string, value: unknown, reason?: string): ErrorInfo =>
  invalidParameterValue(`Value ${String(value)} for parameter ${parameter} is invalid.${reason ? ` Reason: ${reason}` : ""}`);

export const missingParameter = (parameter: string): ErrorInfo =>
  coralError("MissingParameter", "MissingRequiredParameterException", `The request must contain the parameter ${parameter}.`);

export const accessDenied = (message: string): ErrorInfo => coralError("AccessDenied", "AccessDeniedException", message, 403);

export const invalidAttributeName = (message: string): ErrorInfo => sqsError("InvalidAttributeName", message);

export const unknownAttribute = (name: string): ErrorInfo => invalidAttributeName(`Unknown Attribute ${name}.`);

export const invalidAttributeValue = (message: string): ErrorInfo => sqsError("InvalidAttributeValue", message);

export const queueNameExists = (attribute: string): ErrorInfo =>
  sqsError("QueueNameExists", `A queue already exists with the same name and a different value for attribute ${attribute}`, {
    code: "QueueAlreadyExists",
  });

export const queueDeletedRecently = (): ErrorInfo =>
  legacyError(
    "QueueDeletedRecently",
    "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
  );

export const purgeQueueInProgress = (queueName: string, seconds: number): ErrorInfo =>
  legacyError("PurgeQueueInProgress", `Only one PurgeQueue operation on ${queueName} is allowed every ${seconds} seconds.`, 403);

export const receiptHandleIsInvalid = (handle: string): ErrorInfo =>
  sqsError("ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`, { status: 404 });

export const invalidMessageContents = (message: string): ErrorInfo => sqsError("InvalidMessageContents", message);

export const tooManyEntriesInBatchRequest = (sent: number): ErrorInfo =>
  legacyError("TooManyEntriesInBatchRequest", `Maximum number of entries per request are 10. You have sent ${sent}.`);

export const emptyBatchRequest = (entryShape: string): ErrorInfo =>
  legacyError("EmptyBatchRequest", `There should be at least one ${entryShape} in the request.`);

export const batchEntryIdsNotDistinct = (id: string): ErrorInfo => legacyError("BatchEntryIdsNotDistinct", `Id ${id} repeated.`);

export const invalidBatchEntryId = (): ErrorInfo =>
  legacyError(
    "InvalidBatchEntryId",
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
  );

export const batchRequestTooLong = (sent: number, limit: number): ErrorInfo =>
  legacyError("BatchRequestTooLong", `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`);

export const resourceNotFound = (message: string): ErrorInfo => sqsError("ResourceNotFoundException", message, { status: 404 });

export const overLimit = (message: string): ErrorInfo => sqsError("OverLimit", message, { status: 403 });

export const unsupportedOperation = (message: string): ErrorInfo => legacyError("UnsupportedOperation", message);
