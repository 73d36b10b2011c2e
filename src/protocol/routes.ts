/**
 * The services' non-AWS routes (developer helpers under `/_aws/…`, SNS's signing certificate):
 * authenticated like AWS requests when signatures are verified, answered with the handler's JSON or
 * Response, and failures as `{"__type", "message"}` with their status, the JSON error form every
 * AWS JSON service uses.
 */
import { internalError, type ErrorInfo } from "../domain/errors";
import type { Route } from "../services/descriptor";
import { authenticate } from "./authenticate";
import { errorDocument } from "./responses";

const errorJson = (error: ErrorInfo): Response => Response.json(errorDocument(error), { status: error.status ?? 400 });

export async function serveRoute(route: Route, request: Request, env: Env, params: Record<string, string>): Promise<Response> {
  const url = new URL(request.url);
  try {
    let caller;
    if (!route.anonymous) {
      const body = new Uint8Array(await request.arrayBuffer());
      const authenticated = await authenticate({ method: request.method, url, headers: request.headers, body }, env, Date.now());
      if (!authenticated.ok) return errorJson(authenticated.error);
      if (authenticated.value.strict) caller = authenticated.value;
    }
    const result = await route.handle({ env, caller, url, params });
    if (!result.ok) return errorJson(result.error);
    if (result.value instanceof Response) return result.value;
    if (result.value === undefined) return new Response(null, { status: 204 });
    return Response.json(result.value);
  } catch (bug) {
    console.error(`unexpected error in ${route.method} ${route.path}`, bug);
    return errorJson(internalError());
  }
}
