/**
 * CORS around every S3 request (the tagging and bucket settings area's hook in index.ts): a
 * preflight (OPTIONS) is answered here, before authentication, since browsers never sign it and S3
 * answers it unsigned; any other request from an Origin the bucket's rules allow gets the
 * Access-Control-* headers on its answer, error answers included (browsers need them to read the
 * error). Rules and matching: src/services/s3/cors.ts, src/domain/s3/cors.ts.
 */
import { fail, internalError } from "../../domain/errors";
import type { S3ErrorInfo } from "../../domain/s3/errors";
import { answerPreflight, corsHeadersFor } from "../../services/s3/cors";
import { addressOf } from "./detect";
import { idHeaders, s3ErrorResponse, type RequestIds } from "./errors";

export async function withCors(
  request: Request,
  env: Env,
  url: URL,
  ids: RequestIds,
  serve: () => Promise<Response>,
): Promise<Response> {
  const { bucket, key } = addressOf(request.headers, url);
  if (request.method === "OPTIONS") {
    request.body?.cancel().catch(() => {});
    const answer = await answerPreflight(request.headers, env, { bucket, key }).catch((bug: unknown) => {
      console.error("unexpected error while answering a CORS preflight", bug);
      return fail(internalError());
    });
    if (!answer.ok) return s3ErrorResponse(answer.error as S3ErrorInfo, ids, "OPTIONS");
    const headers = new Headers(idHeaders(ids));
    for (const [name, value] of Object.entries(answer.value.headers ?? {})) if (value !== undefined) headers.set(name, value);
    // An empty body of known length: S3 answers `Content-Length: 0`.
    return new Response(new Uint8Array(0), { status: 200, headers });
  }
  const response = await serve();
  if (!request.headers.has("origin")) return response;
  try {
    const cors = await corsHeadersFor(request.method, request.headers, env, bucket);
    for (const [name, value] of Object.entries(cors ?? {})) response.headers.set(name, value);
  } catch (bug) {
    console.error("CORS headers could not be added to an S3 answer", bug);
  }
  return response;
}
