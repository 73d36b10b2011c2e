/**
 * Mobile push with the real @aws-sdk/client-sns: platform applications, endpoints, and Publish to an
 * endpoint. Error codes, statuses and texts are the ones recorded on AWS
 * (../shared/aws-recordings/sns/test_sns.snapshot.json, TestSNSPlatformApplicationCrud,
 * TestSNSPlatformEndpointCrud, TestSNSPublishCrud::test_publish_non_existent_target).
 */
import {
  CreatePlatformApplicationCommand,
  DeletePlatformApplicationCommand,
  GetEndpointAttributesCommand,
  GetPlatformApplicationAttributesCommand,
  ListEndpointsByPlatformApplicationCommand,
  ListPlatformApplicationsCommand,
  SetPlatformApplicationAttributesCommand,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { awsError, uniqueName } from "./clients";
import { isolatedSns } from "./sns-clients";

import { ADM_CREDENTIALS, createApp, createEndpoint } from "./sns-platform-helpers";

describe("platform applications", () => {
  it("creates an application with the AWS ARN and shows only Enabled of its attributes", async () => {
    const { sns, account, region } = isolatedSns();
    const name = uniqueName("app");
    const arn = await createApp(sns, "ADM", ADM_CREDENTIALS, name);
    expect(arn).toBe(`arn:aws:sns:${region}:${account}:app/ADM/${name}`);
    const { Attributes } = await sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn }));
    expect(Attributes).toEqual({ Enabled: "true" });
    const list = await sns.send(new ListPlatformApplicationsCommand({}));
    expect(list.PlatformApplications).toEqual([{ PlatformApplicationArn: arn, Attributes: { Enabled: "true" } }]);
    expect(list.NextToken).toBeUndefined();
  });

  it("accepts every platform SNS supports; GCM needs only a PlatformCredential", async () => {
    const { sns, account, region } = isolatedSns();
    for (const platform of ["ADM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "BAIDU", "MPNS", "WNS"]) {
      const arn = await createApp(sns, platform);
      expect(arn).toMatch(new RegExp(`^arn:aws:sns:${region}:${account}:app/${platform}/app-`));
    }
    const gcm = await createApp(sns, "GCM", { PlatformCredential: "api-key" });
    expect(gcm).toContain(":app/GCM/");
  });

  it("creating the same application again returns the same ARN", async () => {
    const { sns } = isolatedSns();
    const name = uniqueName("app");
    const first = await createApp(sns, "ADM", ADM_CREDENTIALS, name);
    expect(await createApp(sns, "ADM", ADM_CREDENTIALS, name)).toBe(first);
    const list = await sns.send(new ListPlatformApplicationsCommand({}));
    expect(list.PlatformApplications).toHaveLength(1);
  });

  it("rejects bad names, platforms and attributes with AWS's errors", async () => {
    const { sns } = isolatedSns();
    const create = (Name: string, Platform: string, Attributes: Record<string, string>) =>
      awsError(() => sns.send(new CreatePlatformApplicationCommand({ Name, Platform, Attributes })));

    const noAttributes = await create("app", "ADM", {});
    expect(noAttributes).toMatchObject({
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
    });
    expect(await create("app", "ADM", { PlatformPrincipal: "id" })).toMatchObject({
      name: "InvalidParameterException",
      status: 400,
      message: "Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential",
    });
    expect(await create("app", "ADM", { PlatformCredential: "secret" })).toMatchObject({
      status: 400,
      message: "Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal",
    });
    const long = "a".repeat(257);
    expect((await create(long, "ADM", ADM_CREDENTIALS)).message).toBe(
      `Invalid parameter: ${long} Reason: must be at most 256 characters long`,
    );
    expect((await create("", "ADM", ADM_CREDENTIALS)).message).toBe("Invalid parameter:  Reason: cannot be empty");
    expect((await create("@name", "ADM", ADM_CREDENTIALS)).message).toBe(
      "Invalid parameter: @name Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'",
    );
    expect(await create("app", "AAA", ADM_CREDENTIALS)).toMatchObject({
      status: 400,
      message: "Invalid parameter: Platform Reason: AAA is not supported",
    });
  });

  it("Get/SetPlatformApplicationAttributes: set attributes show, credentials do not; AWS's errors", async () => {
    const { sns, account, region } = isolatedSns();
    const arn = await createApp(sns);
    await sns.send(
      new SetPlatformApplicationAttributesCommand({
        PlatformApplicationArn: arn,
        Attributes: { SuccessFeedbackSampleRate: "50", PlatformCredential: "new-secret" },
      }),
    );
    const { Attributes } = await sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn }));
    expect(Attributes).toEqual({ Enabled: "true", SuccessFeedbackSampleRate: "50" });

    for (const send of [
      () => sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: "invalid" })),
      () =>
        sns.send(
          new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: "invalid", Attributes: { Enabled: "true" } }),
        ),
    ]) {
      expect(await awsError(send)).toMatchObject({
        name: "InvalidParameterException",
        status: 400,
        message: "Invalid parameter: PlatformApplicationArn Reason: An ARN must have at least 6 elements, not 1",
      });
    }
    const missing = `arn:aws:sns:${region}:${account}:app/ADM/${uniqueName("missing")}`;
    expect(
      await awsError(() => sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: missing }))),
    ).toMatchObject({
      name: "NotFoundException",
      status: 404,
      message: "PlatformApplication does not exist",
    });
    // A missing application is reported before anything about the attributes.
    for (const Attributes of [{ PlatformPrincipal: "id" }, { PlatformCredential: "secret" }, { DummyArg: "x" }] as Record<
      string,
      string
    >[]) {
      expect(
        await awsError(() =>
          sns.send(new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: missing, Attributes })),
        ),
      ).toMatchObject({
        status: 404,
        message: "PlatformApplication does not exist",
      });
    }
    expect(
      await awsError(() =>
        sns.send(new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: missing, Attributes: {} })),
      ),
    ).toMatchObject({
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
    });
  });

  it("pages ListPlatformApplications by 100 with NextToken", async () => {
    const { sns } = isolatedSns();
    const created = new Set<string>();
    for (let i = 0; i < 101; i += 20) {
      const batch = await Promise.all(Array.from({ length: Math.min(20, 101 - i) }, () => createApp(sns)));
      batch.forEach((arn) => created.add(arn));
    }
    const first = await sns.send(new ListPlatformApplicationsCommand({}));
    expect(first.PlatformApplications).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const second = await sns.send(new ListPlatformApplicationsCommand({ NextToken: first.NextToken }));
    expect(second.PlatformApplications).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const seen = [...first.PlatformApplications!, ...second.PlatformApplications!].map((a) => a.PlatformApplicationArn);
    expect(new Set(seen)).toEqual(created);
    expect(await awsError(() => sns.send(new ListPlatformApplicationsCommand({ NextToken: "garbage" })))).toMatchObject({
      status: 400,
      message: "Invalid parameter: NextToken",
    });
  });

  it("deleting an application is idempotent and takes its endpoints with it", async () => {
    const { sns } = isolatedSns();
    const app = await createApp(sns);
    const endpoint = await createEndpoint(sns, app);
    await sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: app }));
    await sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: app }));
    expect(
      await awsError(() => sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app }))),
    ).toMatchObject({
      name: "NotFoundException",
      status: 404,
      message: "PlatformApplication does not exist",
    });
    expect(await awsError(() => sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpoint })))).toMatchObject({
      status: 404,
      message: "Endpoint does not exist",
    });
  });
});
