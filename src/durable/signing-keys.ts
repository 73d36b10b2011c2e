/**
 * The deployment's signing key as the Worker uses it: fetched once per isolate from SigningKeyObject,
 * and imported for both signature versions.
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
