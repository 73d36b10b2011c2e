/**
 * The real @aws-sdk/client-sns (AWS query protocol) against the Worker, plus the developer endpoints
 * SNS tests read from: what was "delivered" (GET /_aws/sns/deliveries) and what only a phone can do
 * (POST /_aws/sns/sms-opt-out, POST /_aws/sns/sms-sandbox).
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { credentials, endpoint } from "./clients";

export function snsClient(options: { accessKeyId?: string; region?: string } = {}): SNSClient {
  return new SNSClient({
    endpoint: endpoint(),
    region: options.region ?? "us-east-1",
    credentials: { ...credentials, accessKeyId: options.accessKeyId ?? credentials.accessKeyId },
    maxAttempts: 1,
  });
}

/**
 * A fresh 12-digit account id. Locally a 12-digit access key is the account, so a test can have SMS
 * settings, opt-out lists and platform applications of its own.
 */
export const uniqueAccount = (): string => String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));

/** A client for a fresh account, and that account's id. */
export function isolatedSns(region = "us-east-1"): { sns: SNSClient; account: string; region: string } {
  const account = uniqueAccount();
  return { sns: snsClient({ accessKeyId: account, region }), account, region };
}

export interface RecordedDelivery {
  seq: number;
  protocol: string;
  endpoint: string;
  topicArn: string | null;
  subscriptionArn: string | null;
  messageId: string;
  kind: string;
  payload: string;
  attributes?: Record<string, string>;
  recordedAt: number;
}

export async function recordedDeliveries(query: Record<string, string>): Promise<RecordedDelivery[]> {
  const response = await fetch(`${endpoint()}/_aws/sns/deliveries?${new URLSearchParams(query)}`);
  if (!response.ok) throw new Error(`GET /_aws/sns/deliveries: HTTP ${response.status}`);
  return ((await response.json()) as { deliveries: RecordedDelivery[] }).deliveries;
}

/** The phone number replies STOP. */
export async function optOut(account: string, phoneNumber: string, region = "us-east-1"): Promise<Response> {
  return fetch(`${endpoint()}/_aws/sns/sms-opt-out?${new URLSearchParams({ account, region, phoneNumber })}`, { method: "POST" });
}

export async function setInSandbox(account: string, inSandbox: boolean, region = "us-east-1"): Promise<Response> {
  return fetch(`${endpoint()}/_aws/sns/sms-sandbox?${new URLSearchParams({ account, region, inSandbox: String(inSandbox) })}`, {
    method: "POST",
  });
}
