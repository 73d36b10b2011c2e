/**
 * aws-chunked decoding and SigV4 streaming signatures, against AWS's own worked example
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html: 65 KiB of 'a' in 64 KiB
 * chunks, secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, 20130524T000000Z): the seed signature of
 * the request, each chunk's, any slicing of the body, and what a broken body is answered with.
 */
import { describe, expect, it } from "vitest";
import { AwsChunkedDecoder } from "../../src/protocol/s3/aws-chunked";
import { verifyRequestSignature } from "../../src/protocol/s3/signature";
import type { SignedRequestAuth } from "../../src/protocol/sigv4";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const AMZ_DATE = "20130524T000000Z";
const SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
const CHUNK_SIGNATURES = [
  "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
  "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
  "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
];

const auth: SignedRequestAuth = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  date: "20130524",
  region: "us-east-1",
  service: "s3",
  signedHeaders:
    "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class".split(
      ";",
    ),
  signature: SEED,
  location: "header",
};

function exampleRequest() {
  const headers = new Headers({
    "content-encoding": "aws-chunked",
    "content-length": "66824",
    "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "x-amz-date": AMZ_DATE,
    "x-amz-decoded-content-length": "66560",
    "x-amz-storage-class": "REDUCED_REDUNDANCY",
  });
  const url = new URL("https://s3.amazonaws.com/examplebucket/chunkObject.txt");
  return { method: "PUT", url, headers, host: "s3.amazonaws.com", auth, payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" };
}

const encoder = new TextEncoder();
const a = (n: number) => "a".repeat(n);
const exampleBody = (signatures = CHUNK_SIGNATURES, second = a(1024)) =>
  encoder.encode(
    `10000;chunk-signature=${signatures[0]}\r\n${a(65536)}\r\n` +
      `400;chunk-signature=${signatures[1]}\r\n${second}\r\n` +
      `0;chunk-signature=${signatures[2]}\r\n\r\n`,
  );

/** Feeds `body` in pieces of `slice` bytes; returns the decoded text and the outcome. */
function decode(decoder: AwsChunkedDecoder, body: Uint8Array, slice: number) {
  const out: string[] = [];
  const text = new TextDecoder();
  for (let i = 0; i < body.length; i += slice) {
    const problem = decoder.push(body.subarray(i, i + slice), (v) => out.push(text.decode(v, { stream: true })));
    if (problem) break;
  }
  decoder.end();
  return { data: out.join(""), result: decoder.finish() };
}

const signingOf = () => {
  const verified = verifyRequestSignature(exampleRequest(), AMZ_DATE, SECRET);
  return { verified, signing: { context: verified.context, seed: SEED, accessKeyId: auth.accessKeyId } };
};

describe("SigV4 streaming (AWS's example)", () => {
  it("verifies the example's seed signature", () => {
    expect(signingOf().verified.ok).toBe(true);
  });

  it.each([1, 7, 100, 4096, 65536, 70000, 1 << 20])("decodes and verifies the chunks fed %i bytes at a time", (slice) => {
    const { data, result } = decode(new AwsChunkedDecoder(signingOf().signing, 66560), exampleBody(), slice);
    expect(result.ok).toBe(true);
    expect(data).toBe(a(65536) + a(1024));
  });

  it("refuses a changed chunk or a wrong signature with SignatureDoesNotMatch", () => {
    const tampered = decode(
      new AwsChunkedDecoder(signingOf().signing, 66560),
      exampleBody(CHUNK_SIGNATURES, `b${a(1023)}`),
      4096,
    );
    expect(tampered.result).toMatchObject({ ok: false, error: { code: "SignatureDoesNotMatch", status: 403 } });
    const wrongFinal = [CHUNK_SIGNATURES[0]!, CHUNK_SIGNATURES[1]!, "0".repeat(64)];
    const final = decode(new AwsChunkedDecoder(signingOf().signing, 66560), exampleBody(wrongFinal), 4096);
    expect(final.result).toMatchObject({ ok: false, error: { code: "SignatureDoesNotMatch" } });
  });

  it("refuses a body that stops early with IncompleteBody", () => {
    const body = exampleBody().subarray(0, 30_000);
    const { result } = decode(new AwsChunkedDecoder(signingOf().signing, 66560), body, 4096);
    expect(result).toMatchObject({ ok: false, error: { code: "IncompleteBody", status: 400 } });
  });
});

describe("SigV4 streaming with a signed trailer (AWS's second example)", () => {
  const auth2: SignedRequestAuth = {
    ...auth,
    signedHeaders:
      "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer".split(
        ";",
      ),
    signature: "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
  };
  const mode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
  const signatures = [
    "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
    "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
    "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
  ];
  const trailerSignature = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435";
  const request = () => {
    const headers = new Headers({
      "content-encoding": "aws-chunked",
      "x-amz-content-sha256": mode,
      "x-amz-date": AMZ_DATE,
      "x-amz-decoded-content-length": "66560",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
      "x-amz-trailer": "x-amz-checksum-crc32c",
    });
    const url = new URL("https://s3.amazonaws.com/examplebucket/chunkObject.txt");
    return { method: "PUT", url, headers, host: "s3.amazonaws.com", auth: auth2, payloadHash: mode };
  };
  const body = (trailer = "x-amz-checksum-crc32c:sOO8/Q==", signature = trailerSignature) =>
    encoder.encode(
      `10000;chunk-signature=${signatures[0]}\r\n${a(65536)}\r\n400;chunk-signature=${signatures[1]}\r\n${a(1024)}\r\n` +
        `0;chunk-signature=${signatures[2]}\r\n${trailer}\r\nx-amz-trailer-signature:${signature}\r\n\r\n`,
    );
  const signing = () => {
    const verified = verifyRequestSignature(request(), AMZ_DATE, SECRET);
    expect(verified.ok).toBe(true);
    return { context: verified.context, seed: auth2.signature, accessKeyId: auth.accessKeyId };
  };

  it("verifies the seed, the chunks and the trailer's signature, and reads the trailer", () => {
    const { data, result } = decode(new AwsChunkedDecoder(signing(), 66560), body(), 1000);
    expect(data).toBe(a(65536) + a(1024));
    expect(result.ok && result.value.get("x-amz-checksum-crc32c")).toBe("sOO8/Q==");
  });

  it("refuses a changed trailer or trailer signature", () => {
    expect(decode(new AwsChunkedDecoder(signing(), 66560), body("x-amz-checksum-crc32c:AAAAAA=="), 1000).result).toMatchObject({
      ok: false,
      error: { code: "SignatureDoesNotMatch" },
    });
    expect(decode(new AwsChunkedDecoder(signing(), 66560), body(undefined, "0".repeat(64)), 1000).result).toMatchObject({
      ok: false,
      error: { code: "SignatureDoesNotMatch" },
    });
  });
});

describe("aws-chunked without signatures (STREAMING-UNSIGNED-PAYLOAD-TRAILER)", () => {
  it("decodes the data and reads the trailing checksum", () => {
    const body = encoder.encode("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");
    for (const slice of [1, 3, 64]) {
      const { data, result } = decode(new AwsChunkedDecoder(undefined, 11), body, slice);
      expect(data).toBe("hello world");
      expect(result.ok && result.value.get("x-amz-checksum-crc32")).toBe("DUoRhQ==");
    }
  });

  it.each([
    ["a size that is not hex", "zz\r\nhello\r\n0\r\n\r\n", "InvalidRequest"],
    ["data longer than its size", "3\r\nhello\r\n0\r\n\r\n", "InvalidRequest"],
    ["no final chunk", "5\r\nhello\r\n", "IncompleteBody"],
    ["a trailer line without a colon", "5\r\nhello\r\n0\r\nnonsense\r\n\r\n", "InvalidRequest"],
    ["bytes after the end", "5\r\nhello\r\n0\r\n\r\nextra", "InvalidRequest"],
  ])("answers %s with %s", (_what, text, code) => {
    const { result } = decode(new AwsChunkedDecoder(undefined, undefined), encoder.encode(text), 4);
    expect(result).toMatchObject({ ok: false, error: { code } });
  });

  it("checks x-amz-decoded-content-length", () => {
    const { result } = decode(new AwsChunkedDecoder(undefined, 6), encoder.encode("5\r\nhello\r\n0\r\n\r\n"), 64);
    expect(result).toMatchObject({ ok: false, error: { code: "IncompleteBody" } });
  });
});
