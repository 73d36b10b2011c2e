/**
 * Requests answered in the words of the service they are for, with signatures verified: each service's
 * clock-skew window (Kinesis 5 minutes, "Signature expired: … (… - 5 min.)", as quoted in public issue
 * threads; SQS and SNS 15), and a body that cannot even be parsed worded by the service its signing
 * scope names (an SNS form with invalid UTF-8 is SNS's 400 MalformedQueryString, not SQS's 404).
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness } from "wrangler";

const KEY = { accessKeyId: "AKIAWORDING000000001", secretAccessKey: "wording/secret" };
const ACCESS_KEYS = JSON.stringify({ [KEY.accessKeyId]: { secretAccessKey: KEY.secretAccessKey, accountId: "333333333333" } });
const MINUTE = 60_000;

let server: ReturnType<typeof createTestHarness>;
let strict: string;

beforeAll(async () => {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  server = createTestHarness({ workers: [{ configPath: "./wrangler.toml", secrets: { ACCESS_KEYS } }] });
  strict = (await server.listen()).url.origin;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

/** A request signed as an SDK signs it, at `signingDate`. */
async function signed(service: string, headers: Record<string, string>, body: string | Uint8Array, signingDate = new Date()) {
  const url = new URL("/", strict);
  const signer = new SignatureV4({ credentials: KEY, region: "us-east-1", service, sha256: Sha256 });
  const request = await signer.sign(
    {
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      headers: { host: url.host, ...headers },
      body,
    },
    { signingDate },
  );
  const sent = { ...(request.headers as Record<string, string>) };
  delete sent.host;
  const response = await fetch(url, { method: "POST", headers: sent, body });
  return { status: response.status, text: await response.text() };
}

const kinesis = (signingDate?: Date) =>
  signed(
    "kinesis",
    { "content-type": "application/x-amz-json-1.1", "x-amz-target": "Kinesis_20131202.ListStreams" },
    "{}",
    signingDate,
  );
const sqs = (signingDate?: Date) =>
  signed("sqs", { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues" }, "{}", signingDate);
const sns = (signingDate?: Date) =>
  signed("sns", { "content-type": "application/x-www-form-urlencoded" }, "Action=ListTopics&Version=2010-03-31", signingDate);

describe("clock skew, per service", () => {
  it("Kinesis refuses a signature 6 minutes old with InvalidSignatureException, '- 5 min.'", async () => {
    const { status, text } = await kinesis(new Date(Date.now() - 6 * MINUTE));
    expect(status).toBe(400);
    const body = JSON.parse(text) as { __type: string; message: string };
    expect(body.__type).toBe("InvalidSignatureException");
    expect(body.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  });

  it("Kinesis refuses one 6 minutes ahead ('+ 5 min.') and accepts one 4 minutes old", async () => {
    const ahead = await kinesis(new Date(Date.now() + 6 * MINUTE));
    expect(ahead.status).toBe(400);
    expect(JSON.parse(ahead.text).message).toMatch(/^Signature not yet current: .* \+ 5 min\.\)$/);
    expect((await kinesis(new Date(Date.now() - 4 * MINUTE))).status).toBe(200);
  });

  it("SQS and SNS still accept 10 minutes of skew (15 allowed)", async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * MINUTE);
    expect((await sqs(tenMinutesAgo)).status).toBe(200);
    expect((await sns(tenMinutesAgo)).status).toBe(200);
  });
});

describe("a body that cannot be parsed", () => {
  it("an SNS form with invalid UTF-8 gets SNS's MalformedQueryString, 400, without SQS's <Detail/>", async () => {
    const body = new Uint8Array([...new TextEncoder().encode("Action=ListTopics&Version=2010-03-31&Name="), 0xff, 0xfe]);
    const { status, text } = await signed("sns", { "content-type": "application/x-www-form-urlencoded" }, body);
    expect(status).toBe(400);
    expect(text).toContain("<Code>MalformedQueryString</Code>");
    expect(text).toContain('xmlns="http://sns.amazonaws.com/doc/2010-03-31/"');
    expect(text).not.toContain("<Detail/>");
  });

  it("the same body signed for SQS keeps SQS's answer (404, query-protocol namespace of SQS)", async () => {
    const body = new Uint8Array([...new TextEncoder().encode("Action=ListQueues&Version=2012-11-05&X="), 0xff]);
    const { status, text } = await signed("sqs", { "content-type": "application/x-www-form-urlencoded" }, body);
    expect(status).toBe(404);
    expect(text).toContain("<Code>MalformedQueryString</Code>");
    expect(text).toContain('xmlns="http://queue.amazonaws.com/doc/2012-11-05/"');
  });
});
