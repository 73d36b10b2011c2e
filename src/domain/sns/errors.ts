/**
 * SNS errors: codes and HTTP statuses from the SNS model, message texts as AWS words them
 * (../shared/aws-recordings/sns, ../shared/reference/sns-kinesis.md §1.2). SNS speaks only the query
 * protocol, so only the code, status and message matter on the wire.
 */
import type { ErrorInfo } from "../errors";

const error = (code: string, status: number, message: string): ErrorInfo => ({ code, status, message });

/** "Invalid parameter: …" — the most common SNS error. */
export const invalidParameter = (detail: string): ErrorInfo => error("InvalidParameter", 400, `Invalid parameter: ${detail}`);

/** InvalidParameter worded without "Invalid parameter: " (SMS endpoints and attributes, tokens: AWS-recorded). */
export const invalidParameterText = (message: string): ErrorInfo => error("InvalidParameter", 400, message);

/** The operations that take subscription attributes; they word attribute errors differently. */
export type SubscriptionAttributeOperation = "Subscribe" | "SetSubscriptionAttributes";

/**
 * A bad subscription attribute: Subscribe says "Invalid parameter: Attributes Reason: <detail>",
 * SetSubscriptionAttributes just "Invalid parameter: <detail>" (test_sns_filter_policy.snapshot.json).
 */
export const invalidSubscriptionAttribute = (detail: string, operation: SubscriptionAttributeOperation): ErrorInfo =>
  invalidParameter(operation === "Subscribe" ? `Attributes Reason: ${detail}` : detail);

export const invalidParameterValue = (message: string): ErrorInfo => error("ParameterValueInvalid", 400, message);

export const notFound = (message: string): ErrorInfo => error("NotFound", 404, message);

export const topicNotFound = (): ErrorInfo => notFound("Topic does not exist");

export const authorizationError = (message: string): ErrorInfo => error("AuthorizationError", 403, message);

export const validationError = (message: string): ErrorInfo => error("ValidationError", 400, message);

export const topicLimitExceeded = (): ErrorInfo => error("TopicLimitExceeded", 403, "Topic limit exceeded");

export const filterPolicyLimitExceeded = (): ErrorInfo => error("FilterPolicyLimitExceeded", 403, "Filter policy limit exceeded");

export const subscriptionLimitExceeded = (): ErrorInfo => error("SubscriptionLimitExceeded", 403, "Subscription limit exceeded");

export const tagLimitExceeded = (message: string): ErrorInfo => error("TagLimitExceeded", 400, message);

export const tooManyEntriesInBatchRequest = (): ErrorInfo =>
  error("TooManyEntriesInBatchRequest", 400, "The batch request contains more entries than permissible.");

export const batchEntryIdsNotDistinct = (): ErrorInfo =>
  error("BatchEntryIdsNotDistinct", 400, "Two or more batch entries in the request have the same Id.");

export const emptyBatchRequest = (): ErrorInfo =>
  error("EmptyBatchRequest", 400, "The batch request doesn't contain any entries.");

export const invalidBatchEntryId = (id: string): ErrorInfo =>
  error(
    "InvalidBatchEntryId",
    400,
    id.length > 80
      ? `The Id of a batch entry in the batch request is too long: ${id}`
      : `The Id of a batch entry in the batch request contains an impermissible character: ${id}`,
  );

export const batchRequestTooLong = (): ErrorInfo =>
  error("BatchRequestTooLong", 400, "The length of all the messages put together is more than the limit.");

export const resourceNotFound = (message: string): ErrorInfo => error("ResourceNotFound", 404, message);

export const optedOut = (message: string): ErrorInfo => error("OptedOut", 400, message);

export const verificationException = (message: string): ErrorInfo => error("VerificationException", 400, message);

export const endpointDisabled = (): ErrorInfo => error("EndpointDisabled", 400, "Endpoint is disabled");

export const platformApplicationDisabled = (): ErrorInfo =>
  error("PlatformApplicationDisabled", 400, "Platform application is disabled");

export const missingAction = (): ErrorInfo => ({
  code: "MissingAction",
  message: "The request must contain the parameter Action.",
});

export const invalidAction = (operation: string): ErrorInfo => ({
  code: "InvalidAction",
  message: `The action ${operation} is not valid for this web service.`,
});

export const malformedQueryString = (detail: string): ErrorInfo => error("MalformedQueryString", 400, detail);

export const internalError = (): ErrorInfo => error("InternalError", 500, "Internal Error");
