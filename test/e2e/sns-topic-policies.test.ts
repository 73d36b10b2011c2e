/**
 * SNS topic tags, permissions and data protection policies with the real @aws-sdk/client-sns:
 * TagResource, UntagResource, ListTagsForResource, AddPermission, RemovePermission,
 * Put/GetDataProtectionPolicy. Texts and documents as recorded on AWS
 * (../shared/aws-recordings/sns/test_sns.snapshot.json, TestSNSTopicCrud::test_tags, TestSNSTopicCrudV2).
 */
import {
  AddPermissionCommand,
  GetDataProtectionPolicyCommand,
  ListTagsForResourceCommand,
  PutDataProtectionPolicyCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type SNSClient,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { isolatedSns } from "./sns-clients";
import {
  createTopic,
  defaultTopicAttributes,
  defaultTopicPolicy,
  expectSnsError,
  invalidParameter,
  topicAttributesOf,
  topicNotFound,
} from "./sns-topic-expect";

const attributesOf = (sns: SNSClient, TopicArn: string) => topicAttributesOf(sns, TopicArn);

describe("tags, permissions, data protection", () => {
  it("tags, untags, updates; duplicate keys are refused (test_tags, test_tags_removed_after_deletion)", async () => {
    const { sns } = isolatedSns();
    const arn = await createTopic(sns);
    const list = async () => (await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags!;
    const tag = (Tags: { Key: string; Value: string }[]) => sns.send(new TagResourceCommand({ ResourceArn: arn, Tags }));
    await invalidParameter(
      () =>
        tag([
          { Key: "k1", Value: "v1" },
          { Key: "k2", Value: "v2" },
          { Key: "k2", Value: "v2" },
        ]),
      "Duplicated keys are not allowed.",
    );
    expect(await list()).toEqual([]);
    await tag([
      { Key: "k1", Value: "v1" },
      { Key: "k2", Value: "v2" },
    ]);
    expect([...(await list())].sort((a, b) => a.Key!.localeCompare(b.Key!))).toEqual([
      { Key: "k1", Value: "v1" },
      { Key: "k2", Value: "v2" },
    ]);
    await sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["k1"] }));
    expect(await list()).toEqual([{ Key: "k2", Value: "v2" }]);
    await tag([{ Key: "k2", Value: "v2b" }]);
    expect(await list()).toEqual([{ Key: "k2", Value: "v2b" }]);
    // At most 50 tags per topic.
    await tag(Array.from({ length: 49 }, (_, i) => ({ Key: `t${i}`, Value: "v" })));
    await expectSnsError(
      () => tag([{ Key: "one-too-many", Value: "v" }]),
      "TagLimitExceeded",
      400,
      "Could not complete request: tag quota of per resource exceeded",
    );
    expect(await list()).toHaveLength(50);
  });

  it("AddPermission adds a statement as AWS writes it; RemovePermission takes it away (test_topic_add_permission…)", async () => {
    const { sns, account } = isolatedSns();
    const arn = await createTopic(sns);
    const policy = async () => (await attributesOf(sns, arn)).Policy as ReturnType<typeof defaultTopicPolicy>;
    await sns.send(new AddPermissionCommand({ TopicArn: arn, Label: "test", AWSAccountId: [account], ActionName: ["Publish"] }));
    const single = {
      Sid: "test",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: "SNS:Publish",
      Resource: arn,
    };
    expect(await policy()).toEqual({
      ...defaultTopicPolicy(arn, account),
      Statement: [defaultTopicPolicy(arn, account).Statement[0], single],
    });
    await invalidParameter(
      () =>
        sns.send(new AddPermissionCommand({ TopicArn: arn, Label: "test", AWSAccountId: [account], ActionName: ["Subscribe"] })),
      "Statement already exists",
    );
    await invalidParameter(
      () =>
        sns.send(
          new AddPermissionCommand({
            TopicArn: arn,
            Label: "test-2",
            AWSAccountId: [account],
            ActionName: ["NotExistingAction"],
          }),
        ),
      "Policy statement action out of service scope!",
    );
    await topicNotFound(() =>
      sns.send(
        new AddPermissionCommand({
          TopicArn: `${arn}-not-existing`,
          Label: "x",
          AWSAccountId: [account],
          ActionName: ["Publish"],
        }),
      ),
    );
    await sns.send(new RemovePermissionCommand({ TopicArn: arn, Label: "test" }));
    expect(await policy()).toEqual(defaultTopicPolicy(arn, account));

    await sns.send(
      new AddPermissionCommand({ TopicArn: arn, Label: "test", AWSAccountId: [account], ActionName: ["Publish", "Subscribe"] }),
    );
    expect((await policy()).Statement[1]).toEqual({ ...single, Action: ["SNS:Publish", "SNS:Subscribe"] });
    await sns.send(new RemovePermissionCommand({ TopicArn: arn, Label: "non-existing" }));
    await topicNotFound(() => sns.send(new RemovePermissionCommand({ TopicArn: `${arn}-not-existing`, Label: "test" })));
  });

  it("Put/GetDataProtectionPolicy; the policy is not a topic attribute (test_data_protection_policy_crud)", async () => {
    const { sns, account, region } = isolatedSns();
    const arn = await createTopic(sns);
    const policy = {
      Name: "data_protection_policy",
      Description: "Test Policy",
      Version: "2021-06-01",
      Statement: [
        {
          Sid: "test-statement",
          DataDirection: "Inbound",
          Principal: ["*"],
          DataIdentifier: [`arn:aws:dataprotection:${region}::data-identifier/EmailAddress`],
          Operation: { Deny: {} },
        },
      ],
    };
    await sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: JSON.stringify(policy) }));
    const got = await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }));
    expect(JSON.parse(got.DataProtectionPolicy!)).toEqual(policy);
    expect(await attributesOf(sns, arn)).toEqual(defaultTopicAttributes(arn, account));
  });
});
