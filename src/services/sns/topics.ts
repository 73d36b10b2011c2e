/**
 * Topics: CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
 */
import { catalogObject } from "../../durable/names";
import { fail, ok, type Result } from "../../domain/errors";
import { decodeToken, encodeToken } from "../../domain/tokens";
import { done, topicRef, topicStub, type SnsHandler } from "./context";
import { invalidParameter } from "../../domain/sns/errors";
import { isFifoTopicName, topicArn, validateTopicName, type TopicRef } from "../../domain/sns/names";
import { validateTags } from "./tagging";
import { initialTopicAttributes, validateTopicAttributes } from "../../domain/sns/topic-attributes";

/** ListTopics and ListSubscriptions return pages of 100 (ListSubscriptionsByTopic too). */
export const PAGE = 100;

/** Where a page starts: after what the NextToken names, within its listing (`scope`). */
export function pageAfter(nextToken: string | undefined, scope: string): Result<string | undefined> {
  if (nextToken === undefined) return ok(undefined);
  const token = decodeToken<{ after: string; scope: string }>("N", nextToken);
  if (!token || token.scope !== scope) return fail(invalidParameter("NextToken"));
  return ok(token.after);
}

export const nextToken = (after: string, scope: string): string => encodeToken("N", { after, scope });

export const createTopic: SnsHandler<"CreateTopic"> = async (ctx, input) => {
  const name = input.Name;
  const given = input.Attributes ?? {};
  const fifo = given.FifoTopic === "true";
  if (!fifo && isFifoTopicName(name)) return fail(invalidParameter("Topic Name"));
  const nameProblem = validateTopicName(name, fifo);
  if (nameProblem) return fail(nameProblem);
  const requested = validateTopicAttributes(given, { fifo, creating: true });
  if (!requested.ok) return requested;
  const tagProblem = validateTags(input.Tags ?? []);
  if (tagProblem) return fail(tagProblem);
  const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value]));
  const ref: TopicRef = { account: ctx.account, region: ctx.region, name };
  const created = await topicStub(ctx, ref).create({
    ...ref,
    fifo,
    attributes: initialTopicAttributes(ref, fifo, requested.value),
    requested: requested.value,
    tags,
    dataProtectionPolicy: input.DataProtectionPolicy,
  });
  return created.ok ? ok({ TopicArn: topicArn(ref) }) : created;
};

export const deleteTopic: SnsHandler<"DeleteTopic"> = async (ctx, input) => {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  return ref.ok ? done(topicStub(ctx, ref.value).destroy()) : ref;
};

export const listTopics: SnsHandler<"ListTopics"> = async (ctx, input) => {
  const after = pageAfter(input.NextToken, "topics");
  if (!after.ok) return after;
  const names = await catalogObject(ctx.env, ctx.account, ctx.region).listTopics(PAGE + 1, after.value);
  const page = names.slice(0, PAGE);
  return ok({
    Topics: page.map((name) => ({ TopicArn: topicArn({ account: ctx.account, region: ctx.region, name }) })),
    NextToken: names.length > PAGE ? nextToken(page[page.length - 1]!, "topics") : undefined,
  });
};

export const getTopicAttributes: SnsHandler<"GetTopicAttributes"> = async (ctx, input) => {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  if (!ref.ok) return ref;
  const described = await topicStub(ctx, ref.value).describe();
  return described.ok ? ok({ Attributes: described.value.attributes }) : described;
};

export const setTopicAttributes: SnsHandler<"SetTopicAttributes"> = async (ctx, input) => {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  if (!ref.ok) return ref;
  const changes = validateTopicAttributes(
    { [input.AttributeName]: input.AttributeValue ?? "" },
    { fifo: isFifoTopicName(ref.value.name), creating: false },
  );
  if (!changes.ok) return changes;
  return done(topicStub(ctx, ref.value).setAttributes(changes.value));
};
