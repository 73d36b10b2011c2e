/**
 * SNS topics with the real @aws-sdk/client-sns: CreateTopic (names, FIFO, attributes, tags,
 * idempotency), DeleteTopic, ListTopics paging, Get/SetTopicAttributes. Codes, statuses, texts and
 * attribute maps are the ones recorded on AWS (../shared/aws-recordings/sns/test_sns.snapshot.json,
 * TestSNSTopicCrud / TestSNSTopicCrudV2). Tags, permissions, data protection: sns-topic-policies.test.ts.
 */
import {
  DeleteTopicCommand,
  GetDataProtectionPolicyCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
  type SNSClient,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { isolatedSns, snsClient } from "./sns-clients";
import {
  createTopic,
  defaultTopicAttributes,
  effectiveTopicDeliveryPolicy,
  invalidParameter,
  queueArn,
  topicAttributesOf as attributesOf,
  topicNotFound,
} from "./sns-topic-expect";

const setAttribute = (sns: SNSClient, TopicArn: string, AttributeName: string, AttributeValue: string) =>
  sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName, AttributeValue }));

describe("CreateTopic, GetTopicAttributes, DeleteTopic", () => {
  it("creates a standard topic with AWS's default attributes; DeleteTopic is idempotent (test_create_topic_test_arn)", async () => {
    const { sns, account, region } = isolatedSns();
    const name = uniqueName("topic-test-create");
    const arn = await createTopic(sns, name);
    expect(arn).toBe(`arn:aws:sns:${region}:${account}:${name}`);
    expect(await attributesOf(sns, arn)).toEqual(defaultTopicAttributes(arn, account));

    const deleted = await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    await topicNotFound(() => sns.send(new GetTopicAttributesCommand({ TopicArn: arn })));
    expect((await sns.send(new DeleteTopicCommand({ TopicArn: arn }))).$metadata.httpStatusCode).toBe(200);
    // A topic that never existed (test_delete_non_existent_topic).
    const never = `arn:aws:sns:${region}:${account}:non-existent-${uniqueName("t")}`;
    expect((await sns.send(new DeleteTopicCommand({ TopicArn: never }))).$metadata.httpStatusCode).toBe(200);
  });

  it("creates a FIFO topic with DisplayName and SignatureVersion (test_create_topic_with_attributes)", async () => {
    const { sns, account } = isolatedSns();
    const arn = await createTopic(sns, `${uniqueName("topictest")}.fifo`, {
      Attributes: { DisplayName: "TestTopic", SignatureVersion: "2", FifoTopic: "true" },
    });
    expect(await attributesOf(sns, arn)).toEqual({
      ...defaultTopicAttributes(arn, account),
      ContentBasedDeduplication: "false",
      DisplayName: "TestTopic",
      FifoTopic: "true",
      SignatureVersion: "2",
    });
    await topicNotFound(() => sns.send(new GetTopicAttributesCommand({ TopicArn: `${arn.slice(0, -8)}${uniqueName("x")}` })));
    await invalidParameter(
      () => sns.send(new GetTopicAttributesCommand({ TopicArn: "test-topic" })),
      "TopicArn Reason: An ARN must have at least 6 elements, not 1",
    );
  });

  it("enforces AWS's topic name rules (test_create_topic_name_constraints)", async () => {
    const { sns, account, region } = isolatedSns();
    const longest = "a".repeat(256);
    expect(await createTopic(sns, longest)).toBe(`arn:aws:sns:${region}:${account}:${longest}`);
    const bad = ["", "a".repeat(257), ...[":", ";", "!", "@", "|", "^", "%", " "].map((c) => `bad${c}name`)];
    for (const name of bad) await invalidParameter(() => createTopic(sns, name), "Topic Name");
    // `.fifo` only together with FifoTopic=true, and FifoTopic=true only with `.fifo`.
    await invalidParameter(() => createTopic(sns, `${uniqueName("t")}.fifo`), "Topic Name");
    await invalidParameter(() => createTopic(sns, uniqueName("t"), { Attributes: { FifoTopic: "true" } }), "Topic Name");
  });

  it("FifoTopic=false makes a standard topic; FifoTopic cannot be set later (test_topic_get_attributes_with_fifo_false)", async () => {
    const { sns, account } = isolatedSns();
    const arn = await createTopic(sns, uniqueName("standard-topic"), { Attributes: { FifoTopic: "false" } });
    expect(await attributesOf(sns, arn)).toEqual(defaultTopicAttributes(arn, account));
    await invalidParameter(() => setAttribute(sns, arn, "FifoTopic", "false"), "AttributeName");
  });

  it("is idempotent and keeps attributes set later (test_create_topic_should_be_idempotent)", async () => {
    const { sns, account } = isolatedSns();
    const name = uniqueName("test-idempotent");
    const arn = await createTopic(sns, name);
    await setAttribute(sns, arn, "DisplayName", "AlreadySet");
    const expected = { ...defaultTopicAttributes(arn, account), DisplayName: "AlreadySet" };
    expect(await attributesOf(sns, arn)).toEqual(expected);
    expect(await createTopic(sns, name)).toBe(arn);
    expect(await attributesOf(sns, arn)).toEqual(expected);
  });

  it("refuses to re-create a topic with different attributes (test_create_topic_different_attrs)", async () => {
    const { sns, account } = isolatedSns();
    const name = uniqueName("topic");
    const arn = await createTopic(sns, name, { Attributes: { DisplayName: "Value1" } });
    expect(await createTopic(sns, name)).toBe(arn);
    expect(await createTopic(sns, name, { Attributes: { DisplayName: "Value1" } })).toBe(arn);
    expect(await attributesOf(sns, arn)).toEqual({ ...defaultTopicAttributes(arn, account), DisplayName: "Value1" });
    const different = "Attributes Reason: Topic already exists with different attributes";
    await invalidParameter(() => createTopic(sns, name, { Attributes: { DisplayName: "Value2" } }), different);
    await invalidParameter(() => createTopic(sns, name, { Attributes: { FifoTopic: "true" } }), "Topic Name");
    await invalidParameter(() => createTopic(sns, name, { Attributes: { SignatureVersion: "2" } }), different);
    await invalidParameter(
      () => createTopic(sns, name, { Attributes: { DisplayName: "Value1", SignatureVersion: "2" } }),
      different,
    );
  });

  it("is idempotent for the same or fewer tags, not for new ones (test_create_duplicate_topic_*)", async () => {
    const { sns } = isolatedSns();
    const name = uniqueName("test");
    const tags = [
      { Key: "a", Value: "1" },
      { Key: "b", Value: "2" },
    ];
    const arn = await createTopic(sns, name, { Tags: tags });
    for (const Tags of [tags, [tags[0]!], []]) expect(await createTopic(sns, name, { Tags })).toBe(arn);

    const plain = uniqueName("test-duplicated-topic-more-tags");
    await createTopic(sns, plain);
    await invalidParameter(
      () => createTopic(sns, plain, { Tags: [{ Key: "key1", Value: "value1" }] }),
      "Tags Reason: Topic already exists with different tags",
    );
  });

  it("a deleted topic's name can be reused with new tags; old tags are gone (test_create_topic_after_delete_with_new_tags)", async () => {
    const { sns } = isolatedSns();
    const name = uniqueName("test");
    const arn = await createTopic(sns, name, { Tags: [{ Key: "Name", Value: "pqr" }] });
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    expect(await createTopic(sns, name, { Tags: [{ Key: "Name", Value: "abc" }] })).toBe(arn);
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: "Name", Value: "abc" }]);
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    await createTopic(sns, name);
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([]);
  });

  it("takes every attribute at creation, including a DataProtectionPolicy", async () => {
    const { sns, account } = isolatedSns();
    const dataProtection = JSON.stringify({ Name: "p", Description: "d", Version: "2021-06-01", Statement: [] });
    const arn = await createTopic(sns, `${uniqueName("all")}.fifo`, {
      Attributes: {
        FifoTopic: "true",
        ContentBasedDeduplication: "true",
        FifoThroughputScope: "MessageGroup",
        TracingConfig: "Active",
        KmsMasterKeyId: "alias/aws/sns",
        DisplayName: "All",
      },
      DataProtectionPolicy: dataProtection,
    });
    expect(await attributesOf(sns, arn)).toEqual({
      ...defaultTopicAttributes(arn, account),
      ContentBasedDeduplication: "true",
      DisplayName: "All",
      FifoThroughputScope: "MessageGroup",
      FifoTopic: "true",
      KmsMasterKeyId: "alias/aws/sns",
      TracingConfig: "Active",
    });
    const { DataProtectionPolicy } = await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }));
    expect(JSON.parse(DataProtectionPolicy!)).toEqual(JSON.parse(dataProtection));
  });
});

describe("ListTopics", () => {
  it("pages by 100 with a NextToken (test_list_topic_paging)", async () => {
    const { sns } = isolatedSns();
    const arns: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      arns.push(
        ...(await Promise.all(Array.from({ length: 20 }, (_, i) => createTopic(sns, uniqueName(`paging-${batch}-${i}`))))),
      );
    }
    const first = await sns.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.Topics).toHaveLength(20);
    expect(second.NextToken).toBeUndefined();
    const listed = [...first.Topics!, ...second.Topics!].map((t) => t.TopicArn!);
    expect(new Set(listed).size).toBe(120);
    expect([...listed].sort()).toEqual([...arns].sort());
  }, 60_000);

  it("lists only the region's topics (test_create_topic_in_multiple_regions)", async () => {
    const east = isolatedSns("us-east-1");
    const westSns = snsClient({ accessKeyId: east.account, region: "us-west-2" });
    const name = uniqueName("multiregion");
    const eastArn = await createTopic(east.sns, name);
    const westArn = await createTopic(westSns, name);
    expect(westArn).toBe(`arn:aws:sns:us-west-2:${east.account}:${name}`);
    expect((await east.sns.send(new ListTopicsCommand({}))).Topics).toEqual([{ TopicArn: eastArn }]);
    expect((await westSns.send(new ListTopicsCommand({}))).Topics).toEqual([{ TopicArn: westArn }]);
    expect(await attributesOf(westSns, westArn)).toEqual(defaultTopicAttributes(westArn, east.account));
  });
});

describe("SetTopicAttributes", () => {
  it("sets every settable attribute of a standard topic", async () => {
    const { sns, account } = isolatedSns();
    const arn = await createTopic(sns);
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "s", Effect: "Allow", Principal: "*", Action: "SNS:Publish", Resource: arn }],
    });
    const values: Record<string, string> = {
      DisplayName: "Shown",
      Policy: policy,
      TracingConfig: "Active",
      KmsMasterKeyId: "alias/aws/sns",
      SignatureVersion: "2",
    };
    for (const p of ["HTTP", "Firehose", "Lambda", "Application", "SQS"]) {
      values[`${p}SuccessFeedbackRoleArn`] = `arn:aws:iam::${account}:role/sns-success`;
      values[`${p}SuccessFeedbackSampleRate`] = "50";
      values[`${p}FailureFeedbackRoleArn`] = `arn:aws:iam::${account}:role/sns-failure`;
    }
    for (const [name, value] of Object.entries(values)) await setAttribute(sns, arn, name, value);
    expect(await attributesOf(sns, arn)).toEqual({
      ...defaultTopicAttributes(arn, account),
      ...values,
      Policy: JSON.parse(policy),
    });
  });

  it("sets the FIFO-only attributes of a FIFO topic", async () => {
    const { sns, account } = isolatedSns();
    const arn = await createTopic(sns, `${uniqueName("t")}.fifo`, { Attributes: { FifoTopic: "true" } });
    await setAttribute(sns, arn, "ContentBasedDeduplication", "true");
    await setAttribute(sns, arn, "FifoThroughputScope", "MessageGroup");
    expect(await attributesOf(sns, arn)).toEqual({
      ...defaultTopicAttributes(arn, account),
      ContentBasedDeduplication: "true",
      FifoThroughputScope: "MessageGroup",
      FifoTopic: "true",
    });
  });

  it("refuses unknown and read-only attribute names", async () => {
    const { sns } = isolatedSns();
    const arn = await createTopic(sns);
    for (const name of ["NotAnAttribute", "TopicArn", "Owner", "SubscriptionsConfirmed", "EffectiveDeliveryPolicy"]) {
      await invalidParameter(() => setAttribute(sns, arn, name, "x"), "AttributeName");
    }
  });

  it("stores a DeliveryPolicy the way AWS returns it, and removes it when emptied (test_topic_delivery_policy_crud)", async () => {
    const { sns, account } = isolatedSns();
    const arn = await createTopic(sns, `${uniqueName("topictest")}.fifo`, {
      Attributes: {
        DisplayName: "TestTopic",
        SignatureVersion: "2",
        FifoTopic: "true",
        DeliveryPolicy: JSON.stringify({ http: { defaultRequestPolicy: { headerContentType: "application/json" } } }),
      },
    });
    const base = {
      ...defaultTopicAttributes(arn, account),
      ContentBasedDeduplication: "false",
      DisplayName: "TestTopic",
      FifoTopic: "true",
      SignatureVersion: "2",
    };
    expect(await attributesOf(sns, arn)).toEqual({
      ...base,
      DeliveryPolicy: {
        http: { disableSubscriptionOverrides: false, defaultRequestPolicy: { headerContentType: "application/json" } },
      },
      EffectiveDeliveryPolicy: effectiveTopicDeliveryPolicy("application/json"),
    });

    const retry = { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 };
    await setAttribute(sns, arn, "DeliveryPolicy", JSON.stringify({ http: { defaultHealthyRetryPolicy: retry } }));
    expect(await attributesOf(sns, arn)).toEqual({
      ...base,
      DeliveryPolicy: { http: { defaultHealthyRetryPolicy: retry, disableSubscriptionOverrides: false } },
      EffectiveDeliveryPolicy: effectiveTopicDeliveryPolicy(undefined, {
        ...retry,
        numMaxDelayRetries: 0,
        numNoDelayRetries: 0,
        numMinDelayRetries: 0,
        backoffFunction: "linear",
      }),
    });

    await setAttribute(sns, arn, "DeliveryPolicy", JSON.stringify({ http: { defaultHealthyRetryPolicy: null } }));
    expect(await attributesOf(sns, arn)).toEqual({ ...base, DeliveryPolicy: { http: { disableSubscriptionOverrides: false } } });

    await setAttribute(sns, arn, "DeliveryPolicy", "");
    expect(await attributesOf(sns, arn)).toEqual(base);
  });

  it("counts confirmed, pending and deleted subscriptions", async () => {
    const { sns, account } = isolatedSns();
    const arn = await createTopic(sns);
    const sqs = await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: "sqs", Endpoint: queueArn(account, uniqueName("q")) }),
    );
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "email", Endpoint: "someone@example.com" }));
    expect(await attributesOf(sns, arn)).toMatchObject({
      SubscriptionsConfirmed: "1",
      SubscriptionsPending: "1",
      SubscriptionsDeleted: "0",
    });
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: sqs.SubscriptionArn }));
    expect(await attributesOf(sns, arn)).toMatchObject({
      SubscriptionsConfirmed: "0",
      SubscriptionsPending: "1",
      SubscriptionsDeleted: "1",
    });
  });
});
