/**
 * What AWS returns for SNS topics and subscriptions, as recorded on AWS
 * (../shared/aws-recordings/sns/test_sns.snapshot.json): shared by the SNS control-plane suites.
 * JSON-valued attributes (Policy, EffectiveDeliveryPolicy, DeliveryPolicy, FilterPolicy…) come back as
 * strings; tests compare them parsed, since the recordings store them parsed.
 */
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  type CreateTopicInput,
  type SNSClient,
} from "@aws-sdk/client-sns";
import { expect } from "vitest";
import { awsError, uniqueName } from "./clients";

const JSON_ATTRIBUTES = new Set(["Policy", "EffectiveDeliveryPolicy", "DeliveryPolicy", "FilterPolicy", "RedrivePolicy"]);

/** An attribute map with its JSON-valued attributes parsed. */
export function parsed(attributes: Record<string, string> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes ?? {}).map(([k, v]) => [k, JSON_ATTRIBUTES.has(k) ? JSON.parse(v) : v]));
}

/** The policy every new topic gets (test_create_topic_with_attributes). */
export const defaultTopicPolicy = (topicArn: string, account: string) => ({
  Version: "2008-10-17",
  Id: "__default_policy_ID",
  Statement: [
    {
      Sid: "__default_statement_ID",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [
        "SNS:GetTopicAttributes",
        "SNS:SetTopicAttributes",
        "SNS:AddPermission",
        "SNS:RemovePermission",
        "SNS:DeleteTopic",
        "SNS:Subscribe",
        "SNS:ListSubscriptionsByTopic",
        "SNS:Publish",
      ],
      Resource: topicArn,
      Condition: { StringEquals: { "AWS:SourceOwner": account } },
    },
  ],
});

export const DEFAULT_HEALTHY_RETRY = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: "linear",
};

/** A topic's EffectiveDeliveryPolicy with the given content type (default: AWS's). */
export const effectiveTopicDeliveryPolicy = (
  headerContentType = "text/plain; charset=UTF-8",
  defaultHealthyRetryPolicy: Record<string, unknown> = DEFAULT_HEALTHY_RETRY,
) => ({
  http: {
    defaultHealthyRetryPolicy,
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType },
  },
});

/** GetTopicAttributes of a topic nobody has touched (test_create_topic_test_arn), parsed. */
export const defaultTopicAttributes = (topicArn: string, account: string) => ({
  DisplayName: "",
  EffectiveDeliveryPolicy: effectiveTopicDeliveryPolicy(),
  Owner: account,
  Policy: defaultTopicPolicy(topicArn, account),
  SubscriptionsConfirmed: "0",
  SubscriptionsDeleted: "0",
  SubscriptionsPending: "0",
  TopicArn: topicArn,
});

/** Expects an SNS error with AWS's code, HTTP status and exact message. */
export async function expectSnsError(
  call: () => Promise<unknown>,
  code: string,
  status: number,
  message: string | RegExp,
): Promise<void> {
  const error = await awsError(call);
  expect({ code: error.code ?? error.name, status: error.status }).toEqual({ code, status });
  if (typeof message === "string") expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

export const invalidParameter = (call: () => Promise<unknown>, detail: string) =>
  expectSnsError(call, "InvalidParameter", 400, `Invalid parameter: ${detail}`);

export const topicNotFound = (call: () => Promise<unknown>) => expectSnsError(call, "NotFound", 404, "Topic does not exist");

export const subscriptionNotFound = (call: () => Promise<unknown>) =>
  expectSnsError(call, "NotFound", 404, "Subscription does not exist");

/** A queue ARN in the caller's account (SNS does not check that the queue exists: test_subscribe_unknown_sqs_queue). */
export const queueArn = (account: string, name: string, region = "us-east-1") => `arn:aws:sqs:${region}:${account}:${name}`;

export async function createTopic(sns: SNSClient, name = uniqueName("topic"), extra: Partial<CreateTopicInput> = {}) {
  return (await sns.send(new CreateTopicCommand({ Name: name, ...extra }))).TopicArn!;
}

export const createFifoTopic = (sns: SNSClient) =>
  createTopic(sns, `${uniqueName("topic")}.fifo`, { Attributes: { FifoTopic: "true" } });

export const topicAttributesOf = async (sns: SNSClient, TopicArn: string) =>
  parsed((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes);

/** Subscribe with ReturnSubscriptionArn, so pending subscriptions show their ARN too. */
export const subscribe = async (
  sns: SNSClient,
  TopicArn: string,
  Protocol: string,
  Endpoint: string,
  Attributes?: Record<string, string>,
) =>
  (await sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint, Attributes, ReturnSubscriptionArn: true })))
    .SubscriptionArn!;

export const subscriptionAttributesOf = async (sns: SNSClient, SubscriptionArn: string) =>
  parsed((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes);

export const setSubscriptionAttribute = (
  sns: SNSClient,
  SubscriptionArn: string,
  AttributeName: string,
  AttributeValue: string,
) => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));

/**
 * GetSubscriptionAttributes of a same-account SQS subscription (test_subscribe_attributes…). The
 * principal is the calling IAM user; locally that is `user/<access key>`, and isolatedSns's key is the account.
 */
export const sqsSubscriptionAttributes = (account: string, topicArn: string, subscriptionArn: string, endpoint: string) => ({
  ConfirmationWasAuthenticated: "true",
  Endpoint: endpoint,
  Owner: account,
  PendingConfirmation: "false",
  Protocol: "sqs",
  RawMessageDelivery: "false",
  SubscriptionArn: subscriptionArn,
  SubscriptionPrincipal: `arn:aws:iam::${account}:user/${account}`,
  TopicArn: topicArn,
});
