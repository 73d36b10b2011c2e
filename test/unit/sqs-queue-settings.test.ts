/**
 * Queue settings (src/domain/sqs/queue-settings.ts): the stored attribute strings as typed values,
 * with the defaults every new queue is created with.
 */
import { describe, expect, it } from "vitest";
import type { QueueState } from "../../src/domain/sqs/contract";
import { FIFO_DEFAULTS, STANDARD_DEFAULTS } from "../../src/domain/sqs/queue-attributes";
import { queueSettings } from "../../src/domain/sqs/queue-settings";

const state = (attributes: Record<string, string>, dedupScope?: string): QueueState => ({
  account: "000000000000",
  region: "us-east-1",
  name: "q",
  incarnation: "i",
  createdAt: 0,
  lastModifiedAt: 0,
  attributes,
  tags: {},
  dedupScope,
});

const DLQ = "arn:aws:sqs:us-east-1:000000000000:dlq";

describe("queue settings", () => {
  it("a new standard queue's attributes", () => {
    expect(queueSettings(state(STANDARD_DEFAULTS))).toEqual({
      fifo: false,
      delaySeconds: 0,
      maximumMessageSize: 1048576,
      retentionMs: 345_600_000,
      receiveWaitSeconds: 0,
      visibilityTimeoutSeconds: 30,
      contentBasedDeduplication: false,
      dedupScope: "queue",
      readDelayMs: 0,
      redrive: undefined,
    });
  });

  it("attributes absent from the stored state take the defaults a new queue gets", () => {
    expect(queueSettings(state({}))).toEqual(queueSettings(state(STANDARD_DEFAULTS)));
    expect(queueSettings(state({ FifoQueue: "true" }))).toEqual(
      queueSettings(state({ ...STANDARD_DEFAULTS, ...FIFO_DEFAULTS }, "queue")),
    );
  });

  it("numbers and flags as set", () => {
    const settings = queueSettings(
      state({
        ...STANDARD_DEFAULTS,
        DelaySeconds: "5",
        MaximumMessageSize: "2048",
        MessageRetentionPeriod: "60",
        ReceiveMessageWaitTimeSeconds: "20",
        VisibilityTimeout: "0",
      }),
    );
    expect(settings).toMatchObject({
      delaySeconds: 5,
      maximumMessageSize: 2048,
      retentionMs: 60_000,
      receiveWaitSeconds: 20,
      visibilityTimeoutSeconds: 0,
      readDelayMs: 0,
    });
  });

  it("FIFO queues apply their delay at read time and deduplicate with the scope they were created with", () => {
    const attributes = { ...STANDARD_DEFAULTS, ...FIFO_DEFAULTS, DelaySeconds: "3", ContentBasedDeduplication: "true" };
    expect(queueSettings(state({ ...attributes, DeduplicationScope: "queue" }, "messageGroup"))).toMatchObject({
      fifo: true,
      readDelayMs: 3000,
      contentBasedDeduplication: true,
      dedupScope: "messageGroup",
    });
    expect(queueSettings(state({ ...attributes, DeduplicationScope: "messageGroup" })).dedupScope).toBe("messageGroup");
  });

  it("the redrive policy, parsed", () => {
    const policy = JSON.stringify({ deadLetterTargetArn: DLQ, maxReceiveCount: 3 });
    expect(queueSettings(state({ ...STANDARD_DEFAULTS, RedrivePolicy: policy })).redrive).toEqual({
      deadLetterTargetArn: DLQ,
      maxReceiveCount: 3,
    });
  });
});
