/**
 * SubscribeToShard: a stream of SubscribeToShardEvents (sent as `application/vnd.amazon.eventstream`).
 * The StreamObject checks the consumer (ACTIVE) and the shard and grants the consumer's lease on
 * it; the ShardObject resolves the starting position; then ./subscription.ts streams the events.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SubscribeToShard.html
 */
import { shardObject, streamObject } from "../../durable/names";
import { fail, ok, type Result } from "../../domain/errors";
import { requestedShardId } from "../../domain/kinesis/shard-map";
import { CONSUMER_ARN_PATTERN, parseConsumerArn } from "./consumers";
import type { KinesisHandler, KinesisHandlers } from "./context";
import { invalidArgument, shardNotFound } from "../../domain/kinesis/errors";
import { streamArn } from "../../domain/kinesis/names";
import { resolveStream } from "./names";
import { sequenceNumber, shardIndexOf } from "../../domain/kinesis/sequence-numbers";
import { startingPosition } from "../../domain/kinesis/starting-position";
import { Subscription } from "./subscription";
import { checks, NAME_PATTERN, SEQUENCE_NUMBER_PATTERN } from "../../domain/kinesis/validate";

const STARTING_POSITIONS = ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"];

const subscribeToShard: KinesisHandler<"SubscribeToShard"> = async (ctx, input) => {
  const position = input.StartingPosition;
  const problem = checks()
    .string(input.ConsumerARN, "consumerARN", { pattern: CONSUMER_ARN_PATTERN, min: 1, max: 2048 })
    .string(input.ShardId, "shardId", { pattern: NAME_PATTERN, min: 1, max: 128 })
    .oneOf(position.Type, "startingPosition.type", STARTING_POSITIONS)
    .string(position.SequenceNumber, "startingPosition.sequenceNumber", { pattern: SEQUENCE_NUMBER_PATTERN })
    .done();
  if (problem) return fail(problem);
  const consumerArn = input.ConsumerARN;
  const consumer = parseConsumerArn(consumerArn);
  if (!consumer) return fail(invalidArgument(`ConsumerARN ${consumerArn} is invalid.`));
  const resolved = resolveStream(ctx, { StreamARN: streamArn(consumer.stream) });
  if (!resolved.ok) return resolved;
  const stream = resolved.value;
  const requested = requestedShardId(input.ShardId, stream);
  if (!requested.ok) return requested;
  const shardId = requested.value;

  const streamStub = streamObject(ctx.env, stream);
  const granted = await streamStub.subscribeToShard(consumerArn, shardId);
  if (!granted.ok) return granted;
  const grant = granted.value;
  const release = () => streamStub.endSubscription(grant.consumerName, shardId, grant.lease);
  const shard = shardObject(ctx.env, { ...stream, stream: stream.name, createdAt: grant.streamCreatedAt, shardId });
  /** The first record counter to deliver, resolved in the shard unless the request names it. */
  const begin = async (): Promise<Result<number>> => {
    const start = startingPosition(
      "SubscribeToShard",
      { type: position.Type, sequenceNumber: position.SequenceNumber, timestamp: position.Timestamp },
      { id: shardId, createdAt: grant.shard.createdAt },
      stream,
      ctx.now,
    );
    if (!start.ok) return start;
    if (start.value.type === "AT") return ok(start.value.seq);
    const started = await shard.start(start.value);
    if (started.status === "gone") return fail(shardNotFound(shardId, stream));
    return ok(started.seq);
  };
  // Whatever stops the subscription before it starts gives the lease back: the consumer may retry at once.
  const startSeq = await begin().catch(async (error: unknown) => {
    await release();
    throw error;
  });
  if (!startSeq.ok) {
    await release();
    return startSeq;
  }

  const shardIndex = shardIndexOf(shardId) ?? 0;
  const subscription = new Subscription(
    {
      // Not GetRecords calls: they do not count against the shard's 5 reads/s (see ReadRequest.fanOut).
      read: (seq, limit) => shard.read({ seq, limit, fanOut: true }),
      check: () => streamStub.subscriptionState(grant.consumerName, shardId, grant.lease),
      release,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      sequenceNumberOf: (seq, recordAt) =>
        seq <= 0
          ? grant.shard.startingSequenceNumber
          : sequenceNumber({ shardCreatedAt: grant.shard.createdAt, shardIndex, seq, recordAt }),
    },
    {
      startSeq: startSeq.value,
      startedAt: Date.now(),
      throttled: grant.throttled,
    },
  );
  // The protocol layer sends the events as application/vnd.amazon.eventstream.
  return ok({ EventStream: subscription });
};

export const subscribeOperations: KinesisHandlers<"SubscribeToShard"> = {
  SubscribeToShard: subscribeToShard,
};
