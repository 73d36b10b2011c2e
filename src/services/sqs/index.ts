/**
 * Amazon SQS: the operation table (all 23 actions of the 2012-11-05 API) and the service's wording
 * of malformed-request errors for the generic codecs.
 */
import { AwsError } from "../../domain/errors";
import type { CodecErrors } from "../../protocol/codec-errors";
import { sqsModel } from "./shapes/model";
import type { SqsHandler } from "./context";
import { cancelMessageMoveTask, listDeadLetterSourceQueues, listMessageMoveTasks, startMessageMoveTask } from "./dead-letters";
import { emptyBatchRequest, invalidParameter, missingParameter } from "../../domain/sqs/errors";
import { createQueue, deleteQueue, getQueueAttributes, getQueueUrl, listQueues, purgeQueue, setQueueAttributes } from "./queues";
import { changeMessageVisibility, changeMessageVisibilityBatch, deleteMessage, deleteMessageBatch } from "./receipts";
import { receiveMessage } from "./receive";
import { sendMessage, sendMessageBatch } from "./send";
import { addPermission, listQueueTags, removePermission, tagQueue, untagQueue } from "./tagging";

export { sqsModel };

export const sqsOperations: Record<string, SqsHandler> = {
  AddPermission: addPermission,
  CancelMessageMoveTask: cancelMessageMoveTask,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  CreateQueue: createQueue,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  DeleteQueue: deleteQueue,
  GetQueueAttributes: getQueueAttributes,
  GetQueueUrl: getQueueUrl,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  ListMessageMoveTasks: listMessageMoveTasks,
  ListQueueTags: listQueueTags,
  ListQueues: listQueues,
  PurgeQueue: purgeQueue,
  ReceiveMessage: receiveMessage,
  RemovePermission: removePermission,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  SetQueueAttributes: setQueueAttributes,
  StartMessageMoveTask: startMessageMoveTask,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
} as unknown as Record<string, SqsHandler>;

/** Batch actions answer a missing entry list with EmptyBatchRequest naming their entry shape. */
const BATCH_ENTRY_SHAPES: Record<string, string> = {
  SendMessageBatch: "SendMessageBatchRequestEntry",
  DeleteMessageBatch: "DeleteMessageBatchRequestEntry",
  ChangeMessageVisibilityBatch: "ChangeMessageVisibilityBatchRequestEntry",
};

const JSON_TYPES: Record<string, string> = {
  integer: "Integer",
  string: "String",
  boolean: "Boolean",
  list: "List",
  map: "Map",
  structure: "Structure",
  number: "Double",
  "base64 blob": "Blob",
  timestamp: "Timestamp",
};

function jsonValueKind(value: unknown): string {
  if (Array.isArray(value)) return "START_ARRAY";
  if (value !== null && typeof value === "object") return "START_OBJECT";
  if (typeof value === "string") return "STRING_VALUE";
  // Coral's token names, not Jackson's: AWS answers "STRING_VALUE can not be converted to an Integer" and
  // "NUMBER_VALUE can not be converted to a String" (aarondfrancis/sidecar#148, a Coral service).
  if (typeof value === "boolean") return value ? "TRUE_VALUE" : "FALSE_VALUE";
  return "NUMBER_VALUE";
}

/** How SQS words malformed requests, per protocol. */
export function sqsCodecErrors(operation: string, protocol: "json" | "query"): CodecErrors {
  return {
    missing(member) {
      const entryShape = BATCH_ENTRY_SHAPES[operation];
      if (entryShape && member === "Entries") return new AwsError(emptyBatchRequest(entryShape));
      return new AwsError(missingParameter(member));
    },
    invalidType(member, path, expected, value) {
      if (protocol === "query")
        return new AwsError(
          invalidParameter(member, value, `Must be ${expected === "integer" ? "an integer" : `a valid ${expected}`}.`),
        );
      const kind = jsonValueKind(value);
      const message =
        kind === "START_OBJECT"
          ? "Start of structure or map found where not expected."
          : kind === "START_ARRAY"
            ? "Start of list found where not expected"
            : `${kind} can not be converted to ${expected === "integer" ? "an" : "a"} ${JSON_TYPES[expected] ?? expected}`;
      return new AwsError({ code: "SerializationException", type: "com.amazon.coral.service#SerializationException", message });
    },
    malformed(detail) {
      if (protocol === "query") return new AwsError({ code: "MalformedQueryString", status: 404, message: detail });
      return new AwsError({
        code: "SerializationException",
        type: "com.amazon.coral.service#SerializationException",
        message: detail,
      });
    },
  };
}
