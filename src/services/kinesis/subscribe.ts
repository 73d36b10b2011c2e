/**
 * SubscribeToShard: a stream of SubscribeToShardEvents (sent as `application/vnd.amazon.eventstream`).
 * The StreamObject checks the consumer (ACTIVE) and the shard and grants the consumer's lease on
 * it; the ShardObject resolves the starting position; then ./subscription.ts streams the events.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SubscribeToShard.html
 */
import { shardObject, streamObject } from "../../durable/names";
import { unwrap } from "../../domain/errors";
import { resolveShardIndex } from "../../domain/kinesis/shard-map";
import { CONSUMER_ARN_PATTERN, parseConsumerArn } from "./consumers";
import type { KinesisHandler } from "./context";
import { invalidArgument, resourceNotFound } from "../../domain/kinesis/errors";
import { resolveStream, streamArn } from "./names";
import { sequenceNumber, shardIdOf, shardIndexOf } from "../../domain/kinesis/sequence-numbers";
import { startingPosition } from "../../domain/kinesis/starting-position";
import { Subscription } from "./subscription";
import { checks, NAME_PATTERN } from "../../domain/kinesis/validate";

const STARTING_POSITIONS = ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"] as const;
type StartingPositionType = (typeof STARTING_POSITIONS)[number];

interface StartingPosition {
  Type: StartingPositionType;
  SequenceNumber?: string;
  Timestamp?: Date;
}

const subscribeToShard: KinesisHandler = async (ctx, input) => {
  const position = input.StartingPosition as StartingPosition;
  checks()
    .string(input.ConsumerARN, "consumerARN", { pattern: CONSUMER_ARN_PATTERN, min: 1, max: 2048 })
    .string(input.ShardId, "shardId", { pattern: NAME_PATTERN, min: 1, max: 128 })
    .oneOf(position.Type, "startingPosition.type", STARTING_POSITIONS)
    .string(position.SequenceNumber, "startingPosition.sequenceNumber", { pattern: "0|([1-9]\\d{0,128})" })
    .done();
  const consumerArn = input.ConsumerARN as string;
  const consumer = parseConsumerArn(consumerArn);
  if (!consumer) throw invalidArgument(`ConsumerARN ${consumerArn} is invalid.`);
  const stream = resolveStream(ctx, { StreamARN: streamArn(consumer.stream) });
  const requested = input.ShardId as string;
  const index = resolveShardIndex(requested);
  if (index === undefined || index > 2147483647)
    throw resourceNotFound(`Could not find shard ${requested} in stream ${stream.name} under account ${stream.account}.`);
  const shardId = shardIdOf(index);

  const streamStub = streamObject(ctx.env, stream);
  const grant = unwrap(await streamStub.subscribeToShard(consumerArn, shardId));
  const release = () => streamStub.endSubscription(grant.consumerName, shardId, grant.lease);
  const shard = shardObject(ctx.env, { ...stream, stream: stream.name, createdAt: grant.streamCreatedAt, shardId });
  let startSeq: number;
  try {
    const start = startingPosition(
      "SubscribeToShard",
      { type: position.Type, sequenceNumber: position.SequenceNumber, timestamp: position.Timestamp },
      { id: shardId, createdAt: grant.shard.createdAt },
      stream,
      ctx.now,
    );
    const started = start.type === "AT" ? ({ status: "ok", seq: start.seq } as const) : await shard.start(start);
    if (started.status === "gone")
      throw resourceNotFound(`Shard ${shardId} in stream ${stream.name} under account ${stream.account} does not exist`);
    startSeq = started.seq;
  } catch (error) {
    await release();
    throw error;
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
      startSeq,
      startedAt: Date.now(),
      throttled: grant.throttled,
    },
  );
  // The protocol layer sends the events as application/vnd.amazon.eventstream.
  return { EventStream: subscription };
};

export const subscribeOperations: Record<string, KinesisHandler> = {
  SubscribeToShard: subscribeToShard,
};
