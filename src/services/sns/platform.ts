/**
 * Mobile push: platform applications (one per push service and app) and their endpoints (one per
 * device token). State lives in the account's SnsAccountObject; this module checks requests the way
 * SNS does, with its recorded wording (../shared/aws-recordings/sns, TestSNSPlatformApplicationCrud and
 * TestSNSPlatformEndpointCrud).
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreatePlatformApplication.html
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreatePlatformEndpoint.html
 */
import type {
  CreatePlatformApplicationInput,
  CreatePlatformEndpointInput,
  DeleteEndpointInput,
  DeletePlatformApplicationInput,
  GetEndpointAttributesInput,
  GetPlatformApplicationAttributesInput,
  ListEndpointsByPlatformApplicationInput,
  ListPlatformApplicationsInput,
  SetEndpointAttributesInput,
  SetPlatformApplicationAttributesInput,
} from "@aws-sdk/client-sns";
import { snsAccountObject } from "../../durable/names";
import { AwsError, unwrap, type ErrorInfo } from "../../domain/errors";
import type { SnsContext } from "./context";
import { invalidParameter, validationError } from "../../domain/sns/errors";
import { arnParts } from "../../domain/sns/names";
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
const fault = (info: ErrorInfo): never => {
  throw new AwsError(info);
};

/** The map parameter was sent empty: AWS answers as if it were missing. */
const attributesMissing = (): ErrorInfo =>
  validationError(
    "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
  );

export interface PlatformApplicationRef {
  account: string;
  region: string;
  platform: string;
  name: string;
}

export interface PlatformEndpointRef extends PlatformApplicationRef {
  id: string;
}

export const platformApplicationArn = (r: PlatformApplicationRef): string =>
  `arn:aws:sns:${r.region}:${r.account}:app/${r.platform}/${r.name}`;

export const platformEndpointArn = (r: PlatformEndpointRef): string =>
  `arn:aws:sns:${r.region}:${r.account}:endpoint/${r.platform}/${r.name}/${r.id}`;

/** `…:<type>/<segment>/…`: SNS first counts the ARN's elements, then the slashes of its resource part. */
function resourceSegments(
  parameter: string,
  arn: string | undefined,
  slashes: number,
): { account: string; region: string; segments: string[] } {
  const parts = arnParts(parameter, arn ?? "");
  if (!Array.isArray(parts)) return fault(parts);
  const resource = parts.slice(5).join(":");
  const segments = resource.split("/");
  if (segments.length !== slashes + 1)
    return fault(invalidParameter(`${parameter} Reason: Wrong number of slashes in relative portion of the ARN.`));
  return { account: parts[4]!, region: parts[3]!, segments };
}

export function parsePlatformApplicationArn(parameter: string, arn: string | undefined): PlatformApplicationRef {
  const { account, region, segments } = resourceSegments(parameter, arn, 2);
  const [type, platform, name] = segments as [string, string, string];
  if (type !== "app") fault(invalidParameter(parameter));
  return { account, region, platform, name };
}

export function parsePlatformEndpointArn(parameter: string, arn: string | undefined): PlatformEndpointRef {
  const { account, region, segments } = resourceSegments(parameter, arn, 3);
  const [type, platform, name, id] = segments as [string, string, string, string];
  if (type !== "endpoint") fault(invalidParameter(parameter));
  return { account, region, platform, name, id };
}

const account = (ctx: SnsContext) => snsAccountObject(ctx.env, ctx.account, ctx.region);

/** Application names: 1–256 of `[A-Za-z0-9_.-]`, worded as AWS words it (the name is the "parameter"). */
function checkApplicationName(name: string): void {
  let reason: string | undefined;
  if (name === "") reason = "cannot be empty";
  else if (name.length > 256) reason = "must be at most 256 characters long";
  else if (!/^[A-Za-z0-9_.-]+$/.test(name)) reason = "must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'";
  if (reason) fault(invalidParameter(`${name} Reason: ${reason}`));
}

function checkEnabled(value: string | undefined): void {
  if (value !== undefined && value !== "true" && value !== "false") {
    fault(invalidParameter("Attributes Reason: Invalid value for attribute: Enabled: must be true or false"));
  }
}

/** Splits application attributes into what is shown and the credentials that are only kept. */
function applicationAttributes(given: Record<string, string>): {
  shown: Record<string, string>;
  credentials: Record<string, string>;
} {
  const shown: Record<string, string> = {};
  const credentials: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (CREDENTIALS.has(name)) credentials[name] = value;
    else if (APPLICATION_ATTRIBUTES.has(name)) shown[name] = value;
    else fault(invalidParameter(`Attributes Reason: Invalid attribute name: ${name}`));
  }
  checkEnabled(shown.Enabled);
  return { shown, credentials };
}

export async function createPlatformApplication(ctx: SnsContext, input: CreatePlatformApplicationInput) {
  const name = input.Name ?? "";
  const platform = input.Platform ?? "";
  checkApplicationName(name);
  if (!(PLATFORMS as readonly string[]).includes(platform))
    fault(invalidParameter(`Platform Reason: ${platform} is not supported`));
  const given = input.Attributes ?? {};
  if (!Object.keys(given).length) fault(attributesMissing());
  const { shown, credentials } = applicationAttributes(given);
  const principal = credentials.PlatformPrincipal !== undefined;
  const credential = credentials.PlatformCredential !== undefined;
  if (principal && !credential)
    fault(invalidParameter("Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential"));
  if (credential && !principal && !CREDENTIAL_ONLY.has(platform)) {
    fault(invalidParameter("Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal"));
  }
  if (!credential) fault(invalidParameter("Attributes Reason: PlatformCredential attribute is required"));
  const attributes: Record<string, string> = { Enabled: "true", ...shown };
  // Token-based Apple credentials come with team and bundle ids; AWS then reports the method.
  if (platform.startsWith("APNS") && shown.ApplePlatformTeamID !== undefined) attributes.AuthenticationMethod = "Token";
  const arn = platformApplicationArn({ account: ctx.account, region: ctx.region, platform, name });
  await account(ctx).putApplication({ arn, platform, name, attributes }, credentials);
  return { PlatformApplicationArn: arn };
}

export async function deletePlatformApplication(ctx: SnsContext, input: DeletePlatformApplicationInput) {
  const arn = input.PlatformApplicationArn ?? "";
  parsePlatformApplicationArn("PlatformApplicationArn", arn);
  await account(ctx).deleteApplication(arn);
  return {};
}

export async function getPlatformApplicationAttributes(ctx: SnsContext, input: GetPlatformApplicationAttributesInput) {
  parsePlatformApplicationArn("PlatformApplicationArn", input.PlatformApplicationArn);
  const app = unwrap(await account(ctx).application(input.PlatformApplicationArn!));
  return { Attributes: app.attributes };
}

export async function setPlatformApplicationAttributes(ctx: SnsContext, input: SetPlatformApplicationAttributesInput) {
  parsePlatformApplicationArn("PlatformApplicationArn", input.PlatformApplicationArn);
  const given = input.Attributes ?? {};
  if (!Object.keys(given).length) fault(attributesMissing());
  const stub = account(ctx);
  // A missing application is reported before anything about the attributes (AWS-recorded).
  unwrap(await stub.application(input.PlatformApplicationArn!));
  const { shown, credentials } = applicationAttributes(given);
  unwrap(await stub.setApplicationAttributes(input.PlatformApplicationArn!, shown, credentials));
  return {};
}

export async function listPlatformApplications(ctx: SnsContext, input: ListPlatformApplicationsInput) {
  const after = Number(pageAfter(input.NextToken, "platform-applications") ?? "0");
  const page = await account(ctx).listApplications(after, PAGE);
  return {
    PlatformApplications: page.items.map((a) => ({ PlatformApplicationArn: a.arn, Attributes: a.attributes })),
    NextToken: page.after !== undefined ? nextToken(String(page.after), "platform-applications") : undefined,
  };
}

/** Endpoint attributes as given, checked: only CustomUserData, Enabled and Token, CustomUserData ≤ 2 KB. */
function endpointAttributes(given: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(given)) {
    if (!ENDPOINT_ATTRIBUTES.has(name)) fault(invalidParameter(`Attributes Reason: Invalid attribute name: ${name}`));
  }
  if (given.CustomUserData !== undefined && utf8.encode(given.CustomUserData).length > MAX_CUSTOM_USER_DATA_BYTES) {
    fault(
      invalidParameter(
        "Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding",
      ),
    );
  }
  checkEnabled(given.Enabled);
  if (given.Token === "") fault(invalidParameter("Attributes Reason: Invalid value for attribute: Token: cannot be empty"));
  return given;
}

export async function createPlatformEndpoint(ctx: SnsContext, input: CreatePlatformEndpointInput) {
  const app = parsePlatformApplicationArn("PlatformApplicationArn", input.PlatformApplicationArn);
  const token = input.Token ?? "";
  if (token === "") fault(invalidParameter("Token Reason: cannot be empty"));
  const requested: Record<string, string> = {};
  // CustomUserData may come as a parameter and as an attribute; the attribute wins (AWS-recorded).
  if (input.CustomUserData !== undefined) requested.CustomUserData = input.CustomUserData;
  const attributes = { ...(input.Attributes ?? {}) };
  delete attributes.Token;
  Object.assign(requested, endpointAttributes(attributes));
  endpointAttributes(requested);
  const arn = platformEndpointArn({ ...app, account: ctx.account, region: ctx.region, id: crypto.randomUUID() });
  const endpointArn = unwrap(await account(ctx).createEndpoint(input.PlatformApplicationArn!, arn, token, requested));
  return { EndpointArn: endpointArn };
}

export async function deleteEndpoint(ctx: SnsContext, input: DeleteEndpointInput) {
  parsePlatformEndpointArn("EndpointArn", input.EndpointArn);
  await account(ctx).deleteEndpoint(input.EndpointArn!);
  return {};
}

export async function getEndpointAttributes(ctx: SnsContext, input: GetEndpointAttributesInput) {
  parsePlatformEndpointArn("EndpointArn", input.EndpointArn);
  const endpoint = unwrap(await account(ctx).endpoint(input.EndpointArn!));
  return { Attributes: endpoint.attributes };
}

export async function setEndpointAttributes(ctx: SnsContext, input: SetEndpointAttributesInput) {
  parsePlatformEndpointArn("EndpointArn", input.EndpointArn);
  const given = input.Attributes ?? {};
  if (!Object.keys(given).length) fault(attributesMissing());
  const changes = endpointAttributes(given);
  unwrap(await account(ctx).setEndpointAttributes(input.EndpointArn!, changes));
  return {};
}

export async function listEndpointsByPlatformApplication(ctx: SnsContext, input: ListEndpointsByPlatformApplicationInput) {
  const arn = input.PlatformApplicationArn ?? "";
  parsePlatformApplicationArn("PlatformApplicationArn", arn);
  const scope = `endpoints:${arn}`;
  const after = Number(pageAfter(input.NextToken, scope) ?? "0");
  const page = unwrap(await account(ctx).listEndpoints(arn, after, PAGE));
  return {
    Endpoints: page.items.map((e) => ({ EndpointArn: e.arn, Attributes: e.attributes })),
    NextToken: page.after !== undefined ? nextToken(String(page.after), scope) : undefined,
  };
}

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
