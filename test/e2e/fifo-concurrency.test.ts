/**
 * FIFO queues under concurrent producers and consumers (JSON protocol): several producers send
 * thousands of messages in batches to many message groups while several consumers receive, sometimes
 * fail (their visibility runs out), sometimes extend visibility, and delete. A shared in-process ledger
 * checks what FIFO promises: a group is never in flight in two receives at once, each group is
 * delivered in order (a redelivery starts again at the earliest undeleted message), nothing is lost or
 * delivered after its deletion, duplicates (resent batches) are not delivered again, and
 * SequenceNumbers follow send order.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
 */
import * as sqsSdk from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { client, uniqueName } from "./clients";
import { sleep } from "./helpers";

type Client = ReturnType<typeof client>;

/** Small seeded PRNG (mulberry32), so a failing run can be replayed with its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCERS = 4;
const GROUPS_PER_PRODUCER = 5;
const GROUPS = PRODUCERS * GROUPS_PER_PRODUCER;
const MESSAGES = 2400;
const CONSUMERS = 6;
/** Visibility of every receive (seconds): short, so failed deliveries come back quickly. */
const VISIBILITY = 4;
/** Visibility an extending consumer asks for (seconds). */
const EXTENDED = 6;
/** A consumer deletes or extends only this long after its receive was sent (ms), well before expiry. */
const SAFE_MS = 2500;
const DEADLINE_MS = 50_000;

const groupName = (g: number) => `group-${String(g).padStart(2, "0")}`;

interface Sent {
  body: string;
  group: string;
  index: number;
  /** From the send's answer (a consumer may receive the message before the producer has it). */
  messageId?: string;
  sequenceNumber?: string;
}

interface Hold {
  receive: number;
  index: number;
  /** When the receive was sent and its answer arrived (the claim happened in between). */
  sentAt: number;
  answeredAt: number;
  /** Until when the message is certainly still invisible (the claim was after `sentAt`). */
  certainUntil: number;
  deleteSentAt?: number;
}

interface GroupLedger {
  /** Indexes delivered at least once. */
  delivered: Set<number>;
  /** Indexes with a delete sent, and with a delete that succeeded. */
  deleteSent: Set<number>;
  deleted: Set<number>;
  holds: Hold[];
}

describe("FIFO queue under concurrent producers and consumers (json)", () => {
  it("keeps every group locked while in flight and in order, loses nothing and delivers no duplicate", async () => {
    const seed = Date.now() % 100_000;
    const rand = random(seed);
    const violations: string[] = [];
    const violation = (text: string) => {
      if (violations.length < 50) violations.push(`${text} (seed ${seed})`);
    };

    const admin = client(sqsSdk);
    const { QueueUrl } = await admin.send(
      new sqsSdk.CreateQueueCommand({
        QueueName: `${uniqueName("fifo-load")}.fifo`,
        Attributes: { FifoQueue: "true", VisibilityTimeout: String(VISIBILITY) },
      }),
    );
    const url = QueueUrl!;

    const sent = new Map<string, Sent>();
    const sentByProducer: string[][] = Array.from({ length: PRODUCERS }, () => []);
    const ledgers = new Map<string, GroupLedger>();
    for (let g = 0; g < GROUPS; g++)
      ledgers.set(groupName(g), { delivered: new Set(), deleteSent: new Set(), deleted: new Set(), holds: [] });
    const deleteCount = new Map<string, number>();
    const receivedAs = new Map<string, Set<string>>();
    let deletedTotal = 0;
    let producersDone = 0;
    const stats = {
      receives: 0,
      empty: 0,
      redeliveries: 0,
      failures: 0,
      extensions: 0,
      resends: 0,
      lateDeletes: 0,
      perConsumer: Array(CONSUMERS).fill(0) as number[],
    };
    const deadline = Date.now() + DEADLINE_MS;

    // ---- producers: each owns GROUPS_PER_PRODUCER groups and numbers each group's messages in send order
    const producer = async (p: number) => {
      const sqs = client(sqsSdk);
      const next = Array(GROUPS_PER_PRODUCER).fill(0) as number[];
      let previous: sqsSdk.SendMessageBatchRequestEntry[] | undefined;
      for (let batch = 0; batch < MESSAGES / PRODUCERS / 10; batch++) {
        const entries = Array.from({ length: 10 }, (_, i) => {
          const g = p * GROUPS_PER_PRODUCER + Math.floor(rand() * GROUPS_PER_PRODUCER);
          const index = next[g - p * GROUPS_PER_PRODUCER]!++;
          const body = `${groupName(g)}:${index}`;
          sent.set(body, { body, group: groupName(g), index });
          sentByProducer[p]!.push(body);
          return { Id: `e${i}`, MessageBody: body, MessageGroupId: groupName(g), MessageDeduplicationId: `dedup-${body}` };
        });
        const res = await sqs.send(new sqsSdk.SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
        expect(res.Failed ?? []).toEqual([]);
        const byId = new Map(res.Successful!.map((s) => [s.Id!, s]));
        for (const e of entries) {
          const s = byId.get(e.Id)!;
          Object.assign(sent.get(e.MessageBody)!, { messageId: s.MessageId!, sequenceNumber: s.SequenceNumber! });
        }
        // Now and then a producer retries its previous batch (same deduplication ids): SQS answers
        // like the first time and delivers nothing new.
        if (previous && rand() < 0.05) {
          stats.resends++;
          const again = await sqs.send(new sqsSdk.SendMessageBatchCommand({ QueueUrl: url, Entries: previous }));
          expect(again.Failed ?? []).toEqual([]);
          for (const s of again.Successful!) {
            const original = sent.get(previous.find((e) => e.Id === s.Id)!.MessageBody!)!;
            expect({ id: s.MessageId, seq: s.SequenceNumber }).toEqual({ id: original.messageId, seq: original.sequenceNumber });
          }
        }
        previous = entries;
      }
      producersDone++;
    };

    // ---- ledger checks, run when a receive's answer arrives
    let receiveCounter = 0;
    const onReceive = (consumer: number, receive: number, sentAt: number, answeredAt: number, messages: Message[]) => {
      const now = Date.now();
      const byGroup = new Map<string, Message[]>();
      for (const m of messages) {
        const original = sent.get(m.Body!);
        if (!original) {
          violation(`unknown body ${m.Body}`);
          continue;
        }
        // Compared with the send's answer at the end.
        (receivedAs.get(m.Body!) ?? receivedAs.set(m.Body!, new Set()).get(m.Body!)!).add(
          `${m.MessageId} ${m.Attributes?.SequenceNumber}`,
        );
        if (m.Attributes?.MessageGroupId !== original.group)
          violation(`${m.Body}: MessageGroupId ${m.Attributes?.MessageGroupId}`);
        const list = byGroup.get(original.group) ?? [];
        list.push(m);
        byGroup.set(original.group, list);
      }
      for (const [group, list] of byGroup) {
        const ledger = ledgers.get(group)!;
        const indexes = list.map((m) => sent.get(m.Body!)!.index);
        // Within one receive a group's messages are consecutive, in order.
        for (let i = 1; i < indexes.length; i++)
          if (indexes[i] !== indexes[i - 1]! + 1) violation(`${group}: one receive returned ${indexes.join(",")}`);
        // Forget holds that have certainly ended (deleted or visibility certainly over).
        ledger.holds = ledger.holds.filter((h) => h.certainUntil >= now && !ledger.deleted.has(h.index));
        // Locking: no message of the group certainly in flight under another receive while this one claimed.
        for (const h of ledger.holds) {
          const heldUntil = Math.min(h.deleteSentAt ?? Infinity, h.certainUntil);
          if (sentAt >= h.answeredAt && answeredAt <= heldUntil) {
            violation(
              `${group}: consumer ${consumer} received ${indexes.join(",")} while ${h.index} was in flight (receive ${h.receive})`,
            );
          }
        }
        // Order: everything before the first index was deleted (a delete was sent) before this answer,
        // and nothing delivered was deleted already.
        const first = indexes[0]!;
        for (let j = 0; j < first; j++) {
          if (!ledger.deleteSent.has(j)) {
            violation(`${group}: received from ${first} while ${j} was not deleted`);
            break;
          }
        }
        for (const i of indexes) {
          if (ledger.deleted.has(i)) violation(`${group}: ${i} delivered after it was deleted`);
          if (ledger.delivered.has(i)) stats.redeliveries++;
          else {
            // First deliveries in order: every earlier message was delivered before.
            if (i > 0 && !ledger.delivered.has(i - 1)) violation(`${group}: ${i} delivered before ${i - 1}`);
            ledger.delivered.add(i);
          }
          ledger.holds.push({ receive, index: i, sentAt, answeredAt, certainUntil: sentAt + VISIBILITY * 1000 });
        }
      }
      stats.perConsumer[consumer] = (stats.perConsumer[consumer] ?? 0) + messages.length;
    };

    const holdOf = (m: Message, receive: number) => {
      const s = sent.get(m.Body!)!;
      return ledgers.get(s.group)!.holds.find((h) => h.receive === receive && h.index === s.index);
    };

    const deleteAll = async (sqs: Client, messages: Message[], receive: number) => {
      const now = Date.now();
      for (const m of messages) {
        const s = sent.get(m.Body!)!;
        ledgers.get(s.group)!.deleteSent.add(s.index);
        const hold = holdOf(m, receive);
        if (hold) hold.deleteSentAt = now;
      }
      const res = await sqs.send(
        new sqsSdk.DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      const answeredAt = Date.now();
      for (const f of res.Failed ?? []) {
        const m = messages[Number(f.Id!.slice(1))]!;
        const s = sent.get(m.Body!)!;
        const hold = holdOf(m, receive);
        // Only a delete answered while the message was certainly still ours must succeed; one that
        // crawled past the visibility timeout (a loaded machine) may find its handle expired.
        if (!hold || answeredAt <= hold.certainUntil) violation(`delete of ${s.body} failed: ${f.Code} ${f.Message}`);
        stats.lateDeletes++;
        ledgers.get(s.group)!.deleteSent.delete(s.index);
        if (hold) hold.deleteSentAt = undefined;
      }
      for (const ok of res.Successful ?? []) {
        const s = sent.get(messages[Number(ok.Id!.slice(1))]!.Body!)!;
        ledgers.get(s.group)!.deleted.add(s.index);
        deleteCount.set(s.body, (deleteCount.get(s.body) ?? 0) + 1);
        deletedTotal++;
      }
    };

    // ---- consumers
    const consumer = async (c: number) => {
      const sqs = client(sqsSdk);
      while (Date.now() < deadline && !(producersDone === PRODUCERS && deletedTotal >= MESSAGES)) {
        const receive = ++receiveCounter;
        const sentAt = Date.now();
        const res = await sqs.send(
          new sqsSdk.ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: VISIBILITY,
            WaitTimeSeconds: 1,
            AttributeNames: ["All"],
          }),
        );
        const answeredAt = Date.now();
        const messages = res.Messages ?? [];
        stats.receives++;
        if (!messages.length) {
          stats.empty++;
          continue;
        }
        onReceive(c, receive, sentAt, answeredAt, messages);

        const groups = new Map<string, Message[]>();
        for (const m of messages) {
          const group = m.Attributes!.MessageGroupId!;
          groups.set(group, [...(groups.get(group) ?? []), m]);
        }
        for (const list of groups.values()) {
          const roll = rand();
          if (roll < 0.04) {
            // Crash part-way: delete a prefix, leave the rest to come back when visibility runs out.
            stats.failures++;
            const keep = Math.floor(rand() * list.length);
            if (keep > 0 && Date.now() < sentAt + SAFE_MS) await deleteAll(sqs, list.slice(0, keep), receive);
          } else if (roll < 0.12) {
            // Slow work: extend the visibility of all of the group's messages, work, then delete.
            if (Date.now() >= sentAt + SAFE_MS) continue;
            stats.extensions++;
            const changeSentAt = Date.now();
            const changed = await sqs.send(
              new sqsSdk.ChangeMessageVisibilityBatchCommand({
                QueueUrl: url,
                Entries: list.map((m, i) => ({ Id: `v${i}`, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: EXTENDED })),
              }),
            );
            const changeAnsweredAt = Date.now();
            const failed = new Set((changed.Failed ?? []).map((f) => f.Id));
            for (const f of changed.Failed ?? []) {
              if (changeAnsweredAt <= sentAt + VISIBILITY * 1000) violation(`visibility change failed: ${f.Code} ${f.Message}`);
              stats.lateDeletes++;
            }
            list.forEach((m, i) => {
              const hold = holdOf(m, receive);
              if (hold && !failed.has(`v${i}`)) hold.certainUntil = Math.max(hold.certainUntil, changeSentAt + EXTENDED * 1000);
            });
            if (failed.size) continue;
            await sleep(200 + rand() * 800);
            if (Date.now() < changeSentAt + SAFE_MS) await deleteAll(sqs, list, receive);
          } else if (Date.now() < sentAt + SAFE_MS) {
            await deleteAll(sqs, list, receive);
          }
        }
      }
    };

    await Promise.all([
      ...Array.from({ length: PRODUCERS }, (_, p) => producer(p)),
      ...Array.from({ length: CONSUMERS }, (_, c) => consumer(c)),
    ]);

    expect(violations).toEqual([]);
    // Nothing lost, nothing extra: every message was sent once and deleted exactly once.
    expect(sent.size).toBe(MESSAGES);
    expect(deletedTotal).toBe(MESSAGES);
    const notOnce = [...sent.keys()].filter((body) => deleteCount.get(body) !== 1);
    expect(notOnce).toEqual([]);
    for (const [group, ledger] of ledgers) {
      expect(ledger.deleted.size, group).toBe(ledger.delivered.size);
    }
    // Every delivery of a message had the MessageId and SequenceNumber its send answered with.
    const mismatched = [...sent.values()].filter(
      (s) => [...receivedAs.get(s.body)!].join("|") !== `${s.messageId} ${s.sequenceNumber}`,
    );
    expect(
      mismatched.map((s) => `${s.body}: ${[...receivedAs.get(s.body)!].join("|")} vs ${s.messageId} ${s.sequenceNumber}`),
    ).toEqual([]);
    // SequenceNumbers are unique and increase with each producer's send order.
    const numbers = [...sent.values()].map((s) => BigInt(s.sequenceNumber!));
    expect(new Set(numbers).size).toBe(MESSAGES);
    for (const bodies of sentByProducer) {
      const seqs = bodies.map((b) => BigInt(sent.get(b)!.sequenceNumber!));
      expect(seqs.every((n, i) => i === 0 || n > seqs[i - 1]!)).toBe(true);
    }
    // The scenario really exercised concurrency, redelivery and extension.
    expect(stats.perConsumer.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    expect(stats.failures).toBeGreaterThan(0);
    expect(stats.redeliveries).toBeGreaterThan(0);
    expect(stats.extensions).toBeGreaterThan(0);

    const { Attributes } = await admin.send(
      new sqsSdk.GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesDelayed",
        ],
      }),
    );
    expect(Attributes).toEqual({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
      ApproximateNumberOfMessagesDelayed: "0",
    });
    console.log(`fifo concurrency (seed ${seed}):`, JSON.stringify(stats));
  }, 60_000);
});
