/**
 * Who is calling. Without configured keys (local use) any credentials are accepted and only read for
 * the account and region. With the `ACCESS_KEYS` secret set (hosted sandbox), every request must be
 * signed with one of those keys, and a key acts for its configured account.
 *
 * ACCESS_KEYS is JSON: {"<access key id>": {"secretAccessKey": "...", "accountId": "123456789012"}}.
 */
import { AwsError } from "../domain/errors";
import {
  accountForAccessKey,
  DEFAULT_REGION,
  MAX_CLOCK_SKEW_MS,
  parseAmzDate,
  parseAuth,
  verifySignature,
  type VerifiableRequest,
} from "./sigv4";

export interface Caller {
  accessKeyId: string;
  account: string;
  region: string;
  /** The credential scope's service name (`sqs`, `sns`, `kinesis`), when signed. */
  service?: string;
  /** Whether signatures are being verified (accounts isolated). */
  strict: boolean;
  /** The request carried no credentials at all. */
  anonymous?: boolean;
}

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

/** Whether this deployment verifies signatures (the `ACCESS_KEYS` secret is set). */
export const signaturesRequired = (env: Env): boolean => keyStore(env) !== undefined;

const authError = (code: string, status: number, message: string) => new AwsError({ code, status, message });

const formatAmzDate = (t: number) =>
  new Date(t)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/**
 * `allowAnonymous`: the operation may be called without credentials (SNS's SubscribeURL and
 * UnsubscribeURL links); the resource then says which account it belongs to.
 */
export async function authenticate(request: VerifiableRequest, env: Env, now: number, allowAnonymous = false): Promise<Caller> {
  const parsed = parseAuth(request.headers, request.url);
  const keys = keyStore(env);
  if (parsed.kind === "none" && allowAnonymous) {
    return {
      accessKeyId: "anonymous",
      account: accountForAccessKey(""),
      region: DEFAULT_REGION,
      strict: keys !== undefined,
      anonymous: true,
    };
  }
  if (!keys) {
    if (parsed.kind !== "signed") {
      return { accessKeyId: "anonymous", account: accountForAccessKey(""), region: DEFAULT_REGION, strict: false };
    }
    const { accessKeyId, region, service } = parsed.auth;
    return { accessKeyId, account: accountForAccessKey(accessKeyId), region, service, strict: false };
  }
  if (parsed.kind === "none") {
    throw authError(
      "MissingAuthenticationToken",
      403,
      "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.",
    );
  }
  if (parsed.kind === "malformed") {
    throw authError("IncompleteSignature", 400, "The request signature does not conform to AWS standards.");
  }
  const { auth } = parsed;
  const key = keys.get(auth.accessKeyId);
  if (!key) throw authError("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
  const result = await verifySignature(request, auth, key.secretAccessKey, now);
  if (!result.ok) {
    if (result.reason === "expired") {
      const signed = parseAmzDate(result.detail ?? null)?.getTime() ?? now;
      const message =
        signed < now
          ? `Signature expired: ${result.detail} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`
          : `Signature not yet current: ${result.detail} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`;
      throw authError("SignatureDoesNotMatch", 403, message);
    }
    if (result.reason === "date") {
      throw authError(
        "IncompleteSignature",
        400,
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    }
    throw authError(
      "SignatureDoesNotMatch",
      403,
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return {
    accessKeyId: auth.accessKeyId,
    account: key.accountId ?? accountForAccessKey(auth.accessKeyId),
    region: auth.region,
    service: auth.service,
    strict: true,
  };
}
