/**
 * A self-signed X.509 certificate for SNS's message-signing key, built with WebCrypto and a minimal
 * DER encoder.
 *
 * Why hand-written DER and not a library: we build exactly one kind of certificate and never parse one,
 * and the encoder below is about fifty lines. The candidates were heavy for that:
 * - @peculiar/x509 pulls in eleven @peculiar/asn1-* packages, tslib and tsyringe. tsyringe needs the
 *   `reflect-metadata` polyfill loaded globally before it runs, which is awkward inside workerd.
 * - pkijs + asn1js is a full PKI toolkit and would cost hundreds of KB of bundle for this one use.
 * The result is checked in test/unit/sns-signing.test.ts with Node's `crypto.X509Certificate`: the DER
 * parses, and the certificate's self-signature verifies against its own public key.
 *
 * Layout (RFC 5280 §4.1):
 *   Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { serialNumber, signature, issuer, validity, subject,
 *                                 subjectPublicKeyInfo }   (v1: no [0] version, no [3] extensions)
 */
import { concatBytes } from "@noble/hashes/utils.js";

// --- DER (ITU-T X.690): tag, definite length, contents ----------------------------------------------

function der(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((n, c) => n + c.length, 0);
  // Short form below 128; otherwise 0x80 | count, then the length in big-endian bytes.
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    for (let n = length; n > 0; n = Math.floor(n / 256)) lengthBytes.unshift(n % 256);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  return concatBytes(Uint8Array.of(tag, ...lengthBytes), ...contents);
}

const sequence = (...items: Uint8Array[]) => der(0x30, ...items);
const set = (...items: Uint8Array[]) => der(0x31, ...items);
const nullValue = () => der(0x05);
const utf8String = (text: string) => der(0x0c, new TextEncoder().encode(text));
/** BIT STRING with no unused bits (the first content byte counts unused bits in the last byte). */
const bitString = (bytes: Uint8Array) => der(0x03, Uint8Array.of(0), bytes);

/** A non-negative INTEGER from big-endian bytes: minimal, with a 0x00 prefix if the top bit is set. */
function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return der(0x02, trimmed[0]! & 0x80 ? concatBytes(Uint8Array.of(0), trimmed) : trimmed);
}

function objectIdentifier(dotted: string): Uint8Array {
  const [first, second, ...rest] = dotted.split(".").map(Number);
  const out: number[] = [first! * 40 + second!];
  for (const arc of rest) {
    // Base 128, most significant group first, high bit set on all but the last group.
    const groups = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) groups.unshift((n & 0x7f) | 0x80);
    out.push(...groups);
  }
  return der(0x06, Uint8Array.from(out));
}

/** RFC 5280 §4.1.2.5: UTCTime (YYMMDDHHMMSSZ) through 2049, GeneralizedTime (YYYYMMDDHHMMSSZ) after. */
function time(date: Date): Uint8Array {
  const digits = date
    .toISOString()
    .replace(/\.\d{3}/, "")
    .replace(/[-:T]/g, ""); // YYYYMMDDHHMMSSZ
  return date.getUTCFullYear() < 2050
    ? der(0x17, new TextEncoder().encode(digits.slice(2)))
    : der(0x18, new TextEncoder().encode(digits));
}

// --- The certificate ------------------------------------------------------------------------------------

const OID = {
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  commonName: "2.5.4.3",
  organizationName: "2.5.4.10",
};

export interface CertificateSubject {
  commonName: string;
  organization: string;
}

export interface CertificateOptions {
  subject: CertificateSubject;
  notBefore: Date;
  notAfter: Date;
}

/**
 * Builds and self-signs a certificate for an RSA key pair whose private key was generated or imported
 * for RSASSA-PKCS1-v1_5 with SHA-256. Returns the DER bytes.
 */
export async function selfSignedCertificate(keys: CryptoKeyPair, options: CertificateOptions): Promise<Uint8Array> {
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", keys.publicKey)) as ArrayBuffer);
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and exactly 16 bytes (RFC 5280: at most 20)
  const algorithm = sequence(objectIdentifier(OID.sha256WithRSAEncryption), nullValue());
  const name = sequence(
    set(sequence(objectIdentifier(OID.organizationName), utf8String(options.subject.organization))),
    set(sequence(objectIdentifier(OID.commonName), utf8String(options.subject.commonName))),
  );
  // No version field (DER omits the DEFAULT v1) and no extensions (RFC 5280 §4.1.2.1: v1 when there are
  // none). The one a signing certificate would carry, keyUsage digitalSignature, makes OpenSSL stop
  // treating it as self-issued (X509_check_issued wants keyCertSign), which breaks anyone who pins it
  // as a trust anchor; verifiers only need the public key.
  const tbs = sequence(
    unsignedInteger(serial),
    algorithm,
    name, // issuer = subject: self-signed
    sequence(time(options.notBefore), time(options.notAfter)),
    name,
    spki, // SubjectPublicKeyInfo, already DER from WebCrypto
  );
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", keys.privateKey, tbs));
  return sequence(tbs, algorithm, bitString(signature));
}

/** PEM armour (RFC 7468): base64 in 64-character lines. */
export function toPem(derBytes: Uint8Array, label = "CERTIFICATE"): string {
  let binary = "";
  for (const b of derBytes) binary += String.fromCharCode(b);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
