/**
 * Multipart uploads end to end with @aws-sdk/client-s3 (default configuration: every part an
 * aws-chunked body with a CRC32 trailer): create, upload parts, list, complete, abort; the errors with
 * AWS's codes, statuses, texts and members (test_s3.snapshot.json: test_multipart_*,
 * test_complete_multipart_parts_order; test_s3_api.snapshot.json: TestS3ObjectWritePrecondition::test_multipart_*).
 */
import { describe, expect, it } from "vitest";
import { bucketForSuite, bucketName, s3, s3Client, s3Error } from "./s3-clients";
import { MiB, md5Hex, multipartEtagOf, randomBody, readBody, uploadParts } from "./s3-multipart-helpers";

const NO_SUCH_UPLOAD =
  "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.";
const INVALID_PART =
  "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";

describe("S3 multipart uploads", () => {
  const client = s3Client();
  const Bucket = bucketForSuite(client, "multipart");

  it("creates an upload, lists it and its parts, completes it into one object with the multipart ETag", async () => {
    const Key = "docs/report.bin";
    const created = await client.send(
      new s3.CreateMultipartUploadCommand({
        Bucket,
        Key,
        ContentType: "application/x-report",
        Metadata: { author: "ada" },
        Tagging: "team=core",
      }),
    );
    expect(created).toMatchObject({ Bucket, Key, ServerSideEncryption: "AES256" });
    const UploadId = created.UploadId!;
    expect(UploadId.length).toBeGreaterThan(20);

    const empty = await client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId }));
    expect(empty).toMatchObject({ Bucket, Key, UploadId, PartNumberMarker: "0", NextPartNumberMarker: "0", MaxParts: 1000 });
    expect(empty.IsTruncated).toBe(false);
    expect(empty.Parts ?? []).toEqual([]);
    expect(empty.StorageClass).toBe("STANDARD");
    expect(empty.Initiator?.ID).toMatch(/^[0-9a-f]{64}$/);

    const first = randomBody(5 * MiB);
    const second = randomBody(1234);
    const part1 = await client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: first }));
    expect(part1.ETag).toBe(`"${md5Hex(first)}"`);
    expect(part1.ServerSideEncryption).toBe("AES256");
    const part2 = await client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: second }));

    const listed = await client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts!.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, part1.ETag, 5 * MiB],
      [2, part2.ETag, 1234],
    ]);
    expect(listed.Parts![0]!.LastModified).toBeInstanceOf(Date);
    expect(listed.NextPartNumberMarker).toBe("2");
    const page = await client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId, MaxParts: 1 }));
    expect(page).toMatchObject({ IsTruncated: true, NextPartNumberMarker: "1" });
    const rest = await client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId, PartNumberMarker: "1" }));
    expect(rest.Parts!.map((p) => p.PartNumber)).toEqual([2]);

    const uploads = await client.send(new s3.ListMultipartUploadsCommand({ Bucket }));
    const mine = uploads.Uploads!.find((u) => u.UploadId === UploadId);
    expect(mine).toMatchObject({ Key, StorageClass: "STANDARD" });
    expect(mine!.Initiated).toBeInstanceOf(Date);

    const done = await client.send(
      new s3.CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: part1.ETag },
            { PartNumber: 2, ETag: part2.ETag },
          ],
        },
      }),
    );
    expect(done).toMatchObject({ Bucket, Key, ETag: multipartEtagOf([first, second]), ServerSideEncryption: "AES256" });
    expect(done.Location).toContain(`/${Bucket}/docs/report.bin`);

    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key }));
    expect(got).toMatchObject({ ETag: done.ETag, ContentLength: 5 * MiB + 1234, ContentType: "application/x-report" });
    expect(got.Metadata).toEqual({ author: "ada" });
    expect(got.TagCount).toBe(1);
    expect((await readBody(got)).equals(Buffer.concat([first, second]))).toBe(true);

    const gone = await s3Error(() => client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId })));
    expect(gone).toMatchObject({ name: "NoSuchUpload", status: 404, message: NO_SUCH_UPLOAD, UploadId });
    const after = await client.send(new s3.ListMultipartUploadsCommand({ Bucket, Prefix: "docs/" }));
    expect(after.Uploads ?? []).toEqual([]);
  });

  it("replaces a part uploaded twice under the same number, and completes with the later one", async () => {
    const Key = "twice";
    const old = randomBody(100);
    const { UploadId } = await uploadParts(client, Bucket, Key, [old]);
    const later = randomBody(200);
    const again = await client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: later }));
    const listed = await client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts!.map((p) => [p.ETag, p.Size])).toEqual([[again.ETag, 200]]);
    await client.send(
      new s3.CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: again.ETag }] },
      }),
    );
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key }));
    expect((await readBody(got)).equals(later)).toBe(true);
  });

  it("answers an unknown or another key's upload id with NoSuchUpload, for every operation", async () => {
    const UploadId = "fakeid";
    const Key = "nowhere";
    const calls = [
      () => client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: "x" })),
      () =>
        client.send(
          new s3.CompleteMultipartUploadCommand({
            Bucket,
            Key,
            UploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] },
          }),
        ),
      () => client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key, UploadId })),
      () => client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId })),
    ];
    for (const call of calls) {
      expect(await s3Error(call)).toMatchObject({ name: "NoSuchUpload", status: 404, message: NO_SUCH_UPLOAD, UploadId });
    }
    const real = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key: "right-key" }));
    const wrongKey = await s3Error(() =>
      client.send(new s3.UploadPartCommand({ Bucket, Key: "wrong-key", UploadId: real.UploadId, PartNumber: 1, Body: "x" })),
    );
    expect(wrongKey).toMatchObject({ name: "NoSuchUpload", UploadId: real.UploadId });
    await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key: "right-key", UploadId: real.UploadId }));
    const aborted = await s3Error(() =>
      client.send(new s3.ListPartsCommand({ Bucket, Key: "right-key", UploadId: real.UploadId })),
    );
    expect(aborted).toMatchObject({ name: "NoSuchUpload", status: 404 });
  });

  it("refuses part numbers outside 1..10000", async () => {
    const Key = "numbers";
    const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key }));
    for (const PartNumber of [-1, 0, 10001]) {
      const bad = await s3Error(() => client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: "x" })));
      expect(bad).toMatchObject({
        name: "InvalidArgument",
        status: 400,
        message: "Part number must be an integer between 1 and 10000, inclusive",
        ArgumentName: "partNumber",
        ArgumentValue: String(PartNumber),
      });
    }
    await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
  });

  it("checks a part's declared checksums and Content-MD5 as PutObject does (test_multipart_upload_part_checksum_exception)", async () => {
    const Key = "part-checksums";
    const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key }));
    const part = (extra: Partial<ConstructorParameters<typeof s3.UploadPartCommand>[0]>) =>
      s3Error(() => client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: "abc", ...extra })));
    expect(await part({ ChecksumCRC32: "AAAAAA==" })).toMatchObject({
      name: "BadDigest",
      status: 400,
      message: "The CRC32 you specified did not match the calculated checksum.",
    });
    expect(await part({ ChecksumCRC32: "not-base64" })).toMatchObject({
      name: "InvalidRequest",
      message: "Value for x-amz-checksum-crc32 header is invalid.",
    });
    expect(await part({ ContentMD5: "1B2M2Y8AsgTpgAmY7PhCfg==" })).toMatchObject({
      name: "BadDigest",
      message: "The Content-MD5 you specified did not match what we received.",
    });
    const listed = await client.send(new s3.ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts ?? []).toEqual([]);
    await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
  });

  it("refuses completions as AWS does: no parts, a small part, a wrong part or ETag, parts out of order", async () => {
    const Key = "refusals";
    const { UploadId, parts } = await uploadParts(client, Bucket, Key, [Buffer.from("abcd"), Buffer.from("abcd")]);
    const complete = (Parts?: { PartNumber: number; ETag: string }[]) =>
      s3Error(() =>
        client.send(
          new s3.CompleteMultipartUploadCommand({ Bucket, Key, UploadId, ...(Parts ? { MultipartUpload: { Parts } } : {}) }),
        ),
      );
    expect(await complete()).toMatchObject({
      name: "InvalidRequest",
      status: 400,
      message: "You must specify at least one part",
    });
    const small = await complete(parts);
    expect(small).toMatchObject({
      name: "EntityTooSmall",
      status: 400,
      message: "Your proposed upload is smaller than the minimum allowed size",
      ProposedSize: "4",
      MinSizeAllowed: "5242880",
      PartNumber: "1",
      ETag: parts[0]!.ETag.replace(/"/g, ""),
    });
    const wrongNumber = await complete([{ PartNumber: 3, ETag: parts[0]!.ETag }]);
    expect(wrongNumber).toMatchObject({ name: "InvalidPart", status: 400, message: INVALID_PART, PartNumber: "3", UploadId });
    const wrongEtag = await complete([{ PartNumber: 1, ETag: '"d41d8cd98f00b204e9800998ecf8427e"' }]);
    expect(wrongEtag).toMatchObject({ name: "InvalidPart", ETag: "d41d8cd98f00b204e9800998ecf8427e", PartNumber: "1" });
    const unordered = await complete([parts[1]!, parts[0]!]);
    expect(unordered).toMatchObject({
      name: "InvalidPartOrder",
      status: 400,
      message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
      UploadId,
    });
    // The last part may be small: one part alone completes.
    const single = await client.send(
      new s3.CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [parts[0]!] } }),
    );
    expect(single.ETag).toBe(multipartEtagOf([Buffer.from("abcd")]));
    const got = await client.send(new s3.GetObjectCommand({ Bucket, Key }));
    expect((await readBody(got)).toString()).toBe("abcd");
  });

  it("honours If-None-Match and If-Match on completion, with ConditionalRequestConflict after a write in between", async () => {
    const Key = "conditional";
    await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: "" }));
    const first = await uploadParts(client, Bucket, Key, [Buffer.from("new")]);
    const completeWith = (upload: typeof first, condition: { IfNoneMatch?: string; IfMatch?: string }) =>
      client.send(
        new s3.CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId: upload.UploadId,
          MultipartUpload: { Parts: upload.parts },
          ...condition,
        }),
      );
    const exists = await s3Error(() => completeWith(first, { IfNoneMatch: "*" }));
    expect(exists).toMatchObject({
      name: "PreconditionFailed",
      status: 412,
      message: "At least one of the pre-conditions you specified did not hold",
      Condition: "If-None-Match",
    });
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key }));
    const conflict = await s3Error(() => completeWith(first, { IfNoneMatch: "*" }));
    expect(conflict).toMatchObject({
      name: "ConditionalRequestConflict",
      status: 409,
      message: "The conditional request cannot succeed due to a conflicting operation against this resource.",
      Condition: "If-None-Match",
      Key,
    });
    const second = await uploadParts(client, Bucket, Key, [Buffer.from("newer")]);
    const done = await completeWith(second, { IfNoneMatch: "*" });
    const missing = await s3Error(() => completeWith(first, { IfMatch: '"0123"' }));
    expect(missing).toMatchObject({ name: "PreconditionFailed", Condition: "If-Match" });
    const third = await uploadParts(client, Bucket, Key, [Buffer.from("newest")]);
    const replaced = await completeWith(third, { IfMatch: done.ETag! });
    expect(replaced.ETag).toBe(multipartEtagOf([Buffer.from("newest")]));
    await client.send(new s3.DeleteObjectCommand({ Bucket, Key }));
    const fourth = await uploadParts(client, Bucket, Key, [Buffer.from("x")]);
    const noKey = await s3Error(() => completeWith(fourth, { IfMatch: replaced.ETag! }));
    expect(noKey).toMatchObject({ name: "NoSuchKey", status: 404, Key });
    await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key, UploadId: fourth.UploadId }));
    await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key, UploadId: first.UploadId }));
  });

  it("answers If-Match with ConditionalRequestConflict when the key was written after the upload began (test_multipart_if_match_with_put)", async () => {
    const Key = "if-match-put";
    const before = await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: "test" }));
    const upload = await uploadParts(client, Bucket, Key, [Buffer.from("part")]);
    const during = await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: "during" }));
    const complete = (IfMatch: string) =>
      s3Error(() =>
        client.send(
          new s3.CompleteMultipartUploadCommand({
            Bucket,
            Key,
            UploadId: upload.UploadId,
            IfMatch,
            MultipartUpload: { Parts: upload.parts },
          }),
        ),
      );
    expect(await complete(before.ETag!)).toMatchObject({ name: "PreconditionFailed", status: 412, Condition: "If-Match" });
    expect(await complete(during.ETag!)).toMatchObject({
      name: "ConditionalRequestConflict",
      status: 409,
      Condition: "If-Match",
      Key,
    });
    const again = await uploadParts(client, Bucket, Key, [Buffer.from("part")]);
    const done = await client.send(
      new s3.CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId: again.UploadId,
        IfMatch: during.ETag!,
        MultipartUpload: { Parts: again.parts },
      }),
    );
    expect(done.ETag).toBe(multipartEtagOf([Buffer.from("part")]));
    await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key, UploadId: upload.UploadId }));
  });

  it("deletes a bucket whose only content is uploads in progress (as AWS does), and they are gone with it", async () => {
    const Other = bucketName("mpu-delete");
    await client.send(new s3.CreateBucketCommand({ Bucket: Other }));
    const { UploadId } = await uploadParts(client, Other, "pending", [randomBody(1000)]);
    await client.send(new s3.DeleteBucketCommand({ Bucket: Other }));
    await client.send(new s3.CreateBucketCommand({ Bucket: Other }));
    const listed = await client.send(new s3.ListMultipartUploadsCommand({ Bucket: Other }));
    expect(listed.Uploads ?? []).toEqual([]);
    const gone = await s3Error(() => client.send(new s3.ListPartsCommand({ Bucket: Other, Key: "pending", UploadId })));
    expect(gone).toMatchObject({ name: "NoSuchUpload" });
    await client.send(new s3.DeleteBucketCommand({ Bucket: Other }));
  });
});
