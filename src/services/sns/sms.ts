/**
 * SMS account features: SMS attributes, the opt-out list, the SMS sandbox and origination numbers.
 * State lives in the account's SnsAccountObject. Nothing is really sent: one-time passwords and
 * messages are recorded, readable at GET /_aws/sns/deliveries?protocol=sms.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_SetSMSAttributes.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox.html
 */
import type {
  CheckIfPhoneNumberIsOptedOutInput,
  CreateSMSSandboxPhoneNumberInput,
  DeleteSMSSandboxPhoneNumberInput,
  GetSMSAttributesInput,
  ListOriginationNumbersRequest,
  ListPhoneNumbersOptedOutInput,
  ListSMSSandboxPhoneNumbersInput,
  OptInPhoneNumberInput,
  SetSMSAttributesInput,
  VerifySMSSandboxPhoneNumberInput,
} from "@aws-sdk/client-sns";
import { snsAccountObject } from "../../durable/names";
import { AwsError, unwrap, type ErrorInfo } from "../../domain/errors";
import type { SnsContext } from "./context";
import { invalidParameter, validationError } from "../../domain/sns/errors";
import { nextToken, pageAfter } from "./topics";

/** E.164: an optional `+`, then up to 15 digits, the first not 0. */
export const E164 = /^\+?[1-9]\d{1,14}$/;

export const isE164 = (phoneNumber: string): boolean => E164.test(phoneNumber);

/** The sandbox operations' phone number pattern (SNS model). */
const SANDBOX_PHONE = /^(\+[0-9]{8,}|[0-9]{0,9})$/;

/** The attributes SetSMSAttributes knows. */
const SMS_ATTRIBUTES = new Set([
  "MonthlySpendLimit",
  "DeliveryStatusIAMRole",
  "DeliveryStatusSuccessSamplingRate",
  "DefaultSenderID",
  "DefaultSMSType",
  "UsageReportS3Bucket",
]);

export const SMS_TYPES = new Set(["Promotional", "Transactional"]);

/** A sender ID: 1–11 letters and digits, at least one letter. */
export const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;

const LANGUAGE_CODES = [
  "en-US",
  "en-GB",
  "es-419",
  "es-ES",
  "de-DE",
  "fr-CA",
  "fr-FR",
  "it-IT",
  "ja-JP",
  "pt-BR",
  "kr-KR",
  "zh-CN",
  "zh-TW",
];

/** ListPhoneNumbersOptedOut returns up to 100 numbers a page. */
const OPTED_OUT_PAGE = 100;

const fault = (info: ErrorInfo): never => {
  throw new AwsError(info);
};

const account = (ctx: SnsContext) => snsAccountObject(ctx.env, ctx.account, ctx.region);

/** The wording of AWS's model-level (Smithy) constraint failures. */
const constraint = (value: string, member: string, rule: string): ErrorInfo =>
  validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`);

function checkSandboxPhone(phoneNumber: string): void {
  if (phoneNumber.length > 20) fault(constraint(phoneNumber, "phoneNumber", "Member must have length less than or equal to 20"));
  if (!SANDBOX_PHONE.test(phoneNumber)) {
    fault(constraint(phoneNumber, "phoneNumber", `Member must satisfy regular expression pattern: ${SANDBOX_PHONE.source}`));
  }
}

function maxResults(value: number | undefined, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (value < 1) fault(constraint(String(value), "maxResults", "Member must have value greater than or equal to 1"));
  if (value > max) fault(constraint(String(value), "maxResults", `Member must have value less than or equal to ${max}`));
  return value;
}

function checkPhoneFormat(phoneNumber: string | undefined): string {
  const number = phoneNumber ?? "";
  if (!isE164(number)) fault(invalidParameter("PhoneNumber Reason: input incorrectly formatted"));
  return number;
}

// --- SMS attributes ---

export async function getSMSAttributes(ctx: SnsContext, input: GetSMSAttributesInput) {
  return { attributes: await account(ctx).smsAttributes(input.attributes) };
}

export async function setSMSAttributes(ctx: SnsContext, input: SetSMSAttributesInput) {
  const given = input.attributes ?? {};
  for (const name of Object.keys(given)) {
    if (!SMS_ATTRIBUTES.has(name)) fault(notValid(name));
  }
  const { DefaultSMSType, DefaultSenderID, MonthlySpendLimit, DeliveryStatusSuccessSamplingRate } = given;
  if (DefaultSMSType !== undefined && !SMS_TYPES.has(DefaultSMSType)) fault(smsAttributeError("DefaultSMSType is invalid"));
  if (DefaultSenderID !== undefined && !SENDER_ID.test(DefaultSenderID)) fault(smsAttributeError("DefaultSenderID is invalid"));
  if (MonthlySpendLimit !== undefined && !/^\d+$/.test(MonthlySpendLimit))
    fault(smsAttributeError("MonthlySpendLimit is invalid"));
  if (
    DeliveryStatusSuccessSamplingRate !== undefined &&
    !(/^\d+$/.test(DeliveryStatusSuccessSamplingRate) && Number(DeliveryStatusSuccessSamplingRate) <= 100)
  ) {
    fault(smsAttributeError("DeliveryStatusSuccessSamplingRate is invalid"));
  }
  await account(ctx).setSmsAttributes(given);
  return {};
}

/** SetSMSAttributes words its errors without the usual "Invalid parameter: " (AWS-recorded). */
const smsAttributeError = (message: string): ErrorInfo => ({ code: "InvalidParameter", status: 400, message });
const notValid = (name: string): ErrorInfo => smsAttributeError(`${name} is not a valid attribute`);

// --- Opt-outs ---

export async function checkIfPhoneNumberIsOptedOut(ctx: SnsContext, input: CheckIfPhoneNumberIsOptedOutInput) {
  const number = checkPhoneFormat(input.phoneNumber);
  return { isOptedOut: await account(ctx).isOptedOut(number) };
}

export async function listPhoneNumbersOptedOut(ctx: SnsContext, input: ListPhoneNumbersOptedOutInput) {
  const after = pageAfter(input.nextToken, "opted-out") ?? "";
  const chunk = await account(ctx).listOptedOut(after, OPTED_OUT_PAGE);
  return { phoneNumbers: chunk.items, nextToken: chunk.after !== undefined ? nextToken(chunk.after, "opted-out") : undefined };
}

/**
 * Opting a number back in; a number that never opted out is fine too (AWS-recorded).
 * AWS allows this once every 30 days per number; that limit is not enforced here.
 */
export async function optInPhoneNumber(ctx: SnsContext, input: OptInPhoneNumberInput) {
  const number = checkPhoneFormat(input.phoneNumber);
  await account(ctx).optIn(number);
  return {};
}

// --- SMS sandbox ---

/** A 6-digit one-time password (AWS accepts 5–8 digits). */
function oneTimePassword(): string {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return String(n! % 1_000_000).padStart(6, "0");
}

export async function createSMSSandboxPhoneNumber(ctx: SnsContext, input: CreateSMSSandboxPhoneNumberInput) {
  const phoneNumber = input.PhoneNumber ?? "";
  checkSandboxPhone(phoneNumber);
  const language = input.LanguageCode;
  if (language !== undefined && !LANGUAGE_CODES.includes(language)) {
    fault(constraint(language, "languageCode", `Member must satisfy enum value set: [${LANGUAGE_CODES.join(", ")}]`));
  }
  const otp = oneTimePassword();
  unwrap(await account(ctx).addSandboxNumber(phoneNumber, otp, `Your Amazon SNS verification code is: ${otp}`));
  return {};
}

export async function verifySMSSandboxPhoneNumber(ctx: SnsContext, input: VerifySMSSandboxPhoneNumberInput) {
  const phoneNumber = input.PhoneNumber ?? "";
  checkSandboxPhone(phoneNumber);
  const otp = input.OneTimePassword ?? "";
  if (!/^[0-9]{5,8}$/.test(otp)) {
    const rule =
      otp.length < 5
        ? "Member must have length greater than or equal to 5"
        : otp.length > 8
          ? "Member must have length less than or equal to 8"
          : "Member must satisfy regular expression pattern: ^[0-9]+$";
    fault(constraint(otp, "oneTimePassword", rule));
  }
  unwrap(await account(ctx).verifySandboxNumber(phoneNumber, otp));
  return {};
}

/** AWS lets a number go only 24 hours after its last verification attempt; not enforced here. */
export async function deleteSMSSandboxPhoneNumber(ctx: SnsContext, input: DeleteSMSSandboxPhoneNumberInput) {
  const phoneNumber = input.PhoneNumber ?? "";
  checkSandboxPhone(phoneNumber);
  unwrap(await account(ctx).deleteSandboxNumber(phoneNumber));
  return {};
}

export async function listSMSSandboxPhoneNumbers(ctx: SnsContext, input: ListSMSSandboxPhoneNumbersInput) {
  const size = maxResults(input.MaxResults, 100, 100);
  const after = pageAfter(input.NextToken, "sandbox-numbers") ?? "";
  const chunk = await account(ctx).listSandboxNumbers(after, size);
  return {
    PhoneNumbers: chunk.items.map((n) => ({ PhoneNumber: n.phoneNumber, Status: n.status })),
    NextToken: chunk.after !== undefined ? nextToken(chunk.after, "sandbox-numbers") : undefined,
  };
}

export async function getSMSSandboxAccountStatus(ctx: SnsContext) {
  return { IsInSandbox: await account(ctx).inSandbox() };
}

/** No origination numbers (toll-free, 10DLC, short codes) can be provisioned here: always none. */
export async function listOriginationNumbers(_ctx: SnsContext, input: ListOriginationNumbersRequest) {
  maxResults(input.MaxResults, 30, 30);
  if (input.NextToken !== undefined) pageAfter(input.NextToken, "origination-numbers");
  return { PhoneNumbers: [] };
}

/** The SMS actions, for the SNS operation table (index.ts). */
export const smsOperations = {
  CheckIfPhoneNumberIsOptedOut: checkIfPhoneNumberIsOptedOut,
  CreateSMSSandboxPhoneNumber: createSMSSandboxPhoneNumber,
  DeleteSMSSandboxPhoneNumber: deleteSMSSandboxPhoneNumber,
  GetSMSAttributes: getSMSAttributes,
  GetSMSSandboxAccountStatus: getSMSSandboxAccountStatus,
  ListOriginationNumbers: listOriginationNumbers,
  ListPhoneNumbersOptedOut: listPhoneNumbersOptedOut,
  ListSMSSandboxPhoneNumbers: listSMSSandboxPhoneNumbers,
  OptInPhoneNumber: optInPhoneNumber,
  SetSMSAttributes: setSMSAttributes,
  VerifySMSSandboxPhoneNumber: verifySMSSandboxPhoneNumber,
};
