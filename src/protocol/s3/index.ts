/**
 * One S3 request, end to end, recognised before its body is read (detect.ts): address it, authorize
 * it, resolve the operation, hand the handler the body as a stream, and write what it answers (an
 * XML document, a byte stream, or S3's error document). Object bodies are never buffered here.
 */
import { fail, internalError, ok, type Result } from "../../domain/errors";
import type { S3ErrorInfo } from "../../domain/s3/errors";
import { invalidBucketOwnerAccountId, notImplemented } from "../../domain/s3/errors";
import type { S3Response, S3Service } from "../../services/s3/wire";
import type { AuthParseResult } from "../sigv4";
import { authorizeS3 } from "./authorize";
import { requestBody } from "./body";
import { withCors } from "./cors-hook";
import { addressOf, hostOf } from "./detect";
import { idHeaders, newRequestIds, s3ErrorResponse, type RequestIds } from "./errors";
import { resolveOperation, targetOf } from "./operations";
import { writeXmlDocument } from "./xml";

export { isS3Request } from "./detect";

export async function handleS3Request(
  request: Request,
  env: Env,
  url: URL,
  auth: AuthParseResult,
  service: S3Service,
): Promise<Response> {
  const ids = newRequestIds();
  // ---- CORS (tagging and bucket settings area): preflights answered before authentication, and
  // Access-Control-* headers on the answers to allowed origins (cors-hook.ts) ----
  return withCors(request, env, url, ids, () => answerS3(request, env, url, auth, service, ids));
}

async function answerS3(
  request: Request,
  env: Env,
  url: URL,
  auth: AuthParseResult,
  service: S3Service,
  ids: RequestIds,
): Promise<Response> {
  const opened: { body?: ReadableStream<Uint8Array> | null } = {};
  let answer: Result<Response>;
  try {
    answer = await serveS3(request, env, url, auth, service, ids, opened);
  } catch (bug) {
    console.error("unexpected error while handling an S3 request", bug);
    answer = fail(internalError());
  }
  if (answer.ok) return answer.value;
  // The body may not have been read: stop reading it (and the pump feeding it from the socket).
  const unread = opened.body === undefined ? request.body : opened.body;
  if (unread && !unread.locked) unread.cancel().catch(() => {});
  return s3ErrorResponse(answer.error as S3ErrorInfo, ids, request.method);
}

async function serveS3(
  request: Request,
  env: Env,
  url: URL,
  auth: AuthParseResult,
  service: S3Service,
  ids: RequestIds,
  opened: { body?: ReadableStream<Uint8Array> | null },
): Promise<Result<Response>> {
  const now = Date.now();
  const host = hostOf(request.headers, url);
  const authorized = authorizeS3(request, url, host, auth, env, now);
  if (!authorized.ok) return authorized;
  const { bucket, key } = addressOf(request.headers, url);
  const operation = resolveOperation(request.method, targetOf(bucket, key), url.searchParams, request.headers);
  if (!operation.ok) return operation;
  const handler = service.operations[operation.value];
  if (!handler) return fail(notImplemented());
  const expectedOwner = request.headers.get("x-amz-expected-bucket-owner");
  if (expectedOwner !== null && !/^\d{12}$/.test(expectedOwner)) return fail(invalidBucketOwnerAccountId(expectedOwner));
  const signing = authorized.value.signing
    ? { ...authorized.value.signing, accessKeyId: authorized.value.caller.accessKeyId }
    : undefined;
  const body = requestBody(request, signing);
  if (!body.ok) return body;
  opened.body = body.value.stream;
  const answer = await handler({
    operation: operation.value,
    method: request.method,
    bucket,
    key,
    query: url.searchParams,
    headers: request.headers,
    body: body.value,
    caller: authorized.value.caller,
    env,
    url,
    requestId: ids.requestId,
    hostId: ids.hostId, // [event notifications: added]
    now,
  });
  return answer.ok ? ok(toResponse(answer.value, ids, request.method)) : answer;
}

function toResponse(answer: S3Response, ids: RequestIds, method: string): Response {
  const headers = new Headers(idHeaders(ids));
  for (const [name, value] of Object.entries(answer.headers ?? {})) if (value !== undefined) headers.set(name, value);
  const status = answer.status ?? 200;
  if (answer.xml) {
    headers.set("content-type", "application/xml");
    return new Response(method === "HEAD" ? null : writeXmlDocument(answer.xml), { status, headers });
  }
  if (answer.length !== undefined) headers.set("content-length", String(answer.length));
  if (!answer.body) return new Response(null, { status, headers });
  if (answer.length === undefined) return new Response(answer.body, { status, headers });
  // A known length goes on the wire as Content-Length, not chunked transfer encoding.
  const fixed = new FixedLengthStream(answer.length);
  answer.body.pipeTo(fixed.writable).catch(() => {});
  return new Response(fixed.readable, { status, headers });
}
