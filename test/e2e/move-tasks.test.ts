/**
 * Message move tasks (dead-letter queue redrive) end to end, over both SQS protocols, against the
 * responses recorded from AWS in ../shared/aws-recordings/sqs/test_sqs_move_task.snapshot.json.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { encodeToken } from "../../src/domain/tokens";
import { client, protocols, uniqueName } from "./clients";
import { eventually } from "./helpers";
import { queueFixtures } from "./sqs-queues";
import { expectAwsError } from "./wire-errors";

type Client = ReturnType<typeof client>;

const notFound = (parameter: "SourceArn" | "DestinationArn") => ({
  code: "ResourceNotFoundException",
  status: 404,
  message: `The resource that you specified for the ${parameter} parameter doesn't exist.`,
});

describe.each(protocols)("message move tasks over $name", ({ sdk }) => {
  const { create } = queueFixtures(sdk);
  const visibleCount = async (sqs: Client, url: string) => {
    const { Attributes } = await sqs.send(
      new sdk.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    return Number(Attributes!.ApproximateNumberOfMessages);
  };
  /** A source queue with maxReceiveCount 1 feeding a new dead-letter queue. */
  const pipe = async (sqs: Client, dlq?: { url: string; arn: string }) => {
    const target = dlq ?? (await create(sqs, uniqueName("dlq")));
    const source = await create(sqs, uniqueName("src"), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: target.arn, maxReceiveCount: 1 }),
    });
    return { source, dlq: target };
  };
  /** Sends `bodies` to `source` and receives them past maxReceiveCount 1, so they end up in `dlq`. */
  const deadLetter = async (sqs: Client, source: string, dlq: string, bodies: string[], expectedInDlq = bodies.length) => {
    const ids: string[] = [];
    for (const body of bodies) {
      const sent = await sqs.send(
        new sdk.SendMessageCommand({
          QueueUrl: source,
          MessageBody: body,
          MessageAttributes: { n: { DataType: "String", StringValue: body } },
        }),
      );
      ids.push(sent.MessageId!);
    }
    await eventually(async () => {
      await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: source, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      return (await visibleCount(sqs, dlq)) >= expectedInDlq ? true : undefined;
    });
    return ids;
  };
  /** Receives (and deletes) until `n` messages arrived, at most `ms`. */
  const collect = async (sqs: Client, url: string, n: number, ms = 10_000) => {
    const out: Message[] = [];
    const until = Date.now() + ms;
    while (out.length < n && Date.now() < until) {
      const { Messages } = await sqs.send(
        new sdk.ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          AttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
      );
      for (const m of Messages ?? []) {
        out.push(m);
        await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    return out;
  };
  const tasks = async (sqs: Client, sourceArn: string, max?: number) =>
    (await sqs.send(new sdk.ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: max }))).Results ?? [];

  it("moves the dead-letter queue's messages to a DestinationArn, as new messages", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await pipe(sqs);
    const destination = await create(sqs, uniqueName("dest"));
    const originalIds = await deadLetter(sqs, source.url, dlq.url, ["message-1", "message-2"]);

    const before = Date.now();
    const started = await sqs.send(new sdk.StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn }));
    expect(typeof started.TaskHandle).toBe("string");
    expect(started.TaskHandle!.length).toBeGreaterThan(0);

    const moved = await collect(sqs, destination.url, 2);
    expect(moved.map((m) => m.Body).sort()).toEqual(["message-1", "message-2"]);
    for (const m of moved) {
      // Redriven messages are new messages: new id, sent now, never received, no dead-letter source.
      expect(originalIds).not.toContain(m.MessageId);
      expect(m.Attributes!.ApproximateReceiveCount).toBe("1");
      expect(m.Attributes!.DeadLetterQueueSourceArn).toBeUndefined();
      expect(Number(m.Attributes!.SentTimestamp)).toBeGreaterThanOrEqual(before - 1000);
      // Content is kept.
      expect(m.MessageAttributes).toEqual({ n: { DataType: "String", StringValue: m.Body } });
    }

    const [task] = await eventually(async () => {
      const list = await tasks(sqs, dlq.arn);
      return list[0]?.Status === "COMPLETED" ? list : undefined;
    });
    expect(task).toEqual({
      ApproximateNumberOfMessagesMoved: 2,
      ApproximateNumberOfMessagesToMove: 2,
      DestinationArn: destination.arn,
      SourceArn: dlq.arn,
      StartedTimestamp: expect.any(Number),
      Status: "COMPLETED",
    });
    // Epoch milliseconds.
    expect(task!.StartedTimestamp!).toBeGreaterThanOrEqual(before - 5000);
    expect(task!.StartedTimestamp!).toBeLessThanOrEqual(Date.now() + 5000);

    const left = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1 }));
    expect(left.Messages ?? []).toEqual([]);
  });

  it("without DestinationArn, moves each message back to the queue it was dead-lettered from", async () => {
    const sqs = client(sdk);
    const { source: first, dlq } = await pipe(sqs);
    const { source: second } = await pipe(sqs, dlq);
    await deadLetter(sqs, first.url, dlq.url, ["first-1", "first-2"], 2);
    await deadLetter(sqs, second.url, dlq.url, ["second-1", "second-2"], 4);

    await sqs.send(new sdk.StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    const backInFirst = await collect(sqs, first.url, 2);
    const backInSecond = await collect(sqs, second.url, 2);
    expect(backInFirst.map((m) => m.Body).sort()).toEqual(["first-1", "first-2"]);
    expect(backInSecond.map((m) => m.Body).sort()).toEqual(["second-1", "second-2"]);

    const [task] = await eventually(async () => {
      const list = await tasks(sqs, dlq.arn);
      return list[0]?.Status === "COMPLETED" ? list : undefined;
    });
    // No DestinationArn, no MaxNumberOfMessagesPerSecond and no TaskHandle in the listing.
    expect(task).toEqual({
      ApproximateNumberOfMessagesMoved: 4,
      ApproximateNumberOfMessagesToMove: 4,
      SourceArn: dlq.arn,
      StartedTimestamp: expect.any(Number),
      Status: "COMPLETED",
    });
  });

  it("paces a task by MaxNumberOfMessagesPerSecond", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await pipe(sqs);
    const destination = await create(sqs, uniqueName("dest"));
    await deadLetter(sqs, source.url, dlq.url, ["m-0", "m-1", "m-2"]);

    const started = Date.now();
    await sqs.send(
      new sdk.StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: destination.arn,
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    const moved = await collect(sqs, destination.url, 3, 15_000);
    expect(moved.map((m) => m.Body).sort()).toEqual(["m-0", "m-1", "m-2"]);
    // One per second: the first may go at once, the third not before 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it("cancels a running task; the listing shows it RUNNING with its handle, then CANCELLED without", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await pipe(sqs);
    const destination = await create(sqs, uniqueName("dest"));
    const n = 10;
    await deadLetter(
      sqs,
      source.url,
      dlq.url,
      Array.from({ length: n }, (_, i) => `message-${i}`),
    );

    const { TaskHandle } = await sqs.send(
      new sdk.StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: destination.arn,
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    const arrived = await collect(sqs, destination.url, 2);
    expect(arrived).toHaveLength(2);

    const [running] = await tasks(sqs, dlq.arn);
    expect(running).toEqual({
      ApproximateNumberOfMessagesMoved: expect.any(Number),
      ApproximateNumberOfMessagesToMove: n,
      DestinationArn: destination.arn,
      MaxNumberOfMessagesPerSecond: 1,
      SourceArn: dlq.arn,
      StartedTimestamp: expect.any(Number),
      Status: "RUNNING",
      TaskHandle,
    });

    const cancelled = await sqs.send(new sdk.CancelMessageMoveTaskCommand({ TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(2);
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeLessThan(n);

    const [after] = await eventually(async () => {
      const list = await tasks(sqs, dlq.arn);
      return list[0]?.Status === "CANCELLED" ? list : undefined;
    });
    expect(after).toEqual({
      ApproximateNumberOfMessagesMoved: expect.any(Number),
      ApproximateNumberOfMessagesToMove: n,
      DestinationArn: destination.arn,
      MaxNumberOfMessagesPerSecond: 1,
      SourceArn: dlq.arn,
      StartedTimestamp: running!.StartedTimestamp,
      Status: "CANCELLED",
    });
    expect(after!.ApproximateNumberOfMessagesMoved).toBeLessThan(n);

    // Cancelling doesn't undo moves, and nothing is lost: what wasn't moved is still in the DLQ.
    const rest = await collect(sqs, dlq.url, n - after!.ApproximateNumberOfMessagesMoved!, 5000);
    const inDestination = [
      ...arrived,
      ...(await collect(sqs, destination.url, after!.ApproximateNumberOfMessagesMoved! - 2, 3000)),
    ];
    expect(inDestination).toHaveLength(after!.ApproximateNumberOfMessagesMoved!);
    expect([...rest, ...inDestination].map((m) => m.Body).sort()).toEqual(
      Array.from({ length: n }, (_, i) => `message-${i}`).sort(),
    );
  });

  it("lists the most recent tasks first, one unless MaxResults says more", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await pipe(sqs);
    const destination = await create(sqs, uniqueName("dest"));
    expect(await tasks(sqs, dlq.arn)).toEqual([]);

    await deadLetter(sqs, source.url, dlq.url, ["one"]);
    await sqs.send(new sdk.StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn }));
    await eventually(async () => ((await tasks(sqs, dlq.arn))[0]?.Status === "COMPLETED" ? true : undefined));

    await deadLetter(sqs, source.url, dlq.url, ["two"]);
    await sqs.send(new sdk.StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    await eventually(async () => ((await tasks(sqs, dlq.arn))[0]?.Status === "COMPLETED" ? true : undefined));

    const latest = await tasks(sqs, dlq.arn);
    expect(latest).toHaveLength(1);
    expect(latest[0]!.DestinationArn).toBeUndefined();
    const both = await tasks(sqs, dlq.arn, 10);
    expect(both.map((t) => t.DestinationArn)).toEqual([undefined, destination.arn]);
    expect(both[0]!.StartedTimestamp!).toBeGreaterThanOrEqual(both[1]!.StartedTimestamp!);
  });

  it("fails the task with NonExistentQueue when the destination is deleted while it runs", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await pipe(sqs);
    const destination = await create(sqs, uniqueName("dest"));
    const n = 10;
    await deadLetter(
      sqs,
      source.url,
      dlq.url,
      Array.from({ length: n }, (_, i) => `message-${i}`),
    );

    await sqs.send(
      new sdk.StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: destination.arn,
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    await sqs.send(new sdk.DeleteQueueCommand({ QueueUrl: destination.url }));

    const [task] = await eventually(async () => {
      const list = await tasks(sqs, dlq.arn);
      return list[0] && list[0].Status !== "RUNNING" ? list : undefined;
    });
    expect(task).toEqual({
      ApproximateNumberOfMessagesMoved: expect.any(Number),
      ApproximateNumberOfMessagesToMove: n,
      DestinationArn: destination.arn,
      FailureReason: "AWS.SimpleQueueService.NonExistentQueue",
      MaxNumberOfMessagesPerSecond: 1,
      SourceArn: dlq.arn,
      StartedTimestamp: expect.any(Number),
      Status: "FAILED",
    });
    // The messages that weren't moved are still in the dead-letter queue, none lost in transit.
    const left = await collect(sqs, dlq.url, n - task!.ApproximateNumberOfMessagesMoved!, 5000);
    expect(left.length).toBe(n - task!.ApproximateNumberOfMessagesMoved!);
    expect(left.length).toBeGreaterThan(0);
  });

  it("fails a task without DestinationArn when a message never came from a source queue", async () => {
    const sqs = client(sdk);
    const { dlq } = await pipe(sqs);
    // Sent straight to the dead-letter queue: there is no original source to return it to.
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl: dlq.url, MessageBody: "orphan" }));
    await sqs.send(new sdk.StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 93 }));
    const [task] = await eventually(async () => {
      const list = await tasks(sqs, dlq.arn);
      return list[0] && list[0].Status !== "RUNNING" ? list : undefined;
    });
    expect(task).toEqual({
      ApproximateNumberOfMessagesMoved: 0,
      ApproximateNumberOfMessagesToMove: 1,
      FailureReason: "CouldNotDetermineMessageSource",
      MaxNumberOfMessagesPerSecond: 93,
      SourceArn: dlq.arn,
      StartedTimestamp: expect.any(Number),
      Status: "FAILED",
    });
    expect((await collect(sqs, dlq.url, 1, 3000)).map((m) => m.Body)).toEqual(["orphan"]);
  });

  it("rejects a source queue that is nobody's dead-letter queue", async () => {
    const sqs = client(sdk);
    const plain = await create(sqs, uniqueName("plain"));
    const destination = await create(sqs, uniqueName("dest"));
    await expectAwsError(sqs, new sdk.StartMessageMoveTaskCommand({ SourceArn: plain.arn, DestinationArn: destination.arn }), {
      code: "InvalidParameterValue",
      status: 400,
      message: "Source queue must be configured as a Dead Letter Queue.",
    });
  });

  it("rejects a missing source or destination queue", async () => {
    const sqs = client(sdk);
    const { dlq } = await pipe(sqs);
    await expectAwsError(
      sqs,
      new sdk.StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: `${dlq.arn}doesntexist` }),
      notFound("DestinationArn"),
    );
    await expectAwsError(sqs, new sdk.StartMessageMoveTaskCommand({ SourceArn: `${dlq.arn}doesntexist` }), notFound("SourceArn"));
    await expectAwsError(sqs, new sdk.ListMessageMoveTasksCommand({ SourceArn: `${dlq.arn}doesntexist` }), notFound("SourceArn"));
  });

  it("allows one active task per source queue", async () => {
    const sqs = client(sdk);
    const { source, dlq } = await pipe(sqs);
    const destination = await create(sqs, uniqueName("dest"));
    await deadLetter(
      sqs,
      source.url,
      dlq.url,
      Array.from({ length: 5 }, (_, i) => `message-${i}`),
    );
    const { TaskHandle } = await sqs.send(
      new sdk.StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: destination.arn,
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    await expectAwsError(
      sqs,
      new sdk.StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: destination.arn,
        MaxNumberOfMessagesPerSecond: 1,
      }),
      {
        code: "InvalidParameterValue",
        status: 400,
        message: "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
      },
    );
    await sqs.send(new sdk.CancelMessageMoveTaskCommand({ TaskHandle }));
  });

  it("rejects invalid task handles and handles naming an unknown queue or task", async () => {
    const sqs = client(sdk);
    await expectAwsError(sqs, new sdk.CancelMessageMoveTaskCommand({ TaskHandle: "foobared" }), {
      code: "InvalidParameterValue",
      status: 400,
      message: "Value for parameter TaskHandle is invalid.",
    });
    const unknownSource = encodeToken("T", {
      taskId: "10f57157-fc38-4da9-a113-4de7e12d05dd",
      sourceArn: "arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456",
    });
    await expectAwsError(sqs, new sdk.CancelMessageMoveTaskCommand({ TaskHandle: unknownSource }), notFound("SourceArn"));

    const queue = await create(sqs, uniqueName("src"));
    const unknownTask = encodeToken("T", { taskId: "10f57157-fc38-4da9-a113-4de7e12d05aa", sourceArn: queue.arn });
    await expectAwsError(sqs, new sdk.CancelMessageMoveTaskCommand({ TaskHandle: unknownTask }), {
      code: "ResourceNotFoundException",
      status: 404,
      message: "Task does not exist.",
    });
  });

  it("validates MaxNumberOfMessagesPerSecond and the destination", async () => {
    const sqs = client(sdk);
    const { dlq } = await pipe(sqs);
    const destination = await create(sqs, uniqueName("dest"));
    for (const rate of [0, 501]) {
      await expectAwsError(
        sqs,
        new sdk.StartMessageMoveTaskCommand({
          SourceArn: dlq.arn,
          DestinationArn: destination.arn,
          MaxNumberOfMessagesPerSecond: rate,
        }),
        {
          code: "InvalidParameterValue",
          status: 400,
          message:
            "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and 500.",
        },
      );
    }
    await expectAwsError(sqs, new sdk.StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: dlq.arn }), {
      code: "InvalidParameterValue",
      status: 400,
      message: "Source queue arn and destination queue arn cannot be the same.",
    });
  });
});
