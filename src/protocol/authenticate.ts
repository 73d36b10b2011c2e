/**
 * Who is calling. Without configured keys (local use) any credentials are accepted and only read for
 * the account and region. With the `ACCESS_KEYS` secret set (hosted sandbox), every request must be
 * signed with one of those keys, and a key acts for its configured account.
 *
 * ACCESS_KEYS is JSON: {"<access key id>": {"secretAccessKey": "...", "accountId": "123456789012"}}.
 */
import type { Caller } from "../domain/caller";
import { fail, ok, type ErrorInfo, type Result } from "../domain/errors";
import {
  accountForAccessKey,
  DEFAULT_REGION,
  MAX_CLOCK_SKEW_MS,
  parseAmzDate,
  parseAuth,
  verifySignature,
  type AuthParseResult,
  type VerifiableRequest,
} from "./sigv4";

interface KeyEntry {
  secretAccessKey: string;
  accountId?: string;
}

let cachedKeys: { source: string; keys: Map<string, KeyEntry> } | undefined;

function keyStore(env: Env): Map<string, KeyEntry> | undefined {
  const source = (env as { ACCESS_KEYS?: string }).ACCESS_KEYS;
  if (!source?.trim()) return undefined;
  if (cachedKeys?.source !== source) {
    const parsed = JSON.parse(source) as Record<string, KeyEntry>;
    cachedKeys = { source, keys: new Map(Object.entries(parsed)) };
  }
  return cachedKeys.keys;
}

/** The configured key of an access key id (S3 verifies its own way: src/protocol/s3/authorize.ts). */
export const accessKeyEntry = (env: Env, accessKeyId: string): KeyEntry | undefined => keyStore(env)?.get(accessKeyId);

/** Whether this deployment verifies signatures (the `ACCESS_KEYS` secret is set). */
export const signaturesRequired = (env: Env): boolean => keyStore(env) !== undefined;

const authError = (code: string, status: number, message: string): Result<never> =>
  fail({ code, status, message } satisfies ErrorInfo);

const formatAmzDate = (t: number) =>
  new Date(t)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

export interface AuthOptions {
  /** The operation may be called without credentials (SNS's SubscribeURL and UnsubscribeURL links). */
  allowAnonymous?: boolean;
  /** The service's allowed clock skew for header signatures (default 15 minutes). */
  maxSkewMs?: number;
}

export async function authenticate(
  request: VerifiableRequest & { auth?: AuthParseResult },
  env: Env,
  now: number,
  options: AuthOptions = {},
): Promise<Result<Caller>> {
  const { allowAnonymous = false, maxSkewMs = MAX_CLOCK_SKEW_MS } = options;
  const parsed = request.auth ?? parseAuth(request.headers, request.url);
  const keys = keyStore(env);
  if (parsed.kind === "none" && allowAnonymous) {
    return ok({
      accessKeyId: "anonymous",
      account: accountForAccessKey(""),
      region: DEFAULT_REGION,
      strict: keys !== undefined,
      anonymous: true,
    });
  }
  if (!keys) {
    if (parsed.kind !== "signed") {
      return ok({ accessKeyId: "anonymous", account: accountForAccessKey(""), region: DEFAULT_REGION, strict: false });
    }
    const { accessKeyId, region, service } = parsed.auth;
    return ok({ accessKeyId, account: accountForAccessKey(accessKeyId), region, service, strict: false });
  }
  if (parsed.kind === "none") {
    return authError(
      "MissingAuthenticationToken",
      403,
      "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.",
    );
  }
  if (parsed.kind === "malformed") {
    return authError("IncompleteSignature", 400, "The request signature does not conform to AWS standards.");
  }
  const { auth } = parsed;
  const key = keys.get(auth.accessKeyId);
  if (!key) return authError("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
  const result = await verifySignature(request, auth, key.secretAccessKey, now, maxSkewMs);
  if (!result.ok) {
    if (result.reason === "expired") {
      const signed = parseAmzDate(result.detail ?? null)?.getTime() ?? now;
      const minutes = Math.round(maxSkewMs / 60_000);
      const message =
        signed < now
          ? `Signature expired: ${result.detail} is now earlier than ${formatAmzDate(now - maxSkewMs)} (${formatAmzDate(now)} - ${minutes} min.)`
          : `Signature not yet current: ${result.detail} is still later than ${formatAmzDate(now + maxSkewMs)} (${formatAmzDate(now)} + ${minutes} min.)`;
      return authError("SignatureDoesNotMatch", 403, message);
    }
    if (result.reason === "date") {
      return authError(
        "IncompleteSignature",
        400,
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    }
    return authError(
      "SignatureDoesNotMatch",
      403,
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return ok({
    accessKeyId: auth.accessKeyId,
    account: key.accountId ?? accountForAccessKey(auth.accessKeyId),
    region: auth.region,
    service: auth.service,
    strict: true,
  });
}
