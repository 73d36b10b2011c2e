/**
 * Real AWS SDK clients for the end-to-end tests: the latest @aws-sdk/client-sqs speaks AWS JSON 1.0,
 * the same package at 3.445.0 (npm alias @aws-sdk/client-sqs-query) speaks the query protocol.
 * Suites written once run against both.
 */
import * as json from "@aws-sdk/client-sqs";
import * as query from "@aws-sdk/client-sqs-query";
import { inject } from "vitest";

export const endpoint = (): string => inject("endpoint");

export const credentials = { accessKeyId: "test", secretAccessKey: "test" };

export type Sqs = typeof json;

export const protocols: { name: "json" | "query"; sdk: Sqs }[] = [
  { name: "json", sdk: json },
  { name: "query", sdk: query as unknown as Sqs },
];

export function client(sdk: Sqs, options: { accessKeyId?: string; region?: string } = {}) {
  return new sdk.SQSClient({
    endpoint: endpoint(),
    region: options.region ?? "us-east-1",
    credentials: { ...credentials, accessKeyId: options.accessKeyId ?? credentials.accessKeyId },
    maxAttempts: 1,
  });
}

let counter = 0;
/** Queue names unique per run, so tests never collide (and the 60 s recreate rule never bites). */
export const uniqueName = (base: string): string =>
  `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** Runs `fn` expecting an AWS error; returns it for assertions. */
export async function awsError(
  fn: () => Promise<unknown>,
): Promise<{ name: string; message: string; status?: number; code?: string }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number }; Code?: string };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, code: err.Code };
  }
  throw new Error("expected an AWS error, but the call succeeded");
}
