/**
 * CORS: Put/Get/DeleteBucketCors (`?cors`), the preflight (`OPTIONS` on a bucket or key, answered
 * before authentication, since browsers never sign it), and the Access-Control-* headers an actual
 * request from an allowed origin gets. Rules and matching: src/domain/s3/cors.ts. The protocol
 * layer calls `answerPreflight` and `corsHeadersFor` (src/protocol/s3/index.ts, one marked hook).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { CorsRule } from "../../domain/s3/contract";
import { corsDocument, corsResponseHeaders, matchingRule, parseCorsDocument, requestedHeaders } from "../../domain/s3/cors";
import {
  CORS_BUCKET_NOT_FOUND,
  CORS_NOT_ALLOWED,
  CORS_NOT_ENABLED,
  corsForbidden,
  noSuchCorsConfiguration,
  preflightWithoutOrigin,
} from "../../domain/s3/settings-errors";
import { bucketObject } from "../../durable/names";
import { deleteSetting, getSetting, putSetting } from "./settings-context";
import type { S3Request, S3Response } from "./wire";

export async function putBucketCors(request: S3Request): Promise<Result<S3Response>> {
  const document = await request.body.xml();
  if (!document.ok) return document;
  const exists = await getSetting(request, "cors");
  if (!exists.ok) return exists;
  const rules = parseCorsDocument(document.value);
  if (!rules.ok) return rules;
  const stored = await putSetting(request, "cors", rules.value);
  return stored.ok ? ok({}) : stored;
}

export async function getBucketCors(request: S3Request): Promise<Result<S3Response>> {
  const rules = await getSetting<CorsRule[]>(request, "cors");
  if (!rules.ok) return rules;
  if (!rules.value) return fail(noSuchCorsConfiguration(request.bucket!));
  return ok({ xml: corsDocument(rules.value) });
}

export async function deleteBucketCors(request: S3Request): Promise<Result<S3Response>> {
  const deleted = await deleteSetting(request, "cors");
  return deleted.ok ? ok({ status: 204 }) : deleted;
}

/** The addressed resource of a preflight: the bucket, and the key when there is one. */
export interface CorsTarget {
  bucket: string | undefined;
  key: string | undefined;
}

/**
 * A preflight (OPTIONS), as S3 answers it (recorded): no Origin is 400; a bucket that does not
 * exist, or has no CORS configuration, is 403 naming the BUCKET; rules that do not allow the ask
 * are 403 naming what was addressed; a match is 200 with the rule's headers and no body.
 */
export async function answerPreflight(headers: Headers, env: Env, target: CorsTarget): Promise<Result<S3Response>> {
  const origin = headers.get("origin");
  if (origin === null) return fail(preflightWithoutOrigin());
  const askedMethod = headers.get("access-control-request-method");
  const method = askedMethod ?? "OPTIONS";
  if (target.bucket === undefined) return fail(corsForbidden(CORS_BUCKET_NOT_FOUND, method, "BUCKET"));
  const lookup = await bucketObject(env, target.bucket).corsRules();
  if (!lookup.exists) return fail(corsForbidden(CORS_BUCKET_NOT_FOUND, method, "BUCKET"));
  if (!lookup.rules) return fail(corsForbidden(CORS_NOT_ENABLED, method, "BUCKET"));
  const resourceType = target.key === undefined ? "BUCKET" : "OBJECT";
  // Without Access-Control-Request-Method nothing can match (UNVERIFIED: AWS's answer is not recorded).
  const ask = { origin, method, headers: requestedHeaders(headers.get("access-control-request-headers")) };
  const rule = askedMethod === null ? undefined : matchingRule(lookup.rules, ask);
  if (!rule) return fail(corsForbidden(CORS_NOT_ALLOWED, method, resourceType));
  return ok({ headers: corsResponseHeaders(rule, ask), length: 0 });
}

/**
 * The Access-Control-* headers for an actual (non-OPTIONS) request with an Origin, or undefined.
 * S3 checks its method, or the Access-Control-Request-Method it carries, and only the headers it
 * names in Access-Control-Request-Headers, not the ones it sends (recorded).
 */
export async function corsHeadersFor(
  method: string,
  headers: Headers,
  env: Env,
  bucket: string | undefined,
): Promise<Record<string, string> | undefined> {
  const origin = headers.get("origin");
  if (origin === null || bucket === undefined || method === "OPTIONS") return undefined;
  const lookup = await bucketObject(env, bucket).corsRules();
  if (!lookup.exists || !lookup.rules) return undefined;
  const ask = {
    origin,
    method: headers.get("access-control-request-method") ?? method,
    headers: requestedHeaders(headers.get("access-control-request-headers")),
  };
  const rule = matchingRule(lookup.rules, ask);
  return rule ? corsResponseHeaders(rule, ask) : undefined;
}
