/**
 * Multipart uploads as libraries and checksums use them: @aws-sdk/lib-storage's `Upload` of 64 MiB
 * (8 MiB parts, four at a time) read back intact; UploadPartCopy of ranges (test_s3_api.snapshot.json:
 * TestS3Multipart::test_upload_part_copy_range); the checksums of completed uploads, COMPOSITE,
 * FULL_OBJECT and S3's default CRC64NVME (test_s3.snapshot.json: TestS3MultipartUploadChecksum).
 */
import { Upload } from "@aws-sdk/lib-storage";
import { describe, expect, it } from "vitest";
import { bucketForSuite, bucketName, s3, s3Client, s3Error } from "./s3-clients";
import { checksumOf, MiB, md5Hex, multipartEtagOf, randomBody, readBody, sha256Hex, uploadParts } from "./s3-multipart-helpers";

const RANGE_FORMAT =
  "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy";

describe("S3 multipart uploads with lib-storage, copies and checksums", () => {
  const client = s3Client();
  const Bucket = bucketForSuite(client, "mpu-storage");

  it("uploads 64 MiB with lib-storage's Upload (8 MiB parts, queue of 4) and reads it back intact", async () => {
    const Key = "big/64mib.bin";
    const body = randomBody(64 * MiB);
    const upload = new Upload({ client, params: { Bucket, Key, Body: body }, partSize: 8 * MiB, queueSize: 4 });
    const done = await upload.done();
    const parts = Array.from({ length: 8 }, (_, i) => body.subarray(i * 8 * MiB, (i + 1) * 8 * MiB));
    expect(done.ETag).toBe(multipartEtagOf(parts));
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-8"$/);
    const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key, ChecksumMode: "ENABLED" }));
    expect(head).toMatchObject({ ContentLength: 64 * MiB, ETag: done.ETag });
    // lib-storage asks for CRC32 parts: the object's checksum is COMPOSITE, over the parts' CRC32s.
    const crcs = Buffer.concat(parts.map((p) => Buffer.from(checksumOf("CRC32", p), "base64")));
    expect(head.ChecksumCRC32).toBe(`${checksumOf("CRC32", crcs)}-8`);
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key }));
    expect(sha256Hex(await readBody(got))).toBe(sha256Hex(body));
  }, 120_000);

  it("copies ranges of an object into parts (UploadPartCopy) and refuses ranges as AWS does", async () => {
    const source = "copy-source";
    await client.send(new s3.PutObjectCommand({ Bucket, Key: source, Body: "0123456789" }));
    const Key = "copy-target";
    const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key }));
    const copy = (PartNumber: number, CopySourceRange?: string) =>
      client.send(
        new s3.UploadPartCopyCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber,
          CopySource: `${Bucket}/${source}`,
          ...(CopySourceRange ? { CopySourceRange } : {}),
        }),
      );
    const first = await copy(1, "bytes=0-8");
    expect(first.CopyPartResult?.ETag).toBe(`"${md5Hex(Buffer.from("012345678"))}"`);
    expect(first.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    const second = await copy(2, "bytes=1-1");
    expect(second.CopyPartResult?.ETag).toBe('"c4ca4238a0b923820dcc509a6f75849b"'); // md5("1"), recorded
    const whole = await copy(3);
    expect(whole.CopyPartResult?.ETag).toBe(`"${md5Hex(Buffer.from("0123456789"))}"`);
    const listed = await client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts!.map((p) => p.Size)).toEqual([9, 1, 10]);

    for (const range of ["0-8", "bytes=1-0", "bytes=-1-", "bytes=0-1,3-4,7-9", "bytes=-", "bytes=1-", "bytes=-2"]) {
      const bad = await s3Error(() => copy(4, range));
      expect(bad).toMatchObject({ name: "InvalidArgument", status: 400, message: RANGE_FORMAT, ArgumentValue: range });
    }
    const past = await s3Error(() => copy(4, "bytes=0-100"));
    expect(past).toMatchObject({
      name: "InvalidArgument",
      message: "Range specified is not valid for source object of size: 10",
    });
    const start = await s3Error(() => copy(4, "bytes=100-200"));
    expect(start).toMatchObject({
      name: "InvalidRequest",
      message: "The specified copy range is invalid for the source object size",
    });
    const missing = await s3Error(() =>
      client.send(new s3.UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 4, CopySource: `${Bucket}/nothing-here` })),
    );
    expect(missing).toMatchObject({ name: "NoSuchKey", status: 404 });
    const failed = await s3Error(() =>
      client.send(
        new s3.UploadPartCopyCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: 4,
          CopySource: `${Bucket}/${source}`,
          CopySourceIfMatch: '"nope"',
        }),
      ),
    );
    expect(failed).toMatchObject({ name: "PreconditionFailed", status: 412, Condition: "x-amz-copy-source-If-Match" });

    // The last part alone may be small: complete with the whole-object copy only.
    await client.send(
      new s3.CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 3, ETag: whole.CopyPartResult!.ETag! }] },
      }),
    );
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key }));
    expect((await readBody(got)).toString()).toBe("0123456789");
  });

  it("copies a range across the parts of a multipart object in another bucket", async () => {
    const Other = bucketName("mpu-copy-src");
    await client.send(new s3.CreateBucketCommand({ Bucket: Other }));
    const bodies = [randomBody(5 * MiB), randomBody(100)];
    const source = await uploadParts(client, Other, "src", bodies);
    await client.send(
      new s3.CompleteMultipartUploadCommand({
        Bucket: Other,
        Key: "src",
        UploadId: source.UploadId,
        MultipartUpload: { Parts: source.parts },
      }),
    );
    const Key = "spanning";
    const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: "CRC32" }));
    const start = 5 * MiB - 50;
    const copied = await client.send(
      new s3.UploadPartCopyCommand({
        Bucket,
        Key,
        UploadId,
        PartNumber: 1,
        CopySource: `${Other}/src`,
        CopySourceRange: `bytes=${start}-${start + 99}`,
      }),
    );
    const expected = Buffer.concat(bodies).subarray(start, start + 100);
    expect(copied.CopyPartResult).toMatchObject({ ETag: `"${md5Hex(expected)}"`, ChecksumCRC32: checksumOf("CRC32", expected) });
    await client.send(
      new s3.CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [{ PartNumber: 1, ETag: copied.CopyPartResult!.ETag!, ChecksumCRC32: copied.CopyPartResult!.ChecksumCRC32! }],
        },
      }),
    );
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key }));
    expect((await readBody(got)).equals(expected)).toBe(true);
    await client.send(new s3.DeleteObjectCommand({ Bucket: Other, Key: "src" }));
    await client.send(new s3.DeleteBucketCommand({ Bucket: Other }));
  });

  it("completes an upload without an algorithm with S3's default FULL_OBJECT CRC64NVME of the whole object", async () => {
    const Key = "default-checksum";
    const bodies = [randomBody(5 * MiB), randomBody(777)];
    const { UploadId, parts } = await uploadParts(client, Bucket, Key, bodies);
    // Part checksums in a completion of an upload without an algorithm: InvalidPart (recorded).
    const withChecksum = await s3Error(() =>
      client.send(
        new s3.CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: parts.map((p, i) => ({ ...p, ChecksumCRC32: checksumOf("CRC32", bodies[i]!) })) },
        }),
      ),
    );
    expect(withChecksum).toMatchObject({ name: "InvalidPart", PartNumber: "1" });
    const mode = await s3Error(() =>
      client.send(
        new s3.CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId,
          ChecksumType: "COMPOSITE",
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
    expect(mode).toMatchObject({
      name: "InvalidRequest",
      message: "The upload was created using the null checksum mode. The complete request must use the same checksum mode.",
    });
    const done = await client.send(
      new s3.CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }),
    );
    const whole = Buffer.concat(bodies);
    expect(done).toMatchObject({ ChecksumCRC64NVME: checksumOf("CRC64NVME", whole), ChecksumType: "FULL_OBJECT" });
    // The SDK validates the CRC64NVME of the body it reads.
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key, ChecksumMode: "ENABLED" }));
    expect(got.ChecksumCRC64NVME).toBe(done.ChecksumCRC64NVME);
    expect(sha256Hex(await readBody(got))).toBe(sha256Hex(whole));
  });

  it("checksums a COMPOSITE SHA256 upload and a FULL_OBJECT CRC32C upload as AWS does", async () => {
    const bodies = [randomBody(5 * MiB + 1), randomBody(10)];
    const composite = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key: "sha", ChecksumAlgorithm: "SHA256" }));
    expect(composite).toMatchObject({ ChecksumAlgorithm: "SHA256", ChecksumType: "COMPOSITE" });
    const UploadId = composite.UploadId!;
    const wrongAlgorithm = await s3Error(() =>
      client.send(
        new s3.UploadPartCommand({ Bucket, Key: "sha", UploadId, PartNumber: 1, Body: bodies[0], ChecksumAlgorithm: "CRC32" }),
      ),
    );
    expect(wrongAlgorithm).toMatchObject({
      name: "InvalidRequest",
      message: "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32",
    });
    const parts: { PartNumber: number; ETag: string; ChecksumSHA256: string }[] = [];
    for (const [i, Body] of bodies.entries()) {
      const out = await client.send(
        new s3.UploadPartCommand({ Bucket, Key: "sha", UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: "SHA256" }),
      );
      expect(out.ChecksumSHA256).toBe(checksumOf("SHA256", Body));
      parts.push({ PartNumber: i + 1, ETag: out.ETag!, ChecksumSHA256: out.ChecksumSHA256! });
    }
    const listed = await client.send(new s3.ListPartsCommand({ Bucket, Key: "sha", UploadId }));
    expect(listed).toMatchObject({ ChecksumAlgorithm: "SHA256", ChecksumType: "COMPOSITE" });
    expect(listed.Parts!.map((p) => p.ChecksumSHA256)).toEqual(parts.map((p) => p.ChecksumSHA256));
    const noChecksums = await s3Error(() =>
      client.send(
        new s3.CompleteMultipartUploadCommand({
          Bucket,
          Key: "sha",
          UploadId,
          MultipartUpload: { Parts: parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
        }),
      ),
    );
    expect(noChecksums).toMatchObject({
      name: "InvalidRequest",
      message:
        "The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.",
    });
    const done = await client.send(
      new s3.CompleteMultipartUploadCommand({ Bucket, Key: "sha", UploadId, MultipartUpload: { Parts: parts } }),
    );
    const digests = Buffer.concat(parts.map((p) => Buffer.from(p.ChecksumSHA256, "base64")));
    expect(done).toMatchObject({ ChecksumSHA256: `${checksumOf("SHA256", digests)}-2`, ChecksumType: "COMPOSITE" });

    const full = await client.send(
      new s3.CreateMultipartUploadCommand({ Bucket, Key: "crc32c", ChecksumAlgorithm: "CRC32C", ChecksumType: "FULL_OBJECT" }),
    );
    const fullParts: { PartNumber: number; ETag: string; ChecksumCRC32C: string }[] = [];
    for (const [i, Body] of bodies.entries()) {
      const out = await client.send(
        new s3.UploadPartCommand({
          Bucket,
          Key: "crc32c",
          UploadId: full.UploadId,
          PartNumber: i + 1,
          Body,
          ChecksumAlgorithm: "CRC32C",
        }),
      );
      fullParts.push({ PartNumber: i + 1, ETag: out.ETag!, ChecksumCRC32C: out.ChecksumCRC32C! });
    }
    const whole = checksumOf("CRC32C", Buffer.concat(bodies));
    const badDigest = await s3Error(() =>
      client.send(
        new s3.CompleteMultipartUploadCommand({
          Bucket,
          Key: "crc32c",
          UploadId: full.UploadId,
          ChecksumCRC32C: "AAAAAA==",
          MultipartUpload: { Parts: fullParts },
        }),
      ),
    );
    expect(badDigest).toMatchObject({
      name: "BadDigest",
      message: "The crc32c you specified did not match the calculated checksum.",
    });
    const fullDone = await client.send(
      new s3.CompleteMultipartUploadCommand({
        Bucket,
        Key: "crc32c",
        UploadId: full.UploadId,
        ChecksumCRC32C: whole,
        MultipartUpload: { Parts: fullParts },
      }),
    );
    expect(fullDone).toMatchObject({ ChecksumCRC32C: whole, ChecksumType: "FULL_OBJECT" });
  });

  it("refuses checksum settings AWS refuses when creating an upload", async () => {
    const unsupported = await s3Error(() =>
      client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key: "k", ChecksumAlgorithm: "MD5" as never })),
    );
    expect(unsupported).toMatchObject({ name: "InvalidRequest", status: 400 });
    expect(unsupported.message).toMatch(/^Checksum algorithm provided is unsupported/);
    const typeOnly = await s3Error(() =>
      client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key: "k", ChecksumType: "COMPOSITE" })),
    );
    expect(typeOnly.message).toBe("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
    const incompatible = await s3Error(() =>
      client.send(
        new s3.CreateMultipartUploadCommand({ Bucket, Key: "k", ChecksumAlgorithm: "SHA1", ChecksumType: "FULL_OBJECT" }),
      ),
    );
    expect(incompatible.message).toBe("The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.");
  });
});
