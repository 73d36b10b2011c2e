/** Amazon SNS: the operation table (API version 2010-03-31). */
import type { OperationTable } from "../descriptor";
import type { SnsContext } from "./context";
import { platformOperations } from "./platform";
import { publish, publishBatch } from "./publish";
import { smsOperations } from "./sms";
import {
  confirmSubscription,
  getSubscriptionAttributes,
  listSubscriptions,
  listSubscriptionsByTopic,
  setSubscriptionAttributes,
  subscribe,
  unsubscribe,
} from "./subscriptions";
import {
  addPermission,
  getDataProtectionPolicy,
  listTagsForResource,
  putDataProtectionPolicy,
  removePermission,
  tagResource,
  untagResource,
} from "./tagging";
import type { SnsOperations } from "./shapes/types";
import { createTopic, deleteTopic, getTopicAttributes, listTopics, setTopicAttributes } from "./topics";

export const snsOperations: OperationTable<SnsOperations, SnsContext> = {
  AddPermission: addPermission,
  ConfirmSubscription: confirmSubscription,
  CreateTopic: createTopic,
  DeleteTopic: deleteTopic,
  GetDataProtectionPolicy: getDataProtectionPolicy,
  GetSubscriptionAttributes: getSubscriptionAttributes,
  GetTopicAttributes: getTopicAttributes,
  ListSubscriptions: listSubscriptions,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  ListTagsForResource: listTagsForResource,
  ListTopics: listTopics,
  Publish: publish,
  PublishBatch: publishBatch,
  PutDataProtectionPolicy: putDataProtectionPolicy,
  RemovePermission: removePermission,
  SetSubscriptionAttributes: setSubscriptionAttributes,
  SetTopicAttributes: setTopicAttributes,
  Subscribe: subscribe,
  TagResource: tagResource,
  Unsubscribe: unsubscribe,
  UntagResource: untagResource,
  // Mobile push (platform.ts) and SMS (sms.ts).
  ...platformOperations,
  ...smsOperations,
};
