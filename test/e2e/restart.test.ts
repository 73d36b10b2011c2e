/**
 * State survives a restart of the local server: `npm start`'s server (scripts/serve.mjs) is started with
 * STATE_DIR=<dir>, given
 * queues and messages (visible, delayed, in flight), stopped, and started again on the same folder.
 * Everything must still be there, byte for byte, with receipt handles still valid.
 * This file runs its own server process (not the shared test harness) and always stops it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sdk from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials, uniqueName } from "./clients";
import { sleep } from "./helpers";
import { START_TIMEOUT_MS, STOP_TIMEOUT_MS, startServer, stopServer, stopServers, type LocalServer } from "./local-server";

const clientFor = (server: LocalServer) =>
  new sdk.SQSClient({ endpoint: server.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });

describe("a restarted local server", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "sqs-restart-"));
  let server: LocalServer | undefined;

  beforeAll(async () => {
    server = await startServer(stateDir);
  }, START_TIMEOUT_MS + 10_000);

  afterAll(
    async () => {
      await stopServers();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(`${stateDir}-build`, { recursive: true, force: true });
    },
    STOP_TIMEOUT_MS * 2 + 10_000,
  );

  it(
    "keeps every queue, attribute, tag and message (visible, delayed, in flight) and its receipt handles",
    async () => {
      let sqs = clientFor(server!);
      const dlqName = uniqueName("restart-dlq");
      const sourceName = uniqueName("restart-src");
      const { QueueUrl: dlqUrlBefore } = await sqs.send(
        new sdk.CreateQueueCommand({
          QueueName: dlqName,
          Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "allowAll" }) },
        }),
      );
      const dlqArn = (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl: dlqUrlBefore, AttributeNames: ["QueueArn"] })))
        .Attributes!.QueueArn!;
      const { QueueUrl: sourceUrlBefore } = await sqs.send(
        new sdk.CreateQueueCommand({
          QueueName: sourceName,
          Attributes: {
            VisibilityTimeout: "45",
            MessageRetentionPeriod: "3600",
            MaximumMessageSize: "2048",
            ReceiveMessageWaitTimeSeconds: "0",
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }),
          },
          tags: { team: "queues", env: "test" },
        }),
      );

      const attributes = { color: { DataType: "String", StringValue: "blue" }, n: { DataType: "Number", StringValue: "42" } };
      const visible = await sqs.send(
        new sdk.SendMessageCommand({ QueueUrl: sourceUrlBefore, MessageBody: "stay visible", MessageAttributes: attributes }),
      );
      const inFlight = await sqs.send(new sdk.SendMessageCommand({ QueueUrl: sourceUrlBefore, MessageBody: "in flight" }));
      const claimed = await sqs.send(
        new sdk.ReceiveMessageCommand({ QueueUrl: sourceUrlBefore, MaxNumberOfMessages: 2, VisibilityTimeout: 600 }),
      );
      // Make the "stay visible" message visible again; keep the other one in flight.
      let inFlightHandle = "";
      for (const m of claimed.Messages ?? []) {
        if (m.MessageId === visible.MessageId) {
          await sqs.send(
            new sdk.ChangeMessageVisibilityCommand({
              QueueUrl: sourceUrlBefore,
              ReceiptHandle: m.ReceiptHandle,
              VisibilityTimeout: 0,
            }),
          );
        } else {
          inFlightHandle = m.ReceiptHandle!;
        }
      }
      expect(inFlightHandle).not.toBe("");
      const delayed = await sqs.send(
        new sdk.SendMessageCommand({ QueueUrl: sourceUrlBefore, MessageBody: "delayed", DelaySeconds: 900 }),
      );

      const allBefore = (
        await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl: sourceUrlBefore, AttributeNames: ["All"] }))
      ).Attributes!;
      expect(allBefore).toMatchObject({
        ApproximateNumberOfMessages: "1",
        ApproximateNumberOfMessagesNotVisible: "1",
        ApproximateNumberOfMessagesDelayed: "1",
      });
      const dlqBefore = (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl: dlqUrlBefore, AttributeNames: ["All"] })))
        .Attributes!;

      // A move task in progress (1 message/s), paced by the queue's alarm, which must survive too.
      const redriveName = uniqueName("restart-redrive");
      const { QueueUrl: redriveUrl } = await sqs.send(new sdk.CreateQueueCommand({ QueueName: redriveName }));
      const redriveArn = dlqArn.replace(dlqName, redriveName);
      const { QueueUrl: feederUrl } = await sqs.send(
        new sdk.CreateQueueCommand({
          QueueName: uniqueName("restart-feeder"),
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: redriveArn, maxReceiveCount: 1 }) },
        }),
      );
      const destinationName = uniqueName("restart-dest");
      const { QueueUrl: destinationUrlBefore } = await sqs.send(new sdk.CreateQueueCommand({ QueueName: destinationName }));
      const toMove = ["r-0", "r-1", "r-2", "r-3", "r-4", "r-5"];
      for (const body of toMove) await sqs.send(new sdk.SendMessageCommand({ QueueUrl: feederUrl, MessageBody: body }));
      for (let i = 0; i < 10; i++) {
        await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: feederUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
        const n = (
          await sqs.send(
            new sdk.GetQueueAttributesCommand({ QueueUrl: redriveUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
          )
        ).Attributes!.ApproximateNumberOfMessages;
        if (n === String(toMove.length)) break;
      }
      const destinationArn = dlqArn.replace(dlqName, destinationName);
      await sqs.send(
        new sdk.StartMessageMoveTaskCommand({
          SourceArn: redriveArn,
          DestinationArn: destinationArn,
          MaxNumberOfMessagesPerSecond: 1,
        }),
      );
      expect(destinationUrlBefore).toBeTruthy();

      // ---- restart on the same state folder ----
      await stopServer(server!);
      server = await startServer(stateDir);
      sqs = clientFor(server);
      // The port changed, so the URLs' origin did; the queues are the same.
      const sourceUrl = (await sqs.send(new sdk.GetQueueUrlCommand({ QueueName: sourceName }))).QueueUrl!;
      const dlqUrl = (await sqs.send(new sdk.GetQueueUrlCommand({ QueueName: dlqName }))).QueueUrl!;
      expect(new URL(sourceUrl).pathname).toBe(new URL(sourceUrlBefore!).pathname);

      const listed = (await sqs.send(new sdk.ListQueuesCommand({ QueueNamePrefix: "restart-" }))).QueueUrls ?? [];
      expect(listed).toEqual(expect.arrayContaining([sourceUrl, dlqUrl]));
      expect(
        (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ["All"] }))).Attributes,
      ).toEqual(allBefore);
      expect(
        (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["All"] }))).Attributes,
      ).toEqual(dlqBefore);
      expect((await sqs.send(new sdk.ListQueueTagsCommand({ QueueUrl: sourceUrl }))).Tags).toEqual({
        team: "queues",
        env: "test",
      });
      expect((await sqs.send(new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }))).queueUrls).toEqual([sourceUrl]);

      // The visible message, unchanged.
      const got = await sqs.send(
        new sdk.ReceiveMessageCommand({
          QueueUrl: sourceUrl,
          MaxNumberOfMessages: 10,
          AttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
      );
      expect(got.Messages).toHaveLength(1);
      expect(got.Messages![0]).toMatchObject({
        MessageId: visible.MessageId,
        Body: "stay visible",
        MD5OfBody: visible.MD5OfMessageBody,
        MD5OfMessageAttributes: visible.MD5OfMessageAttributes,
        MessageAttributes: attributes,
      });
      expect(got.Messages![0]!.Attributes!.ApproximateReceiveCount).toBe("2");

      // The in-flight message's handle from before the restart still works.
      await sqs.send(
        new sdk.ChangeMessageVisibilityCommand({ QueueUrl: sourceUrl, ReceiptHandle: inFlightHandle, VisibilityTimeout: 0 }),
      );
      const again = await sqs.send(
        new sdk.ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10, AttributeNames: ["All"] }),
      );
      expect(again.Messages?.map((m) => [m.MessageId, m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([
        [inFlight.MessageId, "in flight", "2"],
      ]);
      await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl: sourceUrl, ReceiptHandle: again.Messages![0]!.ReceiptHandle }));

      // The delayed message is still delayed (900 s), not lost and not early.
      const counts = (
        await sqs.send(
          new sdk.GetQueueAttributesCommand({
            QueueUrl: sourceUrl,
            AttributeNames: [
              "ApproximateNumberOfMessages",
              "ApproximateNumberOfMessagesNotVisible",
              "ApproximateNumberOfMessagesDelayed",
            ],
          }),
        )
      ).Attributes;
      expect(counts).toEqual({
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesNotVisible: "1",
        ApproximateNumberOfMessagesDelayed: "1",
      });
      expect(delayed.MessageId).toBeTruthy();

      // The move task goes on after the restart and completes; every message arrives exactly once.
      const destinationUrl = (await sqs.send(new sdk.GetQueueUrlCommand({ QueueName: destinationName }))).QueueUrl!;
      const arrived: string[] = [];
      const until = Date.now() + 20_000;
      while (arrived.length < toMove.length && Date.now() < until) {
        const { Messages } = await sqs.send(
          new sdk.ReceiveMessageCommand({ QueueUrl: destinationUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        for (const m of Messages ?? []) {
          arrived.push(m.Body!);
          await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl: destinationUrl, ReceiptHandle: m.ReceiptHandle }));
        }
      }
      expect(arrived.sort()).toEqual(toMove);
      let status: string | undefined;
      for (let i = 0; i < 20 && status !== "COMPLETED"; i++) {
        status = (await sqs.send(new sdk.ListMessageMoveTasksCommand({ SourceArn: redriveArn }))).Results?.[0]?.Status;
        if (status !== "COMPLETED") await sleep(500);
      }
      expect(status).toBe("COMPLETED");
    },
    START_TIMEOUT_MS + 60_000,
  );
});
