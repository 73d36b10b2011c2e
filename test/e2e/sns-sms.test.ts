/**
 * SMS with the real @aws-sdk/client-sns: Publish to a phone number, SMS attributes, opt-outs, the SMS
 * sandbox and origination numbers. Texts recorded on AWS come from
 * ../shared/aws-recordings/sns/test_sns.snapshot.json (TestSNSSMS, TestSNSSubscriptionCrudV2).
 * Every test uses an account of its own: SMS settings and opt-out lists are per account and region.
 */
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  CreateSMSSandboxPhoneNumberCommand,
  DeleteSMSSandboxPhoneNumberCommand,
  GetSMSAttributesCommand,
  GetSMSSandboxAccountStatusCommand,
  ListOriginationNumbersCommand,
  ListPhoneNumbersOptedOutCommand,
  ListSMSSandboxPhoneNumbersCommand,
  OptInPhoneNumberCommand,
  PublishCommand,
  SetSMSAttributesCommand,
  VerifySMSSandboxPhoneNumberCommand,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { awsError } from "./clients";
import { isolatedSns, optOut, recordedDeliveries, setInSandbox, snsClient } from "./sns-clients";

describe("Publish to a phone number", () => {
  it("records the SMS with the account's defaults", async () => {
    const { sns, account, region } = isolatedSns();
    const { MessageId } = await sns.send(new PublishCommand({ PhoneNumber: "+15555550100", Message: "your code is 1234" }));
    const deliveries = await recordedDeliveries({ account, region, protocol: "sms", endpoint: "+15555550100" });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      protocol: "sms",
      endpoint: "+15555550100",
      messageId: MessageId,
      kind: "Notification",
      payload: "your code is 1234",
    });
    expect(deliveries[0]!.attributes).toEqual({ smsType: "Promotional", status: "SUCCESS" });
  });

  it("takes SenderID, SMSType and MaxPrice from message attributes, else from SetSMSAttributes", async () => {
    const { sns, account, region } = isolatedSns();
    await sns.send(
      new SetSMSAttributesCommand({ attributes: { DefaultSenderID: "MyCompany", DefaultSMSType: "Transactional" } }),
    );
    await sns.send(new PublishCommand({ PhoneNumber: "+15555550101", Message: "defaults" }));
    await sns.send(
      new PublishCommand({
        PhoneNumber: "+15555550101",
        Message: "explicit",
        MessageAttributes: {
          "AWS.SNS.SMS.SenderID": { DataType: "String", StringValue: "Other" },
          "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Promotional" },
          "AWS.SNS.SMS.MaxPrice": { DataType: "Number", StringValue: "0.50" },
        },
      }),
    );
    const [first, second] = await recordedDeliveries({ account, region, protocol: "sms", endpoint: "+15555550101" });
    expect(first!.attributes).toEqual({ senderId: "MyCompany", smsType: "Transactional", status: "SUCCESS" });
    expect(second!.attributes).toEqual({ senderId: "Other", smsType: "Promotional", maxPrice: "0.50", status: "SUCCESS" });
  });

  it("MessageStructure=json: the sms entry, else the default", async () => {
    const { sns, account, region } = isolatedSns();
    await sns.send(
      new PublishCommand({
        PhoneNumber: "+15555550102",
        MessageStructure: "json",
        Message: JSON.stringify({ default: "d", sms: "short" }),
      }),
    );
    await sns.send(
      new PublishCommand({
        PhoneNumber: "+15555550102",
        MessageStructure: "json",
        Message: JSON.stringify({ default: "d", email: "long" }),
      }),
    );
    const payloads = (await recordedDeliveries({ account, region, protocol: "sms", endpoint: "+15555550102" })).map(
      (d) => d.payload,
    );
    expect(payloads).toEqual(["short", "d"]);
  });

  it("rejects numbers that are not E.164 with AWS's recorded error", async () => {
    const { sns } = isolatedSns();
    for (const PhoneNumber of ["+1a234", "NAA+15551234567", "+15--551234567"]) {
      expect(await awsError(() => sns.send(new PublishCommand({ PhoneNumber, Message: "hi" })))).toMatchObject({
        name: "InvalidParameterException",
        status: 400,
        message: `Invalid parameter: PhoneNumber Reason: ${PhoneNumber} is not valid to publish to`,
      });
    }
  });

  it("an opted-out number: Publish succeeds but the SMS is refused, as SNS's delivery logs say", async () => {
    const { sns, account, region } = isolatedSns();
    expect((await optOut(account, "+15555550103")).status).toBe(204);
    const { MessageId } = await sns.send(new PublishCommand({ PhoneNumber: "+15555550103", Message: "promo" }));
    expect(MessageId).toBeTruthy();
    const [delivery] = await recordedDeliveries({ account, region, protocol: "sms", endpoint: "+15555550103" });
    expect(delivery!.attributes).toMatchObject({ status: "FAILURE", providerResponse: "Phone number is opted out" });
    await sns.send(new OptInPhoneNumberCommand({ phoneNumber: "+15555550103" }));
    await sns.send(new PublishCommand({ PhoneNumber: "+15555550103", Message: "welcome back" }));
    const all = await recordedDeliveries({ account, region, protocol: "sms", endpoint: "+15555550103" });
    expect(all[1]!.attributes).toMatchObject({ status: "SUCCESS" });
  });
});

describe("SMS attributes", () => {
  it("an account that never set any reports MonthlySpendLimit 1 (AWS-recorded)", async () => {
    const { sns } = isolatedSns();
    expect((await sns.send(new GetSMSAttributesCommand({}))).attributes).toEqual({ MonthlySpendLimit: "1" });
  });

  it("sets and gets all or some attributes (AWS-recorded shape)", async () => {
    const { sns } = isolatedSns();
    await sns.send(
      new SetSMSAttributesCommand({
        attributes: { DefaultSMSType: "Promotional", DefaultSenderID: "LSTest", DeliveryStatusSuccessSamplingRate: "100" },
      }),
    );
    expect((await sns.send(new GetSMSAttributesCommand({}))).attributes).toEqual({
      DefaultSMSType: "Promotional",
      DefaultSenderID: "LSTest",
      DeliveryStatusSuccessSamplingRate: "100",
      MonthlySpendLimit: "1",
    });
    expect(
      (await sns.send(new GetSMSAttributesCommand({ attributes: ["DefaultSMSType", "DefaultSenderID"] }))).attributes,
    ).toEqual({
      DefaultSMSType: "Promotional",
      DefaultSenderID: "LSTest",
    });
  });

  it("is per region", async () => {
    const { sns, account } = isolatedSns();
    await sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: "Transactional" } }));
    const otherRegion = snsClient({ accessKeyId: account, region: "eu-west-1" });
    expect((await otherRegion.send(new GetSMSAttributesCommand({}))).attributes).toEqual({ MonthlySpendLimit: "1" });
  });

  it("rejects unknown names and bad values with AWS's recorded wording", async () => {
    const { sns } = isolatedSns();
    const set = (attributes: Record<string, string>) => awsError(() => sns.send(new SetSMSAttributesCommand({ attributes })));
    expect(await set({ InvalidAttribute: "x" })).toMatchObject({
      name: "InvalidParameterException",
      status: 400,
      message: "InvalidAttribute is not a valid attribute",
    });
    expect(await set({ DefaultSendID: "this is too long for a sender id" })).toMatchObject({
      status: 400,
      message: "DefaultSendID is not a valid attribute",
    });
    expect(await set({ DefaultSendID: "123" })).toMatchObject({ status: 400, message: "DefaultSendID is not a valid attribute" });
    expect(await set({ DefaultSMSType: "InvalidType" })).toMatchObject({ status: 400, message: "DefaultSMSType is invalid" });
    // Nothing was stored by the failed calls.
    expect((await sns.send(new GetSMSAttributesCommand({}))).attributes).toEqual({ MonthlySpendLimit: "1" });
  });
});

describe("opt-outs", () => {
  it("a number that replied STOP is opted out until OptInPhoneNumber", async () => {
    const { sns, account } = isolatedSns();
    expect((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: "+15555550110" }))).isOptedOut).toBe(false);
    await optOut(account, "+15555550110");
    expect((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: "+15555550110" }))).isOptedOut).toBe(true);
    expect((await sns.send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toEqual(["+15555550110"]);
    await sns.send(new OptInPhoneNumberCommand({ phoneNumber: "+15555550110" }));
    expect((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: "+15555550110" }))).isOptedOut).toBe(false);
    const list = await sns.send(new ListPhoneNumbersOptedOutCommand({}));
    expect(list.phoneNumbers).toEqual([]);
    expect(list.nextToken).toBeUndefined();
  });

  it("opting in a number that never opted out succeeds; a malformed number is AWS's recorded error", async () => {
    const { sns } = isolatedSns();
    await sns.send(new OptInPhoneNumberCommand({ phoneNumber: "+15555550111" }));
    for (const send of [
      () => sns.send(new OptInPhoneNumberCommand({ phoneNumber: "+15555a" })),
      () => sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: "+15555a" })),
    ]) {
      expect(await awsError(send)).toMatchObject({
        name: "InvalidParameterException",
        status: 400,
        message: "Invalid parameter: PhoneNumber Reason: input incorrectly formatted",
      });
    }
  });

  it("ListPhoneNumbersOptedOut pages by 100 with nextToken", async () => {
    const { sns, account } = isolatedSns();
    const numbers = Array.from({ length: 101 }, (_, i) => `+1555555${String(1000 + i)}`);
    for (let i = 0; i < numbers.length; i += 25) await Promise.all(numbers.slice(i, i + 25).map((n) => optOut(account, n)));
    const first = await sns.send(new ListPhoneNumbersOptedOutCommand({}));
    expect(first.phoneNumbers).toHaveLength(100);
    expect(first.nextToken).toBeTruthy();
    const second = await sns.send(new ListPhoneNumbersOptedOutCommand({ nextToken: first.nextToken }));
    expect(second.phoneNumbers).toHaveLength(1);
    expect(second.nextToken).toBeUndefined();
    expect([...first.phoneNumbers!, ...second.phoneNumbers!].sort()).toEqual(numbers.sort());
  });

  it("the developer endpoint refuses numbers that are not E.164", async () => {
    const { account } = isolatedSns();
    expect((await optOut(account, "not-a-number")).status).toBe(400);
  });
});

describe("SMS sandbox", () => {
  const otpOf = async (account: string, region: string, phoneNumber: string) => {
    const sent = (await recordedDeliveries({ account, region, protocol: "sms", endpoint: phoneNumber })).filter(
      (d) => d.kind === "SandboxVerification",
    );
    return sent[sent.length - 1]!.attributes!.oneTimePassword!;
  };

  it("adds a number, sends it a one-time password (recorded as an SMS), verifies and deletes it", async () => {
    const { sns, account, region } = isolatedSns();
    await sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550120", LanguageCode: "en-US" }));
    expect((await sns.send(new ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers).toEqual([
      { PhoneNumber: "+15555550120", Status: "Pending" },
    ]);
    const otp = await otpOf(account, region, "+15555550120");
    expect(otp).toMatch(/^\d{6}$/);
    const [sms] = await recordedDeliveries({ account, region, protocol: "sms", endpoint: "+15555550120" });
    expect(sms!.payload).toContain(otp);

    await sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550120", OneTimePassword: otp }));
    expect((await sns.send(new ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers).toEqual([
      { PhoneNumber: "+15555550120", Status: "Verified" },
    ]);

    await sns.send(new DeleteSMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550120" }));
    expect((await sns.send(new ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers).toEqual([]);
    expect(await awsError(() => sns.send(new DeleteSMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550120" })))).toMatchObject(
      {
        name: "ResourceNotFoundException",
        status: 404,
      },
    );
  });

  it("a wrong one-time password is a VerificationException; the number stays pending", async () => {
    const { sns, account, region } = isolatedSns();
    await sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550121" }));
    const otp = await otpOf(account, region, "+15555550121");
    const wrong = otp === "999999" ? "999998" : "999999";
    expect(
      await awsError(() =>
        sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550121", OneTimePassword: wrong })),
      ),
    ).toMatchObject({
      name: "VerificationException",
      status: 400,
    });
    expect((await sns.send(new ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers).toEqual([
      { PhoneNumber: "+15555550121", Status: "Pending" },
    ]);
    expect(
      await awsError(() =>
        sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550199", OneTimePassword: "123456" })),
      ),
    ).toMatchObject({
      name: "ResourceNotFoundException",
      status: 404,
    });
  });

  it("an opted-out number cannot be added (OptedOut)", async () => {
    const { sns, account } = isolatedSns();
    await optOut(account, "+15555550122");
    expect(await awsError(() => sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550122" })))).toMatchObject(
      {
        name: "OptedOutException",
        status: 400,
      },
    );
  });

  it("checks phone numbers, passwords, language codes and MaxResults against the SNS model", async () => {
    const { sns } = isolatedSns();
    expect(await awsError(() => sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: "+1555" })))).toMatchObject({
      name: "ValidationError",
      status: 400,
      message:
        "1 validation error detected: Value '+1555' at 'phoneNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(\\+[0-9]{8,}|[0-9]{0,9})$",
    });
    expect(
      await awsError(() =>
        sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550123", LanguageCode: "xx-XX" as never })),
      ),
    ).toMatchObject({
      name: "ValidationError",
      status: 400,
    });
    expect(
      await awsError(() =>
        sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550123", OneTimePassword: "12" })),
      ),
    ).toMatchObject({
      name: "ValidationError",
      message:
        "1 validation error detected: Value '12' at 'oneTimePassword' failed to satisfy constraint: Member must have length greater than or equal to 5",
    });
    expect(await awsError(() => sns.send(new ListSMSSandboxPhoneNumbersCommand({ MaxResults: 101 })))).toMatchObject({
      name: "ValidationError",
      message:
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    });
  });

  it("pages ListSMSSandboxPhoneNumbers by MaxResults", async () => {
    const { sns } = isolatedSns();
    for (const n of ["+15555550131", "+15555550132", "+15555550133"])
      await sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: n }));
    const first = await sns.send(new ListSMSSandboxPhoneNumbersCommand({ MaxResults: 2 }));
    expect(first.PhoneNumbers?.map((p) => p.PhoneNumber)).toEqual(["+15555550131", "+15555550132"]);
    const second = await sns.send(new ListSMSSandboxPhoneNumbersCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.PhoneNumbers?.map((p) => p.PhoneNumber)).toEqual(["+15555550133"]);
    expect(second.NextToken).toBeUndefined();
  });

  it("in the sandbox only verified numbers get SMS; accounts start outside it", async () => {
    const { sns, account, region } = isolatedSns();
    expect((await sns.send(new GetSMSSandboxAccountStatusCommand({}))).IsInSandbox).toBe(false);
    expect((await setInSandbox(account, true)).status).toBe(204);
    expect((await sns.send(new GetSMSSandboxAccountStatusCommand({}))).IsInSandbox).toBe(true);

    await sns.send(new PublishCommand({ PhoneNumber: "+15555550140", Message: "not verified" }));
    await sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: "+15555550141" }));
    await sns.send(
      new VerifySMSSandboxPhoneNumberCommand({
        PhoneNumber: "+15555550141",
        OneTimePassword: await otpOf(account, region, "+15555550141"),
      }),
    );
    await sns.send(new PublishCommand({ PhoneNumber: "+15555550141", Message: "verified" }));

    const [unverified] = await recordedDeliveries({ account, region, protocol: "sms", endpoint: "+15555550140" });
    expect(unverified!.attributes).toMatchObject({ status: "FAILURE" });
    const toVerified = (await recordedDeliveries({ account, region, protocol: "sms", endpoint: "+15555550141" })).filter(
      (d) => d.kind === "Notification",
    );
    expect(toVerified.map((d) => [d.payload, d.attributes?.status])).toEqual([["verified", "SUCCESS"]]);

    await setInSandbox(account, false);
    expect((await sns.send(new GetSMSSandboxAccountStatusCommand({}))).IsInSandbox).toBe(false);
  });
});

describe("ListOriginationNumbers", () => {
  it("none are provisioned here", async () => {
    const { sns } = isolatedSns();
    const result = await sns.send(new ListOriginationNumbersCommand({}));
    expect(result.PhoneNumbers).toEqual([]);
    expect(result.NextToken).toBeUndefined();
    expect(await awsError(() => sns.send(new ListOriginationNumbersCommand({ MaxResults: 31 })))).toMatchObject({
      name: "ValidationError",
      status: 400,
      message:
        "1 validation error detected: Value '31' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 30",
    });
  });
});
