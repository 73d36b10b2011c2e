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
import { unwrap } from "../../domain/errors";
import { decodeToken, encodeToken } from "../../domain/tokens";
import type { KinesisContext, KinesisHandler } from "./context";
import { expiredNextToken, invalidArgument } from "../../domain/kinesis/errors";
import { resolveStream, streamArn, type StreamRef } from "./names";
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

const consumerOutput = (c: ConsumerInfo) => ({
  ConsumerName: c.name,
  ConsumerARN: c.arn,
  ConsumerStatus: c.status,
  ConsumerCreationTimestamp: new Date(c.createdAt),
});

/** The model's constraints of the members a consumer call may carry (ValidationException). */
function checkConsumerMembers(input: Record<string, unknown>): void {
  checks()
    .string(input.StreamARN, "streamARN", { pattern: STREAM_ARN_PATTERN, min: 1, max: 2048 })
    .name(input.ConsumerName, "consumerName")
    .string(input.ConsumerARN, "consumerARN", { pattern: CONSUMER_ARN_PATTERN, min: 1, max: 2048 })
    .done();
}

/**
 * The consumer a Describe/Deregister call names: by ConsumerARN, or by StreamARN and ConsumerName
 * ("You may also provide all three parameters, as long as they don't conflict with each other").
 */
export function resolveConsumer(ctx: KinesisContext, input: Record<string, unknown>): { stream: StreamRef; key: ConsumerKey } {
  checkConsumerMembers(input);
  const consumerArn = input.ConsumerARN as string | undefined;
  const name = input.ConsumerName as string | undefined;
  const arn = input.StreamARN as string | undefined;
  if (consumerArn !== undefined) {
    const parsed = parseConsumerArn(consumerArn);
    if (!parsed) throw invalidArgument(`ConsumerARN ${consumerArn} is invalid.`);
    const ofStream = streamArn(parsed.stream);
    if (arn !== undefined && arn !== ofStream)
      throw invalidArgument(`StreamARN ${arn} does not match the stream of ConsumerARN ${consumerArn}.`);
    if (name !== undefined && name !== parsed.consumerName)
      throw invalidArgument(`ConsumerName ${name} does not match the name in ConsumerARN ${consumerArn}.`);
    return { stream: resolveStream(ctx, { StreamARN: ofStream }), key: { arn: consumerArn } };
  }
  if (arn === undefined || name === undefined)
    throw invalidArgument("ConsumerARN or both ConsumerName and StreamARN are required for this request.");
  return { stream: resolveStream(ctx, { StreamARN: arn }), key: { name } };
}

const registerStreamConsumer: KinesisHandler = async (ctx, input) => {
  checkConsumerMembers(input);
  const tags = (input.Tags as Record<string, string> | undefined) ?? {};
  checks().tagMap(input.Tags, "tags").done();
  const stream = resolveStream(ctx, { StreamARN: input.StreamARN });
  const name = input.ConsumerName as string;
  const resource = `consumer ${name} under stream ${stream.name} under account ${stream.account}`;
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE) throw invalidArgument(tagLimitMessage("register", resource, "consumer"));
  checkTagCharacters([...Object.keys(tags), ...Object.values(tags)], "register", resource);
  const consumer = unwrap(await streamObject(ctx.env, stream).registerConsumer(name, tags));
  return { Consumer: consumerOutput(consumer) };
};

const describeStreamConsumer: KinesisHandler = async (ctx, input) => {
  const { stream, key } = resolveConsumer(ctx, input);
  const consumer = unwrap(await streamObject(ctx.env, stream).describeConsumer(key));
  return { ConsumerDescription: { ...consumerOutput(consumer), StreamARN: consumer.streamArn } };
};

const deregisterStreamConsumer: KinesisHandler = async (ctx, input) => {
  const { stream, key } = resolveConsumer(ctx, input);
  unwrap(await streamObject(ctx.env, stream).deregisterConsumer(key));
  return {};
};

const listStreamConsumers: KinesisHandler = async (ctx, input) => {
  checks()
    .string(input.StreamARN, "streamARN", { pattern: STREAM_ARN_PATTERN, min: 1, max: 2048 })
    .range(input.MaxResults, "maxResults", 1, 10000)
    .string(input.NextToken, "nextToken", { min: 1, max: 1048576 })
    .done();
  const stream = resolveStream(ctx, { StreamARN: input.StreamARN });
  const arn = streamArn(stream);
  const limit = (input.MaxResults as number | undefined) ?? DEFAULT_MAX_RESULTS;
  let after: { createdAt: number; name: string } | undefined;
  let incarnation: number | undefined;
  if (input.NextToken !== undefined) {
    const token = decodeToken<ListToken>("LSC", input.NextToken as string);
    if (!token || token.s !== arn || typeof token.t !== "number" || token.t > ctx.now)
      throw invalidArgument(`Invalid NextToken for stream ${stream.name} under account ${stream.account}.`);
    if (ctx.now - token.t > NEXT_TOKEN_LIFETIME_MS)
      throw expiredNextToken(`The NextToken for stream ${stream.name} under account ${stream.account} has expired.`);
    after = { createdAt: token.a, name: token.n };
    incarnation = token.c;
  }
  const requested = input.StreamCreationTimestamp instanceof Date ? input.StreamCreationTimestamp.getTime() : undefined;
  const page = unwrap(await streamObject(ctx.env, stream).listConsumers(after, limit, requested ?? incarnation));
  const last = page.consumers[page.consumers.length - 1];
  const output: Record<string, unknown> = { Consumers: page.consumers.map(consumerOutput) };
  if (page.more && last)
    output.NextToken = encodeToken("LSC", {
      s: arn,
      c: page.streamCreatedAt,
      a: last.createdAt,
      n: last.name,
      t: ctx.now,
    } satisfies ListToken);
  return output;
};

export const consumerOperations: Record<string, KinesisHandler> = {
  RegisterStreamConsumer: registerStreamConsumer,
  DescribeStreamConsumer: describeStreamConsumer,
  ListStreamConsumers: listStreamConsumers,
  DeregisterStreamConsumer: deregisterStreamConsumer,
};
