/**
 * The real @aws-sdk/client-kinesis (AWS JSON 1.1) against the Worker. The client defaults to HTTP/2,
 * which the plain-HTTP test endpoint does not speak, so tests hand it Node's HTTP/1.1 handler.
 * Each test file should use its own account (a 12-digit access key is the account locally), so shard
 * quotas and stream lists of one file never meet another's.
 */
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { credentials, endpoint } from "./clients";
import { uniqueAccount } from "./sns-clients";

export { uniqueAccount };

export function kinesisClient(options: { accessKeyId?: string; region?: string; endpoint?: string } = {}): KinesisClient {
  return new KinesisClient({
    endpoint: options.endpoint ?? endpoint(),
    region: options.region ?? "us-east-1",
    credentials: { ...credentials, accessKeyId: options.accessKeyId ?? credentials.accessKeyId },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
}

/** A client for a fresh account, and that account's id. */
export function isolatedKinesis(region = "us-east-1"): { kinesis: KinesisClient; account: string; region: string } {
  const account = uniqueAccount();
  return { kinesis: kinesisClient({ accessKeyId: account, region }), account, region };
}

/** Sends a raw Kinesis request (JSON 1.1 or CBOR bodies built by the test) and returns the raw response. */
export async function kinesisRaw(
  operation: string,
  body: string | Uint8Array,
  options: { contentType?: string; accessKeyId?: string } = {},
): Promise<Response> {
  const accessKeyId = options.accessKeyId ?? credentials.accessKeyId;
  return fetch(`${endpoint()}/`, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "application/x-amz-json-1.1",
      "x-amz-target": `Kinesis_20131202.${operation}`,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0000`,
    },
    body,
  });
}
