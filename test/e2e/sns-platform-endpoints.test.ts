/**
 * Mobile push with the real @aws-sdk/client-sns: platform applications, endpoints, and Publish to an
 * endpoint. Error codes, statuses and texts are the ones recorded on AWS
 * (../shared/aws-recordings/sns/test_sns.snapshot.json, TestSNSPlatformApplicationCrud,
 * TestSNSPlatformEndpointCrud, TestSNSPublishCrud::test_publish_non_existent_target).
 */
import {
  CreateTopicCommand,
  DeleteEndpointCommand,
  GetEndpointAttributesCommand,
  ListEndpointsByPlatformApplicationCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SetEndpointAttributesCommand,
  SetPlatformApplicationAttributesCommand,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { awsError, uniqueName } from "./clients";
import { isolatedSns, recordedDeliveries } from "./sns-clients";

import { ADM_CREDENTIALS, createApp, createEndpoint } from "./sns-platform-helpers";

describe("platform endpoints", () => {
  it("creates an endpoint with the AWS ARN; lists and describes it", async () => {
    const { sns, account, region } = isolatedSns();
    const name = uniqueName("app");
    const app = await createApp(sns, "ADM", ADM_CREDENTIALS, name);
    const endpoint = await createEndpoint(sns, app);
    expect(endpoint).toMatch(new RegExp(`^arn:aws:sns:${region}:${account}:endpoint/ADM/${name}/[0-9a-f-]{36}$`));
    const { Attributes } = await sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpoint }));
    expect(Attributes).toEqual({ Enabled: "true", Token: "token_1" });
    const { Endpoints, NextToken } = await sns.send(
      new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app }),
    );
    expect(Endpoints).toEqual([{ EndpointArn: endpoint, Attributes: { Enabled: "true", Token: "token_1" } }]);
    expect(NextToken).toBeUndefined();
  });

  it("is idempotent for the same token and attributes; different attributes are AWS's error", async () => {
    const { sns } = isolatedSns();
    const app = await createApp(sns);
    const endpoint = await createEndpoint(sns, app, "token_1");
    expect(await createEndpoint(sns, app, "token_1")).toBe(endpoint);
    const error = await awsError(() => createEndpoint(sns, app, "token_1", { CustomUserData: "other" }));
    expect(error).toMatchObject({
      name: "InvalidParameterException",
      status: 400,
      message: `Invalid parameter: Token Reason: Endpoint ${endpoint} already exists with the same Token, but different attributes.`,
    });
    // A disabled endpoint is still the one for its token (AWS's token-management recipe relies on it).
    await sns.send(new SetEndpointAttributesCommand({ EndpointArn: endpoint, Attributes: { Enabled: "false" } }));
    expect(await createEndpoint(sns, app, "token_1")).toBe(endpoint);
    // Another token is another endpoint.
    expect(await createEndpoint(sns, app, "token_2")).not.toBe(endpoint);
  });

  it("keeps CustomUserData from the parameter or the attribute (the attribute wins)", async () => {
    const { sns } = isolatedSns();
    const app = await createApp(sns);
    const both = await createEndpoint(sns, app, "token_1", { CustomUserData: "bar", Attributes: { CustomUserData: "foo" } });
    expect((await sns.send(new GetEndpointAttributesCommand({ EndpointArn: both }))).Attributes).toEqual({
      CustomUserData: "foo",
      Enabled: "true",
      Token: "token_1",
    });
    const parameter = await createEndpoint(sns, app, "token_2", { CustomUserData: "bar" });
    expect((await sns.send(new GetEndpointAttributesCommand({ EndpointArn: parameter }))).Attributes).toEqual({
      CustomUserData: "bar",
      Enabled: "true",
      Token: "token_2",
    });
  });

  it("rejects unknown attribute names and CustomUserData over 2048 bytes, on create and on set", async () => {
    const { sns } = isolatedSns();
    const app = await createApp(sns);
    const endpoint = await createEndpoint(sns, app);
    const cases: [Record<string, string>, string][] = [
      [{ PlatformPrincipal: "dummy" }, "Invalid parameter: Attributes Reason: Invalid attribute name: PlatformPrincipal"],
      [{ PlatformCredential: "dummy" }, "Invalid parameter: Attributes Reason: Invalid attribute name: PlatformCredential"],
      [{ InvalidKey: "dummy" }, "Invalid parameter: Attributes Reason: Invalid attribute name: InvalidKey"],
      [
        { CustomUserData: "a".repeat(2049) },
        "Invalid parameter: Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding",
      ],
      // Bytes, not characters: 683 three-byte characters are 2049 bytes.
      [
        { CustomUserData: "€".repeat(683) },
        "Invalid parameter: Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding",
      ],
    ];
    for (const [Attributes, message] of cases) {
      expect(await awsError(() => createEndpoint(sns, app, "token_x", { Attributes }))).toMatchObject({
        name: "InvalidParameterException",
        status: 400,
        message,
      });
      expect(
        await awsError(() => sns.send(new SetEndpointAttributesCommand({ EndpointArn: endpoint, Attributes }))),
      ).toMatchObject({
        name: "InvalidParameterException",
        status: 400,
        message,
      });
    }
    expect(await createEndpoint(sns, app, "token_y", { Attributes: { CustomUserData: "a".repeat(2048) } })).toContain(
      ":endpoint/ADM/",
    );
    expect(
      await awsError(() => sns.send(new SetEndpointAttributesCommand({ EndpointArn: endpoint, Attributes: {} }))),
    ).toMatchObject({
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
    });
  });

  it("SetEndpointAttributes changes Enabled, Token and CustomUserData", async () => {
    const { sns } = isolatedSns();
    const app = await createApp(sns);
    const endpoint = await createEndpoint(sns, app);
    await sns.send(new SetEndpointAttributesCommand({ EndpointArn: endpoint, Attributes: { Enabled: "false" } }));
    expect((await sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpoint }))).Attributes).toEqual({
      Enabled: "false",
      Token: "token_1",
    });
    await sns.send(
      new SetEndpointAttributesCommand({
        EndpointArn: endpoint,
        Attributes: { Enabled: "true", Token: "token_9", CustomUserData: "data" },
      }),
    );
    expect((await sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpoint }))).Attributes).toEqual({
      CustomUserData: "data",
      Enabled: "true",
      Token: "token_9",
    });
    // The new token now finds this endpoint.
    expect(await createEndpoint(sns, app, "token_9")).toBe(endpoint);
  });

  it("unknown endpoints and malformed endpoint ARNs get AWS's errors", async () => {
    const { sns, account, region } = isolatedSns();
    const app = await createApp(sns);
    const appName = app.split("/").pop()!;
    const missing = `arn:aws:sns:${region}:${account}:endpoint/ADM/${appName}/b1d0a6e3-6f4b-4a6f-8a36-9f0f5f8a1c2d`;
    expect(await awsError(() => sns.send(new GetEndpointAttributesCommand({ EndpointArn: missing })))).toMatchObject({
      name: "NotFoundException",
      status: 404,
      message: "Endpoint does not exist",
    });
    expect(
      await awsError(() =>
        sns.send(new SetEndpointAttributesCommand({ EndpointArn: missing, Attributes: { Enabled: "false" } })),
      ),
    ).toMatchObject({
      name: "NotFoundException",
      status: 404,
      message: "Endpoint does not exist",
    });
    expect(
      await awsError(() =>
        sns.send(
          new SetEndpointAttributesCommand({
            EndpointArn: `${app.replace(":app/", ":endpoint/")}`,
            Attributes: { Enabled: "false" },
          }),
        ),
      ),
    ).toMatchObject({
      name: "InvalidParameterException",
      status: 400,
      message: "Invalid parameter: EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.",
    });
    const otherApp = `arn:aws:sns:${region}:${account}:app/ADM/${uniqueName("missing")}`;
    expect(await awsError(() => createEndpoint(sns, otherApp))).toMatchObject({
      name: "NotFoundException",
      status: 404,
      message: "PlatformApplication does not exist",
    });
  });

  it("DeleteEndpoint is idempotent; a topic subscription to the endpoint stays", async () => {
    const { sns } = isolatedSns();
    const app = await createApp(sns);
    const endpoint = await createEndpoint(sns, app);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("push-topic") }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "application", Endpoint: endpoint }));
    await sns.send(new DeleteEndpointCommand({ EndpointArn: endpoint }));
    await sns.send(new DeleteEndpointCommand({ EndpointArn: endpoint }));
    expect((await sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app }))).Endpoints).toEqual(
      [],
    );
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([["application", endpoint]]);
  });

  it("pages ListEndpointsByPlatformApplication by 100", async () => {
    const { sns } = isolatedSns();
    const app = await createApp(sns);
    const created = new Set<string>();
    for (let i = 0; i < 101; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, 101 - i) }, (_, j) => createEndpoint(sns, app, `token-${i + j}`)),
      );
      batch.forEach((arn) => created.add(arn));
    }
    const first = await sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app }));
    expect(first.Endpoints).toHaveLength(100);
    const second = await sns.send(
      new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app, NextToken: first.NextToken }),
    );
    expect(second.Endpoints).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(new Set([...first.Endpoints!, ...second.Endpoints!].map((e) => e.EndpointArn))).toEqual(created);
  });
});

describe("Publish to a platform endpoint", () => {
  it("records the message for the endpoint", async () => {
    const { sns, account, region } = isolatedSns();
    const app = await createApp(sns, "GCM", { PlatformCredential: "api-key" });
    const endpoint = await createEndpoint(sns, app);
    const { MessageId } = await sns.send(new PublishCommand({ TargetArn: endpoint, Message: "hello device" }));
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const [delivery, ...rest] = await recordedDeliveries({ account, region, protocol: "application", endpoint });
    expect(rest).toEqual([]);
    expect(delivery).toMatchObject({
      protocol: "application",
      endpoint,
      messageId: MessageId,
      kind: "Notification",
      payload: "hello device",
      topicArn: null,
    });
    expect(delivery!.attributes).toEqual({ platform: "GCM" });
  });

  it("MessageStructure=json: the endpoint gets its platform's entry, else the default", async () => {
    const { sns, account, region } = isolatedSns();
    const gcm = await createEndpoint(sns, await createApp(sns, "GCM", { PlatformCredential: "api-key" }));
    const apns = await createEndpoint(sns, await createApp(sns, "APNS"));
    const adm = await createEndpoint(sns, await createApp(sns, "ADM"));
    const gcmPayload = JSON.stringify({ fcmV1Message: { message: { notification: { title: "Hi", body: "there" } } } });
    const apnsPayload = JSON.stringify({ aps: { alert: "Hi there" } });
    const Message = JSON.stringify({ default: "fallback", GCM: gcmPayload, APNS: apnsPayload });
    for (const TargetArn of [gcm, apns, adm])
      await sns.send(new PublishCommand({ TargetArn, Message, MessageStructure: "json" }));
    const payload = async (endpoint: string) =>
      (await recordedDeliveries({ account, region, protocol: "application", endpoint }))[0]!;
    expect((await payload(gcm)).payload).toBe(gcmPayload);
    expect((await payload(apns)).payload).toBe(apnsPayload);
    expect((await payload(adm)).payload).toBe("fallback");
    expect((await payload(adm)).attributes).toEqual({ platform: "ADM", messageStructure: "json" });
  });

  it("a disabled endpoint is EndpointDisabled; a disabled application PlatformApplicationDisabled", async () => {
    const { sns, account, region } = isolatedSns();
    const app = await createApp(sns);
    const endpoint = await createEndpoint(sns, app);
    await sns.send(new SetEndpointAttributesCommand({ EndpointArn: endpoint, Attributes: { Enabled: "false" } }));
    expect(await awsError(() => sns.send(new PublishCommand({ TargetArn: endpoint, Message: "hi" })))).toMatchObject({
      name: "EndpointDisabledException",
      status: 400,
      message: "Endpoint is disabled",
    });
    await sns.send(new SetEndpointAttributesCommand({ EndpointArn: endpoint, Attributes: { Enabled: "true" } }));
    await sns.send(
      new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: app, Attributes: { Enabled: "false" } }),
    );
    expect(await awsError(() => sns.send(new PublishCommand({ TargetArn: endpoint, Message: "hi" })))).toMatchObject({
      name: "PlatformApplicationDisabledException",
      status: 400,
    });
    expect(await recordedDeliveries({ account, region, protocol: "application", endpoint })).toEqual([]);
  });

  it("an endpoint that does not exist: AWS's recorded error", async () => {
    const { sns, account, region } = isolatedSns();
    const TargetArn = `arn:aws:sns:${region}:${account}:endpoint/APNS/abcdef/0f7d5971-aa8b-4bd5-b585-0826e9f93a66`;
    expect(await awsError(() => sns.send(new PublishCommand({ TargetArn, Message: "hi" })))).toMatchObject({
      name: "InvalidParameterException",
      status: 400,
      message: "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified",
    });
  });

  it("a deleted endpoint is no longer found", async () => {
    const { sns } = isolatedSns();
    const endpoint = await createEndpoint(sns, await createApp(sns));
    await sns.send(new DeleteEndpointCommand({ EndpointArn: endpoint }));
    expect(await awsError(() => sns.send(new PublishCommand({ TargetArn: endpoint, Message: "hi" })))).toMatchObject({
      status: 400,
      message: "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified",
    });
  });

  it("checks the message as for any Publish (empty, bad structure)", async () => {
    const { sns } = isolatedSns();
    const endpoint = await createEndpoint(sns, await createApp(sns));
    expect((await awsError(() => sns.send(new PublishCommand({ TargetArn: endpoint, Message: "" })))).message).toBe(
      "Invalid parameter: Empty message",
    );
    expect(
      (await awsError(() => sns.send(new PublishCommand({ TargetArn: endpoint, Message: "{", MessageStructure: "json" }))))
        .message,
    ).toBe("Invalid parameter: Message Structure - JSON message body failed to parse");
    expect(
      (
        await awsError(() =>
          sns.send(new PublishCommand({ TargetArn: endpoint, Message: JSON.stringify({ GCM: "x" }), MessageStructure: "json" })),
        )
      ).message,
    ).toBe("Invalid parameter: Message Structure - No default entry in JSON message body");
  });
});
