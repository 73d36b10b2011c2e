/** Amazon SQS: the operation table, all 23 actions of the 2012-11-05 API, checked against the generated shapes. */
import type { OperationTable } from "../descriptor";
import type { SqsOperations } from "./shapes/types";
import type { SqsContext } from "./context";
import { cancelMessageMoveTask, listMessageMoveTasks, startMessageMoveTask } from "./dead-letters";
import { listDeadLetterSourceQueues, listQueues } from "./listing";
import { createQueue, deleteQueue, getQueueAttributes, getQueueUrl, purgeQueue, setQueueAttributes } from "./queues";
import { changeMessageVisibility, changeMessageVisibilityBatch, deleteMessage, deleteMessageBatch } from "./receipts";
import { receiveMessage } from "./receive";
import { sendMessage, sendMessageBatch } from "./send";
import { addPermission, listQueueTags, removePermission, tagQueue, untagQueue } from "./tagging";

/**
 * The generated interface as a plain object type: `OperationShapes` is a Record, and an interface has
 * no implicit index signature (a mapped type has).
 */

export const sqsOperations: OperationTable<SqsOperations, SqsContext> = {
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
};
