/** Amazon SQS as the dispatcher sees it: protocols, errors for unknown actions, and invocation. */
import { queuePath } from "../../protocol/detect";
import { AwsError } from "../../domain/errors";
import type { ServiceDefinition } from "../../protocol/service";
import { sqsCodecErrors, sqsModel, sqsOperations } from "./index";

/**
 * Actions that address the service, not a queue: invalid when sent to a queue URL. GetQueueUrl is
 * not among them: AWS answers it at any queue URL (LocalStack's AWS-validated
 * test_get_queue_url_works_for_same_queue / test_get_queue_url_work_for_different_queue).
 */
const SERVICE_LEVEL = new Set(["CreateQueue", "ListQueues"]);

export const sqsService: ServiceDefinition = {
  signingName: "sqs",
  model: sqsModel,
  targetPrefix: "AmazonSQS",
  queryVersion: "2012-11-05",
  jsonContentType: "application/x-amz-json-1.0",
  queryCompatible: true,
  codecErrors: sqsCodecErrors,
  unknownOperation(operation, protocol) {
    if (protocol === "json") {
      return new AwsError({
        code: "UnknownOperationException",
        type: "com.amazon.coral.service#UnknownOperationException",
        message: operation ? `Unknown operation ${operation}.` : "Unknown operation.",
      });
    }
    if (operation === undefined) {
      return new AwsError({ code: "MissingAction", message: "The request must contain the parameter Action." });
    }
    return new AwsError({ code: "InvalidAction", message: `The action ${operation} is not valid for this endpoint.` });
  },
  checkPath(operation, url) {
    if (SERVICE_LEVEL.has(operation) && queuePath(url.pathname)) {
      return new AwsError({ code: "InvalidAction", message: `The action ${operation} is not valid for this endpoint.` });
    }
    return undefined;
  },
  invoke(operation, input, info) {
    const handler = sqsOperations[operation]!;
    const path = info.url.pathname;
    return handler(
      {
        env: info.env,
        account: info.caller.account,
        region: info.caller.region,
        origin: info.origin,
        senderId: info.caller.accessKeyId,
        // SQS has no CBOR protocol: the dispatcher never hands it one.
        protocol: info.protocol === "query" ? "query" : "json",
        strict: info.caller.strict,
        queueUrlFromPath: info.protocol === "query" && queuePath(path) ? `${info.origin}${path}` : undefined,
      },
      input,
    );
  },
};
