/**
 * Publish straight to a phone number (SMS) or a mobile platform endpoint (TargetArn). Nothing can be
 * sent from here, so the message is recorded for the account, readable at GET /_aws/sns/deliveries
 * (protocol `sms` or `application`), with what SNS would have done with it.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sms_sending-overview.html
 */
import type { PublishInput } from "@aws-sdk/client-sns";
import type { SnsAttributes } from "../../domain/sns/contract";
import { snsAccountObject } from "../../durable/names";
import { AwsError, unwrap, type ErrorInfo } from "../../domain/errors";
import type { SnsContext } from "./context";
import { invalidParameter } from "../../domain/sns/errors";
import { attributesSize, prepareAttributes } from "../../domain/sns/message-attributes";
import { parsePlatformEndpointArn } from "./platform";
import { isE164 } from "./sms";

/** 256 KB: message and attributes together. */
const MAX_MESSAGE_BYTES = 262_144;
const utf8 = new TextEncoder();

const fault = (info: ErrorInfo): never => {
  throw new AwsError(info);
};

/** The per-message SMS settings, as message attributes (they override the account's defaults). */
const SMS_ATTRIBUTES: Record<string, string> = {
  "AWS.SNS.SMS.SenderID": "senderId",
  "AWS.SNS.SMS.SMSType": "smsType",
  "AWS.SNS.SMS.MaxPrice": "maxPrice",
  "AWS.MM.SMS.OriginationNumber": "originationNumber",
  "AWS.MM.SMS.EntityId": "entityId",
  "AWS.MM.SMS.TemplateId": "templateId",
};

interface Checked {
  message: string;
  /** MessageStructure=json: the message per protocol/platform key. */
  structured?: Record<string, string>;
  attributes: SnsAttributes;
}

/** What Publish checks whatever the target: message, subject, structure, attributes, size. */
function check(input: PublishInput): Checked {
  const message = input.Message ?? "";
  if (message === "") fault(invalidParameter("Empty message"));
  if (
    input.Subject !== undefined &&
    (input.Subject === "" || input.Subject.length >= 100 || /[\x00-\x1f\x7f]/.test(input.Subject))
  ) {
    fault(invalidParameter("Subject"));
  }
  let structured: Record<string, string> | undefined;
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== "json") fault(invalidParameter("MessageStructure"));
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      fault(invalidParameter("Message Structure - JSON message body failed to parse"));
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      fault(invalidParameter("Message Structure - No default entry in JSON message body"));
    // Keys whose values are not strings are ignored, as for topics.
    structured = Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
  }
  const attributes = prepareAttributes(input.MessageAttributes);
  if ("code" in attributes && typeof attributes.code === "string") fault(attributes as ErrorInfo);
  const attrs = attributes as SnsAttributes;
  if (utf8.encode(message).length + attributesSize(attrs) > MAX_MESSAGE_BYTES) fault(invalidParameter("Message too long"));
  return { message, structured, attributes: attrs };
}

/** The text for one key of a structured message, else `default`; without a structure, the message. */
function pick(checked: Checked, key: string): string {
  if (!checked.structured) return checked.message;
  const text = checked.structured[key] ?? checked.structured.default;
  return text ?? fault(invalidParameter("Message Structure - No default entry in JSON message body"));
}

export async function publishDirect(ctx: SnsContext, input: PublishInput): Promise<{ MessageId: string }> {
  if (input.PhoneNumber) return publishSms(ctx, input);
  return publishPush(ctx, input);
}

async function publishSms(ctx: SnsContext, input: PublishInput): Promise<{ MessageId: string }> {
  const number = input.PhoneNumber!;
  if (!isE164(number)) fault(invalidParameter(`PhoneNumber Reason: ${number} is not valid to publish to`));
  const checked = check(input);
  const details: Record<string, string> = {};
  for (const [name, value] of Object.entries(checked.attributes)) {
    const key = SMS_ATTRIBUTES[name];
    if (key && value.StringValue !== undefined) details[key] = value.StringValue;
  }
  const messageId = crypto.randomUUID();
  await snsAccountObject(ctx.env, ctx.account, ctx.region).sendSms({
    protocol: "sms",
    endpoint: number,
    topicArn: null,
    subscriptionArn: null,
    messageId,
    kind: "Notification",
    payload: pick(checked, "sms"),
    attributes: details,
  });
  return { MessageId: messageId };
}

/**
 * A platform endpoint gets the message for its platform's key of a structured message (`GCM`, `APNS`,
 * `APNS_SANDBOX`, `ADM`…), else `default`, else the plain message.
 */
async function publishPush(ctx: SnsContext, input: PublishInput): Promise<{ MessageId: string }> {
  const arn = input.TargetArn!;
  const checked = check(input);
  let platform: string;
  try {
    platform = parsePlatformEndpointArn("TargetArn", arn).platform;
  } catch {
    return fault(invalidParameter("TargetArn Reason: No endpoint found for the target arn specified"));
  }
  const messageId = crypto.randomUUID();
  const details: Record<string, string> = { platform };
  if (checked.structured) details.messageStructure = "json";
  if (Object.keys(checked.attributes).length) details.messageAttributes = JSON.stringify(checked.attributes);
  unwrap(
    await snsAccountObject(ctx.env, ctx.account, ctx.region).push({
      protocol: "application",
      endpoint: arn,
      topicArn: null,
      subscriptionArn: null,
      messageId,
      kind: "Notification",
      payload: pick(checked, platform),
      attributes: details,
    }),
  );
  return { MessageId: messageId };
}
