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

/** Polls until the stream shows `status` (or is gone, for "GONE"); fails after `timeoutMs`. */
export async function waitForStatus(
  kinesis: KinesisClient,
  StreamName: string,
  status: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let current: string;
    try {
      const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
      current = out.StreamDescriptionSummary!.StreamStatus!;
    } catch (e) {
      if ((e as Error).name !== "ResourceNotFoundException") throw e;
      current = "GONE";
    }
    if (current === status) return;
    if (Date.now() > deadline) throw new Error(`stream ${StreamName} still ${current}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
