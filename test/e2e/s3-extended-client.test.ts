/**
 * The SQS Extended Client pattern end to end with the npm package @5app/sns-sqs-big-payload in its
 * Java-compatible mode (`extendedLibraryCompatibility`): a 2 MiB payload goes to S3 through
 * @aws-sdk/lib-storage (multipart above 5 MiB, one PutObject here), the queue carries the Java
 * client's pointer `["software.amazon.payloadoffloading.PayloadS3Pointer",{…}]` with the reserved
 * Number attribute `SQSLargePayloadSize`, and the consumer fetches the payload back, directly and
 * through SNS → SQS (raw delivery). Facts: ../shared/reference/missing-parts.md §5.
 */
import { CreateBucketCommand, GetObjectCommand, S3 } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNS, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQS } from "@aws-sdk/client-sqs";
import { SnsProducer, SqsConsumer, SqsConsumerEvents, SqsProducer } from "@5app/sns-sqs-big-payload";
import { describe, expect, it } from "vitest";
import { credentials, endpoint, uniqueName } from "./clients";

const region = "us-east-1";
const clients = () => {
  const common = { endpoint: endpoint(), region, credentials, maxAttempts: 1 };
  // The library calls the aggregated clients' methods (sqs.sendMessage, s3.getObject…).
  return { s3: new S3({ ...common, forcePathStyle: true }), sqs: new SQS(common), sns: new SNS(common) };
};

/** A JSON payload of about `bytes` bytes, with a checkable marker. */
const payloadOf = (bytes: number, marker: string) => ({ marker, data: "x".repeat(bytes) });

async function bucketAndQueue(s3: S3, sqs: SQS) {
  const Bucket = uniqueName("extended").toLowerCase();
  await s3.send(new CreateBucketCommand({ Bucket }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("extended") }));
  return { Bucket, QueueUrl: QueueUrl! };
}

/** Runs a consumer until it handled one message; resolves with its payload. */
function consumeOne(options: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const consumer = SqsConsumer.create({
      region,
      getPayloadFromS3: true,
      extendedLibraryCompatibility: true,
      parsePayload: (raw: string) => JSON.parse(raw),
      waitTimeSeconds: 1,
      handleMessage: async ({ payload }: { payload: unknown }) => {
        handled = payload;
      },
      ...options,
    } as never);
    let handled: unknown;
    // Emitted once the message is deleted from the queue.
    consumer.on(SqsConsumerEvents.messageProcessed, () => {
      consumer.stop();
      resolve(handled);
    });
    const failures = [
      SqsConsumerEvents.error,
      SqsConsumerEvents.processingError,
      SqsConsumerEvents.s3PayloadError,
      SqsConsumerEvents.s3extendedPayloadError,
      SqsConsumerEvents.payloadParseError,
      SqsConsumerEvents.connectionError,
    ];
    for (const event of failures) {
      consumer.on(event, (error: unknown) => {
        consumer.stop();
        reject(error);
      });
    }
    consumer.start();
  });
}

describe("SQS Extended Client (@5app/sns-sqs-big-payload, Java-compatible mode)", () => {
  it("sends a 2 MiB payload through S3 with the Java pointer in the queue, and receives it intact", async () => {
    const { s3, sqs } = clients();
    const { Bucket, QueueUrl } = await bucketAndQueue(s3, sqs);
    const producer = SqsProducer.create({
      queueUrl: QueueUrl,
      region,
      sqs,
      s3,
      s3Bucket: Bucket,
      largePayloadThoughS3: true,
      extendedLibraryCompatibility: true,
    } as never);
    const payload = payloadOf(2 * 1024 * 1024, "direct");
    await producer.sendJSON(payload);

    // What the queue holds is exactly the Java client's pointer and reserved attribute.
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["All"], VisibilityTimeout: 0, WaitTimeSeconds: 1 }),
    );
    expect(Messages).toHaveLength(1);
    const pointer = JSON.parse(Messages[0]!.Body!);
    expect(pointer[0]).toBe("software.amazon.payloadoffloading.PayloadS3Pointer");
    expect(pointer[1]).toEqual({ s3BucketName: Bucket, s3Key: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const size = Buffer.byteLength(JSON.stringify(payload));
    expect(Messages[0]!.MessageAttributes?.SQSLargePayloadSize).toEqual({ DataType: "Number", StringValue: String(size) });
    const stored = await s3.send(new GetObjectCommand({ Bucket, Key: pointer[1].s3Key }));
    expect(stored.ContentLength).toBe(size);

    const received = await consumeOne({ queueUrl: QueueUrl, sqs, s3, s3Bucket: Bucket });
    expect(received).toEqual(payload);
    const left = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    expect(left.Attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  // The SNS extended clients publish the pointer with the reserved attribute; a raw-delivery
  // subscription hands both to the queue as they are, which is what the SQS side then reads.
  it("publishes a 2 MiB payload through SNS to a raw-delivery queue subscription, and the consumer fetches it", async () => {
    const { s3, sqs, sns } = clients();
    const { Bucket, QueueUrl } = await bucketAndQueue(s3, sqs);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("extended") }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: "sqs",
        Endpoint: Attributes!.QueueArn,
        Attributes: { RawMessageDelivery: "true" },
      }),
    );
    const producer = SnsProducer.create({
      topicArn: TopicArn,
      region,
      sns,
      s3,
      s3Bucket: Bucket,
      largePayloadThoughS3: true,
      extendedLibraryCompatibility: true,
    } as never);
    const payload = payloadOf(2 * 1024 * 1024, "through SNS");
    await producer.publishJSON(payload);
    const received = await consumeOne({ queueUrl: QueueUrl, sqs, s3, s3Bucket: Bucket });
    expect(received).toEqual(payload);
  });
});
