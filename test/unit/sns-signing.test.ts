import { createHash, createPrivateKey, createPublicKey, sign, verify, X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  canonicalString,
  generateSigningMaterial,
  importSigningKeys,
  signingCertPath,
  signMessage,
  type SignableMessage,
  type SigningKeys,
  type SigningMaterial,
} from "../../src/domain/sns/signing";

// The example notification of the AWS guide (https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html),
// fields in the order SNS delivers them.
const notification = {
  Type: "Notification",
  MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  TopicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic",
  Subject: "My First Message",
  Message: "Hello world!",
  Timestamp: "2012-05-02T00:54:06.655Z",
} as const satisfies SignableMessage;

const confirmation = {
  Type: "SubscriptionConfirmation",
  MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
  Token: "2336412f37",
  TopicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic",
  Message:
    "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
  SubscribeURL:
    "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f37",
  Timestamp: "2012-04-26T20:45:04.751Z",
} as const satisfies SignableMessage;

describe("canonicalString", () => {
  it("signs a notification's fields in AWS's order, with Subject", () => {
    expect(canonicalString(notification)).toBe(
      "Message\nHello world!\n" +
        "MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n" +
        "Subject\nMy First Message\n" +
        "Timestamp\n2012-05-02T00:54:06.655Z\n" +
        "TopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\n" +
        "Type\nNotification\n",
    );
  });

  it("leaves Subject out when the message has none", () => {
    const expected =
      "Message\nHello world!\n" +
      "MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n" +
      "Timestamp\n2012-05-02T00:54:06.655Z\n" +
      "TopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\n" +
      "Type\nNotification\n";
    const { Subject: _subject, ...withoutSubject } = notification;
    expect(canonicalString(withoutSubject)).toBe(expected);
    expect(canonicalString({ ...notification, Subject: null })).toBe(expected);
    expect(canonicalString({ ...notification, Subject: undefined })).toBe(expected);
  });

  it("signs SubscribeURL and Token for a SubscriptionConfirmation", () => {
    expect(canonicalString(confirmation)).toBe(
      `Message\n${confirmation.Message}\n` +
        "MessageId\n165545c9-2a5c-472c-8df2-7ff2be2b3b1b\n" +
        `SubscribeURL\n${confirmation.SubscribeURL}\n` +
        "Timestamp\n2012-04-26T20:45:04.751Z\n" +
        "Token\n2336412f37\n" +
        "TopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\n" +
        "Type\nSubscriptionConfirmation\n",
    );
  });

  it("signs an UnsubscribeConfirmation like a SubscriptionConfirmation", () => {
    const unsubscribe = { ...confirmation, Type: "UnsubscribeConfirmation" } as const;
    expect(canonicalString(unsubscribe)).toBe(
      canonicalString(confirmation).replace("Type\nSubscriptionConfirmation\n", "Type\nUnsubscribeConfirmation\n"),
    );
  });

  it("ignores envelope fields that are not signed, and uses values unescaped", () => {
    const envelope = {
      ...notification,
      Message: 'line 1\nline "2" ✓',
      SignatureVersion: "1",
      UnsubscribeURL: "https://example.com/",
      MessageAttributes: { a: { Type: "String", Value: "b" } },
    };
    expect(canonicalString(envelope)).toBe(canonicalString(notification).replace("Hello world!", 'line 1\nline "2" ✓'));
  });
});

describe("signing material", () => {
  let material: SigningMaterial;
  let cert: X509Certificate;
  let keys: SigningKeys;

  beforeAll(async () => {
    material = await generateSigningMaterial({ now: new Date("2030-06-15T12:00:00.500Z") });
    cert = new X509Certificate(material.certificatePem);
    keys = await importSigningKeys(material);
  });

  it("is a well-formed, correctly self-signed X.509 certificate for an RSA 2048 key", () => {
    expect(material.certificatePem).toMatch(
      /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/,
    );
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.subject).toBe("O=aws-messaging (emulator)\nCN=sns.aws-messaging.local");
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.publicKey.asymmetricKeyType).toBe("rsa");
    expect(cert.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    expect(cert.serialNumber).toMatch(/^[0-9A-F]{32}$/);
    expect(new Date(cert.validFrom).toISOString()).toBe("2030-06-14T12:00:00.000Z");
    // 30 years on is past 2049: encoded as GeneralizedTime, not UTCTime.
    expect(new Date(cert.validTo).toISOString()).toBe("2060-06-07T12:00:00.000Z");
  });

  it("names the certificate by a 32-hex-digit id from its hash", () => {
    expect(material.certId).toBe(createHash("sha256").update(cert.raw).digest("hex").slice(0, 32));
    expect(signingCertPath(material.certId)).toBe(`/SimpleNotificationService-${material.certId}.pem`);
  });

  it("keeps the private key that belongs to the certificate's public key, without a pinned alg", () => {
    expect(material.privateKeyJwk.alg).toBeUndefined();
    const privateKey = createPrivateKey({ key: material.privateKeyJwk as import("node:crypto").JsonWebKey, format: "jwk" });
    const spki = (k: import("node:crypto").KeyObject) => k.export({ type: "spki", format: "der" }).toString("hex");
    expect(spki(createPublicKey(privateKey))).toBe(spki(cert.publicKey));
  });

  it("imports the key once per certificate", () => {
    expect(importSigningKeys(material)).toBe(importSigningKeys(material));
  });

  for (const [version, hash] of [
    ["1", "sha1"],
    ["2", "sha256"],
  ] as const) {
    it(`SignatureVersion ${version} is ${hash.toUpperCase()}withRSA, verifiable with the certificate`, async () => {
      for (const message of [notification, confirmation, { ...confirmation, Type: "UnsubscribeConfirmation" as const }]) {
        const signature = await signMessage(keys, message, version);
        const data = Buffer.from(canonicalString(message), "utf8");
        expect(verify(hash, data, cert.publicKey, Buffer.from(signature, "base64"))).toBe(true);
        // PKCS#1 v1.5 is deterministic: OpenSSL signing the same string gives the same bytes.
        const privateKey = createPrivateKey({ key: material.privateKeyJwk as import("node:crypto").JsonWebKey, format: "jwk" });
        expect(sign(hash, data, privateKey).toString("base64")).toBe(signature);
      }
    });
  }

  it("signatures do not verify for another hash or a changed field", async () => {
    const v1 = Buffer.from(await signMessage(keys, notification, "1"), "base64");
    const data = Buffer.from(canonicalString(notification));
    expect(verify("sha256", data, cert.publicKey, v1)).toBe(false);
    const changed = Buffer.from(canonicalString({ ...notification, Message: "Hello world?" }));
    expect(verify("sha1", changed, cert.publicKey, v1)).toBe(false);
  });
});
