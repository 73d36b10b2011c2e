/**
 * Topic tags, permissions and data protection policies: TagResource, UntagResource,
 * ListTagsForResource, AddPermission, RemovePermission, PutDataProtectionPolicy,
 * GetDataProtectionPolicy.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_TagResource.html
 */
import { fail, ok, type Problem } from "../../domain/errors";
import { snsModel } from "./shapes/model";
import { done, topicRef, topicStub, type SnsContext, type SnsHandler } from "./context";
import { invalidParameter, tagLimitExceeded } from "../../domain/sns/errors";
import { topicArn } from "../../domain/sns/names";
import type { Tag } from "./shapes/types";

const MAX_TAGS = 50;

export function validateTags(tags: Tag[]): Problem {
  if (tags.length > MAX_TAGS) return tagLimitExceeded("Could not complete request: tag quota of per resource exceeded");
  // AWS-recorded `test_tags`.
  if (new Set(tags.map((t) => t.Key)).size !== tags.length) return invalidParameter("Duplicated keys are not allowed.");
  for (const { Key, Value } of tags) {
    if (Key.length < 1 || Key.length > 128)
      return invalidParameter(`Tags Reason: Tag key must be between 1 and 128 characters in length`);
    if (Value.length > 256) return invalidParameter(`Tags Reason: Tag value must be at most 256 characters in length`);
    if (Key.toLowerCase().startsWith("aws:")) return invalidParameter("Tags Reason: Tag keys must not start with aws:");
  }
  return undefined;
}

export const tagResource: SnsHandler<"TagResource"> = async (ctx, input) => {
  const ref = topicRef(ctx, "ResourceArn", input.ResourceArn);
  if (!ref.ok) return ref;
  const problem = validateTags(input.Tags);
  if (problem) return fail(problem);
  const tags = Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value]));
  return done(topicStub(ctx, ref.value).updateTags(tags, []));
};

export const untagResource: SnsHandler<"UntagResource"> = async (ctx, input) => {
  const ref = topicRef(ctx, "ResourceArn", input.ResourceArn);
  return ref.ok ? done(topicStub(ctx, ref.value).updateTags({}, input.TagKeys)) : ref;
};

/** What the topic object holds beyond its attributes (tags, policies), for the operations below. */
async function topicState(ctx: SnsContext, arn: string) {
  const ref = topicRef(ctx, "ResourceArn", arn);
  if (!ref.ok) return ref;
  const described = await topicStub(ctx, ref.value).describe();
  return described.ok ? ok(described.value.state) : described;
}

export const listTagsForResource: SnsHandler<"ListTagsForResource"> = async (ctx, input) => {
  const state = await topicState(ctx, input.ResourceArn);
  if (!state.ok) return state;
  return ok({ Tags: Object.entries(state.value.tags).map(([Key, Value]) => ({ Key, Value })) });
};

interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: { Sid: string; [key: string]: unknown }[];
}

const EMPTY_POLICY = '{"Version":"2008-10-17","Statement":[]}';

/** The topic's policy (AddPermission and RemovePermission edit it), and the topic's object to store it in. */
async function topicPolicy(ctx: SnsContext, arn: string) {
  const ref = topicRef(ctx, "TopicArn", arn);
  if (!ref.ok) return ref;
  const stub = topicStub(ctx, ref.value);
  const described = await stub.describe();
  if (!described.ok) return described;
  const policy = JSON.parse(described.value.state.attributes.Policy ?? EMPTY_POLICY) as PolicyDocument;
  return ok({ ref: ref.value, stub, policy });
}

/** AddPermission adds a statement to the topic policy, as AWS writes it. */
export const addPermission: SnsHandler<"AddPermission"> = async (ctx, input) => {
  const topic = await topicPolicy(ctx, input.TopicArn);
  if (!topic.ok) return topic;
  const { ref, stub, policy } = topic.value;
  const { Label: label, AWSAccountId: accounts, ActionName: actions } = input;
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) return fail(invalidParameter("Label"));
  if (!accounts.length) return fail(invalidParameter("AWSAccountId"));
  if (!actions.length) return fail(invalidParameter("ActionName"));
  if (policy.Statement.some((s) => s.Sid === label)) return fail(invalidParameter("Statement already exists"));
  if (actions.some((a) => !(a in snsModel.operations)))
    return fail(invalidParameter("Policy statement action out of service scope!"));
  // One principal or action is written as a string, several as a list (AWS-recorded
  // `test_topic_add_permission`, `test_topic_add_multiple_permissions`).
  const one = (values: string[]) => (values.length === 1 ? values[0]! : values);
  policy.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: one(accounts.map((a) => `arn:aws:iam::${a}:root`)) },
    Action: one(actions.map((a) => `SNS:${a}`)),
    Resource: topicArn(ref),
  });
  return done(stub.setAttributes({ Policy: JSON.stringify(policy) }));
};

export const removePermission: SnsHandler<"RemovePermission"> = async (ctx, input) => {
  const topic = await topicPolicy(ctx, input.TopicArn);
  if (!topic.ok) return topic;
  const { stub, policy } = topic.value;
  policy.Statement = policy.Statement.filter((s) => s.Sid !== input.Label);
  return done(stub.setAttributes({ Policy: JSON.stringify(policy) }));
};

export const putDataProtectionPolicy: SnsHandler<"PutDataProtectionPolicy"> = async (ctx, input) => {
  const ref = topicRef(ctx, "ResourceArn", input.ResourceArn);
  if (!ref.ok) return ref;
  const policy = input.DataProtectionPolicy;
  if (!isJson(policy)) return fail(invalidParameter("DataProtectionPolicy"));
  return done(topicStub(ctx, ref.value).setDataProtectionPolicy(policy));
};

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export const getDataProtectionPolicy: SnsHandler<"GetDataProtectionPolicy"> = async (ctx, input) => {
  const state = await topicState(ctx, input.ResourceArn);
  return state.ok ? ok({ DataProtectionPolicy: state.value.dataProtectionPolicy }) : state;
};
