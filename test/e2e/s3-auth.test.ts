/**
 * S3 with signatures verified (a second Worker with the ACCESS_KEYS secret): the default SDK's
 * signed requests and aws-chunked bodies, signed chunk chains (a changed chunk is refused and
 * nothing is stored), presigned GET and PUT URLs through plain fetch, expiry, and the isolation of
 * accounts (bucket names are global; another account's bucket is AccessDenied).
 */
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness } from "wrangler";
import { crc32 } from "node:zlib";
import {
  canonicalRequest,
  chunkSignature,
  sha256Hex,
  sign,
  signingKey,
  stringToSign,
  trailerSignature,
} from "../../src/protocol/s3/signature";
import { bucketName, s3, s3Error } from "./s3-clients";

const ALPHA = { accessKeyId: "AKIAS3ALPHA000000001", secretAccessKey: "alpha/s3+secret", account: "111111111111" };
const BETA = { accessKeyId: "AKIAS3BETA0000000002", secretAccessKey: "beta/s3+secret", account: "222222222222" };
const ACCESS_KEYS = JSON.stringify({
  [ALPHA.accessKeyId]: { secretAccessKey: ALPHA.secretAccessKey, accountId: ALPHA.account },
  [BETA.accessKeyId]: { secretAccessKey: BETA.secretAccessKey, accountId: BETA.account },
});

let server: ReturnType<typeof createTestHarness>;
let strictEndpoint: string;

beforeAll(async () => {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  server = createTestHarness({ workers: [{ configPath: "./wrangler.toml", secrets: { ACCESS_KEYS } }] });
  strictEndpoint = (await server.listen()).url.origin;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const clientFor = (key: { accessKeyId: string; secretAccessKey: string }) =>
  new s3.S3Client({
    endpoint: strictEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    forcePathStyle: true,
    maxAttempts: 1,
  });

describe("S3 with signatures verified", () => {
  it("serves the default SDK's signed requests and bodies", async () => {
    const client = clientFor(ALPHA);
    const Bucket = bucketName("strict");
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    await client.send(new s3.PutObjectCommand({ Bucket, Key: "dir/a key+with space.txt", Body: "signed body" }));
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "dir/a key+with space.txt" }));
    expect(await got.Body!.transformToString()).toBe("signed body");
    const list = await client.send(new s3.ListBucketsCommand({}));
    expect(list.Buckets!.map((b) => b.Name)).toContain(Bucket);
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "dir/a key+with space.txt" }));
    await client.send(new s3.DeleteBucketCommand({ Bucket }));
  });

  it("refuses a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId", async () => {
    const wrong = await s3Error(() => clientFor({ ...ALPHA, secretAccessKey: "nope" }).send(new s3.ListBucketsCommand({})));
    expect(wrong).toMatchObject({
      name: "SignatureDoesNotMatch",
      status: 403,
      message:
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    });
    const unknown = await s3Error(() =>
      clientFor({ accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" }).send(new s3.ListBucketsCommand({})),
    );
    expect(unknown).toMatchObject({ name: "InvalidAccessKeyId", status: 403 });
    const anonymous = await fetch(`${strictEndpoint}/`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain("<Code>AccessDenied</Code>");
  });

  it("serves presigned GET and PUT URLs through plain fetch, and refuses expired ones", async () => {
    const client = clientFor(ALPHA);
    const Bucket = bucketName("presign");
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    const putUrl = await getSignedUrl(client, new s3.PutObjectCommand({ Bucket, Key: "p.txt" }), { expiresIn: 300 });
    const put = await fetch(putUrl, { method: "PUT", body: "presigned put" });
    expect(put.status).toBe(200);
    const getUrl = await getSignedUrl(client, new s3.GetObjectCommand({ Bucket, Key: "p.txt" }), { expiresIn: 300 });
    const get = await fetch(getUrl);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe("presigned put");
    const tampered = await fetch(getUrl.replace("p.txt", "q.txt"));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    const old = await getSignedUrl(client, new s3.GetObjectCommand({ Bucket, Key: "p.txt" }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 3600_000),
    });
    const expired = await fetch(old);
    expect(expired.status).toBe(403);
    const text = await expired.text();
    expect(text).toContain("<Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>60</X-Amz-Expires>");
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "p.txt" }));
    await client.send(new s3.DeleteBucketCommand({ Bucket }));
  });

  it("keeps accounts apart: names are global, another account's bucket is AccessDenied", async () => {
    const alpha = clientFor(ALPHA);
    const beta = clientFor(BETA);
    const Bucket = bucketName("owned");
    await alpha.send(new s3.CreateBucketCommand({ Bucket }));
    await alpha.send(new s3.PutObjectCommand({ Bucket, Key: "secret", Body: "alpha only" }));
    expect(await s3Error(() => beta.send(new s3.CreateBucketCommand({ Bucket })))).toMatchObject({
      name: "BucketAlreadyExists",
      status: 409,
    });
    expect(await s3Error(() => beta.send(new s3.GetObjectCommand({ Bucket, Key: "secret" })))).toMatchObject({
      name: "AccessDenied",
      status: 403,
    });
    expect(await s3Error(() => beta.send(new s3.PutObjectCommand({ Bucket, Key: "x", Body: "x" })))).toMatchObject({
      status: 403,
    });
    expect(await s3Error(() => beta.send(new s3.HeadBucketCommand({ Bucket })))).toMatchObject({ status: 403 });
    expect(await s3Error(() => beta.send(new s3.DeleteBucketCommand({ Bucket })))).toMatchObject({ name: "AccessDenied" });
    const betaList = await beta.send(new s3.ListBucketsCommand({}));
    expect(betaList.Buckets?.some((b) => b.Name === Bucket) ?? false).toBe(false);
    await alpha.send(new s3.DeleteObjectCommand({ Bucket, Key: "secret" }));
    await alpha.send(new s3.DeleteBucketCommand({ Bucket }));
  });

  it("verifies signed aws-chunked chunks and trailers (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]), storing nothing when one is changed", async () => {
    const client = clientFor(ALPHA);
    const Bucket = bucketName("chunks");
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    const send = async (key: string, chunks: string[], tamper?: (body: string) => string, trailer?: string) => {
      const mode = trailer ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" : "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
      const url = new URL(`${strictEndpoint}/${Bucket}/${key}`);
      const amzDate = new Date()
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
      const date = amzDate.slice(0, 8);
      const decoded = chunks.reduce((n, c) => n + c.length, 0);
      const headers = new Headers({
        host: url.host,
        "content-encoding": "aws-chunked",
        "x-amz-content-sha256": mode,
        "x-amz-date": amzDate,
        "x-amz-decoded-content-length": String(decoded),
        ...(trailer ? { "x-amz-trailer": "x-amz-checksum-crc32" } : {}),
      });
      const auth = {
        accessKeyId: ALPHA.accessKeyId,
        date,
        region: "us-east-1",
        service: "s3",
        signedHeaders: [
          "content-encoding",
          "host",
          "x-amz-content-sha256",
          "x-amz-date",
          "x-amz-decoded-content-length",
          ...(trailer ? ["x-amz-trailer"] : []),
        ],
        signature: "",
        location: "header" as const,
      };
      const key4 = signingKey(ALPHA.secretAccessKey, date, "us-east-1", "s3");
      const scope = `${date}/us-east-1/s3/aws4_request`;
      const canonical = canonicalRequest({
        method: "PUT",
        url,
        headers,
        host: url.host,
        auth,
        payloadHash: mode,
      });
      const seed = sign(key4, stringToSign(amzDate, scope, canonical));
      let previous = seed;
      let body = "";
      for (const chunk of [...chunks, ""]) {
        previous = chunkSignature({ key: key4, amzDate, scope }, previous, sha256Hex(chunk));
        body += `${chunk.length.toString(16)};chunk-signature=${previous}\r\n${chunk}`;
        if (chunk !== "" || !trailer) body += "\r\n";
      }
      if (trailer) {
        const line = `x-amz-checksum-crc32:${trailer}`;
        body += `${line}\r\nx-amz-trailer-signature:${trailerSignature({ key: key4, amzDate, scope }, previous, `${line}\n`)}\r\n\r\n`;
      }
      headers.set(
        "authorization",
        `AWS4-HMAC-SHA256 Credential=${ALPHA.accessKeyId}/${scope}, SignedHeaders=${auth.signedHeaders.join(";")}, Signature=${seed}`,
      );
      headers.delete("host");
      return fetch(url, { method: "PUT", headers, body: tamper ? tamper(body) : body });
    };
    const good = await send("good", ["hello ", "signed ", "chunks"]);
    expect(good.status).toBe(200);
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "good" }));
    expect(await got.Body!.transformToString()).toBe("hello signed chunks");
    const bad = await send("bad", ["hello ", "signed ", "chunks"], (b) => b.replace("signed", "SIGNED"));
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(await s3Error(() => client.send(new s3.HeadObjectCommand({ Bucket, Key: "bad" })))).toMatchObject({ status: 404 });

    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the CRC32 trailer is signed too, and checked.
    const crc = Buffer.from(crc32("hello trailer").toString(16).padStart(8, "0"), "hex").toString("base64");
    const withTrailer = await send("trailer", ["hello ", "trailer"], undefined, crc);
    expect(withTrailer.status).toBe(200);
    const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "trailer", ChecksumMode: "ENABLED" }));
    expect(head.ChecksumCRC32).toBe(crc);
    const forged = await send("forged", ["hello ", "trailer"], (b) => b.replace(crc, "AAAAAA=="), crc);
    expect(forged.status).toBe(403);
    const wrongCrc = await send("wrong", ["hello ", "trailer"], undefined, "AAAAAA==");
    expect(wrongCrc.status).toBe(400);
    expect(await wrongCrc.text()).toContain("<Code>BadDigest</Code>");
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "trailer" }));
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "good" }));
    await client.send(new s3.DeleteBucketCommand({ Bucket }));
  });
});
