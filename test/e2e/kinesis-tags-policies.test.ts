/**
 * Kinesis tags and resource policies with the real @aws-sdk/client-kinesis: AddTagsToStream,
 * RemoveTagsFromStream, ListTagsForStream paging, CreateStream tags, TagResource / UntagResource /
 * ListTagsForResource on stream ARNs, the 50-tag quota and AWS's texts, Put/Get/DeleteResourcePolicy
 * (recorded: test_add_tags_to_stream, test_resource_policy_crud).
 */
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DeleteResourcePolicyCommand,
  DeleteStreamCommand,
  GetResourcePolicyCommand,
  ListTagsForResourceCommand,
  ListTagsForStreamCommand,
  PutResourcePolicyCommand,
  RegisterStreamConsumerCommand,
  RemoveTagsFromStreamCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { isolatedKinesis } from "./kinesis-clients";
import { createActiveStream, expectKinesisError, notFound, waitForStatus } from "./kinesis-stream-helpers";

describe("stream tags", () => {
  it("adds, lists (sorted, paged), overwrites and removes tags (test_add_tags_to_stream)", async () => {
    const { kinesis } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { foo: "bar" } }));
    const listed = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }));
    expect(listed.Tags).toEqual([{ Key: "foo", Value: "bar" }]);
    expect(listed.HasMoreTags).toBe(false);
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { c: "3", a: "1", b: "2", foo: "baz" } }));
    const page = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name, Limit: 2 }));
    expect(page.Tags).toEqual([
      { Key: "a", Value: "1" },
      { Key: "b", Value: "2" },
    ]);
    expect(page.HasMoreTags).toBe(true);
    const rest = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name, ExclusiveStartTagKey: "b" }));
    expect(rest.Tags).toEqual([
      { Key: "c", Value: "3" },
      { Key: "foo", Value: "baz" },
    ]);
    await kinesis.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ["a", "foo", "missing"] }));
    const after = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }));
    expect(after.Tags!.map((t) => t.Key)).toEqual(["b", "c"]);
  });

  it("takes tags at CreateStream; refuses more than 50 and bad characters with AWS's texts", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = uniqueName("s");
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: { team: "data" } }));
    expect((await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags).toEqual([
      { Key: "team", Value: "data" },
    ]);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]));
    await expectKinesisError(
      kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: many })),
      "InvalidArgumentException",
      `Failed to add tags to stream ${name} under account ${account} because a given stream cannot have more than 50 tags associated with it.`,
    );
    await expectKinesisError(
      kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { "a!": "b" } })),
      "InvalidArgumentException",
      "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.",
    );
    await expectKinesisError(
      kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { "a%": "b" } })),
      "InvalidArgumentException",
      `Failed to add tags to stream ${name} under account ${account} because some tags contained illegal characters. ` +
        "The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'.",
    );
    await expectKinesisError(
      kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { ["k".repeat(129)]: "v" } })),
      "ValidationException",
      `1 validation error detected: Value '{${"k".repeat(129)}=v}' at 'tags' failed to satisfy constraint: ` +
        "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]",
    );
    await expectKinesisError(
      kinesis.send(new AddTagsToStreamCommand({ StreamName: "nope", Tags: { a: "b" } })),
      "ResourceNotFoundException",
      notFound("nope", account),
    );
  });
});

describe("TagResource, UntagResource, ListTagsForResource", () => {
  it("tags a stream by ARN", async () => {
    const { kinesis, account, region } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    const ResourceARN = `arn:aws:kinesis:${region}:${account}:stream/${name}`;
    await kinesis.send(new TagResourceCommand({ ResourceARN, Tags: { env: "test", owner: "me" } }));
    expect((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN }))).Tags).toEqual([
      { Key: "env", Value: "test" },
      { Key: "owner", Value: "me" },
    ]);
    await kinesis.send(new UntagResourceCommand({ ResourceARN, TagKeys: ["env"] }));
    expect((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN }))).Tags).toEqual([{ Key: "owner", Value: "me" }]);
    expect((await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags).toEqual([
      { Key: "owner", Value: "me" },
    ]);
    await expectKinesisError(
      kinesis.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:kinesis:${region}:${account}:stream/missing` })),
      "ResourceNotFoundException",
      notFound("missing", account),
    );
  });
});

describe("resource policies", () => {
  it("is {} when unset, then what was put, then {} again (test_resource_policy_crud)", async () => {
    const { kinesis, account, region } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    const ResourceARN = `arn:aws:kinesis:${region}:${account}:stream/${name}`;
    expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN }))).Policy).toBe("{}");
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowCrossAccountWrite",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: "kinesis:PutRecord",
          Resource: ResourceARN,
        },
      ],
    };
    await kinesis.send(new PutResourcePolicyCommand({ ResourceARN, Policy: JSON.stringify(policy) }));
    expect(JSON.parse((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN }))).Policy!)).toEqual(policy);
    await kinesis.send(new DeleteResourcePolicyCommand({ ResourceARN }));
    expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN }))).Policy).toBe("{}");
  });
});

describe("consumers as resources", () => {
  it("tags and policies on a consumer ARN; DeleteStream needs EnforceConsumerDeletion while consumers exist", async () => {
    const { kinesis, account, region } = isolatedKinesis();
    const name = uniqueName("s");
    await createActiveStream(kinesis, name);
    const StreamARN = `arn:aws:kinesis:${region}:${account}:stream/${name}`;
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: "c1" }));
    const ResourceARN = Consumer!.ConsumerARN!;
    await kinesis.send(new TagResourceCommand({ ResourceARN, Tags: { role: "reader" } }));
    expect((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN }))).Tags).toEqual([
      { Key: "role", Value: "reader" },
    ]);
    expect((await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags).toEqual([]);
    await kinesis.send(new PutResourcePolicyCommand({ ResourceARN, Policy: '{"Version":"2012-10-17","Statement":[]}' }));
    expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN }))).Policy).toBe(
      '{"Version":"2012-10-17","Statement":[]}',
    );
    expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: StreamARN }))).Policy).toBe("{}");
    await expectKinesisError(
      kinesis.send(new ListTagsForResourceCommand({ ResourceARN: `${StreamARN}/consumer/nope:1700000000` })),
      "ResourceNotFoundException",
    );
    await expectKinesisError(kinesis.send(new DeleteStreamCommand({ StreamName: name })), "ResourceInUseException");
    await kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
    await waitForStatus(kinesis, name, "GONE");
  });
});
