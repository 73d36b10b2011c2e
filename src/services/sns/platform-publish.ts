/**
 * Publish straight to a phone number (SMS) or a mobile platform endpoint (TargetArn). Nothing can be
 * sent from here, so the message is recorded for the account, readable at GET /_aws/sns/deliveries
 * (protocol `sms` or `application`), with what SNS would have done with it.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sms_sending-overview.html
 */
import { snsAccountObject } from "../../durable/names";
import { fail, ok, type Result } from "../../domain/errors";
import type { SnsContext } from "./context";
import { invalidParameter } from "../../domain/sns/errors";
import { parsePlatformEndpointArn } from "../../domain/sns/names";
import { checkMessage, type CheckedMessage } from "../../domain/sns/publish-entry";
import type { PublishInput, PublishResponse } from "./shapes/types";
import { isE164 } from "./sms";

/** The per-message SMS settings, as message attributes (they override the account's defaults). */
const SMS_ATTRIBUTES: Record<string, string> = {
  "AWS.SNS.SMS.SenderID": "senderId",
  "AWS.SNS.SMS.SMSType": "smsType",
  "AWS.SNS.SMS.MaxPrice": "maxPrice",
  "AWS.MM.SMS.OriginationNumber": "originationNumber",
  "AWS.MM.SMS.EntityId": "entityId",
  "AWS.MM.SMS.TemplateId": "templateId",
};

/**
 * The text for one key of a structured message, else `default`; without a structure, the message.
 * Entries that are not strings are ignored.
 */
function pick(checked: CheckedMessage, key: string): Result<string> {
  if (!checked.structure) return ok(checked.message);
  const text = [checked.structure[key], checked.structure.default].find((t) => typeof t === "string");
  return typeof text === "string"
    ? ok(text)
    : fail(invalidParameter("Message Structure - No default entry in JSON message body"));
}

/** A message published to no topic, as the account records it. */
const direct = (protocol: string, endpoint: string, payload: string, attributes: Record<string, string>) => ({
  protocol,
  endpoint,
  topicArn: null,
  subscriptionArn: null,
  messageId: crypto.randomUUID(),
  kind: "Notification",
  payload,
  attributes,
});

export function publishDirect(ctx: SnsContext, input: PublishInput): Promise<Result<PublishResponse>> {
  return input.PhoneNumber ? publishSms(ctx, input.PhoneNumber, input) : publishPush(ctx, input.TargetArn!, input);
}

async function publishSms(ctx: SnsContext, number: string, input: PublishInput): Promise<Result<PublishResponse>> {
  if (!isE164(number)) return fail(invalidParameter(`PhoneNumber Reason: ${number} is not valid to publish to`));
  const checked = checkMessage(input, false);
  if (!checked.ok) return checked;
  const payload = pick(checked.value, "sms");
  if (!payload.ok) return payload;
  const details: Record<string, string> = {};
  for (const [name, value] of Object.entries(checked.value.attributes)) {
    const key = SMS_ATTRIBUTES[name];
    if (key && value.StringValue !== undefined) details[key] = value.StringValue;
  }
  const delivery = direct("sms", number, payload.value, details);
  await snsAccountObject(ctx.env, ctx.account, ctx.region).sendSms(delivery);
  return ok({ MessageId: delivery.messageId });
}

/**
 * A platform endpoint gets the message for its platform's key of a structured message (`GCM`, `APNS`,
 * `APNS_SANDBOX`, `ADM`…), else `default`, else the plain message.
 */
async function publishPush(ctx: SnsContext, arn: string, input: PublishInput): Promise<Result<PublishResponse>> {
  const checked = checkMessage(input, false);
  if (!checked.ok) return checked;
  const endpoint = parsePlatformEndpointArn("TargetArn", arn);
  if (!endpoint.ok) return fail(invalidParameter("TargetArn Reason: No endpoint found for the target arn specified"));
  const { platform } = endpoint.value;
  const payload = pick(checked.value, platform);
  if (!payload.ok) return payload;
  const details: Record<string, string> = { platform };
  if (checked.value.structure) details.messageStructure = "json";
  if (Object.keys(checked.value.attributes).length) details.messageAttributes = JSON.stringify(checked.value.attributes);
  const delivery = direct("application", arn, payload.value, details);
  const pushed = await snsAccountObject(ctx.env, ctx.account, ctx.region).push(delivery);
  return pushed.ok ? ok({ MessageId: delivery.messageId }) : pushed;
}
