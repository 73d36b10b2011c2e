/**
 * SubscribeToShard: an `application/vnd.amazon.eventstream` response of SubscribeToShardEvents.
 * The StreamObject checks the consumer (ACTIVE) and the shard and grants the consumer's lease on
 * it; the ShardObject resolves the starting position; then ./subscription.ts streams the events.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SubscribeToShard.html
 */
import { shardObject, streamObject } from "../../durable/names";
import { CBOR_CONTENT_TYPE, encodeCbor, encodeCborOutput } from "../../protocol/cbor";
import { unwrap } from "../../domain/errors";
import { encodeJsonOutput } from "../../protocol/json";
import type { StructureShape } from "../model";
import { kinesisModel } from "./shapes/model";
import { resolveShardIndex } from "../../domain/kinesis/shard-map";
import { CONSUMER_ARN_PATTERN, parseConsumerArn } from "./consumers";
import type { KinesisContext, KinesisHandler } from "./context";
import { invalidArgument, resourceNotFound } from "../../domain/kinesis/errors";
import { resolveStream, streamArn } from "./names";
import { sequenceNumber, shardIdOf, shardIndexOf } from "../../domain/kinesis/sequence-numbers";
import { startingPosition } from "../../domain/kinesis/starting-position";
import { Subscription, type SubscribeToShardEvent } from "./subscription";
import { checks, NAME_PATTERN } from "../../domain/kinesis/validate";

export const EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

const STARTING_POSITIONS = ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"] as const;
type StartingPositionType = (typeof STARTING_POSITIONS)[number];

interface StartingPosition {
  Type: StartingPositionType;
  SequenceNumber?: string;
  Timestamp?: Date;
}

const eventStreamShape = kinesisModel.operations.SubscribeToShard!.output.members.EventStream as StructureShape;
const eventShape = eventStreamShape.members.SubscribeToShardEvent!;

const utf8 = new TextEncoder();

/** Event payloads in the request's own protocol: JSON 1.1 documents, or CBOR for CBOR clients (Java SDK, KCL). */
function payloadEncoder(ctx: KinesisContext): { encode: (value: object) => Uint8Array; contentType: string } {
  if (ctx.protocol === "cbor") {
    return {
      contentType: CBOR_CONTENT_TYPE,
      encode: (value) => encodeCbor("Records" in value ? encodeCborOutput(eventShape, value) : value),
    };
  }
  return {
    contentType: "application/json",
    encode: (value) => utf8.encode(JSON.stringify("Records" in value ? encodeJsonOutput(eventShape, value) : value)),
  };
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

  const { encode, contentType } = payloadEncoder(ctx);
  const shardIndex = shardIndexOf(shardId) ?? 0;
  const subscription = new Subscription(
    {
      // Not GetRecords calls: they do not count against the shard's 5 reads/s (see ReadRequest.fanOut).
      read: (seq, limit) => shard.read({ seq, limit, fanOut: true }),
      check: () => streamStub.subscriptionState(grant.consumerName, shardId, grant.lease),
      release,
      encode: encode as (value: SubscribeToShardEvent | object) => Uint8Array,
      contentType,
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

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const frame = await subscription.next();
        try {
          if (frame) controller.enqueue(frame);
          if (!frame || subscription.done) controller.close();
        } catch {
          // The client went away while this frame was being made (cancel() has released the lease).
        }
      },
      async cancel() {
        await subscription.cancel();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: 200,
    headers: { "content-type": EVENT_STREAM_CONTENT_TYPE, "x-amzn-requestid": crypto.randomUUID() },
  });
};

export const subscribeOperations: Record<string, KinesisHandler> = {
  SubscribeToShard: subscribeToShard,
};
