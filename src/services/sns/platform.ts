/**
 * Mobile push: platform applications (one per push service and app) and their endpoints (one per
 * device token). State lives in the account's SnsAccountObject; this module checks requests the way
 * SNS does, with its recorded wording (../shared/aws-recordings/sns, TestSNSPlatformApplicationCrud and
 * TestSNSPlatformEndpointCrud).
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreatePlatformApplication.html
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreatePlatformEndpoint.html
 */
import { snsAccountObject } from "../../durable/names";
import { fail, ok, type ErrorInfo, type Problem, type Result } from "../../domain/errors";
import { done, type SnsContext, type SnsHandler } from "./context";
import { invalidParameter, validationError } from "../../domain/sns/errors";
import {
  parsePlatformApplicationArn,
  parsePlatformEndpointArn,
  platformApplicationArn,
  platformEndpointArn,
} from "../../domain/sns/names";
import { nextToken, pageAfter, PAGE } from "./topics";

/** Push services SNS knows (the `Platform` of CreatePlatformApplication). */
export const PLATFORMS = [
  "ADM",
  "APNS",
  "APNS_SANDBOX",
  "APNS_VOIP",
  "APNS_VOIP_SANDBOX",
  "BAIDU",
  "GCM",
  "MACOS",
  "MACOS_SANDBOX",
  "MPNS",
  "WNS",
] as const;

/** Firebase (GCM) takes only a PlatformCredential (API key or service-account JSON); the others a pair. */
const CREDENTIAL_ONLY = new Set(["GCM"]);

const CREDENTIALS = new Set(["PlatformPrincipal", "PlatformCredential"]);

/** Settable application attributes (SetPlatformApplicationAttributes), besides the credentials. */
const APPLICATION_ATTRIBUTES = new Set([
  "Enabled",
  "EventEndpointCreated",
  "EventEndpointDeleted",
  "EventEndpointUpdated",
  "EventDeliveryFailure",
  "SuccessFeedbackRoleArn",
  "FailureFeedbackRoleArn",
  "SuccessFeedbackSampleRate",
  "ApplePlatformTeamID",
  "ApplePlatformBundleID",
]);

const ENDPOINT_ATTRIBUTES = new Set(["CustomUserData", "Enabled", "Token"]);

/** CustomUserData: "must be in UTF-8 format and less than 2KB". */
const MAX_CUSTOM_USER_DATA_BYTES = 2048;

const utf8 = new TextEncoder();

/** The map parameter was sent empty: AWS answers as if it were missing. */
const attributesMissing = (): ErrorInfo =>
  validationError(
    "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
  );

const account = (ctx: SnsContext) => snsAccountObject(ctx.env, ctx.account, ctx.region);

/** Application names: 1–256 of `[A-Za-z0-9_.-]`, worded as AWS words it (the name is the "parameter"). */
function checkApplicationName(name: string): Problem {
  let reason: string | undefined;
  if (name === "") reason = "cannot be empty";
  else if (name.length > 256) reason = "must be at most 256 characters long";
  else if (!/^[A-Za-z0-9_.-]+$/.test(name)) reason = "must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'";
  return reason ? invalidParameter(`${name} Reason: ${reason}`) : undefined;
}

function checkEnabled(value: string | undefined): Problem {
  if (value === undefined || value === "true" || value === "false") return undefined;
  return invalidParameter("Attributes Reason: Invalid value for attribute: Enabled: must be true or false");
}

/** Splits application attributes into what is shown and the credentials that are only kept. */
function applicationAttributes(
  given: Record<string, string>,
): Result<{ shown: Record<string, string>; credentials: Record<string, string> }> {
  const shown: Record<string, string> = {};
  const credentials: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (CREDENTIALS.has(name)) credentials[name] = value;
    else if (APPLICATION_ATTRIBUTES.has(name)) shown[name] = value;
    else return fail(invalidParameter(`Attributes Reason: Invalid attribute name: ${name}`));
  }
  const problem = checkEnabled(shown.Enabled);
  return problem ? fail(problem) : ok({ shown, credentials });
}

/** Why CreatePlatformApplication's credentials do not do for the platform, if they don't. */
function credentialsProblem(platform: string, credentials: Record<string, string>): Problem {
  const principal = credentials.PlatformPrincipal !== undefined;
  const credential = credentials.PlatformCredential !== undefined;
  if (principal && !credential)
    return invalidParameter("Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential");
  if (credential && !principal && !CREDENTIAL_ONLY.has(platform))
    return invalidParameter("Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal");
  if (!credential) return invalidParameter("Attributes Reason: PlatformCredential attribute is required");
  return undefined;
}

export const createPlatformApplication: SnsHandler<"CreatePlatformApplication"> = async (ctx, input) => {
  const { Name: name, Platform: platform } = input;
  const nameProblem = checkApplicationName(name);
  if (nameProblem) return fail(nameProblem);
  if (!(PLATFORMS as readonly string[]).includes(platform))
    return fail(invalidParameter(`Platform Reason: ${platform} is not supported`));
  if (!Object.keys(input.Attributes).length) return fail(attributesMissing());
  const split = applicationAttributes(input.Attributes);
  if (!split.ok) return split;
  const { shown, credentials } = split.value;
  const problem = credentialsProblem(platform, credentials);
  if (problem) return fail(problem);
  const attributes: Record<string, string> = { Enabled: "true", ...shown };
  // Token-based Apple credentials come with team and bundle ids; AWS then reports the method.
  if (platform.startsWith("APNS") && shown.ApplePlatformTeamID !== undefined) attributes.AuthenticationMethod = "Token";
  const arn = platformApplicationArn({ account: ctx.account, region: ctx.region, platform, name });
  await account(ctx).putApplication({ arn, platform, name, attributes }, credentials);
  return ok({ PlatformApplicationArn: arn });
};

export const deletePlatformApplication: SnsHandler<"DeletePlatformApplication"> = async (ctx, input) => {
  const arn = input.PlatformApplicationArn;
  const ref = parsePlatformApplicationArn("PlatformApplicationArn", arn);
  if (!ref.ok) return ref;
  await account(ctx).deleteApplication(arn);
  return ok({});
};

/** The application's attributes, once its ARN is well formed and it exists. */
async function application(ctx: SnsContext, arn: string) {
  const ref = parsePlatformApplicationArn("PlatformApplicationArn", arn);
  return ref.ok ? account(ctx).application(arn) : ref;
}

export const getPlatformApplicationAttributes: SnsHandler<"GetPlatformApplicationAttributes"> = async (ctx, input) => {
  const app = await application(ctx, input.PlatformApplicationArn);
  return app.ok ? ok({ Attributes: app.value.attributes }) : app;
};

export const setPlatformApplicationAttributes: SnsHandler<"SetPlatformApplicationAttributes"> = async (ctx, input) => {
  const arn = input.PlatformApplicationArn;
  const ref = parsePlatformApplicationArn("PlatformApplicationArn", arn);
  if (!ref.ok) return ref;
  if (!Object.keys(input.Attributes).length) return fail(attributesMissing());
  // A missing application is reported before anything about the attributes (AWS-recorded).
  const app = await application(ctx, arn);
  if (!app.ok) return app;
  const split = applicationAttributes(input.Attributes);
  if (!split.ok) return split;
  return done(account(ctx).setApplicationAttributes(arn, split.value.shown, split.value.credentials));
};

export const listPlatformApplications: SnsHandler<"ListPlatformApplications"> = async (ctx, input) => {
  const after = pageAfter(input.NextToken, "platform-applications");
  if (!after.ok) return after;
  const page = await account(ctx).listApplications(Number(after.value ?? "0"), PAGE);
  return ok({
    PlatformApplications: page.items.map((a) => ({ PlatformApplicationArn: a.arn, Attributes: a.attributes })),
    NextToken: page.after !== undefined ? nextToken(String(page.after), "platform-applications") : undefined,
  });
};

/** Endpoint attributes as given, checked: only CustomUserData, Enabled and Token, CustomUserData ≤ 2 KB. */
function endpointAttributesProblem(given: Record<string, string>): Problem {
  for (const name of Object.keys(given)) {
    if (!ENDPOINT_ATTRIBUTES.has(name)) return invalidParameter(`Attributes Reason: Invalid attribute name: ${name}`);
  }
  if (given.CustomUserData !== undefined && utf8.encode(given.CustomUserData).length > MAX_CUSTOM_USER_DATA_BYTES) {
    return invalidParameter(
      "Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding",
    );
  }
  const enabled = checkEnabled(given.Enabled);
  if (enabled) return enabled;
  if (given.Token === "") return invalidParameter("Attributes Reason: Invalid value for attribute: Token: cannot be empty");
  return undefined;
}

export const createPlatformEndpoint: SnsHandler<"CreatePlatformEndpoint"> = async (ctx, input) => {
  const app = parsePlatformApplicationArn("PlatformApplicationArn", input.PlatformApplicationArn);
  if (!app.ok) return app;
  const token = input.Token;
  if (token === "") return fail(invalidParameter("Token Reason: cannot be empty"));
  const attributes = { ...(input.Attributes ?? {}) };
  delete attributes.Token;
  const problem = endpointAttributesProblem(attributes);
  if (problem) return fail(problem);
  // CustomUserData may come as a parameter and as an attribute; the attribute wins (AWS-recorded).
  const requested: Record<string, string> = {
    ...(input.CustomUserData !== undefined ? { CustomUserData: input.CustomUserData } : {}),
    ...attributes,
  };
  const combined = endpointAttributesProblem(requested);
  if (combined) return fail(combined);
  const arn = platformEndpointArn({ ...app.value, account: ctx.account, region: ctx.region, id: crypto.randomUUID() });
  const created = await account(ctx).createEndpoint(input.PlatformApplicationArn, arn, token, requested);
  return created.ok ? ok({ EndpointArn: created.value }) : created;
};

export const deleteEndpoint: SnsHandler<"DeleteEndpoint"> = async (ctx, input) => {
  const ref = parsePlatformEndpointArn("EndpointArn", input.EndpointArn);
  if (!ref.ok) return ref;
  await account(ctx).deleteEndpoint(input.EndpointArn);
  return ok({});
};

export const getEndpointAttributes: SnsHandler<"GetEndpointAttributes"> = async (ctx, input) => {
  const ref = parsePlatformEndpointArn("EndpointArn", input.EndpointArn);
  if (!ref.ok) return ref;
  const endpoint = await account(ctx).endpoint(input.EndpointArn);
  return endpoint.ok ? ok({ Attributes: endpoint.value.attributes }) : endpoint;
};

export const setEndpointAttributes: SnsHandler<"SetEndpointAttributes"> = async (ctx, input) => {
  const ref = parsePlatformEndpointArn("EndpointArn", input.EndpointArn);
  if (!ref.ok) return ref;
  if (!Object.keys(input.Attributes).length) return fail(attributesMissing());
  const problem = endpointAttributesProblem(input.Attributes);
  if (problem) return fail(problem);
  return done(account(ctx).setEndpointAttributes(input.EndpointArn, input.Attributes));
};

export const listEndpointsByPlatformApplication: SnsHandler<"ListEndpointsByPlatformApplication"> = async (ctx, input) => {
  const arn = input.PlatformApplicationArn;
  const ref = parsePlatformApplicationArn("PlatformApplicationArn", arn);
  if (!ref.ok) return ref;
  const scope = `endpoints:${arn}`;
  const after = pageAfter(input.NextToken, scope);
  if (!after.ok) return after;
  const page = await account(ctx).listEndpoints(arn, Number(after.value ?? "0"), PAGE);
  if (!page.ok) return page;
  return ok({
    Endpoints: page.value.items.map((e) => ({ EndpointArn: e.arn, Attributes: e.attributes })),
    NextToken: page.value.after !== undefined ? nextToken(String(page.value.after), scope) : undefined,
  });
};
/** The mobile push actions, for the SNS operation table (index.ts). */
export const platformOperations = {
  CreatePlatformApplication: createPlatformApplication,
  CreatePlatformEndpoint: createPlatformEndpoint,
  DeleteEndpoint: deleteEndpoint,
  DeletePlatformApplication: deletePlatformApplication,
  GetEndpointAttributes: getEndpointAttributes,
  GetPlatformApplicationAttributes: getPlatformApplicationAttributes,
  ListEndpointsByPlatformApplication: listEndpointsByPlatformApplication,
  ListPlatformApplications: listPlatformApplications,
  SetEndpointAttributes: setEndpointAttributes,
  SetPlatformApplicationAttributes: setPlatformApplicationAttributes,
};
