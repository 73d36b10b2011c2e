/**
 * SNS's routes outside the AWS API (served by src/protocol/routes.ts):
 *
 * - `GET /_aws/sns/deliveries`: what SNS "delivered" to protocols that cannot leave this service
 *   (email, email-json, sms, application, Lambda ARNs), newest last, as
 *   `{"deliveries": [...]}`. Query parameters: `protocol`, `endpoint`, `topicArn`, `after` (a `seq`
 *   seen before, for polling), `limit` (≤ 1000).
 * - `POST /_aws/sns/sms-opt-out?phoneNumber=+15555550100`: the number replies STOP. It joins the
 *   account's opt-out list (CheckIfPhoneNumberIsOptedOut, ListPhoneNumbersOptedOut; OptInPhoneNumber
 *   takes it off again) and SMS to it is no longer delivered. Answers 204.
 * - `POST /_aws/sns/sms-sandbox?inSandbox=true|false`: puts the account into the SMS sandbox or takes it
 *   out (GetSMSSandboxAccountStatus). In the sandbox only verified destination numbers get SMS.
 *   Accounts start outside it here (on AWS new accounts start inside). Answers 204.
 * - `GET /SimpleNotificationService-<id>.pem`: the certificate of SigningCertURL (AWS:
 *   https://sns.<region>.amazonaws.com/SimpleNotificationService-<id>.pem), without credentials.
 *
 * Locally the `account` and `region` query parameters pick the account (defaults 000000000000 /
 * us-east-1); with signature verification on (ACCESS_KEYS) the request must be signed and acts on the
 * caller's account.
 */
import { fail, ok } from "../../domain/errors";
import { invalidParameterText } from "../../domain/sns/errors";
import { snsAccountObject } from "../../durable/names";
import { signingMaterial } from "../../durable/signing-keys";
import type { Route, RouteRequest } from "../descriptor";
import { isE164 } from "./sms";

/** The account a developer route acts on: the signed caller's, else the one the query names. */
function accountOf({ env, caller, url }: RouteRequest) {
  const q = url.searchParams;
  const account = caller?.account ?? q.get("account") ?? "000000000000";
  const region = caller?.region ?? q.get("region") ?? "us-east-1";
  return snsAccountObject(env, account, region);
}

function finiteOr(value: string | null, fallback: number): number {
  const n = Number(value ?? fallback);
  return Number.isFinite(n) ? n : fallback;
}

export const developerRoutes: Route[] = [
  {
    method: "GET",
    path: "/_aws/sns/deliveries",
    async handle(request) {
      const q = request.url.searchParams;
      const deliveries = await accountOf(request).recorded({
        protocol: q.get("protocol") ?? undefined,
        endpoint: q.get("endpoint") ?? undefined,
        topicArn: q.get("topicArn") ?? undefined,
        after: finiteOr(q.get("after"), 0),
        limit: finiteOr(q.get("limit"), 100),
      });
      return ok({ deliveries });
    },
  },
  {
    method: "POST",
    path: "/_aws/sns/sms-opt-out",
    async handle(request) {
      const phoneNumber = request.url.searchParams.get("phoneNumber") ?? "";
      if (!isE164(phoneNumber)) return fail(invalidParameterText("phoneNumber must be an E.164 phone number, e.g. +15555550100"));
      await accountOf(request).optOut(phoneNumber);
      return ok(undefined);
    },
  },
  {
    method: "POST",
    path: "/_aws/sns/sms-sandbox",
    async handle(request) {
      const value = request.url.searchParams.get("inSandbox");
      if (value !== "true" && value !== "false") return fail(invalidParameterText("inSandbox must be true or false"));
      await accountOf(request).setInSandbox(value === "true");
      return ok(undefined);
    },
  },
  {
    method: "GET",
    path: "/:file{SimpleNotificationService-[^/]+\\.pem}",
    anonymous: true,
    async handle({ env, params }) {
      const certId = params.file!.slice("SimpleNotificationService-".length, -".pem".length);
      const { certId: current, certificatePem } = await signingMaterial(env);
      if (certId !== current) return ok(new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain" } }));
      return ok(
        new Response(certificatePem, {
          headers: { "content-type": "application/x-pem-file", "cache-control": "public, max-age=86400" },
        }),
      );
    },
  },
];
