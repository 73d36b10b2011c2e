/**
 * SNS bad input and access: malformed ARNs, topics and subscriptions that do not exist, missing
 * parameters, unknown actions, the query protocol's <ErrorResponse> envelope, other regions, and
 * account isolation when signatures are verified (hosted mode), where only the SubscribeURL and
 * UnsubscribeURL links work without credentials. Texts: ../shared/aws-recordings/sns/test_sns.snapshot.json.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AddPermissionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  RemovePermissionCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness } from "wrangler";
import { endpoint, uniqueName } from "./clients";
import { eventually } from "./helpers";
import { isolatedSns, snsClient } from "./sns-clients";
import { expectSnsError, invalidParameter, queueArn, subscriptionNotFound, topicNotFound } from "./sns-topic-expect";

const createTopic = async (sns: SNSClient) => (await sns.send(new CreateTopicCommand({ Name: uniqueName("t") }))).TopicArn!;

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A raw SNS query request (form POST, or GET with a query string) and its parsed error envelope. */
async function rawSns(params: Record<string, string>, options: { method?: "GET" | "POST"; base?: string } = {}) {
  const query = new URLSearchParams(params).toString();
  const base = options.base ?? endpoint();
  const response =
    options.method === "GET"
      ? await fetch(`${base}/?${query}`)
      : await fetch(`${base}/`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
          body: query,
        });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** AWS's SNS error envelope: Type, Code, Message, then the RequestId (also in x-amzn-requestid); no Detail. */
function expectErrorEnvelope(
  res: { status: number; headers: Headers; text: string },
  status: number,
  code: string,
  message: string,
) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^text\/xml/);
  const requestId = res.headers.get("x-amzn-requestid");
  expect(requestId).toMatch(REQUEST_ID);
  const m =
    /^(?:<\?xml version="1\.0"\?>)?\s*<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>([^<]*)<\/Code>\s*<Message>([^<]*)<\/Message>\s*<\/Error>\s*<RequestId>([^<]*)<\/RequestId>\s*<\/ErrorResponse>\s*$/.exec(
      res.text,
    );
  expect(m, res.text).not.toBeNull();
  expect({
    code: m![1],
    message: m![2]!
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&"),
    requestId: m![3],
  }).toEqual({
    code,
    message,
    requestId,
  });
}

describe("malformed and unknown ARNs", () => {
  it("an ARN needs six elements (test_publish_wrong_arn_format, test_subscribe_with_invalid_topic, test_unsubscribe_wrong_arn_format)", async () => {
    const { sns } = isolatedSns();
    const elements = (parameter: string, n: number) => `${parameter} Reason: An ARN must have at least 6 elements, not ${n}`;
    await invalidParameter(() => sns.send(new GetTopicAttributesCommand({ TopicArn: "test-topic" })), elements("TopicArn", 1));
    await invalidParameter(
      () => sns.send(new PublishCommand({ TopicArn: "randomstring:1", Message: "m" })),
      elements("TopicArn", 2),
    );
    await invalidParameter(() => sns.send(new PublishCommand({ TopicArn: "", Message: "m" })), elements("TopicArn", 1));
    await invalidParameter(
      () => sns.send(new SubscribeCommand({ TopicArn: "arn:aws:sns:us-east-1:random", Protocol: "email", Endpoint: "a@b.c" })),
      elements("TopicArn", 5),
    );
    await invalidParameter(
      () => sns.send(new UnsubscribeCommand({ SubscriptionArn: "randomstring" })),
      elements("SubscriptionArn", 1),
    );
    await invalidParameter(
      () => sns.send(new UnsubscribeCommand({ SubscriptionArn: "arn:aws:sns:us-east-1:random" })),
      elements("SubscriptionArn", 5),
    );
    await invalidParameter(
      () => sns.send(new UnsubscribeCommand({ SubscriptionArn: "arn:aws:sns:us-east-1:111111111111:random" })),
      "SubscriptionId",
    );
    await invalidParameter(
      () => sns.send(new UnsubscribeCommand({} as never)),
      "SubscriptionArn Reason: no value for required parameter",
    );
  });

  it("a topic that does not exist → NotFound 404 (test_create_topic_with_attributes, test_add_permission_errors…)", async () => {
    const { sns, account, region } = isolatedSns();
    const TopicArn = `arn:aws:sns:${region}:${account}:unknown-${uniqueName("t")}`;
    await topicNotFound(() => sns.send(new GetTopicAttributesCommand({ TopicArn })));
    await topicNotFound(() =>
      sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "DisplayName", AttributeValue: "x" })),
    );
    await topicNotFound(() => sns.send(new SubscribeCommand({ TopicArn, Protocol: "sms", Endpoint: "+1234567890" })));
    await topicNotFound(() => sns.send(new ListSubscriptionsByTopicCommand({ TopicArn })));
    await topicNotFound(() => sns.send(new PublishCommand({ TopicArn, Message: "m" })));
    await topicNotFound(() =>
      sns.send(new AddPermissionCommand({ TopicArn, Label: "l", AWSAccountId: [account], ActionName: ["Publish"] })),
    );
    await topicNotFound(() => sns.send(new RemovePermissionCommand({ TopicArn, Label: "l" })));
  });

  it("a subscription that does not exist → NotFound 404; Unsubscribe succeeds anyway", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns);
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: "sqs", Endpoint: queueArn(account, uniqueName("q")) }),
    );
    const gone = `${SubscriptionArn!.slice(0, -8)}aaaaaaaa`;
    await subscriptionNotFound(() => sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: gone })));
    await subscriptionNotFound(() =>
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: gone,
          AttributeName: "RawMessageDelivery",
          AttributeValue: "true",
        }),
      ),
    );
    expect((await sns.send(new UnsubscribeCommand({ SubscriptionArn: gone }))).$metadata.httpStatusCode).toBe(200);
  });

  it("a topic of another region cannot be used here (test_cross_region_access)", async () => {
    const { sns, account } = isolatedSns("us-east-1");
    const topic = await createTopic(sns);
    const west = snsClient({ accessKeyId: account, region: "us-west-2" });
    const calls = [
      () => west.send(new SetTopicAttributesCommand({ TopicArn: topic, AttributeName: "DisplayName", AttributeValue: "x" })),
      () => west.send(new GetTopicAttributesCommand({ TopicArn: topic })),
      () => west.send(new PublishCommand({ TopicArn: topic, Message: "m" })),
      () => west.send(new SubscribeCommand({ TopicArn: topic, Protocol: "sms", Endpoint: "+1234567890" })),
      () => west.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic })),
      () => west.send(new DeleteTopicCommand({ TopicArn: topic })),
    ];
    for (const call of calls) await invalidParameter(call, "TopicArn");
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes?.TopicArn).toBe(topic);
  });
});

describe("malformed requests", () => {
  it("missing required members → ValidationError", async () => {
    const { sns } = isolatedSns();
    const topic = await createTopic(sns);
    await expectSnsError(
      () => sns.send(new CreateTopicCommand({} as never)),
      "ValidationError",
      400,
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
    await expectSnsError(
      () => sns.send(new PublishCommand({ TopicArn: topic } as never)),
      "ValidationError",
      400,
      "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null",
    );
  });

  it("answers in AWS's <ErrorResponse> envelope, for POST and GET", async () => {
    const { account } = isolatedSns();
    const TopicArn = `arn:aws:sns:us-east-1:${account}:${uniqueName("missing")}`;
    const params = { Action: "GetTopicAttributes", Version: "2010-03-31", TopicArn };
    expectErrorEnvelope(await rawSns(params), 404, "NotFound", "Topic does not exist");
    expectErrorEnvelope(await rawSns(params, { method: "GET" }), 404, "NotFound", "Topic does not exist");
    expectErrorEnvelope(
      await rawSns({ Action: "GetTopicAttributes", Version: "2010-03-31", TopicArn: "x" }),
      400,
      "InvalidParameter",
      "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
    );
  });

  it("an unknown action → InvalidAction 400", async () => {
    expectErrorEnvelope(
      await rawSns({ Action: "MakeTopicsGreatAgain", Version: "2010-03-31" }),
      400,
      "InvalidAction",
      "The action MakeTopicsGreatAgain is not valid for this web service.",
    );
  });
});

describe("hosted mode (ACCESS_KEYS set)", () => {
  const ALPHA = { accessKeyId: "AKIASNSALPHAEXAMPLE1", secretAccessKey: "alpha/sns+secret", account: "333333333333" };
  const BETA = { accessKeyId: "AKIASNSBETAEXAMPLE02", secretAccessKey: "beta/sns+secret", account: "444444444444" };
  let harness: ReturnType<typeof createTestHarness>;
  let strictEndpoint: string;
  let hook: Server;
  let hookUrl: string;
  const posted: { type: string; body: Record<string, string> }[] = [];

  beforeAll(async () => {
    process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
    const ACCESS_KEYS = JSON.stringify({
      [ALPHA.accessKeyId]: { secretAccessKey: ALPHA.secretAccessKey, accountId: ALPHA.account },
      [BETA.accessKeyId]: { secretAccessKey: BETA.secretAccessKey, accountId: BETA.account },
    });
    harness = createTestHarness({ workers: [{ configPath: "./wrangler.toml", secrets: { ACCESS_KEYS } }] });
    strictEndpoint = (await harness.listen()).url.origin;
    hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        posted.push({ type: String(req.headers["x-amz-sns-message-type"]), body: JSON.parse(body) as Record<string, string> });
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => hook?.close(() => resolve()));
    await harness?.close();
  });

  const client = (key: typeof ALPHA) =>
    new SNSClient({ endpoint: strictEndpoint, region: "us-east-1", credentials: key, maxAttempts: 1 });

  const waitFor = async (type: string, topicArn: string) =>
    (await eventually(() => posted.find((p) => p.type === type && p.body.TopicArn === topicArn), `a ${type}`)).body;

  it("an account sees and touches only its own topics", async () => {
    const alpha = client(ALPHA);
    const beta = client(BETA);
    const { TopicArn } = await alpha.send(new CreateTopicCommand({ Name: uniqueName("private") }));
    expect(TopicArn).toMatch(new RegExp(`^arn:aws:sns:us-east-1:${ALPHA.account}:`));
    expect((await alpha.send(new ListTopicsCommand({}))).Topics).toContainEqual({ TopicArn });
    expect((await beta.send(new ListTopicsCommand({}))).Topics ?? []).not.toContainEqual({ TopicArn });
    for (const call of [
      () => beta.send(new GetTopicAttributesCommand({ TopicArn })),
      () => beta.send(new PublishCommand({ TopicArn, Message: "m" })),
      () => beta.send(new SubscribeCommand({ TopicArn, Protocol: "email", Endpoint: "x@example.com" })),
      () => beta.send(new DeleteTopicCommand({ TopicArn })),
    ]) {
      await expectSnsError(call, "AuthorizationError", 403, /^User: arn:aws:iam::444444444444:user\/.* is not authorized to/);
    }
    expect((await alpha.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes?.Owner).toBe(ALPHA.account);
    expectErrorEnvelope(
      await rawSns({ Action: "ListTopics", Version: "2010-03-31" }, { base: strictEndpoint }),
      403,
      "MissingAuthenticationToken",
      "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.",
    );
  });

  it("SubscribeURL and UnsubscribeURL work without credentials", async () => {
    const alpha = client(ALPHA);
    const { TopicArn } = await alpha.send(new CreateTopicCommand({ Name: uniqueName("links") }));
    await alpha.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hookUrl }));
    const confirmation = await waitFor("SubscriptionConfirmation", TopicArn!);
    expect(confirmation.SubscribeURL).toBe(
      `${strictEndpoint}/?Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=${confirmation.Token}`,
    );

    const confirmed = await fetch(confirmation.SubscribeURL!);
    const text = await confirmed.text();
    expect(confirmed.status, text).toBe(200);
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(text)?.[1];
    expect(arn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    expect(text).toContain("<ConfirmSubscriptionResponse");
    expect((await alpha.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes).toMatchObject({
      PendingConfirmation: "false",
      ConfirmationWasAuthenticated: "false",
    });

    await alpha.send(new PublishCommand({ TopicArn, Message: "hello" }));
    const notification = await waitFor("Notification", TopicArn!);
    expect(notification.UnsubscribeURL).toBe(`${strictEndpoint}/?Action=Unsubscribe&SubscriptionArn=${arn}`);
    const unsubscribed = await fetch(notification.UnsubscribeURL!);
    const unsubscribedText = await unsubscribed.text();
    expect(unsubscribed.status, unsubscribedText).toBe(200);
    expect(unsubscribedText).toContain("<UnsubscribeResponse");
    await subscriptionNotFound(() => alpha.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn })));

    // Broken links (test_subscribe_external_http_endpoint).
    const confirm = (topic: string, token: string) =>
      rawSns({ Action: "ConfirmSubscription", TopicArn: topic, Token: token }, { method: "GET", base: strictEndpoint });
    expectErrorEnvelope(await confirm("not-an-arn", confirmation.Token!), 400, "InvalidParameter", "Invalid parameter: Topic");
    expectErrorEnvelope(await confirm(TopicArn!, "abc123"), 400, "InvalidParameter", "Invalid parameter: Token");
    expectErrorEnvelope(
      await confirm(TopicArn!.replace("us-east-1", "eu-central-1"), confirmation.Token!),
      400,
      "InvalidParameter",
      "Invalid parameter: Topic",
    );
  });
});
