/**
 * The deployment's signing key as the Worker uses it: fetched once per isolate from SigningKeyObject,
 * imported for both signature versions, and its certificate served at SigningCertURL.
 */
import { signingKeyObject } from "./names";
import { importSigningKeys, signingCertPath, type SigningKeys, type SigningMaterial } from "../domain/sns/signing";

export { signingCertPath };

// The material never changes once made, so one RPC per isolate is enough.
let material: Promise<SigningMaterial> | undefined;

export function signingMaterial(env: Env): Promise<SigningMaterial> {
  if (!material) {
    const pending = signingKeyObject(env).material();
    pending.catch(() => {
      if (material === pending) material = undefined; // retry on the next call
    });
    material = pending;
  }
  return material;
}

/** Keys to pass to `signMessage`; `keys.certId` names the certificate for SigningCertURL. */
export async function signingKeys(env: Env): Promise<SigningKeys> {
  return importSigningKeys(await signingMaterial(env));
}

/** `GET /SimpleNotificationService-<certId>.pem`: the certificate, or 404 for any other id. */
export async function certificateResponse(env: Env, certId: string): Promise<Response> {
  const { certId: current, certificatePem } = await signingMaterial(env);
  if (certId !== current) return new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain" } });
  return new Response(certificatePem, {
    headers: { "content-type": "application/x-pem-file", "cache-control": "public, max-age=86400" },
  });
}
