/**
 * A queue's attributes as typed settings: the one place the stored attribute strings become numbers
 * and flags, with the one set of defaults (those every new queue is created with). The queue object
 * derives them whenever its attributes change and when it wakes; nothing else parses them.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
import type { QueueState } from "./contract";
import type { DedupScope } from "./fifo";
import { FIFO_DEFAULTS, parseRedrivePolicy, STANDARD_DEFAULTS, type RedrivePolicy } from "./queue-attributes";

export interface QueueSettings {
  fifo: boolean;
  delaySeconds: number;
  maximumMessageSize: number;
  retentionMs: number;
  /** ReceiveMessageWaitTimeSeconds: how long a receive that names no wait time waits. */
  receiveWaitSeconds: number;
  visibilityTimeoutSeconds: number;
  contentBasedDeduplication: boolean;
  /** As the queue was created: AWS keeps it even after SetQueueAttributes changes the attribute (see QueueState). */
  dedupScope: DedupScope;
  /** FIFO queues apply DelaySeconds at read time (a change reaches waiting messages); standard ones at send. */
  readDelayMs: number;
  redrive?: RedrivePolicy;
}

export function queueSettings(state: QueueState): QueueSettings {
  const { attributes } = state;
  const number = (name: string): number => Number(attributes[name] ?? STANDARD_DEFAULTS[name]);
  const fifo = attributes.FifoQueue === "true";
  const fifoValue = (name: string): string | undefined => (fifo ? (attributes[name] ?? FIFO_DEFAULTS[name]) : undefined);
  const delaySeconds = number("DelaySeconds");
  const redrive = attributes.RedrivePolicy ? parseRedrivePolicy(attributes.RedrivePolicy) : undefined;
  return {
    fifo,
    delaySeconds,
    maximumMessageSize: number("MaximumMessageSize"),
    retentionMs: number("MessageRetentionPeriod") * 1000,
    receiveWaitSeconds: number("ReceiveMessageWaitTimeSeconds"),
    visibilityTimeoutSeconds: number("VisibilityTimeout"),
    contentBasedDeduplication: fifoValue("ContentBasedDeduplication") === "true",
    dedupScope: (state.dedupScope ?? fifoValue("DeduplicationScope")) === "messageGroup" ? "messageGroup" : "queue",
    readDelayMs: fifo ? delaySeconds * 1000 : 0,
    redrive: redrive?.ok ? redrive.value : undefined,
  };
}
