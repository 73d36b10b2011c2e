/**
 * Which service, wire protocol and operation a request is.
 * - `X-Amz-Target: AmazonSQS.<Action>`: AWS JSON 1.0 (every current SDK).
 * - `X-Amz-Target: Kinesis_20131202.<Action>`: AWS JSON 1.1, or AWS CBOR 1.1 when the content type is
 *   `application/x-amz-cbor-1.1` (the Java SDK's default). Whether the service speaks CBOR is the
 *   dispatcher's call (services without it keep treating such a body as JSON).
 * - Otherwise the AWS query protocol: `Action=` in the form body or the query string, to `/` or to a
 *   queue URL path (`/<account>/<queue>`), whose queue then stands in for a missing QueueUrl.
 */
import { fail, ok, type Result } from "../domain/errors";
import { queuePath } from "../domain/sqs/queue-names";
import type { CodecErrors } from "../services/descriptor";
import { CBOR_CONTENT_TYPE } from "./cbor";
import { parseForm, type QueryParams } from "./query";

export type Detected =
  | { protocol: "json" | "cbor"; targetPrefix: string; operation: string }
  | { protocol: "query"; operation: string | undefined; params: QueryParams; version: string | undefined };

/** `errors`: the wording of the service the request most likely is for (see dispatch.ts). */
export function detect(headers: Headers, url: URL, body: Uint8Array, errors: CodecErrors): Result<Detected> {
  const target = headers.get("x-amz-target");
  if (target) {
    const dot = target.lastIndexOf(".");
    const protocol = mediaType(headers) === CBOR_CONTENT_TYPE ? "cbor" : "json";
    return ok({ protocol, targetPrefix: target.slice(0, dot), operation: target.slice(dot + 1) });
  }
  const params: QueryParams = new Map();
  const fromUrl = parseForm(url.search.slice(1), params, errors);
  if (!fromUrl.ok) return fromUrl;
  const type = headers.get("content-type") ?? "";
  if (body.length && (type === "" || type.startsWith("application/x-www-form-urlencoded"))) {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      return fail(errors.malformed("The request body is not valid UTF-8."));
    }
    const fromBody = parseForm(text, params, errors);
    if (!fromBody.ok) return fromBody;
  }
  // Sent to a queue URL, the path names the queue unless a QueueUrl parameter says otherwise
  // (LocalStack's AWS-validated test_get_send_and_receive_messages, test_overwrite_queue_url_in_params).
  if (!params.has("QueueUrl") && queuePath(url.pathname)) params.set("QueueUrl", `${url.origin}${url.pathname}`);
  return ok({ protocol: "query", operation: params.get("Action"), params, version: params.get("Version") });
}

/** The request's media type without parameters, e.g. `application/x-amz-json-1.1` (lower case). */
export function mediaType(headers: Headers): string {
  return (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}
