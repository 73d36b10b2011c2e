/**
 * `GET /_aws/sns/deliveries`: what SNS "delivered" to protocols that cannot leave this service
 * (email, email-json, sms, application, firehose, Lambda ARNs), newest last, as JSON.
 *
 * Query parameters: `protocol`, `endpoint`, `topicArn`, `after` (a `seq` seen before, for polling),
 * `limit` (≤ 1000); locally also `account` and `region` (defaults 000000000000 / us-east-1). With
 * signature verification on (ACCESS_KEYS), the request must be signed and shows the caller's account.
 */
import { snsAccountObject } from "../../durable/names";
import { authenticate } from "../../protocol/authenticate";
import { AwsError } from "../../domain/errors";

export async function recordedDeliveries(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const q = url.searchParams;
  let account = q.get("account") ?? "000000000000";
  let region = q.get("region") ?? "us-east-1";
  try {
    const caller = await authenticate(
      { method: request.method, url, headers: request.headers, body: new Uint8Array() },
      env,
      Date.now(),
    );
    if (caller.strict) {
      account = caller.account;
      region = caller.region;
    }
  } catch (error) {
    const e = error instanceof AwsError ? error : undefined;
    return Response.json(
      { error: e?.code ?? "AccessDenied", message: e?.message ?? "Access denied" },
      { status: e?.status ?? 403 },
    );
  }
  const after = Number(q.get("after") ?? "0");
  const limit = Number(q.get("limit") ?? "100");
  const deliveries = await snsAccountObject(env, account, region).recorded({
    protocol: q.get("protocol") ?? undefined,
    endpoint: q.get("endpoint") ?? undefined,
    topicArn: q.get("topicArn") ?? undefined,
    after: Number.isFinite(after) ? after : 0,
    limit: Number.isFinite(limit) ? limit : 100,
  });
  return Response.json({ deliveries });
}
