/**
 * SMS account features: SMS attributes, the opt-out list, the SMS sandbox and origination numbers.
 * State lives in the account's SnsAccountObject. Nothing is really sent: one-time passwords and
 * messages are recorded, readable at GET /_aws/sns/deliveries?protocol=sms.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_SetSMSAttributes.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox.html
 */
import { snsAccountObject } from "../../durable/names";
import { fail, ok, type ErrorInfo, type Problem, type Result } from "../../domain/errors";
import { done, type SnsContext, type SnsHandler } from "./context";
import { invalidParameter, invalidParameterText, validationError } from "../../domain/sns/errors";
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

const account = (ctx: SnsContext) => snsAccountObject(ctx.env, ctx.account, ctx.region);

/** The wording of AWS's model-level (Smithy) constraint failures. */
const constraint = (value: string, member: string, rule: string): ErrorInfo =>
  validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`);

function sandboxPhoneProblem(phoneNumber: string): Problem {
  if (phoneNumber.length > 20) return constraint(phoneNumber, "phoneNumber", "Member must have length less than or equal to 20");
  if (!SANDBOX_PHONE.test(phoneNumber))
    return constraint(phoneNumber, "phoneNumber", `Member must satisfy regular expression pattern: ${SANDBOX_PHONE.source}`);
  return undefined;
}

function maxResults(value: number | undefined, max: number, fallback: number): Result<number> {
  if (value === undefined) return ok(fallback);
  if (value < 1) return fail(constraint(String(value), "maxResults", "Member must have value greater than or equal to 1"));
  if (value > max) return fail(constraint(String(value), "maxResults", `Member must have value less than or equal to ${max}`));
  return ok(value);
}

const phoneFormatProblem = (phoneNumber: string): Problem =>
  isE164(phoneNumber) ? undefined : invalidParameter("PhoneNumber Reason: input incorrectly formatted");

// --- SMS attributes ---

export const getSMSAttributes: SnsHandler<"GetSMSAttributes"> = async (ctx, input) => {
  return ok({ attributes: await account(ctx).smsAttributes(input.attributes) });
};

/** SetSMSAttributes words its errors without the usual "Invalid parameter: " (AWS-recorded). */
const smsAttributeError = invalidParameterText;

function smsAttributesProblem(given: Record<string, string>): Problem {
  for (const name of Object.keys(given))
    if (!SMS_ATTRIBUTES.has(name)) return smsAttributeError(`${name} is not a valid attribute`);
  const { DefaultSMSType, DefaultSenderID, MonthlySpendLimit, DeliveryStatusSuccessSamplingRate } = given;
  if (DefaultSMSType !== undefined && !SMS_TYPES.has(DefaultSMSType)) return smsAttributeError("DefaultSMSType is invalid");
  if (DefaultSenderID !== undefined && !SENDER_ID.test(DefaultSenderID)) return smsAttributeError("DefaultSenderID is invalid");
  if (MonthlySpendLimit !== undefined && !/^\d+$/.test(MonthlySpendLimit))
    return smsAttributeError("MonthlySpendLimit is invalid");
  const rate = DeliveryStatusSuccessSamplingRate;
  if (rate !== undefined && !(/^\d+$/.test(rate) && Number(rate) <= 100))
    return smsAttributeError("DeliveryStatusSuccessSamplingRate is invalid");
  return undefined;
}

export const setSMSAttributes: SnsHandler<"SetSMSAttributes"> = async (ctx, input) => {
  const problem = smsAttributesProblem(input.attributes);
  if (problem) return fail(problem);
  await account(ctx).setSmsAttributes(input.attributes);
  return ok({});
};

// --- Opt-outs ---

export const checkIfPhoneNumberIsOptedOut: SnsHandler<"CheckIfPhoneNumberIsOptedOut"> = async (ctx, input) => {
  const problem = phoneFormatProblem(input.phoneNumber);
  return problem ? fail(problem) : ok({ isOptedOut: await account(ctx).isOptedOut(input.phoneNumber) });
};

export const listPhoneNumbersOptedOut: SnsHandler<"ListPhoneNumbersOptedOut"> = async (ctx, input) => {
  const after = pageAfter(input.nextToken, "opted-out");
  if (!after.ok) return after;
  const chunk = await account(ctx).listOptedOut(after.value ?? "", OPTED_OUT_PAGE);
  return ok({
    phoneNumbers: chunk.items,
    nextToken: chunk.after !== undefined ? nextToken(chunk.after, "opted-out") : undefined,
  });
};

/**
 * Opting a number back in; a number that never opted out is fine too (AWS-recorded).
 * AWS allows this once every 30 days per number; that limit is not enforced here.
 */
export const optInPhoneNumber: SnsHandler<"OptInPhoneNumber"> = async (ctx, input) => {
  const problem = phoneFormatProblem(input.phoneNumber);
  if (problem) return fail(problem);
  await account(ctx).optIn(input.phoneNumber);
  return ok({});
};

// --- SMS sandbox ---

/** A 6-digit one-time password (AWS accepts 5–8 digits). */
function oneTimePassword(): string {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return String(n! % 1_000_000).padStart(6, "0");
}

export const createSMSSandboxPhoneNumber: SnsHandler<"CreateSMSSandboxPhoneNumber"> = async (ctx, input) => {
  const phoneNumber = input.PhoneNumber;
  const problem = sandboxPhoneProblem(phoneNumber);
  if (problem) return fail(problem);
  const language = input.LanguageCode;
  if (language !== undefined && !LANGUAGE_CODES.includes(language)) {
    return fail(constraint(language, "languageCode", `Member must satisfy enum value set: [${LANGUAGE_CODES.join(", ")}]`));
  }
  const otp = oneTimePassword();
  return done(account(ctx).addSandboxNumber(phoneNumber, otp, `Your Amazon SNS verification code is: ${otp}`));
};

function oneTimePasswordProblem(otp: string): Problem {
  if (/^[0-9]{5,8}$/.test(otp)) return undefined;
  const rule =
    otp.length < 5
      ? "Member must have length greater than or equal to 5"
      : otp.length > 8
        ? "Member must have length less than or equal to 8"
        : "Member must satisfy regular expression pattern: ^[0-9]+$";
  return constraint(otp, "oneTimePassword", rule);
}

export const verifySMSSandboxPhoneNumber: SnsHandler<"VerifySMSSandboxPhoneNumber"> = async (ctx, input) => {
  const problem = sandboxPhoneProblem(input.PhoneNumber) ?? oneTimePasswordProblem(input.OneTimePassword);
  if (problem) return fail(problem);
  return done(account(ctx).verifySandboxNumber(input.PhoneNumber, input.OneTimePassword));
};

/** AWS lets a number go only 24 hours after its last verification attempt; not enforced here. */
export const deleteSMSSandboxPhoneNumber: SnsHandler<"DeleteSMSSandboxPhoneNumber"> = async (ctx, input) => {
  const problem = sandboxPhoneProblem(input.PhoneNumber);
  return problem ? fail(problem) : done(account(ctx).deleteSandboxNumber(input.PhoneNumber));
};

export const listSMSSandboxPhoneNumbers: SnsHandler<"ListSMSSandboxPhoneNumbers"> = async (ctx, input) => {
  const size = maxResults(input.MaxResults, 100, 100);
  if (!size.ok) return size;
  const after = pageAfter(input.NextToken, "sandbox-numbers");
  if (!after.ok) return after;
  const chunk = await account(ctx).listSandboxNumbers(after.value ?? "", size.value);
  return ok({
    PhoneNumbers: chunk.items.map((n) => ({ PhoneNumber: n.phoneNumber, Status: n.status })),
    NextToken: chunk.after !== undefined ? nextToken(chunk.after, "sandbox-numbers") : undefined,
  });
};

export const getSMSSandboxAccountStatus: SnsHandler<"GetSMSSandboxAccountStatus"> = async (ctx, _input) => {
  return ok({ IsInSandbox: await account(ctx).inSandbox() });
};

/** No origination numbers (toll-free, 10DLC, short codes) can be provisioned here: always none. */
export const listOriginationNumbers: SnsHandler<"ListOriginationNumbers"> = async (_ctx, input) => {
  const size = maxResults(input.MaxResults, 30, 30);
  if (!size.ok) return size;
  const after = pageAfter(input.NextToken, "origination-numbers");
  return after.ok ? ok({ PhoneNumbers: [] }) : after;
};

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
