/**
 * FIFO dead-letter queues end to end, over both SQS protocols: a FIFO queue's dead-letter queue must
 * be FIFO (and a standard queue's standard), messages past maxReceiveCount keep their message group,
 * deduplication id and order in the dead-letter queue, and message move tasks redrive FIFO messages
 * in group order (back to their source or to another FIFO queue, never to a standard one).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
 */
import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { eventually, sleep } from "./helpers";
import { queueFixtures } from "./sqs-queues";
import { expectAwsError } from "./wire-errors";

type Client = ReturnType<typeof client>;

const fifoName = (base: string) => `${uniqueName(base)}.fifo`;

/** Bodies of `messages` per MessageGroupId, in the order received. */
const byGroup = (messages: Message[]) => {
  const groups: Record<string, string[]> = {};
  for (const m of messages) (groups[m.Attributes!.MessageGroupId!] ??= []).push(m.Body!);
  return groups;
};

/** SequenceNumbers (20-digit decimals) compared exactly, as BigInt. */
const increasing = (numbers: string[]) => numbers.every((n, i) => i === 0 || BigInt(n) > BigInt(numbers[i - 1]!));

describe.each(protocols)("FIFO dead-letter queues over $name", ({ sdk }) => {
  const { create, counts } = queueFixtures(sdk);
  const createFifo = (sqs: Client, base: string, attributes: Record<string, string> = {}) =>
    create(sqs, fifoName(base), { FifoQueue: "true", ...attributes });
  const redrive = (arn: string, maxReceiveCount: number) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount });
  /** A FIFO source queue feeding a new FIFO dead-letter queue. */
  const fifoPipe = async (sqs: Client, maxReceiveCount = 1, dlq?: { url: string; arn: string }) => {
    const target = dlq ?? (await createFifo(sqs, "dlq"));
    const source = await createFifo(sqs, "src", { RedrivePolicy: redrive(target.arn, maxReceiveCount) });
    return { source, dlq: target };
  };
  const receive = (sqs: Client, url: string, options: { wait?: number; visibility?: number; max?: number } = {}) =>
    sqs.send(
      new sdk.ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: options.max ?? 10,
        WaitTimeSeconds: options.wait ?? 0,
        VisibilityTimeout: options.visibility,
        AttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
  /** Receives and deletes until `n` messages arrived, at most `ms`; returns them in the order received. */
  const drain = async (sqs: Client, url: string, n: number, ms = 10_000) => {
    const out: Message[] = [];
    const until = Date.now() + ms;
    while (out.length < n && Date.now() < until) {
      const { Messages } = await receive(sqs, url, { wait: 1 });
      for (const m of Messages ?? []) out.push(m);
      if (Messages?.length) {
        const res = await sqs.send(
          new sdk.DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
          }),
        );
        expect(res.Failed ?? []).toEqual([]);
      }
    }
    return out;
  };
  /** Sends `bodies` of each group, in order, in one batch per group; returns the send results by body. */
  const sendGroups = async (sqs: Client, url: string, groups: Record<string, string[]>) => {
    const sent = new Map<string, { MessageId: string; SequenceNumber: string; DeduplicationId: string; group: string }>();
    for (const [group, bodies] of Object.entries(groups)) {
      const entries = bodies.map((body, i) => ({
        Id: `e${i}`,
        MessageBody: body,
        MessageGroupId: group,
        MessageDeduplicationId: `dedup-${body}`,
        MessageAttributes: { body: { DataType: "String", StringValue: body } },
      }));
      const res = await sqs.send(new sdk.SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
      expect(res.Failed ?? []).toEqual([]);
      const byId = new Map(res.Successful!.map((s) => [s.Id!, s]));
      entries.forEach((e) => {
        const s = byId.get(e.Id)!;
        sent.set(e.MessageBody, {
          MessageId: s.MessageId!,
          SequenceNumber: s.SequenceNumber!,
          DeduplicationId: e.MessageDeduplicationId,
          group,
        });
      });
    }
    return sent;
  };
  /**
   * Receives from the FIFO source (visibility 0, so every receive counts) until every message went to
   * the dead-letter queue; returns the messages of the receives that still delivered.
   */
  const exhaust = async (sqs: Client, source: string, dlq: string, total: number, ms = 15_000) => {
    const delivered: Message[][] = [];
    const until = Date.now() + ms;
    for (;;) {
      const { Messages } = await receive(sqs, source, { visibility: 0 });
      if (Messages?.length) delivered.push(Messages);
      const inDlq = await counts(sqs, dlq);
      if (inDlq.visible + inDlq.inFlight >= total) break;
      if (Date.now() > until) throw new Error(`only ${inDlq.visible + inDlq.inFlight} of ${total} dead-lettered`);
    }
    return delivered;
  };

  it("requires a FIFO queue's dead-letter queue to be FIFO, and a standard queue's to be standard", async () => {
    const sqs = client(sdk);
    const standardDlq = await create(sqs, uniqueName("std-dlq"));
    const fifoDlq = await createFifo(sqs, "fifo-dlq");
    // AWS's text ends with two periods (seen verbatim in real-AWS errors surfaced by Terraform and
    // CloudFormation); the value is the attribute exactly as sent.
    const mismatch = (policy: string) => ({
      code: "InvalidParameterValue",
      status: 400,
      message: `Value ${policy} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source..`,
    });

    const toStandard = redrive(standardDlq.arn, 3);
    await expectAwsError(
      sqs,
      new sdk.CreateQueueCommand({ QueueName: fifoName("src"), Attributes: { FifoQueue: "true", RedrivePolicy: toStandard } }),
      mismatch(toStandard),
    );
    const toFifo = redrive(fifoDlq.arn, 3);
    await expectAwsError(
      sqs,
      new sdk.CreateQueueCommand({ QueueName: uniqueName("src"), Attributes: { RedrivePolicy: toFifo } }),
      mismatch(toFifo),
    );

    // SetQueueAttributes applies the same rule, and leaves the queue unchanged.
    const fifoSource = await createFifo(sqs, "src");
    await expectAwsError(
      sqs,
      new sdk.SetQueueAttributesCommand({ QueueUrl: fifoSource.url, Attributes: { RedrivePolicy: toStandard } }),
      mismatch(toStandard),
    );
    const standardSource = await create(sqs, uniqueName("src"));
    await expectAwsError(
      sqs,
      new sdk.SetQueueAttributesCommand({ QueueUrl: standardSource.url, Attributes: { RedrivePolicy: toFifo } }),
      mismatch(toFifo),
    );
    const attrs = await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl: fifoSource.url, AttributeNames: ["All"] }));
    expect(attrs.Attributes!.RedrivePolicy).toBeUndefined();

    // Matching types are accepted.
    await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl: fifoSource.url, Attributes: { RedrivePolicy: toFifo } }));
    const after = await sqs.send(
      new sdk.GetQueueAttributesCommand({ QueueUrl: fifoSource.url, AttributeNames: ["RedrivePolicy"] }),
    );
    expect(JSON.parse(after.Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: fifoDlq.arn, maxReceiveCount: 3 });
    const sources = await sqs.send(new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl: fifoDlq.url }));
    expect(sources.queueUrls).toEqual([fifoSource.url]);
  });

  it("moves messages past maxReceiveCount to the FIFO dead-letter queue with their group, deduplication id and order", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await fifoPipe(sqs, 2);
    const groups = { alpha: ["a1", "a2", "a3", "a4", "a5"], beta: ["b1", "b2", "b3"] };
    const sent = await sendGroups(sqs, source.url, groups);
    // SequenceNumbers increase in send order within the queue.
    expect(increasing([...sent.values()].map((s) => s.SequenceNumber))).toBe(true);

    const delivered = await exhaust(sqs, source.url, dlq.url, 8);
    // While below maxReceiveCount the messages are delivered in group order (visibility 0: each
    // receive sees all of them again), each group from its first message.
    expect(delivered.length).toBeGreaterThanOrEqual(2);
    for (const batch of delivered.slice(0, 2)) expect(byGroup(batch)).toEqual(groups);
    expect(delivered[0]!.map((m) => m.Attributes!.ApproximateReceiveCount)).toEqual(Array(8).fill("1"));
    expect(delivered[1]!.map((m) => m.Attributes!.ApproximateReceiveCount)).toEqual(Array(8).fill("2"));
    expect(delivered.slice(2).flat()).toEqual([]);
    expect(await counts(sqs, source.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    const moved = await drain(sqs, dlq.url, 8);
    expect(byGroup(moved)).toEqual(groups);
    for (const m of moved) {
      const original = sent.get(m.Body!)!;
      expect(m.MessageId).toBe(original.MessageId);
      expect(m.MessageAttributes).toEqual({ body: { DataType: "String", StringValue: m.Body } });
      expect(m.Attributes).toMatchObject({
        MessageGroupId: original.group,
        MessageDeduplicationId: original.DeduplicationId,
        DeadLetterQueueSourceArn: source.arn,
        ApproximateReceiveCount: "3",
        SequenceNumber: expect.stringMatching(/^\d{20}$/),
      });
    }
    // Within each group the dead-letter queue's SequenceNumbers follow the original order.
    for (const group of Object.keys(groups)) {
      expect(
        increasing(moved.filter((m) => m.Attributes!.MessageGroupId === group).map((m) => m.Attributes!.SequenceNumber!)),
      ).toBe(true);
    }
    expect(await counts(sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("serves the FIFO dead-letter queue group by group: a group with a message in flight waits", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await fifoPipe(sqs, 1);
    const groups = { g1: ["x1", "x2", "x3"], g2: ["y1", "y2"] };
    await sendGroups(sqs, source.url, groups);
    await exhaust(sqs, source.url, dlq.url, 5);

    // One message of g1 in flight in the dead-letter queue holds the rest of g1 back.
    const first = await receive(sqs, dlq.url, { max: 1, visibility: 30 });
    expect(first.Messages!.map((m) => m.Body)).toEqual(["x1"]);
    const others = await receive(sqs, dlq.url, { visibility: 30 });
    expect(others.Messages!.map((m) => m.Body)).toEqual(["y1", "y2"]);
    expect((await receive(sqs, dlq.url)).Messages ?? []).toEqual([]);

    // Released, g1 is delivered again from its first message, in order.
    await sqs.send(
      new sdk.ChangeMessageVisibilityCommand({
        QueueUrl: dlq.url,
        ReceiptHandle: first.Messages![0]!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = await receive(sqs, dlq.url, { visibility: 30 });
    expect(again.Messages!.map((m) => m.Body)).toEqual(["x1", "x2", "x3"]);
  });

  it("redrives a FIFO dead-letter queue back to its source queue, in group order", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await fifoPipe(sqs, 1);
    const groups = { red: ["r1", "r2", "r3", "r4"], blue: ["u1", "u2", "u3"] };
    const sent = await sendGroups(sqs, source.url, groups);
    await exhaust(sqs, source.url, dlq.url, 7);

    await sqs.send(new sdk.StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    const back = await drain(sqs, source.url, 7);
    expect(byGroup(back)).toEqual(groups);
    for (const m of back) {
      // Redriven messages are new messages, but keep their group.
      expect(m.MessageId).not.toBe(sent.get(m.Body!)!.MessageId);
      expect(m.Attributes!.MessageGroupId).toBe(sent.get(m.Body!)!.group);
      expect(m.Attributes!.MessageDeduplicationId).toEqual(expect.any(String));
      expect(m.Attributes!.SequenceNumber).toMatch(/^\d{20}$/);
      expect(m.Attributes!.ApproximateReceiveCount).toBe("1");
      expect(m.Attributes!.DeadLetterQueueSourceArn).toBeUndefined();
      expect(m.MessageAttributes).toEqual({ body: { DataType: "String", StringValue: m.Body } });
    }

    const [task] = await eventually(async () => {
      const list = (await sqs.send(new sdk.ListMessageMoveTasksCommand({ SourceArn: dlq.arn }))).Results ?? [];
      return list[0]?.Status === "COMPLETED" ? list : undefined;
    });
    expect(task).toEqual({
      ApproximateNumberOfMessagesMoved: 7,
      ApproximateNumberOfMessagesToMove: 7,
      SourceArn: dlq.arn,
      StartedTimestamp: expect.any(Number),
      Status: "COMPLETED",
    });
    expect(await counts(sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("redrives a FIFO dead-letter queue to another FIFO queue in group order, even after a message was released", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await fifoPipe(sqs, 1);
    const destination = await createFifo(sqs, "dest");
    const groups = { one: ["o1", "o2", "o3"], two: ["t1", "t2", "t3"] };
    await sendGroups(sqs, source.url, groups);
    await exhaust(sqs, source.url, dlq.url, 6);

    // Received from the dead-letter queue and released again: the head of group "one" is visible
    // again later than the rest of its group, but is still the first of the group.
    const head = await receive(sqs, dlq.url, { max: 1, visibility: 30 });
    expect(head.Messages!.map((m) => m.Body)).toEqual(["o1"]);
    await sleep(20);
    await sqs.send(
      new sdk.ChangeMessageVisibilityCommand({
        QueueUrl: dlq.url,
        ReceiptHandle: head.Messages![0]!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );

    await sqs.send(new sdk.StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn }));
    const moved = await drain(sqs, destination.url, 6);
    expect(byGroup(moved)).toEqual(groups);
    for (const m of moved) {
      expect(m.Attributes!.SequenceNumber).toMatch(/^\d{20}$/);
      expect(m.Attributes!.MessageDeduplicationId).toEqual(expect.any(String));
    }
    for (const group of Object.keys(groups)) {
      expect(
        increasing(moved.filter((m) => m.Attributes!.MessageGroupId === group).map((m) => m.Attributes!.SequenceNumber!)),
      ).toBe(true);
    }
    const [task] = await eventually(async () => {
      const list = (await sqs.send(new sdk.ListMessageMoveTasksCommand({ SourceArn: dlq.arn }))).Results ?? [];
      return list[0]?.Status === "COMPLETED" ? list : undefined;
    });
    expect(task).toMatchObject({ ApproximateNumberOfMessagesMoved: 6, DestinationArn: destination.arn });
  });

  it("rejects a move task between a FIFO and a standard queue", async () => {
    const sqs = client(sdk);
    const { dlq: fifoDlq } = await fifoPipe(sqs, 1);
    const standard = await create(sqs, uniqueName("std-dest"));
    const sameType = {
      code: "InvalidParameterValue",
      status: 400,
      message: "The source queue and destination queue must be of the same queue type.",
    };
    await expectAwsError(
      sqs,
      new sdk.StartMessageMoveTaskCommand({ SourceArn: fifoDlq.arn, DestinationArn: standard.arn }),
      sameType,
    );

    const standardDlq = await create(sqs, uniqueName("std-dlq"));
    await create(sqs, uniqueName("std-src"), { RedrivePolicy: redrive(standardDlq.arn, 1) });
    const fifoDestination = await createFifo(sqs, "fifo-dest");
    await expectAwsError(
      sqs,
      new sdk.StartMessageMoveTaskCommand({ SourceArn: standardDlq.arn, DestinationArn: fifoDestination.arn }),
      sameType,
    );
    // Nothing was started.
    expect((await sqs.send(new sdk.ListMessageMoveTasksCommand({ SourceArn: fifoDlq.arn }))).Results ?? []).toEqual([]);
  });
});
