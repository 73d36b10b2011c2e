/**
 * Shared fixture of the bad-input suites: a queue with one message and non-default attributes that
 * every bad request must leave alone, and the expected error shapes.
 */
import * as sdk from "@aws-sdk/client-sqs";
import { expect } from "vitest";
import { client, uniqueName } from "./clients";

export const CORAL = "com.amazon.coral.service#";
export const SERIALIZATION = { status: 400, code: "SerializationException", type: `${CORAL}SerializationException` } as const;
export const missing = (parameter: string) => ({
  status: 400,
  code: "MissingParameter",
  type: `${CORAL}MissingRequiredParameterException`,
  message: `The request must contain the parameter ${parameter}.`,
});
export const invalidValue = (message: string | RegExp) => ({
  status: 400,
  code: "InvalidParameterValue",
  type: `${CORAL}InvalidParameterValueException`,
  message,
});

export const sqs = () => client(sdk);

export const BODY = "keep me";

export const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));

export interface GuardedQueue {
  url: string;
  attributes(url?: string): Promise<Record<string, string>>;
  /** Asserts the queue's attributes (incl. its message count) are as they were. */
  expectUntouched(): Promise<void>;
}

/** Creates the guarded queue (call in beforeAll). */
export async function guardedQueue(): Promise<GuardedQueue> {
  const { QueueUrl: url } = (await sqs().send(
    new sdk.CreateQueueCommand({
      QueueName: uniqueName("bad-input"),
      Attributes: { VisibilityTimeout: "45", DelaySeconds: "0", MaximumMessageSize: "2048" },
    }),
  )) as { QueueUrl: string };
  await sqs().send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: BODY }));
  const attributes = async (queue = url) => {
    const { Attributes } = await sqs().send(new sdk.GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ["All"] }));
    return Attributes ?? {};
  };
  const before = await attributes();
  expect(before.ApproximateNumberOfMessages).toBe("1");
  return { url, attributes, expectUntouched: async () => expect(await attributes()).toEqual(before) };
}
