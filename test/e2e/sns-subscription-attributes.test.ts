/**
 * SNS subscription attributes with the real @aws-sdk/client-sns: Get/SetSubscriptionAttributes for
 * RawMessageDelivery, FilterPolicy (its validation errors reaching the client through Subscribe and
 * SetSubscriptionAttributes) and FilterPolicyScope, RedrivePolicy, and an HTTP subscription's
 * DeliveryPolicy and EffectiveDeliveryPolicy. Texts and attribute maps as recorded on AWS
 * (../shared/aws-recordings/sns/test_sns.snapshot.json, test_sns_filter_policy.snapshot.json).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SetTopicAttributesCommand } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { isolatedSns } from "./sns-clients";
import {
  createTopic,
  DEFAULT_HEALTHY_RETRY,
  invalidParameter,
  queueArn,
  setSubscriptionAttribute as setAttribute,
  sqsSubscriptionAttributes,
  subscribe,
  subscriptionAttributesOf as attributesOf,
} from "./sns-topic-expect";

/** An HTTP endpoint that answers 200 (SNS posts the subscription confirmation there). */
let server: Server;
let httpEndpoint: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  httpEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns-endpoint`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("subscription attributes", () => {
  it("validates SetSubscriptionAttributes (test_validate_set_sub_attributes)", async () => {
    const { sns, account } = isolatedSns();
    const arn = await subscribe(sns, await createTopic(sns), "sqs", queueArn(account, uniqueName("q")));
    await invalidParameter(() => setAttribute(sns, arn, "FakeAttribute", "test-value"), "AttributeName");
    await invalidParameter(
      () => setAttribute(sns, arn, "RawMessageDelivery", "test-ValUe"),
      "RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.",
    );
    await invalidParameter(
      () => setAttribute(sns, arn, "RawMessageDelivery", ""),
      "RawMessageDelivery: Invalid value []. Must be true or false.",
    );
    await invalidParameter(
      () => setAttribute(sns, arn, "RedrivePolicy", JSON.stringify({ deadLetterTargetArn: "fake-arn" })),
      "RedrivePolicy: deadLetterTargetArn is an invalid arn",
    );
    await expect(setAttribute(sns, arn, "RedrivePolicy", "{invalidjson}")).rejects.toMatchObject({
      message: expect.stringMatching(/^Invalid parameter: RedrivePolicy: failed to parse JSON\./),
    });
    await expect(setAttribute(sns, arn, "FilterPolicy", "{invalidjson}")).rejects.toMatchObject({
      message: expect.stringMatching(/^Invalid parameter: FilterPolicy: failed to parse JSON\./),
    });
    await expect(
      subscribe(sns, await createTopic(sns), "email", "test@example.com", { FilterPolicy: "invalid-json" }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(
        /^Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON\. Unrecognized token 'invalid'/,
      ),
    });
  });

  it("RawMessageDelivery, FilterPolicy and FilterPolicyScope (test_set_subscription_filter_policy_scope, test_sub_filter_policy_nested_property)", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns);
    const endpoint = queueArn(account, uniqueName("q"));
    const arn = await subscribe(sns, topic, "sqs", endpoint);
    const base = sqsSubscriptionAttributes(account, topic, arn, endpoint);
    await setAttribute(sns, arn, "FilterPolicyScope", "MessageBody");
    expect(await attributesOf(sns, arn)).toEqual(base); // the scope shows only with a policy
    await invalidParameter(
      () => setAttribute(sns, arn, "FilterPolicyScope", "RandomValue"),
      "FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes",
    );
    await setAttribute(sns, arn, "FilterPolicy", JSON.stringify({ attr: ["match-this"] }));
    expect(await attributesOf(sns, arn)).toEqual({
      ...base,
      FilterPolicy: { attr: ["match-this"] },
      FilterPolicyScope: "MessageBody",
    });
    await setAttribute(sns, arn, "RawMessageDelivery", "true");
    expect((await attributesOf(sns, arn)).RawMessageDelivery).toBe("true");

    const other = await subscribe(sns, await createTopic(sns), "sqs", endpoint);
    const nested = JSON.stringify({ object: { key: [{ prefix: "auto-" }] } });
    await invalidParameter(
      () => setAttribute(sns, other, "FilterPolicy", nested),
      "Filter policy scope MessageAttributes does not support nested filter policy",
    );
    await setAttribute(sns, other, "FilterPolicyScope", "MessageBody");
    await setAttribute(sns, other, "FilterPolicy", nested);
    expect((await attributesOf(sns, other)).FilterPolicy).toEqual(JSON.parse(nested));
  });

  it("filter policy errors reach the client through Subscribe and SetSubscriptionAttributes (test_sns_filter_policy)", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns);
    const cases: [object, string][] = [
      [
        { key: [{ "wrong-operator": true }] },
        'Unrecognized match type wrong-operator\n at [Source: (String)"{"key":[{"wrong-operator":true}]}"; line: 1, column: 31]',
      ],
      [{ key: [] }, 'Empty arrays are not allowed\n at [Source: (String)"{"key":[]}"; line: 1, column: 10]'],
      [
        { key: [{ numeric: [">", 3, "<", 1] }] },
        'Bottom must be less than top\n at [Source: (String)"{"key":[{"numeric":[">",3,"<",1]}]}"; line: 1, column: 33]',
      ],
      [{ a: ["1"], b: ["1"], c: ["1"], d: ["1"], e: ["1"], f: ["1"] }, "Filter policy can not have more than 5 keys"],
    ];
    for (const [policy, detail] of cases) {
      await invalidParameter(
        () => subscribe(sns, topic, "sqs", queueArn(account, uniqueName("q")), { FilterPolicy: JSON.stringify(policy) }),
        `Attributes Reason: FilterPolicy: ${detail}`,
      );
    }
    const arn = await subscribe(sns, topic, "sqs", queueArn(account, uniqueName("q")));
    await invalidParameter(
      () => setAttribute(sns, arn, "FilterPolicy", JSON.stringify({ key_a: "value_one" })),
      'FilterPolicy: "key_a" must be an object or an array\n at [Source: (String)"{"key_a":"value_one"}"; line: 1, column: 11]',
    );
    await invalidParameter(
      () => setAttribute(sns, arn, "FilterPolicy", JSON.stringify(cases[3]![0])),
      "FilterPolicy: Filter policy can not have more than 5 keys",
    );
  });

  it("stores an HTTP subscription's DeliveryPolicy the way AWS returns it (test_subscribe_external_http_endpoint_content_type)", async () => {
    const { sns, account } = isolatedSns();
    // [True]: the subscription's own requestPolicy, with RawMessageDelivery.
    const topic = await createTopic(sns);
    const arn = await subscribe(sns, topic, "http", httpEndpoint, { RawMessageDelivery: "true" });
    await setAttribute(sns, arn, "DeliveryPolicy", JSON.stringify({ requestPolicy: { headerContentType: "text/csv" } }));
    expect(await attributesOf(sns, arn)).toEqual({
      ConfirmationWasAuthenticated: "false",
      DeliveryPolicy: {
        healthyRetryPolicy: null,
        sicklyRetryPolicy: null,
        throttlePolicy: null,
        requestPolicy: { headerContentType: "text/csv" },
        guaranteed: false,
      },
      EffectiveDeliveryPolicy: {
        healthyRetryPolicy: DEFAULT_HEALTHY_RETRY,
        sicklyRetryPolicy: null,
        throttlePolicy: null,
        requestPolicy: { headerContentType: "text/csv" },
        guaranteed: false,
      },
      Endpoint: httpEndpoint,
      Owner: account,
      PendingConfirmation: "true",
      Protocol: "http",
      RawMessageDelivery: "true",
      SubscriptionArn: arn,
      SubscriptionPrincipal: `arn:aws:iam::${account}:user/${account}`,
      TopicArn: topic,
    });

    // [False]: a full policy on the subscription, the content type from the topic.
    const topic2 = await createTopic(sns);
    const arn2 = await subscribe(sns, topic2, "http", httpEndpoint);
    const retry = {
      minDelayTarget: 1,
      maxDelayTarget: 1,
      numRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      numMaxDelayRetries: 0,
      backoffFunction: "linear",
    };
    await setAttribute(
      sns,
      arn2,
      "DeliveryPolicy",
      JSON.stringify({
        healthyRetryPolicy: retry,
        sicklyRetryPolicy: null,
        throttlePolicy: { maxReceivesPerSecond: 1000 },
        guaranteed: false,
      }),
    );
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: topic2,
        AttributeName: "DeliveryPolicy",
        AttributeValue: JSON.stringify({ http: { defaultRequestPolicy: { headerContentType: "application/json" } } }),
      }),
    );
    const policy = { healthyRetryPolicy: retry, sicklyRetryPolicy: null, throttlePolicy: { maxReceivesPerSecond: 1000 } };
    expect(await attributesOf(sns, arn2)).toMatchObject({
      DeliveryPolicy: { ...policy, requestPolicy: null, guaranteed: false },
      EffectiveDeliveryPolicy: { ...policy, requestPolicy: { headerContentType: "application/json" }, guaranteed: false },
      PendingConfirmation: "true",
      RawMessageDelivery: "false",
    });
  });
});
