/**
 * Who an S3 request is from. Locally any credentials are accepted and only read for the account and
 * region (presigned URLs still expire, as on AWS). With ACCESS_KEYS set, the header or presigned
 * signature is verified (signature.ts) and the signing context is returned for the body's chunk
 * signatures. Failures are S3's own errors (AccessDenied, SignatureDoesNotMatch, …), not the
 * query services' wording.
 */
import type { Caller } from "../../domain/caller";
import { fail, ok, type Result } from "../../domain/errors";
import {
  accessDenied,
  authorizationHeaderMalformed,
  authorizationQueryParametersError,
  invalidAccessKeyId,
  requestExpired,
  requestTimeTooSkewed,
  s3Error,
  signatureDoesNotMatch,
} from "../../domain/s3/errors";
import { accessKeyEntry, signaturesRequired } from "../authenticate";
import { accountForAccessKey, DEFAULT_REGION, MAX_CLOCK_SKEW_MS, parseAmzDate, type AuthParseResult } from "../sigv4";
import { verifyRequestSignature, type SigningContext } from "./signature";

export interface Authorized {
  caller: Caller;
  /** Strict mode, signed: signs the body's chunks. */
  signing?: { context: SigningContext; seed: string };
}

const isoSeconds = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");

export function authorizeS3(
  request: Request,
  url: URL,
  host: string,
  auth: AuthParseResult,
  env: Env,
  now: number,
): Result<Authorized> {
  const strict = signaturesRequired(env);
  if (auth.kind === "malformed") {
    if (!strict) return ok({ caller: anonymous(false) });
    return fail(url.searchParams.has("X-Amz-Credential") ? authorizationQueryParametersError() : authorizationHeaderMalformed());
  }
  if (auth.kind === "none") return strict ? fail(accessDenied()) : ok({ caller: anonymous(false) });
  const signed = auth.auth;

  const amzDate =
    signed.location === "query"
      ? url.searchParams.get("X-Amz-Date")
      : (request.headers.get("x-amz-date") ?? request.headers.get("date"));
  const signingDate = parseAmzDate(amzDate) ?? (amzDate ? new Date(amzDate) : undefined);
  if (signed.location === "query") {
    const expires = Number(url.searchParams.get("X-Amz-Expires"));
    if (!signingDate || !Number.isFinite(signingDate.getTime()) || !Number.isInteger(expires)) {
      return fail(authorizationQueryParametersError());
    }
    const expiresAt = signingDate.getTime() + expires * 1000;
    if (now > expiresAt) return fail(requestExpired(String(expires), isoSeconds(expiresAt), isoSeconds(now)));
  }
  const entry = strict ? accessKeyEntry(env, signed.accessKeyId) : undefined;
  const caller: Caller = {
    accessKeyId: signed.accessKeyId,
    account: entry?.accountId ?? accountForAccessKey(signed.accessKeyId),
    region: signed.region,
    service: signed.service,
    strict,
  };
  if (!strict) return ok({ caller });
  if (!entry) return fail(invalidAccessKeyId(signed.accessKeyId));
  if (!signingDate || !Number.isFinite(signingDate.getTime())) {
    return fail(s3Error("AccessDenied", 403, "AWS authentication requires a valid Date or x-amz-date header"));
  }
  if (signed.location === "header" && Math.abs(now - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return fail(requestTimeTooSkewed(amzDate ?? "", isoSeconds(now)));
  }
  const payloadHash =
    signed.location === "query"
      ? (url.searchParams.get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD")
      : request.headers.get("x-amz-content-sha256");
  if (payloadHash === null) {
    return fail(s3Error("InvalidRequest", 400, "Missing required header for this request: x-amz-content-sha256"));
  }
  const verified = verifyRequestSignature(
    { method: request.method, url, headers: request.headers, host, auth: signed, payloadHash },
    amzDate!,
    entry.secretAccessKey,
  );
  if (!verified.ok) {
    return fail(
      s3Error("SignatureDoesNotMatch", 403, signatureDoesNotMatch(signed.accessKeyId).message, {
        AWSAccessKeyId: signed.accessKeyId,
        StringToSign: verified.stringToSign,
        SignatureProvided: signed.signature,
        CanonicalRequest: verified.canonical,
      }),
    );
  }
  return ok({ caller, signing: { context: verified.context, seed: signed.signature } });
}

const anonymous = (strict: boolean): Caller => ({
  accessKeyId: "anonymous",
  account: accountForAccessKey(""),
  region: DEFAULT_REGION,
  strict,
  anonymous: true,
});
