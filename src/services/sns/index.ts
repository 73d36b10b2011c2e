/**
 * Amazon SNS: the operation table (API version 2010-03-31, query protocol only) and SNS's wording of
 * malformed-request errors.
 */
import type { CodecErrors } from "../../protocol/codec-errors";
import { AwsError } from "../../domain/errors";
import { snsModel } from "./shapes/model";
import type { SnsHandler } from "./context";
import { invalidParameter, validationError } from "../../domain/sns/errors";
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
import { createTopic, deleteTopic, getTopicAttributes, listTopics, setTopicAttributes } from "./topics";

export { snsModel };

export const snsOperations: Record<string, SnsHandler> = {
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
} as unknown as Record<string, SnsHandler>;

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** How SNS words malformed requests (query protocol only). */
export function snsCodecErrors(): CodecErrors {
  return {
    missing(member) {
      // AWS-recorded `test_unsubscribe_wrong_arn_format`.
      if (member === "SubscriptionArn")
        return new AwsError(invalidParameter("SubscriptionArn Reason: no value for required parameter"));
      return new AwsError(
        validationError(
          `1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`,
        ),
      );
    },
    invalidType(member) {
      return new AwsError(invalidParameter(member));
    },
    malformed(detail) {
      return new AwsError({ code: "MalformedQueryString", status: 400, message: detail });
    },
  };
}
