/** Plain data that crosses RPC between the SQS service layer and a QueueObject. */
import type { Result } from "../errors";
import type { QueueAttributes } from "./queue-attributes";

/** A queue's identity and settings, as stored in its object. */
export interface QueueState {
  account: string;
  region: string;
  name: string;
  /** Identifies this incarnation of the queue (receipt handles of a deleted queue are invalid). */
  incarnation: string;
  createdAt: number;
  lastModifiedAt: number;
  attributes: QueueAttributes;
  tags: Record<string, string>;
  lastPurgeAt?: number;
  /**
   * FIFO DeduplicationScope as created: AWS keeps deduplicating with it even after SetQueueAttributes
   * changes the attribute (AWS-recorded test_fifo_change_to_high/regular_throughput_after_creation).
   */
  dedupScope?: string;
}

/** What a message carries wherever it goes: its body and attributes with their digests, and its sender. */
export interface MessageContent {
  body: string;
  /** JSON of the user message attributes (BinaryValue as base64), or null. */
  attributes: string | null;
  md5OfBody: string;
  md5OfAttributes: string | null;
  traceHeader: string | null;
  md5OfSystemAttributes: string | null;
  senderId: string;
  /** What counts against MaximumMessageSize. */
  size: number;
}

/** A message as the service layer hands it to the queue: validated, digests computed. */
export interface NewMessage extends MessageContent {
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
  /** SHA-256 of the body, used as the deduplication id when the FIFO queue has ContentBasedDeduplication. */
  contentDeduplicationId?: string;
}

export interface SentMessage {
  messageId: string;
  md5OfBody: string;
  md5OfAttributes: string | null;
  md5OfSystemAttributes: string | null;
  sequenceNumber?: string;
}

/** The outcome of one entry of a batch: a failing entry fails alone. */
export type EntryResult<T = null> = Result<T>;

export interface ReceiveRequest {
  maxMessages: number;
  /** Seconds; the queue's VisibilityTimeout when absent. */
  visibilityTimeout?: number;
  /** Seconds to wait for a message when none is visible; the queue's ReceiveMessageWaitTimeSeconds when absent. */
  waitSeconds?: number;
  /** FIFO ReceiveRequestAttemptId: a retry within 5 minutes gets the same messages and handles. */
  attemptId?: string;
}

/** A message as ReceiveMessage returns it, before attribute filtering. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  attributes: string | null;
  md5OfAttributes: string | null;
  system: Record<string, string>;
}

/** A message moving between queues (dead-letter move), with the history AWS keeps. */
export interface MovedMessage extends MessageContent {
  messageId: string;
  groupId: string | null;
  deduplicationId: string | null;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
}

/** A receipt handle as the service decoded it: which message, which receive, which incarnation of the queue. */
export interface HandleRef {
  handle: string;
  seq: number;
  receipt: number;
  incarnation: string;
}

export interface VisibilityChange extends HandleRef {
  visibilityTimeout: number;
}

/** What CreateQueue hands the queue object: the attributes to create with, and those the caller named. */
export interface QueueCreation {
  account: string;
  region: string;
  name: string;
  attributes: QueueAttributes;
  /** The attributes the request gave: an existing queue must have these values (else QueueNameExists). */
  requested: QueueAttributes;
  tags: Record<string, string>;
}

/** ApproximateNumberOfMessages, …NotVisible and …Delayed. */
export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface QueueDescription {
  state: QueueState;
  /** Only when asked for (`describe({ counts: true })`): the one part of a description that reads messages. */
  counts?: QueueCounts;
}

export interface MoveTask {
  taskId: string;
  status: "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";
  sourceArn: string;
  destinationArn: string | null;
  maxPerSecond: number | null;
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason: string | null;
}
