/**
 * Enhanced fan-out consumers: Register, Describe, List, Deregister. Consumers live in their stream's
 * StreamObject (./durable/stream/consumers.ts); this module reads requests the way AWS does and
 * shapes the answers.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamConsumer.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreamConsumers.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DeregisterStreamConsumer.html
 */
import { streamObject } from "../../durable/names";
import type { ConsumerInfo, ConsumerKey } from "../../durable/stream/consumers";
import { fail, ok, type Result } from "../../domain/errors";
import { decodeToken, encodeToken } from "../../domain/tokens";
import type { KinesisContext, KinesisHandler, KinesisHandlers } from "./context";
import { expiredNextToken, invalidArgument } from "../../domain/kinesis/errors";
import { streamArn, type StreamRef } from "../../domain/kinesis/names";
import { resolveStream } from "./names";
import type { Consumer } from "./shapes/types";
import { checkTagCharacters, MAX_TAGS_PER_RESOURCE, tagLimitMessage } from "../../domain/kinesis/tag-rules";
import { checks, STREAM_ARN_PATTERN } from "../../domain/kinesis/validate";

export const CONSUMER_ARN_PATTERN =
  "^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+";

const CONSUMER_ARN =
  /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})\/consumer\/([a-zA-Z0-9_.-]{1,128}):(\d{1,15})$/;

export interface ConsumerRef {
  stream: StreamRef;
  consumerName: string;
  /** Epoch seconds of the consumer's registration, as its ARN ends. */
  createdAtSeconds: number;
}

export function parseConsumerArn(arn: string): ConsumerRef | undefined {
  const m = CONSUMER_ARN.exec(arn);
  if (!m) return undefined;
  return { stream: { region: m[1]!, account: m[2]!, name: m[3]! }, consumerName: m[4]!, createdAtSeconds: Number(m[5]) };
}

/** ListStreamConsumers' NextToken: "Tokens expire after 300 seconds" (the operation's reference page). */
const NEXT_TOKEN_LIFETIME_MS = 300_000;
const DEFAULT_MAX_RESULTS = 100;

interface ListToken {
  /** Stream ARN and incarnation the listing is of. */
  s: string;
  c: number;
  /** Registration time and name of the last consumer listed. */
  a: number;
  n: string;
  /** Epoch ms the token was issued. */
  t: number;
}

const consumerOutput = (c: ConsumerInfo): Consumer => ({
  ConsumerName: c.name,
  ConsumerARN: c.arn,
  ConsumerStatus: c.status,
  ConsumerCreationTimestamp: new Date(c.createdAt),
});

/** The members a consumer call may carry. */
interface ConsumerMembers {
  StreamARN?: string;
  ConsumerName?: string;
  ConsumerARN?: string;
}

/** The model's constraints of the members a consumer call may carry (ValidationException). */
const checkConsumerMembers = (input: ConsumerMembers) =>
  checks()
    .string(input.StreamARN, "streamARN", { pattern: STREAM_ARN_PATTERN, min: 1, max: 2048 })
    .name(input.ConsumerName, "consumerName")
    .string(input.ConsumerARN, "consumerARN", { pattern: CONSUMER_ARN_PATTERN, min: 1, max: 2048 });

/**
 * The consumer a Describe/Deregister call names: by ConsumerARN, or by StreamARN and ConsumerName
 * ("You may also provide all three parameters, as long as they don't conflict with each other").
 */
export function resolveConsumer(ctx: KinesisContext, input: ConsumerMembers): Result<{ stream: StreamRef; key: ConsumerKey }> {
  const problem = checkConsumerMembers(input).done();
  if (problem) return fail(problem);
  const { ConsumerARN: consumerArn, ConsumerName: name, StreamARN: arn } = input;
  if (consumerArn !== undefined) {
    const parsed = parseConsumerArn(consumerArn);
    if (!parsed) return fail(invalidArgument(`ConsumerARN ${consumerArn} is invalid.`));
    const ofStream = streamArn(parsed.stream);
    if (arn !== undefined && arn !== ofStream)
      return fail(invalidArgument(`StreamARN ${arn} does not match the stream of ConsumerARN ${consumerArn}.`));
    if (name !== undefined && name !== parsed.consumerName)
      return fail(invalidArgument(`ConsumerName ${name} does not match the name in ConsumerARN ${consumerArn}.`));
    const stream = resolveStream(ctx, { StreamARN: ofStream });
    return stream.ok ? ok({ stream: stream.value, key: { arn: consumerArn } }) : stream;
  }
  if (arn === undefined || name === undefined)
    return fail(invalidArgument("ConsumerARN or both ConsumerName and StreamARN are required for this request."));
  const stream = resolveStream(ctx, { StreamARN: arn });
  return stream.ok ? ok({ stream: stream.value, key: { name } }) : stream;
}

const registerStreamConsumer: KinesisHandler<"RegisterStreamConsumer"> = async (ctx, input) => {
  const tags = input.Tags ?? {};
  const problem = checkConsumerMembers(input).done() ?? checks().tagMap(input.Tags, "tags").done();
  if (problem) return fail(problem);
  const stream = resolveStream(ctx, { StreamARN: input.StreamARN });
  if (!stream.ok) return stream;
  const { name: streamName, account } = stream.value;
  const name = input.ConsumerName;
  const resource = `consumer ${name} under stream ${streamName} under account ${account}`;
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE)
    return fail(invalidArgument(tagLimitMessage("register", resource, "consumer")));
  const badTag = checkTagCharacters([...Object.keys(tags), ...Object.values(tags)], "register", resource);
  if (badTag) return fail(badTag);
  const consumer = await streamObject(ctx.env, stream.value).registerConsumer(name, tags);
  return consumer.ok ? ok({ Consumer: consumerOutput(consumer.value) }) : consumer;
};

const describeStreamConsumer: KinesisHandler<"DescribeStreamConsumer"> = async (ctx, input) => {
  const resolved = resolveConsumer(ctx, input);
  if (!resolved.ok) return resolved;
  const consumer = await streamObject(ctx.env, resolved.value.stream).describeConsumer(resolved.value.key);
  if (!consumer.ok) return consumer;
  return ok({ ConsumerDescription: { ...consumerOutput(consumer.value), StreamARN: consumer.value.streamArn } });
};

const deregisterStreamConsumer: KinesisHandler<"DeregisterStreamConsumer"> = async (ctx, input) => {
  const resolved = resolveConsumer(ctx, input);
  if (!resolved.ok) return resolved;
  const done = await streamObject(ctx.env, resolved.value.stream).deregisterConsumer(resolved.value.key);
  return done.ok ? ok({}) : done;
};

const listStreamConsumers: KinesisHandler<"ListStreamConsumers"> = async (ctx, input) => {
  const problem = checks()
    .string(input.StreamARN, "streamARN", { pattern: STREAM_ARN_PATTERN, min: 1, max: 2048 })
    .range(input.MaxResults, "maxResults", 1, 10000)
    .string(input.NextToken, "nextToken", { min: 1, max: 1048576 })
    .done();
  if (problem) return fail(problem);
  const resolved = resolveStream(ctx, { StreamARN: input.StreamARN });
  if (!resolved.ok) return resolved;
  const stream = resolved.value;
  const arn = streamArn(stream);
  const limit = input.MaxResults ?? DEFAULT_MAX_RESULTS;
  let after: { createdAt: number; name: string } | undefined;
  let incarnation: number | undefined;
  if (input.NextToken !== undefined) {
    const token = decodeToken<ListToken>("LSC", input.NextToken);
    if (!token || token.s !== arn || typeof token.t !== "number" || token.t > ctx.now)
      return fail(invalidArgument(`Invalid NextToken for stream ${stream.name} under account ${stream.account}.`));
    if (ctx.now - token.t > NEXT_TOKEN_LIFETIME_MS)
      return fail(expiredNextToken(`The NextToken for stream ${stream.name} under account ${stream.account} has expired.`));
    after = { createdAt: token.a, name: token.n };
    incarnation = token.c;
  }
  const requested = input.StreamCreationTimestamp?.getTime();
  const listed = await streamObject(ctx.env, stream).listConsumers(after, limit, requested ?? incarnation);
  if (!listed.ok) return listed;
  const page = listed.value;
  const last = page.consumers[page.consumers.length - 1];
  return ok({
    Consumers: page.consumers.map(consumerOutput),
    NextToken:
      page.more && last
        ? encodeToken("LSC", { s: arn, c: page.streamCreatedAt, a: last.createdAt, n: last.name, t: ctx.now } satisfies ListToken)
        : undefined,
  });
};

export const consumerOperations: KinesisHandlers<
  "RegisterStreamConsumer" | "DescribeStreamConsumer" | "ListStreamConsumers" | "DeregisterStreamConsumer"
> = {
  RegisterStreamConsumer: registerStreamConsumer,
  DescribeStreamConsumer: describeStreamConsumer,
  ListStreamConsumers: listStreamConsumers,
  DeregisterStreamConsumer: deregisterStreamConsumer,
};
