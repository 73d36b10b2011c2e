/**
 * SNS message signatures: what subscribers check with the certificate at SigningCertURL.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 *
 * SNS signs every Notification, SubscriptionConfirmation and UnsubscribeConfirmation it delivers over
 * HTTP/S (and the JSON envelopes of standard topics in SQS): RSASSA-PKCS1-v1_5 over a canonical string,
 * SignatureVersion "1" with SHA-1, "2" with SHA-256, base64 in `Signature`.
 *
 * Pure module: WebCrypto only, so it runs in workerd and in Node tests alike. The key lives in
 * SigningKeyObject (src/durable/signing-key-object.ts), one per deployment.
 */
import { selfSignedCertificate, toPem } from "./certificate";

export type SignatureVersion = "1" | "2";

/** The fields that take part in a signature; other envelope fields (attributes, URLs…) do not. */
export type SignableMessage =
  | {
      Type: "Notification";
      Message: string;
      MessageId: string;
      /** Signed only when present, as in the envelope. */
      Subject?: string | null;
      Timestamp: string;
      TopicArn: string;
    }
  | {
      Type: "SubscriptionConfirmation" | "UnsubscribeConfirmation";
      Message: string;
      MessageId: string;
      SubscribeURL: string;
      Timestamp: string;
      Token: string;
      TopicArn: string;
    };

/** What SigningKeyObject stores: the private key and the certificate for its public key. */
export interface SigningMaterial {
  /** Short hex id of the certificate, named in SigningCertURL: `/SimpleNotificationService-<certId>.pem`. */
  certId: string;
  certificatePem: string;
  /** RSA 2048 private key, without `alg`, so it can be imported for SHA-1 and for SHA-256. */
  privateKeyJwk: JsonWebKey;
}

/** The private key imported once per hash (WebCrypto binds the hash to the key at import). */
export interface SigningKeys {
  certId: string;
  sha1: CryptoKey;
  sha256: CryptoKey;
}

// Key order is fixed by AWS and is alphabetical; a key is signed as "Key\nValue\n".
const NOTIFICATION_KEYS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const CONFIRMATION_KEYS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"] as const;

/** The string SNS signs for a message (the "string to sign" in the AWS guide). */
export function canonicalString(message: SignableMessage): string {
  const keys = message.Type === "Notification" ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  const fields = message as Record<string, string | null | undefined>;
  let out = "";
  for (const key of keys) {
    const value = fields[key];
    if (value !== undefined && value !== null) out += `${key}\n${value}\n`;
  }
  return out;
}

/** The base64 `Signature` of a message for `SignatureVersion` 1 (SHA1withRSA) or 2 (SHA256withRSA). */
export async function signMessage(
  keys: SigningKeys,
  message: SignableMessage,
  signatureVersion: SignatureVersion,
): Promise<string> {
  const key = signatureVersion === "1" ? keys.sha1 : keys.sha256;
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(canonicalString(message)));
  return base64(new Uint8Array(signature));
}

/** Path of the certificate on this service, like AWS's `https://sns.<region>.amazonaws.com/<path>`. */
export const signingCertPath = (certId: string): string => `/SimpleNotificationService-${certId}.pem`;

// Importing an RSA key costs a little; the material never changes for a deployment, so import it once
// per isolate and certificate.
const imported = new Map<string, Promise<SigningKeys>>();

/** Imports the stored private key for SHA-1 and SHA-256 signing; cached per isolate by certId. */
export function importSigningKeys(material: SigningMaterial): Promise<SigningKeys> {
  let keys = imported.get(material.certId);
  if (!keys) {
    const { alg: _alg, ...jwk } = material.privateKeyJwk; // `alg` would pin the key to one hash
    const importFor = (hash: "SHA-1" | "SHA-256") =>
      crypto.subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash }, false, ["sign"]);
    keys = Promise.all([importFor("SHA-1"), importFor("SHA-256")]).then(([sha1, sha256]) => ({
      certId: material.certId,
      sha1,
      sha256,
    }));
    keys.catch(() => imported.delete(material.certId));
    imported.set(material.certId, keys);
  }
  return keys;
}

export interface GenerateOptions {
  /** Defaults to now. The certificate is valid from a day before until 30 years after. */
  now?: Date;
  commonName?: string;
}

/**
 * A new RSA 2048 key pair and a self-signed certificate for it. The name is our own (not
 * sns.amazonaws.com): subscribers that pin AWS's chain of trust cannot be satisfied by any emulator,
 * and those that only check the signature need nothing more.
 */
export async function generateSigningMaterial(options: GenerateOptions = {}): Promise<SigningMaterial> {
  const now = options.now ?? new Date();
  const day = 86_400_000;
  const keys = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const der = await selfSignedCertificate(keys, {
    subject: { commonName: options.commonName ?? "sns.aws-messaging.local", organization: "aws-messaging (emulator)" },
    notBefore: new Date(Math.floor(now.getTime() / 1000) * 1000 - day),
    notAfter: new Date(Math.floor(now.getTime() / 1000) * 1000 + 30 * 365 * day),
  });
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", der));
  const { alg: _alg, ...privateKeyJwk } = (await crypto.subtle.exportKey("jwk", keys.privateKey)) as JsonWebKey;
  return {
    // 32 hex digits, the shape of AWS's ids (SimpleNotificationService-d6d679a1d18e95c2f9ffcf11f4f9e198.pem).
    certId: [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join(""),
    certificatePem: toPem(der),
    privateKeyJwk,
  };
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
