/**
 * Amazon SQS (API version 2012-11-05) as the Worker sees it: AWS JSON 1.0 (query-compatible) and the
 * AWS query protocol, also sent to queue URLs.
 */
import type { ErrorInfo } from "../../domain/errors";
import { queuePath } from "../../domain/sqs/queue-names";
import { invoker, type ServiceDescriptor } from "../descriptor";
import { sqsContext, type SqsContext } from "./context";
import { sqsOperations } from "./operations";
import { sqsModel } from "./shapes/model";
import type { SqsOperations } from "./shapes/types";
import { sqsCodecErrors } from "./wire";

/**
 * Actions that address the service, not a queue: invalid when sent to a queue URL. GetQueueUrl is
 * not among them: AWS answers it at any queue URL (LocalStack's AWS-validated
 * test_get_queue_url_works_for_same_queue / test_get_queue_url_work_for_different_queue).
 */
const SERVICE_LEVEL = new Set(["CreateQueue", "ListQueues"]);

const invalidAction = (operation: string): ErrorInfo => ({
  code: "InvalidAction",
  message: `The action ${operation} is not valid for this endpoint.`,
});

export const sqs: ServiceDescriptor = {
  name: "sqs",
  signingName: "sqs",
  model: sqsModel,
  json: { targetPrefix: "AmazonSQS", contentType: "application/x-amz-json-1.0", queryCompatible: true },
  query: {
    version: "2012-11-05",
    xmlNamespace: sqsModel.xmlNamespace ?? "",
    errorDetail: true,
    claimsPath: queuePath,
    // Sent to a queue URL, the path names the queue unless a QueueUrl parameter says otherwise
    // (LocalStack's AWS-validated test_get_send_and_receive_messages, test_overwrite_queue_url_in_params).
    pathParameters(url, params) {
      if (!params.has("QueueUrl") && queuePath(url.pathname)) params.set("QueueUrl", `${url.origin}${url.pathname}`);
    },
  },
  codecErrors: sqsCodecErrors,
  unknownOperation(operation, protocol) {
    if (protocol === "json") {
      return {
        code: "UnknownOperationException",
        type: "com.amazon.coral.service#UnknownOperationException",
        message: operation ? `Unknown operation ${operation}.` : "Unknown operation.",
      };
    }
    if (operation === undefined) return { code: "MissingAction", message: "The request must contain the parameter Action." };
    return invalidAction(operation);
  },
  checkPath(operation, { method, url }) {
    if (!queuePath(url.pathname)) return undefined;
    if (operation === undefined && method === "GET") {
      // AWS answers a bare GET of a queue URL with Coral's body-only error, not an <ErrorResponse>
      // (LocalStack's AWS-validated test_get_without_query_returns_unknown_operation).
      return new Response("<UnknownOperationException/>\n", { status: 404, headers: { "content-type": "text/xml" } });
    }
    return operation !== undefined && SERVICE_LEVEL.has(operation) ? invalidAction(operation) : undefined;
  },
  invoke: invoker<SqsOperations, SqsContext>(sqsOperations, sqsContext),
};
