/**
 * Helpers for the Kinesis control-plane tests: streams that are ACTIVE before the test goes on
 * (polling DescribeStreamSummary the way SDK waiters do, at a short interval), and exact-error checks.
 */
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type CreateStreamCommandInput,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import { expect } from "vitest";
import { eventually } from "./helpers";

/** Polls `read` until it gives `status` ("GONE": the resource is not found); fails after `timeoutMs`. */
export async function waitForState(read: () => Promise<string>, status: string, what: string, timeoutMs = 5_000) {
  let current = "";
  const reached = async () => {
    try {
      current = await read();
    } catch (e) {
      if ((e as Error).name !== "ResourceNotFoundException") throw e;
      current = "GONE";
    }
    return current === status;
  };
  await eventually(reached, () => `${what} to be ${status} (still ${current})`, { timeoutMs, intervalMs: 50 });
}

/** Polls until the stream shows `status` (or is gone, for "GONE"); fails after `timeoutMs`. */
export const waitForStatus = (kinesis: KinesisClient, StreamName: string, status: string, timeoutMs = 5_000) =>
  waitForState(
    async () => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!.StreamStatus!,
    status,
    `stream ${StreamName}`,
    timeoutMs,
  );

/** CreateStream, then waits for ACTIVE. */
export async function createActiveStream(
  kinesis: KinesisClient,
  StreamName: string,
  options: Omit<CreateStreamCommandInput, "StreamName"> = { ShardCount: 1 },
): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName, ...options }));
  await waitForStatus(kinesis, StreamName, "ACTIVE");
}

/** The call fails with exactly this code (and message, when given). */
export async function expectKinesisError(call: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  expect(error, `expected ${code}`).toBeDefined();
  expect(error!.name).toBe(code);
  if (typeof message === "string") expect(error!.message).toBe(message);
  else if (message) expect(error!.message).toMatch(message);
  expect(error!.$metadata?.httpStatusCode).toBe(400);
}

export const notFound = (name: string, account: string) => `Stream ${name} under account ${account} not found.`;
export const notActive = (name: string, account: string, status: string) =>
  `Stream ${name} under account ${account} not ACTIVE, instead in state ${status}`;
