/**
 * Developer endpoints for what only a phone (or AWS Support) can do on AWS:
 *
 * - `POST /_aws/sns/sms-opt-out?phoneNumber=+15555550100`: the number replies STOP. It joins the
 *   account's opt-out list (CheckIfPhoneNumberIsOptedOut, ListPhoneNumbersOptedOut; OptInPhoneNumber
 *   takes it off again) and SMS to it is no longer delivered. Answers 204.
 * - `POST /_aws/sns/sms-sandbox?inSandbox=true|false`: puts the account into the SMS sandbox or takes it
 *   out (GetSMSSandboxAccountStatus). In the sandbox only verified destination numbers get SMS.
 *   Accounts start outside it here (on AWS new accounts start inside). Answers 204.
 *
 * Locally the `account` and `region` query parameters pick the account (defaults 000000000000 /
 * us-east-1); with signature verification on (ACCESS_KEYS) the request must be signed and acts on the
 * caller's account.
 */
import { snsAccountObject } from "../../durable/names";
import { authenticate } from "../../protocol/authenticate";
import { AwsError } from "../../domain/errors";
import { isE164 } from "./sms";

type Target = { account: string; region: string } | Response;

async function target(request: Request, env: Env): Promise<Target> {
  const url = new URL(request.url);
  const q = url.searchParams;
  try {
    const body = new Uint8Array(await request.arrayBuffer());
    const caller = await authenticate({ method: request.method, url, headers: request.headers, body }, env, Date.now());
    if (caller.strict) return { account: caller.account, region: caller.region };
  } catch (error) {
    const e = error instanceof AwsError ? error : undefined;
    return Response.json(
      { error: e?.code ?? "AccessDenied", message: e?.message ?? "Access denied" },
      { status: e?.status ?? 403 },
    );
  }
  return { account: q.get("account") ?? "000000000000", region: q.get("region") ?? "us-east-1" };
}

const badRequest = (message: string) => Response.json({ error: "InvalidParameter", message }, { status: 400 });

export async function smsOptOut(request: Request, env: Env): Promise<Response> {
  const to = await target(request, env);
  if (to instanceof Response) return to;
  const phoneNumber = new URL(request.url).searchParams.get("phoneNumber") ?? "";
  if (!isE164(phoneNumber)) return badRequest("phoneNumber must be an E.164 phone number, e.g. +15555550100");
  await snsAccountObject(env, to.account, to.region).optOut(phoneNumber);
  return new Response(null, { status: 204 });
}

export async function smsSandbox(request: Request, env: Env): Promise<Response> {
  const to = await target(request, env);
  if (to instanceof Response) return to;
  const value = new URL(request.url).searchParams.get("inSandbox");
  if (value !== "true" && value !== "false") return badRequest("inSandbox must be true or false");
  await snsAccountObject(env, to.account, to.region).setInSandbox(value === "true");
  return new Response(null, { status: 204 });
}
