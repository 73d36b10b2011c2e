/**
 * Topic tags, permissions and data protection policies: TagResource, UntagResource,
 * ListTagsForResource, AddPermission, RemovePermission, PutDataProtectionPolicy,
 * GetDataProtectionPolicy.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_TagResource.html
 */
import type {
  AddPermissionInput,
  GetDataProtectionPolicyInput,
  ListTagsForResourceRequest,
  PutDataProtectionPolicyInput,
  RemovePermissionInput,
  TagResourceRequest,
  UntagResourceRequest,
} from "@aws-sdk/client-sns";
import { AwsError, unwrap, type ErrorInfo } from "../../domain/errors";
import { snsModel } from "./shapes/model";
import { topicRef, topicStub, type SnsContext } from "./context";
import { invalidParameter, tagLimitExceeded } from "../../domain/sns/errors";
import { topicArn } from "../../domain/sns/names";

const MAX_TAGS = 50;

export function validateTags(tags: { Key?: string; Value?: string }[]): ErrorInfo | undefined {
  if (tags.length > MAX_TAGS) return tagLimitExceeded("Could not complete request: tag quota of per resource exceeded");
  // AWS-recorded `test_tags`.
  if (new Set(tags.map((t) => t.Key)).size !== tags.length) return invalidParameter("Duplicated keys are not allowed.");
  for (const { Key = "", Value = "" } of tags) {
    if (Key.length < 1 || Key.length > 128)
      return invalidParameter(`Tags Reason: Tag key must be between 1 and 128 characters in length`);
    if (Value.length > 256) return invalidParameter(`Tags Reason: Tag value must be at most 256 characters in length`);
    if (Key.toLowerCase().startsWith("aws:")) return invalidParameter("Tags Reason: Tag keys must not start with aws:");
  }
  return undefined;
}

export async function tagResource(ctx: SnsContext, input: TagResourceRequest) {
  const ref = topicRef(ctx, "ResourceArn", input.ResourceArn);
  const problem = validateTags(input.Tags ?? []);
  if (problem) throw new AwsError(problem);
  const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key!, t.Value ?? ""]));
  unwrap(await topicStub(ctx, ref).updateTags(tags, []));
  return {};
}

export async function untagResource(ctx: SnsContext, input: UntagResourceRequest) {
  const ref = topicRef(ctx, "ResourceArn", input.ResourceArn);
  unwrap(await topicStub(ctx, ref).updateTags({}, input.TagKeys ?? []));
  return {};
}

export async function listTagsForResource(ctx: SnsContext, input: ListTagsForResourceRequest) {
  const ref = topicRef(ctx, "ResourceArn", input.ResourceArn);
  const { state } = unwrap(await topicStub(ctx, ref).describe());
  return { Tags: Object.entries(state.tags).map(([Key, Value]) => ({ Key, Value })) };
}

interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: { Sid: string; [key: string]: unknown }[];
}

/** AddPermission adds a statement to the topic policy, as AWS writes it. */
export async function addPermission(ctx: SnsContext, input: AddPermissionInput) {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  const stub = topicStub(ctx, ref);
  const { state } = unwrap(await stub.describe());
  const label = input.Label ?? "";
  const accounts = input.AWSAccountId ?? [];
  const actions = input.ActionName ?? [];
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) throw new AwsError(invalidParameter("Label"));
  if (!accounts.length) throw new AwsError(invalidParameter("AWSAccountId"));
  if (!actions.length) throw new AwsError(invalidParameter("ActionName"));
  const policy = JSON.parse(state.attributes.Policy ?? '{"Version":"2008-10-17","Statement":[]}') as PolicyDocument;
  if (policy.Statement.some((s) => s.Sid === label)) throw new AwsError(invalidParameter("Statement already exists"));
  if (actions.some((a) => !(a in snsModel.operations)))
    throw new AwsError(invalidParameter("Policy statement action out of service scope!"));
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
  unwrap(await stub.setAttributes({ Policy: JSON.stringify(policy) }));
  return {};
}

export async function removePermission(ctx: SnsContext, input: RemovePermissionInput) {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  const stub = topicStub(ctx, ref);
  const { state } = unwrap(await stub.describe());
  const policy = JSON.parse(state.attributes.Policy ?? '{"Version":"2008-10-17","Statement":[]}') as PolicyDocument;
  policy.Statement = policy.Statement.filter((s) => s.Sid !== input.Label);
  unwrap(await stub.setAttributes({ Policy: JSON.stringify(policy) }));
  return {};
}

export async function putDataProtectionPolicy(ctx: SnsContext, input: PutDataProtectionPolicyInput) {
  const ref = topicRef(ctx, "ResourceArn", input.ResourceArn);
  const policy = input.DataProtectionPolicy ?? "";
  try {
    JSON.parse(policy);
  } catch {
    throw new AwsError(invalidParameter("DataProtectionPolicy"));
  }
  unwrap(await topicStub(ctx, ref).setDataProtectionPolicy(policy));
  return {};
}

export async function getDataProtectionPolicy(ctx: SnsContext, input: GetDataProtectionPolicyInput) {
  const ref = topicRef(ctx, "ResourceArn", input.ResourceArn);
  const { state } = unwrap(await topicStub(ctx, ref).describe());
  return { DataProtectionPolicy: state.dataProtectionPolicy };
}
