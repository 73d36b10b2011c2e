import { env } from "cloudflare:workers";
import { runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SigningKeyObject } from "../../src/durable/signing-key-object";
import { signingKeyObject } from "../../src/durable/names";
import { canonicalString, importSigningKeys, signMessage, type SignableMessage } from "../../src/domain/sns/signing";

const stub = (name: string) => env.SIGNING.getByName(name) as DurableObjectStub<SigningKeyObject>;

const message: SignableMessage = {
  Type: "Notification",
  MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  TopicArn: "arn:aws:sns:us-east-1:000000000000:MyTopic",
  Message: "Hello world!",
  Timestamp: "2012-05-02T00:54:06.655Z",
};

describe("SigningKeyObject", () => {
  it("creates the key and certificate once and returns the same material afterwards", async () => {
    const signing = stub("stable");
    const first = await signing.material();
    expect(first.certId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    expect(first.privateKeyJwk).toMatchObject({ kty: "RSA" });
    expect(await signing.material()).toEqual(first);
    // Stored, not just held in memory: one row, holding what was returned.
    const rows = await runInDurableObject(signing, (_instance, state) =>
      state.storage.sql
        .exec<{ cert_id: string; certificate_pem: string }>("SELECT cert_id, certificate_pem FROM signing_key")
        .toArray(),
    );
    expect(rows).toEqual([{ cert_id: first.certId, certificate_pem: first.certificatePem }]);
  });

  it("gives concurrent first callers one key", async () => {
    const signing = stub("concurrent");
    const all = await Promise.all([signing.material(), signing.material(), signing.material()]);
    expect(new Set(all.map((m) => m.certId)).size).toBe(1);
  });

  it("signs in workerd with SHA-1 (v1) and SHA-256 (v2), verifiable with the public key", async () => {
    const material = await stub("workerd-sign").material();
    const keys = await importSigningKeys(material);
    const { kty, n, e } = material.privateKeyJwk;
    for (const [version, hash] of [
      ["1", "SHA-1"],
      ["2", "SHA-256"],
    ] as const) {
      const publicKey = await crypto.subtle.importKey("jwk", { kty, n, e }, { name: "RSASSA-PKCS1-v1_5", hash }, false, [
        "verify",
      ]);
      const signature = Uint8Array.from(atob(await signMessage(keys, message, version)), (c) => c.charCodeAt(0));
      const data = new TextEncoder().encode(canonicalString(message));
      expect(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", publicKey, signature, data)).toBe(true);
    }
  });

  it("serves the deployment's certificate at /SimpleNotificationService-<certId>.pem, 404 for another id", async () => {
    const { certId, certificatePem } = await signingKeyObject(env).material();
    const response = await SELF.fetch(`http://localhost/SimpleNotificationService-${certId}.pem`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-pem-file");
    // Not .text(): workerd warns about reading a non-text content type as text.
    expect(new TextDecoder().decode(await response.arrayBuffer())).toBe(certificatePem);
    const other = await SELF.fetch("http://localhost/SimpleNotificationService-d6d679a1d18e95c2f9ffcf11f4f9e198.pem");
    expect(other.status).toBe(404);
    await other.arrayBuffer();
  });
});
