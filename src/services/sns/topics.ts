/**
 * Topics: CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
 */
import type { CreateTopicInput, GetTopicAttributesInput, ListTopicsInput, SetTopicAttributesInput } from "@aws-sdk/client-sns";
import { catalogObject } from "../../durable/names";
import { AwsError, unwrap } from "../../domain/errors";
import { decodeToken, encodeToken } from "../../domain/tokens";
import { topicRef, topicStub, type SnsContext } from "./context";
import { invalidParameter } from "../../domain/sns/errors";
import { isFifoTopicName, topicArn, validateTopicName, type TopicRef } from "../../domain/sns/names";
import { validateTags } from "./tagging";
import { initialTopicAttributes, validateTopicAttributes } from "../../domain/sns/topic-attributes";

/** ListTopics and ListSubscriptions return pages of 100 (ListSubscriptionsByTopic too). */
export const PAGE = 100;

export function pageAfter(nextToken: string | undefined, scope: string): string | undefined {
  if (nextToken === undefined) return undefined;
  const token = decodeToken<{ after: string; scope: string }>("N", nextToken);
  if (!token || token.scope !== scope) throw new AwsError(invalidParameter("NextToken"));
  return token.after;
}

export const nextToken = (after: string, scope: string): string => encodeToken("N", { after, scope });

export async function createTopic(ctx: SnsContext, input: CreateTopicInput) {
  const name = input.Name ?? "";
  const given = input.Attributes ?? {};
  const fifo = given.FifoTopic === "true";
  if (!fifo && isFifoTopicName(name)) throw new AwsError(invalidParameter("Topic Name"));
  const nameProblem = validateTopicName(name, fifo);
  if (nameProblem) throw new AwsError(nameProblem);
  const requested = unwrap(validateTopicAttributes(given, { fifo, creating: true }));
  const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  const tagProblem = validateTags(input.Tags ?? []);
  if (tagProblem) throw new AwsError(tagProblem);
  const ref: TopicRef = { account: ctx.account, region: ctx.region, name };
  const attributes = initialTopicAttributes(ref, fifo, requested);
  unwrap(
    await topicStub(ctx, ref).create({
      ...ref,
      fifo,
      attributes,
      requested,
      tags,
      dataProtectionPolicy: input.DataProtectionPolicy,
    }),
  );
  return { TopicArn: topicArn(ref) };
}

export async function deleteTopic(ctx: SnsContext, input: { TopicArn?: string }) {
  unwrap(await topicStub(ctx, topicRef(ctx, "TopicArn", input.TopicArn)).destroy());
  return {};
}

export async function listTopics(ctx: SnsContext, input: ListTopicsInput) {
  const after = pageAfter(input.NextToken, "topics");
  const names = await catalogObject(ctx.env, ctx.account, ctx.region).listTopics(PAGE + 1, after);
  const page = names.slice(0, PAGE);
  return {
    Topics: page.map((name) => ({ TopicArn: topicArn({ account: ctx.account, region: ctx.region, name }) })),
    NextToken: names.length > PAGE ? nextToken(page[page.length - 1]!, "topics") : undefined,
  };
}

export async function getTopicAttributes(ctx: SnsContext, input: GetTopicAttributesInput) {
  const { attributes } = unwrap(await topicStub(ctx, topicRef(ctx, "TopicArn", input.TopicArn)).describe());
  return { Attributes: attributes };
}

export async function setTopicAttributes(ctx: SnsContext, input: SetTopicAttributesInput) {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  const stub = topicStub(ctx, ref);
  const name = input.AttributeName ?? "";
  const changes = unwrap(
    validateTopicAttributes({ [name]: input.AttributeValue ?? "" }, { fifo: isFifoTopicName(ref.name), creating: false }),
  );
  unwrap(await stub.setAttributes(changes));
  return {};
}
