/** STUB (being written): sends one HTTP delivery request. */
import type { HttpDeliveryRequest } from "../../domain/firehose/http-delivery";

export async function sendHttpDelivery(
  request: HttpDeliveryRequest,
  timeoutMs: number,
): Promise<{ status: number; body: string } | { error: string; code?: string }> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (e) {
    return { error: String(e) };
  }
}
