/** Amazon SQS: the operation table, all 23 actions of the 2012-11-05 API. */
import type { SqsHandler } from "./context";
import { cancelMessageMoveTask, listDeadLetterSourceQueues, listMessageMoveTasks, startMessageMoveTask } from "./dead-letters";
import { createQueue, deleteQueue, getQueueAttributes, getQueueUrl, listQueues, purgeQueue, setQueueAttributes } from "./queues";
import { changeMessageVisibility, changeMessageVisibilityBatch, deleteMessage, deleteMessageBatch } from "./receipts";
import { receiveMessage } from "./receive";
import { sendMessage, sendMessageBatch } from "./send";
import { addPermission, listQueueTags, removePermission, tagQueue, untagQueue } from "./tagging";

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
