/**
 * SigV4 authentication. A second Worker runs with the ACCESS_KEYS secret (hosted mode: signatures
 * verified, each key acts for its configured account); the shared one has none (local mode: any
 * credentials, the account is a 12-digit access key or 000000000000).
 * Texts: notes/sqs-error-texts.md §16 and AWS's CommonErrors page.
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness } from "wrangler";
import { awsError, client, endpoint, protocols, uniqueName, type Sqs } from "./clients";
import { expectError, type RawResponse } from "./raw";

const ALPHA = { accessKeyId: "AKIAALPHAEXAMPLE0001", secretAccessKey: "alpha/secret+key", account: "111111111111" };
const BETA = { accessKeyId: "AKIABETAEXAMPLE00002", secretAccessKey: "beta/secret+key", account: "222222222222" };

const ACCESS_KEYS = JSON.stringify({
  [ALPHA.accessKeyId]: { secretAccessKey: ALPHA.secretAccessKey, accountId: ALPHA.account },
  [BETA.accessKeyId]: { secretAccessKey: BETA.secretAccessKey, accountId: BETA.account },
});

const BAD_SIGNATURE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

let server: ReturnType<typeof createTestHarness>;
let strictEndpoint: string;

beforeAll(async () => {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  server = createTestHarness({ workers: [{ configPath: "./wrangler.toml", secrets: { ACCESS_KEYS } }] });
  const { url } = await server.listen();
  strictEndpoint = url.origin;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

function strictClient(sdk: Sqs, key: Key, options: { systemClockOffset?: number } = {}) {
  return new sdk.SQSClient({
    endpoint: strictEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    maxAttempts: 1,
    ...options,
  });
}

/** Signs a request by hand (as the SDKs do) and sends it; `tamper` may change it after signing. */
async function signedFetch(
  request: { method?: string; path?: string; headers: Record<string, string>; body: string },
  key: Key,
  options: {
    signingDate?: Date;
    /** Whether the signer also sends (and signs) x-amz-content-sha256, as S3 clients do. */
    applyChecksum?: boolean;
    tamper?: (r: { headers: Record<string, string>; body: string }) => void;
  } = {},
): Promise<RawResponse> {
  const url = new URL(request.path ?? "/", strictEndpoint);
  const signer = new SignatureV4({
    credentials: key,
    region: "us-east-1",
    service: "sqs",
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    {
      method: request.method ?? "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...request.headers },
      body: request.body,
    },
    { signingDate: options.signingDate },
  );
  const sent = { headers: { ...(signed.headers as Record<string, string>) }, body: request.body };
  options.tamper?.(sent);
  delete sent.headers.host;
  const response = await fetch(url, { method: request.method ?? "POST", headers: sent.headers, body: sent.body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const jsonRequest = (operation: string, input: unknown) => ({
  headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${operation}` },
  body: JSON.stringify(input),
});
const queryRequest = (params: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  body: new URLSearchParams({ Version: "2012-11-05", ...params }).toString(),
});
const rawRequest = (protocol: "json" | "query", operation: string, input: Record<string, string> = {}) =>
  protocol === "json" ? jsonRequest(operation, input) : queryRequest({ Action: operation, ...input });

describe.each(protocols)("hosted mode (ACCESS_KEYS set), $name protocol", ({ name, sdk }) => {
  it("correct keys work, and the account comes from the key store", async () => {
    const sqs = strictClient(sdk, ALPHA);
    const queueName = uniqueName("auth");
    const { QueueUrl } = await sqs.send(new sdk.CreateQueueCommand({ QueueName: queueName }));
    expect(QueueUrl).toBe(`${strictEndpoint}/${ALPHA.account}/${queueName}`);
    const { Attributes } = await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    expect(Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:${ALPHA.account}:${queueName}`);
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "signed" }));
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.[0]?.Body).toBe("signed");
    const listed = await sqs.send(new sdk.ListQueuesCommand({ QueueNamePrefix: queueName }));
    expect(listed.QueueUrls).toEqual([QueueUrl]);
  });

  it("a wrong secret → SignatureDoesNotMatch 403", async () => {
    const sqs = strictClient(sdk, { accessKeyId: ALPHA.accessKeyId, secretAccessKey: "not-the-secret" });
    const error = await awsError(() => sqs.send(new sdk.ListQueuesCommand({})));
    expect(error.status).toBe(403);
    expect(error.code ?? error.name).toBe("SignatureDoesNotMatch");
    expect(error.message.startsWith(BAD_SIGNATURE)).toBe(true);
  });

  it("an unknown access key → InvalidClientTokenId 403", async () => {
    const sqs = strictClient(sdk, { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: ALPHA.secretAccessKey });
    const error = await awsError(() => sqs.send(new sdk.ListQueuesCommand({})));
    expect(error.status).toBe(403);
    expect(error.code ?? error.name).toBe("InvalidClientTokenId");
    expect(error.message).toBe("The security token included in the request is invalid.");
  });

  it("a request signed 20 minutes ago → SignatureDoesNotMatch 403, Signature expired", async () => {
    const sqs = strictClient(sdk, ALPHA, { systemClockOffset: -20 * 60 * 1000 });
    const before = Date.now();
    const error = await awsError(() => sqs.send(new sdk.ListQueuesCommand({})));
    expect(error.status).toBe(403);
    expect(error.code ?? error.name).toBe("SignatureDoesNotMatch");
    const m = /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 15 min\.\)$/.exec(
      error.message,
    );
    expect(m, error.message).not.toBeNull();
    const t = (s: string) => Date.parse(s.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
    const [, signed, limit, now] = m!;
    expect(Math.abs(t(signed!) - (before - 20 * 60 * 1000))).toBeLessThan(5_000);
    expect(t(now!) - t(limit!)).toBe(15 * 60 * 1000);
    expect(Math.abs(t(now!) - before)).toBeLessThan(5_000);
  });

  it("a request signed 20 minutes in the future → SignatureDoesNotMatch 403, not yet current", async () => {
    const sqs = strictClient(sdk, ALPHA, { systemClockOffset: 20 * 60 * 1000 });
    const error = await awsError(() => sqs.send(new sdk.ListQueuesCommand({})));
    expect(error.status).toBe(403);
    expect(error.code ?? error.name).toBe("SignatureDoesNotMatch");
    expect(error.message).toMatch(
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/,
    );
  });

  it("one account cannot reach another account's queue by URL → AccessDenied 403", async () => {
    const alpha = strictClient(sdk, ALPHA);
    const beta = strictClient(sdk, BETA);
    const queueName = uniqueName("private");
    const { QueueUrl } = await alpha.send(new sdk.CreateQueueCommand({ QueueName: queueName }));
    await alpha.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "alpha only" }));

    for (const command of [
      new sdk.SendMessageCommand({ QueueUrl, MessageBody: "from beta" }),
      new sdk.ReceiveMessageCommand({ QueueUrl }),
      new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
      new sdk.PurgeQueueCommand({ QueueUrl }),
      new sdk.DeleteQueueCommand({ QueueUrl }),
    ]) {
      const error = await awsError(() => beta.send(command as never));
      expect(error.status, command.constructor.name).toBe(403);
      expect(error.code ?? error.name).toBe("AccessDenied");
      expect(error.message).toBe(`Access to the resource ${QueueUrl} is denied.`);
    }

    // Beta does not see the queue; alpha's queue and message are intact.
    const listed = await beta.send(new sdk.ListQueuesCommand({ QueueNamePrefix: queueName }));
    expect(listed.QueueUrls ?? []).toEqual([]);
    const notFound = await awsError(() => beta.send(new sdk.GetQueueUrlCommand({ QueueName: queueName })));
    expect(notFound.status).toBe(400);
    expect(notFound.name).toBe("QueueDoesNotExist");
    const { Attributes } = await alpha.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    expect(Attributes?.ApproximateNumberOfMessages).toBe("1");
  });

  const protocol = name;

  it("an unsigned request → MissingAuthenticationToken 403", async () => {
    const request = rawRequest(protocol, "ListQueues");
    const response = await fetch(`${strictEndpoint}/`, { method: "POST", headers: request.headers, body: request.body });
    const res = { status: response.status, headers: response.headers, text: await response.text() };
    expectError(protocol, res, {
      status: 403,
      code: "MissingAuthenticationToken",
      message: "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.",
    });
  });

  it("an unsigned GET to a queue URL → MissingAuthenticationToken 403, nothing sent", async () => {
    const alpha = strictClient(sdk, ALPHA);
    const { QueueUrl } = await alpha.send(new sdk.CreateQueueCommand({ QueueName: uniqueName("unsigned") }));
    const response = await fetch(`${QueueUrl}?Action=SendMessage&MessageBody=sneaky`);
    const res = { status: response.status, headers: response.headers, text: await response.text() };
    expectError("query", res, { status: 403, code: "MissingAuthenticationToken" });
    const { Attributes } = await alpha.send(
      new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe("0");
  });

  it("raw signed requests: a correct signature works, a tampered body or header does not", async () => {
    const ok = await signedFetch(rawRequest(protocol, "ListQueues"), ALPHA);
    expect(ok.status, ok.text).toBe(200);

    for (const applyChecksum of [true, false]) {
      const tamperedBody = await signedFetch(rawRequest(protocol, "ListQueues", { QueueNamePrefix: "a" }), ALPHA, {
        applyChecksum,
        tamper: (r) => {
          r.body = r.body.replace(/a(?=[^a]*$)/, "b");
        },
      });
      expectError(protocol, tamperedBody, {
        status: 403,
        code: "SignatureDoesNotMatch",
        message: new RegExp(`^${escape(BAD_SIGNATURE)}`),
      });
    }

    const unsignedPayload = await signedFetch(rawRequest(protocol, "ListQueues"), ALPHA, {
      tamper: (r) => {
        r.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
      },
    });
    expectError(protocol, unsignedPayload, {
      status: 403,
      code: "SignatureDoesNotMatch",
      message: new RegExp(`^${escape(BAD_SIGNATURE)}`),
    });

    const tamperedTarget = await signedFetch(rawRequest(protocol, "ListQueues"), ALPHA, {
      tamper: (r) => {
        r.headers["x-amz-date"] = r.headers["x-amz-date"]!.replace(/\d(?=Z$)/, (d) => String((Number(d) + 1) % 10));
      },
    });
    expectError(protocol, tamperedTarget, {
      status: 403,
      code: "SignatureDoesNotMatch",
      message: new RegExp(`^${escape(BAD_SIGNATURE)}`),
    });
  });

  it("a request signed by hand 20 minutes ago → Signature expired", async () => {
    const res = await signedFetch(rawRequest(protocol, "ListQueues"), ALPHA, {
      signingDate: new Date(Date.now() - 20 * 60 * 1000),
    });
    expectError(protocol, res, {
      status: 403,
      code: "SignatureDoesNotMatch",
      message: /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    });
  });

  it("auth errors carry the protocol's error envelope", async () => {
    const unknown = await signedFetch(rawRequest(protocol, "ListQueues"), {
      accessKeyId: "AKIAUNKNOWNKEY000000",
      secretAccessKey: "x",
    });
    expectError(protocol, unknown, {
      status: 403,
      code: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
    });
    const wrongSecret = await signedFetch(rawRequest(protocol, "ListQueues"), {
      accessKeyId: BETA.accessKeyId,
      secretAccessKey: "x",
    });
    expectError(protocol, wrongSecret, {
      status: 403,
      code: "SignatureDoesNotMatch",
      message: new RegExp(`^${escape(BAD_SIGNATURE)}`),
    });
  });
});

describe.each(protocols)("local mode (no ACCESS_KEYS), $name protocol", ({ sdk }) => {
  it("any credentials are accepted; a 12-digit access key is the account", async () => {
    const sqs = client(sdk, { accessKeyId: "123456789012" });
    const queueName = uniqueName("acct");
    const { QueueUrl } = await sqs.send(new sdk.CreateQueueCommand({ QueueName: queueName }));
    expect(new URL(QueueUrl!).pathname).toBe(`/123456789012/${queueName}`);
    const { Attributes } = await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    expect(Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:123456789012:${queueName}`);
  });

  it("other access keys map to account 000000000000, whatever the secret", async () => {
    for (const accessKeyId of ["test", "AKIAIOSFODNN7EXAMPLE", "12345678901"]) {
      const local = new sdk.SQSClient({
        endpoint: endpoint(),
        region: "us-east-1",
        credentials: { accessKeyId, secretAccessKey: `whatever-${Math.random()}` },
        maxAttempts: 1,
      });
      const queueName = uniqueName("default");
      const { QueueUrl } = await local.send(new sdk.CreateQueueCommand({ QueueName: queueName }));
      expect(new URL(QueueUrl!).pathname).toBe(`/000000000000/${queueName}`);
    }
  });

  it("accounts are separate namespaces: the same name in two accounts is two queues", async () => {
    const queueName = uniqueName("shared-name");
    const a = client(sdk, { accessKeyId: "111122223333" });
    const b = client(sdk, { accessKeyId: "444455556666" });
    const urlA = (await a.send(new sdk.CreateQueueCommand({ QueueName: queueName }))).QueueUrl!;
    const urlB = (await b.send(new sdk.CreateQueueCommand({ QueueName: queueName }))).QueueUrl!;
    expect(urlA).not.toBe(urlB);
    await a.send(new sdk.SendMessageCommand({ QueueUrl: urlA, MessageBody: "in a" }));
    const fromB = await b.send(new sdk.ReceiveMessageCommand({ QueueUrl: urlB }));
    expect(fromB.Messages).toBeUndefined();
    const listedB = await b.send(new sdk.ListQueuesCommand({ QueueNamePrefix: queueName }));
    expect(listedB.QueueUrls).toEqual([urlB]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
