/**
 * AWS Signature Version 4: who is calling, and (when the deployment has keys) proof that they are.
 *
 * Parsing gives the access key, region and service of the credential scope; the account is the access
 * key itself when it is 12 digits, else 000000000000 (or the account configured for the key).
 * Verification re-signs the request with @smithy/signature-v4, the signer the AWS SDKs themselves use,
 * over exactly the headers the client signed, and compares signatures in constant time.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

export const DEFAULT_ACCOUNT = "000000000000";
export const DEFAULT_REGION = "us-east-1";
/** AWS rejects signatures whose X-Amz-Date is more than 15 minutes away from its clock. */
/** How far a header signature's time may be from ours (most services; Kinesis allows 5 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface Credential {
  accessKeyId: string;
  /** yyyymmdd of the credential scope. */
  date: string;
  region: string;
  service: string;
}

export interface SignedRequestAuth extends Credential {
  signedHeaders: string[];
  signature: string;
  /** Where the signature came from: the Authorization header or a presigned query string. */
  location: "header" | "query";
}

export type AuthParseResult =
  { kind: "none" } | { kind: "malformed"; reason: string } | { kind: "signed"; auth: SignedRequestAuth };

const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

function parseCredential(value: string): Credential | undefined {
  const m = CREDENTIAL.exec(value.trim());
  return m ? { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! } : undefined;
}

/** Reads the signature from the Authorization header or, for presigned URLs, the X-Amz-* query parameters. */
export function parseAuth(headers: Headers, url: URL): AuthParseResult {
  const header = headers.get("authorization");
  if (header) {
    if (!header.startsWith("AWS4-HMAC-SHA256 ")) return { kind: "malformed", reason: "scheme" };
    const fields = new Map<string, string>();
    for (const part of header.slice("AWS4-HMAC-SHA256 ".length).split(",")) {
      const eq = part.indexOf("=");
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    return signedBy(fields.get("Credential"), fields.get("SignedHeaders"), fields.get("Signature"), "header");
  }
  const q = url.searchParams;
  if (q.get("X-Amz-Algorithm") === "AWS4-HMAC-SHA256") {
    return signedBy(q.get("X-Amz-Credential"), q.get("X-Amz-SignedHeaders"), q.get("X-Amz-Signature"), "query");
  }
  return { kind: "none" };
}

function signedBy(
  credentialText: string | null | undefined,
  signedHeaders: string | null | undefined,
  signature: string | null | undefined,
  location: "header" | "query",
): AuthParseResult {
  const credential = parseCredential(credentialText ?? "");
  if (!credential || !signedHeaders || !signature) return { kind: "malformed", reason: "fields" };
  return { kind: "signed", auth: { ...credential, signedHeaders: signedHeaders.split(";"), signature, location } };
}

/** The account an access key acts for when no key store says otherwise. */
export function accountForAccessKey(accessKeyId: string): string {
  return /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;
}

export interface VerifiableRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

export type VerifyResult = { ok: true } | { ok: false; reason: "signature" | "expired" | "date"; detail?: string };

/** Parses `yyyymmddThhmmssZ`. */
export function parseAmzDate(value: string | null): Date | undefined {
  const m = value && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Checks the request's signature with the secret of its access key. */
export async function verifySignature(
  request: VerifiableRequest,
  auth: SignedRequestAuth,
  secretAccessKey: string,
  now: number,
  maxSkewMs = MAX_CLOCK_SKEW_MS,
): Promise<VerifyResult> {
  const amzDate = auth.location === "query" ? request.url.searchParams.get("X-Amz-Date") : request.headers.get("x-amz-date");
  const signingDate = parseAmzDate(amzDate ?? request.headers.get("date"));
  if (!signingDate) return { ok: false, reason: "date" };
  if (auth.location === "header" && Math.abs(now - signingDate.getTime()) > maxSkewMs) {
    return { ok: false, reason: "expired", detail: amzDate ?? undefined };
  }
  if (auth.location === "query") {
    const expires = Number(request.url.searchParams.get("X-Amz-Expires") ?? "0");
    if (now > signingDate.getTime() + expires * 1000) return { ok: false, reason: "expired", detail: amzDate ?? undefined };
  }

  const signedHeaders = new Set(auth.signedHeaders.map((h) => h.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  if (signedHeaders.has("host") && !headers.host) headers.host = request.url.host;
  // The signer trusts an x-amz-content-sha256 header as the payload hash; outside S3 the payload hash
  // is always the body's, so a claimed hash that is not (or UNSIGNED-PAYLOAD) would let a captured
  // signature carry any other body.
  const claimedHash = headers["x-amz-content-sha256"];
  if (claimedHash !== undefined && claimedHash !== (await sha256Hex(request.body))) return { ok: false, reason: "signature" };
  // Presigned URLs carry the session token as a (signed) query parameter, which is rebuilt below.
  const sessionToken =
    auth.location === "query"
      ? (request.url.searchParams.get("X-Amz-Security-Token") ?? undefined)
      : signedHeaders.has("x-amz-security-token")
        ? headers["x-amz-security-token"]
        : undefined;

  const query: Record<string, string | string[]> = {};
  for (const [k, v] of request.url.searchParams) {
    if (auth.location === "query" && k === "X-Amz-Signature") continue;
    const existing = query[k];
    query[k] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
  }

  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey, sessionToken },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const toSign = {
    method: request.method,
    protocol: request.url.protocol,
    hostname: request.url.hostname,
    port: request.url.port ? Number(request.url.port) : undefined,
    path: decodePath(request.url.pathname),
    query,
    headers,
    body: request.body,
  };
  let expected: string | undefined;
  if (auth.location === "header") {
    const signed = await signer.sign(toSign, { signingDate, signableHeaders: signedHeaders });
    expected = /Signature=([0-9a-f]+)/.exec(signed.headers.authorization ?? "")?.[1];
    // A header sent several times reaches us joined with ", " (Fetch `Headers`), while SigV4
    // canonicalises repeats joined with ",". The two cannot be told apart, so try the other reading.
    const rejoined = Object.entries(headers).filter(([, v]) => v.includes(", "));
    if (expected && !constantTimeEqual(expected, auth.signature) && rejoined.length) {
      const alternative = { ...headers };
      for (const [name, value] of rejoined) alternative[name] = value.split(/\s*,\s*/).join(",");
      const resigned = await signer.sign({ ...toSign, headers: alternative }, { signingDate, signableHeaders: signedHeaders });
      expected = /Signature=([0-9a-f]+)/.exec(resigned.headers.authorization ?? "")?.[1];
    }
  } else {
    for (const k of Object.keys(query)) if (k.startsWith("X-Amz-")) delete query[k];
    const presigned = await signer.presign(toSign, {
      signingDate,
      expiresIn: Number(request.url.searchParams.get("X-Amz-Expires") ?? "900"),
      signableHeaders: signedHeaders,
      unhoistableHeaders: new Set(Object.keys(headers)),
    });
    const value = presigned.query?.["X-Amz-Signature"];
    expected = typeof value === "string" ? value : undefined;
  }
  return expected && constantTimeEqual(expected, auth.signature) ? { ok: true } : { ok: false, reason: "signature" };
}

async function sha256Hex(body: Uint8Array): Promise<string> {
  const hash = new Sha256();
  hash.update(body);
  return Array.from(await hash.digest(), (b) => b.toString(16).padStart(2, "0")).join("");
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const encoder = new TextEncoder();

/** Compares without an early exit, so response timing leaks nothing about how much of a signature matched. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
