/**
 * Bucket settings end to end with @aws-sdk/client-s3: policy, versioning status, lifecycle, default
 * encryption and ACLs, against AWS's answers in ../shared/aws-recordings/s3 (test_s3_api
 * TestS3BucketPolicy / TestS3BucketVersioning / TestS3BucketEncryption; test_s3 TestS3BucketLifecycle
 * and the ACL tests).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName, s3, s3Client, s3Error } from "./s3-clients";

const MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema";

describe("S3 bucket settings", () => {
  const client = s3Client();
  const Bucket = bucketName("settings");
  const missing = bucketName("settings-missing");

  beforeAll(async () => {
    await client.send(new s3.CreateBucketCommand({ Bucket }));
  });

  it("stores, returns and deletes a bucket policy as sent", async () => {
    const none = await s3Error(() => client.send(new s3.GetBucketPolicyCommand({ Bucket })));
    expect(none).toMatchObject({
      name: "NoSuchBucketPolicy",
      status: 404,
      message: "The bucket policy does not exist",
      BucketName: Bucket,
    });
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Action: "s3:GetObject", Effect: "Allow", Resource: `arn:aws:s3:::${Bucket}/*`, Principal: { AWS: "*" } }],
    };
    const Policy = JSON.stringify(policy);
    const put = await client.send(new s3.PutBucketPolicyCommand({ Bucket, Policy }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect((await client.send(new s3.GetBucketPolicyCommand({ Bucket }))).Policy).toBe(Policy);
    await client.send(new s3.DeleteBucketPolicyCommand({ Bucket }));
    expect(await s3Error(() => client.send(new s3.GetBucketPolicyCommand({ Bucket })))).toMatchObject({
      name: "NoSuchBucketPolicy",
    });
    await client.send(new s3.DeleteBucketPolicyCommand({ Bucket }));
  });

  it("refuses malformed policies with AWS's MalformedPolicy texts", async () => {
    const refused = (Policy: string) => s3Error(() => client.send(new s3.PutBucketPolicyCommand({ Bucket, Policy })));
    for (const Policy of ["", "invalid json"])
      expect(await refused(Policy)).toMatchObject({
        name: "MalformedPolicy",
        status: 400,
        message: "Policies must be valid JSON and the first byte must be '{'",
      });
    expect(await refused("{}")).toMatchObject({ name: "MalformedPolicy", message: "Missing required field Statement" });
    const wrongAction = { Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" }] };
    expect(await refused(JSON.stringify(wrongAction))).toMatchObject({ message: "Policy has invalid action" });
    const otherBucket = { Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::other/*" }] };
    expect(await refused(JSON.stringify(otherBucket))).toMatchObject({ message: "Policy has invalid resource" });
    expect(await s3Error(() => client.send(new s3.PutBucketPolicyCommand({ Bucket: missing, Policy: "{}" })))).toMatchObject({
      name: "NoSuchBucket",
    });
  });

  it("stores the versioning status as recorded (objects stay unversioned)", async () => {
    const before = await client.send(new s3.GetBucketVersioningCommand({ Bucket }));
    expect(before.Status).toBeUndefined();
    await client.send(new s3.PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } }));
    expect((await client.send(new s3.GetBucketVersioningCommand({ Bucket }))).Status).toBe("Suspended");
    for (const Status of ["enabled", "Disabled"]) {
      const error = await s3Error(() =>
        client.send(new s3.PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: Status as "Enabled" } })),
      );
      expect(error).toMatchObject({ name: "MalformedXML", status: 400, message: MALFORMED_XML });
    }
    await client.send(
      new s3.PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled", MFADelete: "Disabled" } }),
    );
    const after = await client.send(new s3.GetBucketVersioningCommand({ Bucket }));
    expect(after).toMatchObject({ Status: "Enabled", MFADelete: "Disabled" });
    const empty = await s3Error(() => client.send(new s3.PutBucketVersioningCommand({ Bucket, VersioningConfiguration: {} })));
    expect(empty).toMatchObject({
      name: "IllegalVersioningConfigurationException",
      message: "The Versioning element must be specified",
    });
    for (const command of [
      new s3.GetBucketVersioningCommand({ Bucket: missing }),
      new s3.PutBucketVersioningCommand({ Bucket: missing, VersioningConfiguration: { Status: "Suspended" } }),
    ])
      expect(await s3Error(() => client.send(command as never))).toMatchObject({ name: "NoSuchBucket", BucketName: missing });
  });

  it("stores, returns and deletes a lifecycle configuration", async () => {
    const none = await s3Error(() => client.send(new s3.GetBucketLifecycleConfigurationCommand({ Bucket })));
    expect(none).toMatchObject({
      name: "NoSuchLifecycleConfiguration",
      status: 404,
      message: "The lifecycle configuration does not exist",
      BucketName: Bucket,
    });
    await client.send(new s3.DeleteBucketLifecycleCommand({ Bucket }));
    const Rules = [{ Expiration: { Days: 7 }, ID: "wholebucket", Filter: { Prefix: "" }, Status: "Enabled" as const }];
    const put = await client.send(new s3.PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
    expect(put.TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
    const got = await client.send(new s3.GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(got.Rules).toEqual(Rules);
    expect(got.TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
    const tagRules = [
      { ID: "rule_one", Filter: { Tag: { Key: "k", Value: "v" } }, Status: "Enabled" as const, Expiration: { Days: 1 } },
      {
        ID: "rule_two",
        Filter: {
          And: {
            Tags: [
              { Key: "a", Value: "1" },
              { Key: "b", Value: "2" },
            ],
          },
        },
        Status: "Disabled" as const,
        Expiration: { Date: new Date("2023-01-01T00:00:00Z") },
      },
    ];
    await client.send(
      new s3.PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: { Rules: tagRules },
        TransitionDefaultMinimumObjectSize: "varies_by_storage_class",
      }),
    );
    const tagged = await client.send(new s3.GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(tagged.Rules).toEqual(tagRules);
    expect(tagged.TransitionDefaultMinimumObjectSize).toBe("varies_by_storage_class");
    await client.send(new s3.DeleteBucketLifecycleCommand({ Bucket }));
    expect(await s3Error(() => client.send(new s3.GetBucketLifecycleConfigurationCommand({ Bucket })))).toMatchObject({
      name: "NoSuchLifecycleConfiguration",
    });
  });

  it("validates lifecycle rules as recorded", async () => {
    const refused = (Rules: s3.LifecycleRule[], TransitionDefaultMinimumObjectSize?: string) =>
      s3Error(() =>
        client.send(
          new s3.PutBucketLifecycleConfigurationCommand({
            Bucket,
            LifecycleConfiguration: { Rules },
            ...(TransitionDefaultMinimumObjectSize
              ? { TransitionDefaultMinimumObjectSize: TransitionDefaultMinimumObjectSize as never }
              : {}),
          }),
        ),
      );
    const malformed = [
      [{ Expiration: { Days: 7 }, Status: "Enabled" }],
      [{ Expiration: { Days: 7 }, Filter: {}, ID: "x", Status: "Enabled", NoncurrentVersionExpiration: {} }],
      [{ Expiration: { Days: 7 }, Filter: { And: { Prefix: "test" }, Prefix: "" }, ID: "x", Status: "Enabled" }],
      [{ Expiration: { Days: 7 }, Filter: { ObjectSizeGreaterThan: 500, Prefix: "" }, ID: "x", Status: "Enabled" }],
      [{ ID: "x", Filter: {}, Status: "Enabled", Expiration: { Days: 1, ExpiredObjectDeleteMarker: true } }],
    ] as s3.LifecycleRule[][];
    for (const Rules of malformed) expect(await refused(Rules)).toMatchObject({ name: "MalformedXML", message: MALFORMED_XML });
    const notMidnight = await refused([
      { ID: "wrong-data", Filter: {}, Status: "Enabled", Expiration: { Date: new Date("2023-01-01T02:02:00Z") } },
    ]);
    expect(notMidnight).toMatchObject({
      name: "InvalidArgument",
      message: "'Date' must be at midnight GMT",
      ArgumentName: "Date",
    });
    const duplicateTags = await refused([
      {
        ID: "duplicate-tag-keys",
        Filter: {
          And: {
            Tags: [
              { Key: "t", Value: "1" },
              { Key: "t", Value: "2" },
            ],
          },
        },
        Status: "Enabled",
        Expiration: { Days: 1 },
      },
    ]);
    expect(duplicateTags).toMatchObject({ name: "InvalidRequest", message: "Duplicate Tag Keys are not allowed." });
    const rule = [
      { Expiration: { Days: 7 }, ID: "wholebucket", Filter: { Prefix: "" }, Status: "Enabled" },
    ] as s3.LifecycleRule[];
    expect(await refused(rule, "value")).toMatchObject({
      name: "InvalidRequest",
      message: "Invalid TransitionDefaultMinimumObjectSize found: value",
    });
  });

  it("forgets the lifecycle configuration of a deleted bucket created again", async () => {
    const name = bucketName("settings-recreate");
    await client.send(new s3.CreateBucketCommand({ Bucket: name }));
    const Rules = [{ Expiration: { Days: 7 }, ID: "wholebucket", Filter: { Prefix: "" }, Status: "Enabled" as const }];
    await client.send(new s3.PutBucketLifecycleConfigurationCommand({ Bucket: name, LifecycleConfiguration: { Rules } }));
    await client.send(new s3.DeleteBucketCommand({ Bucket: name }));
    await client.send(new s3.CreateBucketCommand({ Bucket: name }));
    expect(await s3Error(() => client.send(new s3.GetBucketLifecycleConfigurationCommand({ Bucket: name })))).toMatchObject({
      name: "NoSuchLifecycleConfiguration",
    });
  });

  it("answers SSE-S3 as the default encryption, stores another, and deletes back to the default", async () => {
    const byDefault = await client.send(new s3.GetBucketEncryptionCommand({ Bucket }));
    expect(byDefault.ServerSideEncryptionConfiguration).toEqual({
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }],
    });
    const rule = {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: "key-1" },
      BucketKeyEnabled: true,
    };
    await client.send(new s3.PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [rule] } }));
    expect((await client.send(new s3.GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules).toEqual([
      rule,
    ]);
    await client.send(new s3.DeleteBucketEncryptionCommand({ Bucket }));
    await client.send(new s3.DeleteBucketEncryptionCommand({ Bucket }));
    expect((await client.send(new s3.GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration).toEqual(
      byDefault.ServerSideEncryptionConfiguration,
    );
    const refused = (Rules: s3.ServerSideEncryptionRule[]) =>
      s3Error(() => client.send(new s3.PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules } })));
    expect(await refused([])).toMatchObject({ name: "MalformedXML" });
    const aes = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" as const } };
    expect(await refused([rule, aes])).toMatchObject({ name: "MalformedXML" });
    expect(
      await refused([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256", KMSMasterKeyID: "randomkeyid" } }]),
    ).toMatchObject({
      name: "InvalidArgument",
      message: "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
      ArgumentName: "ApplyServerSideEncryptionByDefault",
    });
    expect(await s3Error(() => client.send(new s3.GetBucketEncryptionCommand({ Bucket: missing })))).toMatchObject({
      name: "NoSuchBucket",
    });
  });

  it("answers the owner's FULL_CONTROL grant and canned ACLs as grants", async () => {
    const owner = (await client.send(new s3.ListBucketsCommand({}))).Owner!.ID!;
    const ownerGrant = { Grantee: { ID: owner, Type: "CanonicalUser" }, Permission: "FULL_CONTROL" };
    const initial = await client.send(new s3.GetBucketAclCommand({ Bucket }));
    expect(initial.Owner?.ID).toBe(owner);
    expect(initial.Grants).toEqual([ownerGrant]);
    await client.send(new s3.PutBucketAclCommand({ Bucket, ACL: "public-read" }));
    expect((await client.send(new s3.GetBucketAclCommand({ Bucket }))).Grants).toEqual([
      ownerGrant,
      { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers" }, Permission: "READ" },
    ]);
    await client.send(new s3.PutBucketAclCommand({ Bucket, GrantRead: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"' }));
    expect((await client.send(new s3.GetBucketAclCommand({ Bucket }))).Grants).toEqual([
      { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "READ" },
    ]);
    await client.send(new s3.PutBucketAclCommand({ Bucket, ACL: "private" }));
    expect((await client.send(new s3.GetBucketAclCommand({ Bucket }))).Grants).toEqual([ownerGrant]);

    const Key = "object-key-acl";
    await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: "x" }));
    await client.send(new s3.PutObjectAclCommand({ Bucket, Key, ACL: "public-read" }));
    expect((await client.send(new s3.GetObjectAclCommand({ Bucket, Key }))).Grants).toEqual([ownerGrant]);
    expect(await s3Error(() => client.send(new s3.GetObjectAclCommand({ Bucket, Key: "nope" })))).toMatchObject({
      name: "NoSuchKey",
    });
  });

  it("refuses ACL requests as recorded", async () => {
    const put = (input: Omit<s3.PutBucketAclCommandInput, "Bucket">) =>
      s3Error(() => client.send(new s3.PutBucketAclCommand({ Bucket, ...input })));
    expect(await put({ ACL: "fake-acl" as never })).toMatchObject({
      name: "InvalidArgument",
      ArgumentName: "x-amz-acl",
      ArgumentValue: "fake-acl",
    });
    expect(await put({ GrantWrite: 'uri="http://acs.amazonaws.com/groups/s3/FakeGroup"' })).toMatchObject({
      message: "Invalid group uri",
      ArgumentName: "uri",
      ArgumentValue: "http://acs.amazonaws.com/groups/s3/FakeGroup",
    });
    expect(await put({ GrantWrite: 'fakekey="1234"' })).toMatchObject({
      message: "Argument format not recognized",
      ArgumentName: "x-amz-grant-write",
      ArgumentValue: 'fakekey="1234"',
    });
    expect(await put({ GrantWrite: 'id="wrong-id"' })).toMatchObject({
      message: "Invalid id",
      ArgumentName: "id",
      ArgumentValue: "wrong-id",
    });
    expect(await put({})).toMatchObject({ name: "MissingSecurityHeader", MissingHeaderName: "x-amz-acl" });
    const owner = (await client.send(new s3.ListBucketsCommand({}))).Owner!;
    const logDelivery = {
      Grantee: { URI: "http://acs.amazonaws.com/groups/s3/LogDelivery", Type: "Group" as const },
      Permission: "WRITE" as const,
    };
    const malformedAcl = { name: "MalformedACLError", message: MALFORMED_XML };
    expect(await put({ AccessControlPolicy: { Grants: [logDelivery] } })).toMatchObject(malformedAcl);
    expect(
      await put({ AccessControlPolicy: { Owner: owner, Grants: [{ ...logDelivery, Permission: "WRONG-PERMISSION" as never }] } }),
    ).toMatchObject(malformedAcl);
    expect(await put({ AccessControlPolicy: { Owner: { ID: "wrong-id" }, Grants: [logDelivery] } })).toMatchObject({
      name: "InvalidArgument",
      message: "Invalid id",
      ArgumentName: "CanonicalUser/ID",
      ArgumentValue: "wrong-id",
    });
    const fakeGroup = {
      ...logDelivery,
      Grantee: { ...logDelivery.Grantee, URI: "http://acs.amazonaws.com/groups/s3/FakeGroup" },
    };
    expect(await put({ AccessControlPolicy: { Owner: owner, Grants: [fakeGroup] } })).toMatchObject({
      message: "Invalid group uri",
      ArgumentName: "Group/URI",
    });
    const badType = { Grantee: { ID: "wrong-id", Type: "BadType" as never }, Permission: "WRITE" as const };
    expect(await put({ AccessControlPolicy: { Owner: owner, Grants: [badType] } })).toMatchObject(malformedAcl);
    expect(await put({ AccessControlPolicy: {} })).toMatchObject(malformedAcl);
    const ownerOnly = {
      Owner: owner,
      Grants: [{ Grantee: { ID: owner.ID, Type: "CanonicalUser" as const }, Permission: "FULL_CONTROL" as const }],
    };
    expect(await put({ ACL: "private", AccessControlPolicy: ownerOnly })).toMatchObject({
      name: "UnexpectedContent",
      message: "This request does not support content",
    });
    await client.send(
      new s3.PutBucketAclCommand({ Bucket, AccessControlPolicy: { ...ownerOnly, Grants: [...ownerOnly.Grants, logDelivery] } }),
    );
    expect((await client.send(new s3.GetBucketAclCommand({ Bucket }))).Grants).toEqual([...ownerOnly.Grants, logDelivery]);
    await client.send(new s3.PutBucketAclCommand({ Bucket, ACL: "private" }));
    expect(await put({ ACL: "private", GrantRead: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"' })).toMatchObject({
      name: "InvalidRequest",
      message: "Specifying both Canned ACLs and Header Grants is not allowed",
    });
  });
});
