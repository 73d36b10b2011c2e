/**
 * S3 objects end to end with @aws-sdk/client-s3 in its default configuration (CRC32 checksums, bodies
 * sent aws-chunked with a trailer): put, get, head, delete; metadata and content headers; streamed
 * 20 MiB bodies; and the errors with AWS's codes, statuses and texts.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpoint } from "./clients";
import { bucketName, s3, s3Client, s3Error } from "./s3-clients";

/** `size` bytes of a repeatable pattern, generated as a stream (never whole in memory). */
function patternStream(size: number, chunk = 64 * 1024): Readable {
  let sent = 0;
  const block = Buffer.alloc(chunk);
  for (let i = 0; i < chunk; i++) block[i] = (i * 31 + 7) & 0xff;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const n = Math.min(chunk, size - sent);
      sent += n;
      this.push(n === chunk ? Buffer.from(block) : block.subarray(0, n));
    },
  });
}

function patternMd5(size: number, chunk = 64 * 1024): string {
  const hash = createHash("md5");
  const block = Buffer.alloc(chunk);
  for (let i = 0; i < chunk; i++) block[i] = (i * 31 + 7) & 0xff;
  for (let sent = 0; sent < size; sent += chunk) hash.update(block.subarray(0, Math.min(chunk, size - sent)));
  return hash.digest("hex");
}

describe("S3 objects", () => {
  const client = s3Client();
  const Bucket = bucketName("objects");

  beforeAll(async () => {
    await client.send(new s3.CreateBucketCommand({ Bucket }));
  });

  afterAll(async () => {
    const keys = ["small.txt", "big.bin", "meta.txt", "empty", "check.txt", "tagged"];
    for (const Key of keys) await client.send(new s3.DeleteObjectCommand({ Bucket, Key })).catch(() => {});
    await client.send(new s3.DeleteBucketCommand({ Bucket })).catch(() => {});
  });

  it("puts, gets, heads and deletes a small object", async () => {
    const put = await client.send(new s3.PutObjectCommand({ Bucket, Key: "small.txt", Body: "hello, world" }));
    const md5 = createHash("md5").update("hello, world").digest("hex");
    expect(put.ETag).toBe(`"${md5}"`);
    expect(put.ChecksumCRC32).toBeDefined();
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "small.txt" }));
    expect(await got.Body!.transformToString()).toBe("hello, world");
    expect(got.ETag).toBe(`"${md5}"`);
    expect(got.ContentLength).toBe(12);
    expect(got.ContentType).toMatch(/octet-stream$/);
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(got.LastModified!.getMilliseconds()).toBe(0);
    const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "small.txt" }));
    expect(head.ContentLength).toBe(12);
    expect(head.ETag).toBe(`"${md5}"`);
    expect(head.AcceptRanges).toBe("bytes");
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "small.txt" }));
    const gone = await s3Error(() => client.send(new s3.GetObjectCommand({ Bucket, Key: "small.txt" })));
    expect(gone).toMatchObject({
      name: "NoSuchKey",
      status: 404,
      message: "The specified key does not exist.",
      Key: "small.txt",
    });
    const headGone = await s3Error(() => client.send(new s3.HeadObjectCommand({ Bucket, Key: "small.txt" })));
    expect(headGone).toMatchObject({ name: "NotFound", status: 404 });
    // Deleting what is not there succeeds, as on AWS.
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "small.txt" }));
  });

  it("stores an empty object", async () => {
    await client.send(new s3.PutObjectCommand({ Bucket, Key: "empty", Body: "" }));
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "empty" }));
    expect(got.ContentLength).toBe(0);
    expect(await got.Body!.transformToString()).toBe("");
    expect(got.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
  });

  it("round-trips user metadata, content headers and tags, with response-* overrides on GET", async () => {
    const expires = new Date("2030-01-01T00:00:00Z");
    await client.send(
      new s3.PutObjectCommand({
        Bucket,
        Key: "meta.txt",
        Body: "meta",
        Metadata: { color: "blue", "Mixed-Case": "Value" },
        ContentType: "text/plain; charset=utf-8",
        ContentEncoding: "identity",
        ContentDisposition: 'attachment; filename="m.txt"',
        ContentLanguage: "en",
        CacheControl: "max-age=60",
        Expires: expires,
        Tagging: "team=s3&env=test",
      }),
    );
    const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "meta.txt" }));
    expect(head.Metadata).toEqual({ color: "blue", "mixed-case": "Value" });
    expect(head.ContentType).toBe("text/plain; charset=utf-8");
    expect(head.ContentEncoding).toBe("identity");
    expect(head.ContentDisposition).toBe('attachment; filename="m.txt"');
    expect(head.ContentLanguage).toBe("en");
    expect(head.CacheControl).toBe("max-age=60");
    expect(head.Expires?.getTime()).toBe(expires.getTime());
    const got = await client.send(
      new s3.GetObjectCommand({
        Bucket,
        Key: "meta.txt",
        ResponseContentType: "application/x-test",
        ResponseCacheControl: "no-cache",
      }),
    );
    expect(got.ContentType).toBe("application/x-test");
    expect(got.CacheControl).toBe("no-cache");
    expect(got.TagCount).toBe(2);
    expect(await got.Body!.transformToString()).toBe("meta");
  });

  it("streams a 20 MiB object in and out", async () => {
    const size = 20 * 1024 * 1024;
    const put = await client.send(
      new s3.PutObjectCommand({ Bucket, Key: "big.bin", Body: patternStream(size), ContentLength: size }),
    );
    expect(put.ETag).toBe(`"${patternMd5(size)}"`);
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "big.bin" }));
    expect(got.ContentLength).toBe(size);
    const hash = createHash("md5");
    let received = 0;
    for await (const part of got.Body as Readable) {
      hash.update(part as Buffer);
      received += (part as Buffer).length;
    }
    expect(received).toBe(size);
    expect(hash.digest("hex")).toBe(patternMd5(size));
  });

  it("returns stored checksums when asked with ChecksumMode ENABLED", async () => {
    const put = await client.send(
      new s3.PutObjectCommand({ Bucket, Key: "check.txt", Body: "checksum me", ChecksumAlgorithm: "SHA256" }),
    );
    expect(put.ChecksumSHA256).toBe(createHash("sha256").update("checksum me").digest("base64"));
    const plain = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "check.txt" }));
    expect(plain.ChecksumSHA256).toBeUndefined();
    const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "check.txt", ChecksumMode: "ENABLED" }));
    expect(head.ChecksumSHA256).toBe(put.ChecksumSHA256);
    expect(head.ChecksumType).toBe("FULL_OBJECT");
  });

  it("stores S3's default CRC64NVME for a body sent without a checksum, and the SDK's GET validates it", async () => {
    const body = "no checksum sent with this body";
    const put = await fetch(`${endpoint()}/${Bucket}/default-crc`, { method: "PUT", body: new TextEncoder().encode(body) });
    expect(put.status).toBe(200);
    expect(put.headers.get("x-amz-checksum-crc64nvme")).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key: "default-crc", ChecksumMode: "ENABLED" }));
    expect(head.ChecksumCRC64NVME).toBe(put.headers.get("x-amz-checksum-crc64nvme"));
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "default-crc", ChecksumMode: "ENABLED" }));
    expect(await got.Body!.transformToString()).toBe(body);
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "default-crc" }));
  });

  it("refuses a wrong checksum header with BadDigest and an invalid one with InvalidRequest", async () => {
    const wrong = await s3Error(() =>
      client.send(new s3.PutObjectCommand({ Bucket, Key: "bad", Body: "abc", ChecksumCRC32: "AAAAAA==" })),
    );
    expect(wrong).toMatchObject({
      name: "BadDigest",
      status: 400,
      message: "The CRC32 you specified did not match the calculated checksum.",
    });
    const invalid = await s3Error(() =>
      client.send(new s3.PutObjectCommand({ Bucket, Key: "bad", Body: "abc", ChecksumSHA256: "not-base64" })),
    );
    expect(invalid).toMatchObject({
      name: "InvalidRequest",
      status: 400,
      message: "Value for x-amz-checksum-sha256 header is invalid.",
    });
    const md5 = await s3Error(() =>
      client.send(
        new s3.PutObjectCommand({
          Bucket,
          Key: "bad",
          Body: "abc",
          ContentMD5: createHash("md5").update("abd").digest("base64"),
        }),
      ),
    );
    expect(md5).toMatchObject({
      name: "BadDigest",
      status: 400,
      message: "The Content-MD5 you specified did not match what we received.",
    });
    const none = await s3Error(() => client.send(new s3.HeadObjectCommand({ Bucket, Key: "bad" })));
    expect(none.status).toBe(404);
  });

  it("refuses metadata over 2 KB with MetadataTooLarge", async () => {
    const error = await s3Error(() =>
      client.send(new s3.PutObjectCommand({ Bucket, Key: "m", Body: "x", Metadata: { big: "v".repeat(2100) } })),
    );
    expect(error).toMatchObject({
      name: "MetadataTooLarge",
      status: 400,
      message: "Your metadata headers exceed the maximum allowed metadata size",
    });
  });

  it("checks ExpectedBucketOwner", async () => {
    await client.send(new s3.PutObjectCommand({ Bucket, Key: "owned", Body: "x", ExpectedBucketOwner: "000000000000" }));
    const other = await s3Error(() =>
      client.send(new s3.GetObjectCommand({ Bucket, Key: "owned", ExpectedBucketOwner: "111111111111" })),
    );
    expect(other).toMatchObject({ name: "AccessDenied", status: 403, message: "Access Denied" });
    const invalid = await s3Error(() => client.send(new s3.HeadBucketCommand({ Bucket, ExpectedBucketOwner: "abcd" })));
    expect(invalid.status).toBe(400);
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "owned" }));
  });

  it("answers NoSuchBucket for objects of a bucket that does not exist", async () => {
    const missing = bucketName("nobucket");
    const error = await s3Error(() => client.send(new s3.PutObjectCommand({ Bucket: missing, Key: "k", Body: "x" })));
    expect(error).toMatchObject({ name: "NoSuchBucket", status: 404, BucketName: missing });
    const get = await s3Error(() => client.send(new s3.GetObjectCommand({ Bucket: missing, Key: "k" })));
    expect(get).toMatchObject({ name: "NoSuchBucket", status: 404 });
  });

  it("answers a malformed aws-chunked body with S3's error, never a 500, and stores nothing", async () => {
    const send = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${endpoint()}/${Bucket}/chunked`, {
        method: "PUT",
        headers: {
          "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
          "content-encoding": "aws-chunked",
          "x-amz-trailer": "x-amz-checksum-crc32",
          ...headers,
        },
        body,
      });
    const garbage = await send("zz\r\nhello\r\n0\r\n\r\n", { "x-amz-decoded-content-length": "5" });
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toContain("<Code>InvalidRequest</Code>");
    const truncated = await send("5\r\nhel", { "x-amz-decoded-content-length": "5" });
    expect(truncated.status).toBe(400);
    expect(await truncated.text()).toContain("<Code>IncompleteBody</Code>");
    const wrongTrailer = await send("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", {
      "x-amz-decoded-content-length": "5",
    });
    expect(wrongTrailer.status).toBe(400);
    expect(await wrongTrailer.text()).toContain("<Code>BadDigest</Code>");
    const noTrailer = await send("5\r\nhello\r\n0\r\n\r\n", { "x-amz-decoded-content-length": "5" });
    expect(noTrailer.status).toBe(400);
    expect(await noTrailer.text()).toContain("<Code>MalformedTrailerError</Code>");
    const none = await s3Error(() => client.send(new s3.HeadObjectCommand({ Bucket, Key: "chunked" })));
    expect(none.status).toBe(404);
    // The same framing, well-formed, is stored.
    const crc = "NhCmhg==";
    const good = await send(`5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`, { "x-amz-decoded-content-length": "5" });
    expect(good.status).toBe(200);
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "chunked" }));
    expect(await got.Body!.transformToString()).toBe("hello");
    expect(got.ContentEncoding).toBeUndefined();
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "chunked" }));
  });

  it("checks a hex x-amz-content-sha256 against the body (XAmzContentSHA256Mismatch)", async () => {
    const put = (hash: string) =>
      fetch(`${endpoint()}/${Bucket}/hashed`, { method: "PUT", headers: { "x-amz-content-sha256": hash }, body: "hashed body" });
    const good = await put(createHash("sha256").update("hashed body").digest("hex"));
    expect(good.status).toBe(200);
    const bad = await put(createHash("sha256").update("other body").digest("hex"));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(
      "<Code>XAmzContentSHA256Mismatch</Code><Message>The provided 'x-amz-content-sha256' header does not match what was computed.</Message>",
    );
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key: "hashed" }));
    expect(await got.Body!.transformToString()).toBe("hashed body");
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key: "hashed" }));
  });

  it("refuses a single PUT over 5 GiB with EntityTooLarge before reading it", async () => {
    const response = await fetch(`${endpoint()}/${Bucket}/huge`, {
      method: "PUT",
      headers: {
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "x-amz-decoded-content-length": String(6 * 1024 ** 3),
      },
      body: "0\r\n\r\n",
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("<Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message>");
    expect(text).toContain("<MaxSizeAllowed>5368709120</MaxSizeAllowed>");
  });

  it("writes S3's error document with request ids, and none for HEAD", async () => {
    const response = await fetch(`${endpoint()}/${Bucket}/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-amz-request-id")).toMatch(/^[0-9A-F]{16}$/);
    expect(response.headers.get("x-amz-id-2")).toBeTruthy();
    const text = await response.text();
    expect(text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>nothing-here<\/Key><RequestId>[0-9A-F]{16}<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/,
    );
    const head = await fetch(`${endpoint()}/${Bucket}/nothing-here`, { method: "HEAD" });
    expect(head.status).toBe(404);
    expect(await head.text()).toBe("");
    const post = await fetch(`${endpoint()}/${Bucket}/k`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(await post.text()).toContain("<Code>MethodNotAllowed</Code>");
  });
});
