/**
 * Shared pieces of the SNS delivery end-to-end tests: an SNS + SQS client pair for a fresh account
 * (so topics, queues and recorded deliveries of one test never meet another's), polling helpers
 * that collect what arrives in a queue, a loopback HTTP subscriber, and an independent check of
 * SNS message signatures (the canonical string from the AWS guide, node:crypto, the certificate
 * fetched from SigningCertURL).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */
import { Buffer } from "node:buffer";
import { X509Certificate, verify } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTopicCommand, SetSubscriptionAttributesCommand, SubscribeCommand, type SNSClient } from "@aws-sdk/client-sns";
import * as sqsSdk from "@aws-sdk/client-sqs";
import { client, uniqueName } from "./clients";
import { eventually } from "./helpers";
import { isolatedSns } from "./sns-clients";
import { queueFixtures } from "./sqs-queues";

export type Sqs = sqsSdk.SQSClient;
export type SqsMessage = sqsSdk.Message;

/** SNS and SQS clients of one fresh account (same-account SQS subscriptions confirm at once). */
export function isolatedPair() {
  const { sns, account, region } = isolatedSns();
  return { sns, sqs: client(sqsSdk, { accessKeyId: account }), account, region };
}

export async function createTopic(sns: SNSClient, name = uniqueName("topic"), attributes?: Record<string, string>) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
  return TopicArn!;
}

export const createQueue = (sqs: Sqs, name = uniqueName("q"), attributes?: Record<string, string>) =>
  queueFixtures(sqsSdk).create(sqs, name, attributes);

/** The queue's approximate counts of visible, in-flight and delayed messages (exact here). */
export const queueCounts = (sqs: Sqs, url: string) => queueFixtures(sqsSdk).counts(sqs, url);

export async function subscribe(
  sns: SNSClient,
  topicArn: string,
  protocol: string,
  endpoint: string,
  attributes?: Record<string, string>,
) {
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: protocol,
      Endpoint: endpoint,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return SubscriptionArn!;
}

export const setAttribute = (sns: SNSClient, arn: string, name: string, value: string) =>
  sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: name, AttributeValue: value }));

/** Keys of a standard topic's notification envelope in delivery order (Subject after TopicArn when set). */
export const ENVELOPE_KEYS =
  "Type MessageId TopicArn Message Timestamp SignatureVersion Signature SigningCertURL UnsubscribeURL".split(" ");
/** The same with a Subject. */
export const ENVELOPE_KEYS_SUBJECT = [...ENVELOPE_KEYS.slice(0, 3), "Subject", ...ENVELOPE_KEYS.slice(3)];
/** A FIFO topic's envelope: SequenceNumber, no signature (AWS-recorded `test_message_to_fifo_sqs`). */
export const FIFO_ENVELOPE_KEYS = "Type MessageId SequenceNumber TopicArn Message Timestamp UnsubscribeURL".split(" ");

/** One receive (waiting up to `waitSeconds`) that deletes what it got. */
async function take(sqs: Sqs, url: string, waitSeconds: number): Promise<SqsMessage[]> {
  const { Messages = [] } = await sqs.send(
    new sqsSdk.ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      MessageAttributeNames: ["All"],
      MessageSystemAttributeNames: ["All"],
    }),
  );
  if (Messages.length) {
    await sqs.send(
      new sqsSdk.DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return Messages;
}

/**
 * Receives (and deletes) messages until `count` have arrived, then keeps listening for
 * `settleMs` more to catch anything extra (a duplicate, a message that should have been filtered).
 */
export async function drain(sqs: Sqs, url: string, count: number, options: { timeoutMs?: number; settleMs?: number } = {}) {
  const got: SqsMessage[] = [];
  const end = Date.now() + (options.timeoutMs ?? 20_000);
  let settleEnd: number | undefined = count === 0 ? Date.now() + (options.settleMs ?? 1000) : undefined;
  for (;;) {
    const now = Date.now();
    if (settleEnd !== undefined && now >= settleEnd) return got;
    if (settleEnd === undefined && now > end) return got;
    got.push(...(await take(sqs, url, 1)));
    if (settleEnd === undefined && got.length >= count) settleEnd = Date.now() + (options.settleMs ?? 0);
  }
}

/**
 * Receives (and deletes) until a message `isFence` picks has arrived and nothing more is waiting;
 * returns the others, in the order received. A topic delivers to a subscriber in order, so once a
 * fence published last is in the queue, so is everything published before it: what should not have
 * arrived is then known to be absent, without waiting a fixed time.
 */
export async function receiveUntil(sqs: Sqs, url: string, isFence: (m: SqsMessage) => boolean, timeoutMs = 20_000) {
  const got: SqsMessage[] = [];
  const end = Date.now() + timeoutMs;
  let fenced = false;
  for (;;) {
    const batch = await take(sqs, url, fenced ? 0 : 1);
    for (const m of batch) {
      if (isFence(m)) fenced = true;
      else got.push(m);
    }
    if (fenced && !batch.length) return got;
    if (!fenced && Date.now() > end)
      throw new Error(`no fence in ${url} within ${timeoutMs} ms; got ${got.map((m) => m.Body).join(" | ")}`);
  }
}

/** Exactly `count` messages arrive (and no more within `settleMs`). */
export async function receiveExactly(sqs: Sqs, url: string, count: number, settleMs = 500, timeoutMs = 20_000) {
  const got = await drain(sqs, url, count, { settleMs, timeoutMs });
  if (got.length !== count)
    throw new Error(`expected ${count} messages in ${url}, got ${got.length}: ${got.map((m) => m.Body).join(" | ")}`);
  return got;
}

export const bodyOf = (m: SqsMessage) => JSON.parse(m.Body!) as Record<string, unknown>;

// ---- a loopback HTTP subscriber ----------------------------------------------------------------

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Subscriber {
  url: string;
  requests: ReceivedRequest[];
  /** Waits for at least `n` requests and returns them. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Status code answered to a request (default 200). */
  respond: (r: ReceivedRequest) => number;
  close(): Promise<void>;
}

export async function httpSubscriber(path = "/sns-endpoint"): Promise<Subscriber> {
  const requests: ReceivedRequest[] = [];
  const subscriber = {} as Subscriber;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      requests.push(r);
      res.statusCode = subscriber.respond(r);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(subscriber, {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    respond: () => 200,
    waitFor: (n: number, timeoutMs = 20_000) =>
      eventually(() => requests.length >= n && requests, `${n} HTTP requests`, { timeoutMs, intervalMs: 50 }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

// ---- signatures --------------------------------------------------------------------------------

const NOTIFICATION_FIELDS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"];
const CONFIRMATION_FIELDS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];

/** The string SNS signs, built as the AWS guide describes ("Key\nValue\n" for each present key). */
export function stringToSign(message: Record<string, unknown>): string {
  const fields = message.Type === "Notification" ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  return fields
    .filter((k) => message[k] !== undefined && message[k] !== null)
    .map((k) => `${k}\n${String(message[k])}\n`)
    .join("");
}

/** Verifies `Signature` against the certificate at the signing cert URL with SHA-1 (v1) or SHA-256 (v2). */
export async function verifySignature(message: Record<string, unknown>, hash?: "sha1" | "sha256"): Promise<boolean> {
  const certUrl = (message.SigningCertURL ?? message.SigningCertUrl) as string;
  const response = await fetch(certUrl);
  if (!response.ok) throw new Error(`GET ${certUrl}: HTTP ${response.status}`);
  const certificate = new X509Certificate(await response.text());
  const algorithm = hash ?? (message.SignatureVersion === "2" ? "sha256" : "sha1");
  return verify(
    algorithm,
    Buffer.from(stringToSign(message), "utf8"),
    certificate.publicKey,
    Buffer.from(message.Signature as string, "base64"),
  );
}

/** ISO 8601 with milliseconds, as SNS writes Timestamp. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
