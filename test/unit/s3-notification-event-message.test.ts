/**
 * The event JSON as AWS writes it, field by field and in AWS's order, checked against the records
 * AWS-recorded in `test_s3_notifications_sqs.snapshot.json` (placeholders like `<region>` stand for
 * values of the recording run), and the `s3:TestEvent` message.
 */
import { describe, expect, it } from "vitest";
import {
  eventMessage,
  eventRecord,
  eventVersion,
  nextSequence,
  sequencer,
  SNS_SUBJECT,
  testEventMessage,
  type EventDetails,
} from "../../src/domain/s3/event-message";
import { eventKey } from "../../src/domain/s3/notification-events";

/**
 * Records AWS wrote (`test_s3_notifications_sqs.snapshot.json`, copied here: the recordings are not part
 * of the repository). The recording replaced run-specific values with placeholders.
 */
const RECORDED = {
  xray: {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: "<region>",
    eventTime: "date",
    eventName: "ObjectCreated:Put",
    userIdentity: { principalId: "<principal-id:2>" },
    requestParameters: { sourceIPAddress: "<ip-address:1>" },
    responseElements: { "x-amz-request-id": "amz-request-id", "x-amz-id-2": "amz-id" },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "<config-id:1>",
      bucket: {
        name: "<resource:1>",
        ownerIdentity: { principalId: "<principal-id:1>" },
        arn: "arn:<partition>:s3:::<resource:1>",
      },
      object: { key: "test-data", size: 9, eTag: "437b930db84b8079c2dd804a71936b5f", sequencer: "sequencer" },
    },
  },
  put: {
    awsRegion: "<region>",
    eventName: "ObjectCreated:Put",
    eventSource: "aws:s3",
    eventTime: "date",
    eventVersion: "2.1",
    requestParameters: { sourceIPAddress: "<ip-address:1>" },
    responseElements: { "x-amz-id-2": "amz-id", "x-amz-request-id": "amz-request-id" },
    s3: {
      bucket: {
        arn: "arn:<partition>:s3:::<resource:1>",
        name: "<resource:1>",
        ownerIdentity: { principalId: "<principal-id:1>" },
      },
      configurationId: "<config-id:1>",
      object: { eTag: "437b930db84b8079c2dd804a71936b5f", key: "my_key_0", sequencer: "sequencer", size: 9 },
      s3SchemaVersion: "1.0",
    },
    userIdentity: { principalId: "<principal-id:2>" },
  },
  multipart: {
    awsRegion: "<region>",
    eventName: "ObjectCreated:CompleteMultipartUpload",
    eventSource: "aws:s3",
    eventTime: "date",
    eventVersion: "2.1",
    requestParameters: { sourceIPAddress: "<ip-address:1>" },
    responseElements: { "x-amz-id-2": "amz-id", "x-amz-request-id": "amz-request-id" },
    s3: {
      bucket: {
        arn: "arn:<partition>:s3:::<resource:1>",
        name: "<resource:1>",
        ownerIdentity: { principalId: "<principal-id:1>" },
      },
      configurationId: "<config-id:1>",
      object: { eTag: "8eabe9d6b43316e840b079170916c079-1", key: "test-key", sequencer: "sequencer", size: 6144 },
      s3SchemaVersion: "1.0",
    },
    userIdentity: { principalId: "<principal-id:2>" },
  },
  keyEncoding: {
    awsRegion: "<region>",
    eventName: "ObjectCreated:Put",
    eventSource: "aws:s3",
    eventTime: "date",
    eventVersion: "2.1",
    requestParameters: { sourceIPAddress: "<ip-address:1>" },
    responseElements: { "x-amz-id-2": "amz-id", "x-amz-request-id": "amz-request-id" },
    s3: {
      bucket: {
        arn: "arn:<partition>:s3:::<resource:1>",
        name: "<resource:1>",
        ownerIdentity: { principalId: "<principal-id:1>" },
      },
      configurationId: "<config-id:1>",
      object: { eTag: "437b930db84b8079c2dd804a71936b5f", key: "a%40b", sequencer: "sequencer", size: 9 },
      s3SchemaVersion: "1.0",
    },
    userIdentity: { principalId: "<principal-id:2>" },
  },
  deleteMarker: {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: "<region>",
    eventTime: "date",
    eventName: "ObjectRemoved:DeleteMarkerCreated",
    userIdentity: { principalId: "<principal-id:2>" },
    requestParameters: { sourceIPAddress: "<ip-address:1>" },
    responseElements: { "x-amz-request-id": "amz-request-id", "x-amz-id-2": "amz-id" },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "<config-id:1>",
      bucket: {
        name: "<resource:1>",
        ownerIdentity: { principalId: "<principal-id:1>" },
        arn: "arn:<partition>:s3:::<resource:1>",
      },
      object: { key: "test-key", eTag: "d41d8cd98f00b204e9800998ecf8427e", versionId: "version-id", sequencer: "sequencer" },
    },
  },
  acl: {
    awsRegion: "<region>",
    eventName: "ObjectAcl:Put",
    eventSource: "aws:s3",
    eventTime: "date",
    eventVersion: "2.3",
    requestParameters: { sourceIPAddress: "<ip-address:1>" },
    responseElements: { "x-amz-id-2": "amz-id", "x-amz-request-id": "amz-request-id" },
    s3: {
      bucket: {
        arn: "arn:<partition>:s3:::<resource:1>",
        name: "<resource:1>",
        ownerIdentity: { principalId: "<principal-id:1>" },
      },
      configurationId: "<config-id:1>",
      object: { eTag: "437b930db84b8079c2dd804a71936b5f", key: "my_key_acl" },
      s3SchemaVersion: "1.0",
    },
    userIdentity: { principalId: "<principal-id:2>" },
  },
  restorePost: {
    awsRegion: "<region>",
    eventName: "ObjectRestore:Post",
    eventSource: "aws:s3",
    eventTime: "date",
    eventVersion: "2.1",
    requestParameters: { sourceIPAddress: "<ip-address:1>" },
    responseElements: { "x-amz-id-2": "amz-id", "x-amz-request-id": "amz-request-id" },
    s3: {
      bucket: {
        arn: "arn:<partition>:s3:::<resource:1>",
        name: "<resource:1>",
        ownerIdentity: { principalId: "<principal-id:1>" },
      },
      configurationId: "<config-id:1>",
      object: { eTag: "437b930db84b8079c2dd804a71936b5f", key: "my_key_restore", sequencer: "sequencer", size: 9 },
      s3SchemaVersion: "1.0",
    },
    userIdentity: { principalId: "<principal-id:2>" },
  },
  restoreCompleted: {
    awsRegion: "<region>",
    eventName: "ObjectRestore:Completed",
    eventSource: "aws:s3",
    eventTime: "date",
    eventVersion: "2.1",
    glacierEventData: { restoreEventData: { lifecycleRestorationExpiryTime: "date", lifecycleRestoreStorageClass: "GLACIER" } },
    requestParameters: { sourceIPAddress: "<ip-address:2>" },
    responseElements: { "x-amz-id-2": "amz-id", "x-amz-request-id": "amz-request-id" },
    s3: {
      bucket: {
        arn: "arn:<partition>:s3:::<resource:1>",
        name: "<resource:1>",
        ownerIdentity: { principalId: "<principal-id:1>" },
      },
      configurationId: "<config-id:1>",
      object: { eTag: "437b930db84b8079c2dd804a71936b5f", key: "my_key_restore", sequencer: "sequencer", size: 9 },
      s3SchemaVersion: "1.0",
    },
    userIdentity: { principalId: "AmazonCustomer:<principal-id:1>" },
  },
} as const;

const TIME = Date.UTC(2025, 0, 21, 23, 21, 10, 123);

const details = (overrides: Partial<EventDetails> = {}, object: Partial<EventDetails["object"]> = {}): EventDetails => ({
  eventName: "s3:ObjectCreated:Put",
  eventTime: TIME,
  region: "us-east-1",
  bucket: "my-bucket",
  bucketOwner: "A3NL1KOZZKExample",
  requester: "AWS:AIDAJDPLRKLG7UEXAMPLE",
  sourceIp: "127.0.0.1",
  requestId: "C3D13FE58DE4C810",
  hostId: "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
  ...overrides,
  object: { key: "my_key_0", size: 9, eTag: '"437b930db84b8079c2dd804a71936b5f"', sequencer: "0055AED6DCD90281E5", ...object },
});

/** A record with the values the recording replaced by placeholders put back as placeholders. */
const asRecorded = (record: ReturnType<typeof eventRecord>) =>
  JSON.parse(
    JSON.stringify(record)
      .replaceAll("us-east-1", "<region>")
      .replaceAll("arn:aws:", "arn:<partition>:")
      .replaceAll("my-bucket", "<resource:1>")
      .replaceAll("A3NL1KOZZKExample", "<principal-id:1>")
      .replaceAll("AWS:AIDAJDPLRKLG7UEXAMPLE", "<principal-id:2>")
      .replaceAll("127.0.0.1", "<ip-address:1>")
      .replaceAll("C3D13FE58DE4C810", "amz-request-id")
      .replaceAll(details().hostId, "amz-id")
      .replaceAll("2025-01-21T23:21:10.123Z", "date")
      .replaceAll("0055AED6DCD90281E5", "sequencer")
      .replaceAll("config-1", "<config-id:1>"),
  );

describe("event records", () => {
  it("writes an ObjectCreated:Put record in AWS's field order (AWS-recorded `test_xray_header`)", () => {
    const record = eventRecord(details({}, { key: "test-data" }), "config-1");
    expect(Object.keys(record)).toEqual([
      "eventVersion",
      "eventSource",
      "awsRegion",
      "eventTime",
      "eventName",
      "userIdentity",
      "requestParameters",
      "responseElements",
      "s3",
    ]);
    expect(Object.keys(record.s3)).toEqual(["s3SchemaVersion", "configurationId", "bucket", "object"]);
    expect(Object.keys(record.s3.bucket)).toEqual(["name", "ownerIdentity", "arn"]);
    expect(Object.keys(record.s3.object)).toEqual(["key", "size", "eTag", "sequencer"]);
    expect(Object.keys(record.responseElements)).toEqual(["x-amz-request-id", "x-amz-id-2"]);
    expect(record).toMatchObject({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      eventTime: "2025-01-21T23:21:10.123Z",
      eventName: "ObjectCreated:Put",
      s3: { bucket: { arn: "arn:aws:s3:::my-bucket" }, object: { eTag: "437b930db84b8079c2dd804a71936b5f", size: 9 } },
    });
    // Key order too: the recording kept this body as SQS delivered it.
    expect(JSON.stringify(asRecorded(record))).toBe(JSON.stringify(RECORDED.xray));
  });

  it("a message is one record, as the queue body or the topic Message", () => {
    expect(JSON.parse(eventMessage(details(), "config-1"))).toEqual({ Records: [eventRecord(details(), "config-1")] });
    expect(SNS_SUBJECT).toBe("Amazon S3 Notification");
  });

  it("matches every ObjectCreated and ObjectRemoved record AWS wrote (AWS-recorded)", () => {
    const cases: [unknown, EventDetails][] = [
      [RECORDED.put, details({}, { key: "my_key_0" })],
      [
        RECORDED.multipart,
        details(
          { eventName: "s3:ObjectCreated:CompleteMultipartUpload" },
          {
            key: "test-key",
            size: 6144,
            eTag: '"8eabe9d6b43316e840b079170916c079-1"',
          },
        ),
      ],
      [RECORDED.keyEncoding, details({}, { key: "a@b" })],
    ];
    for (const [recorded, d] of cases) expect(asRecorded(eventRecord(d, "config-1"))).toEqual(recorded);
  });

  it("removals carry the sequencer and no size or ETag; a delete marker its ETag (AWS-recorded versioned test)", () => {
    const removed = eventRecord(details({ eventName: "s3:ObjectRemoved:Delete" }, { versionId: "v1" }), "c");
    expect(removed.s3.object).toEqual({ key: "my_key_0", versionId: "v1", sequencer: "0055AED6DCD90281E5" });
    const marker = eventRecord(
      details({ eventName: "s3:ObjectRemoved:DeleteMarkerCreated" }, { size: undefined, eTag: undefined, versionId: "v2" }),
      "c",
    );
    expect(marker.s3.object).toEqual({
      key: "my_key_0",
      eTag: "d41d8cd98f00b204e9800998ecf8427e",
      versionId: "v2",
      sequencer: "0055AED6DCD90281E5",
    });
    expect(Object.keys(marker.s3.object)).toEqual(["key", "eTag", "versionId", "sequencer"]);
    expect(JSON.stringify(asRecorded(marker)).replaceAll('"v2"', '"version-id"').replace('"c"', '"<config-id:1>"')).toBe(
      JSON.stringify(RECORDED.deleteMarker).replace("test-key", "my_key_0"),
    );
  });

  it("versioned objects carry their versionId between eTag and sequencer", () => {
    const record = eventRecord(details({}, { versionId: "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY" }), "c");
    expect(Object.keys(record.s3.object)).toEqual(["key", "size", "eTag", "versionId", "sequencer"]);
  });

  it("tagging and ACL events are version 2.3 with the ETag and neither size nor sequencer (AWS-recorded)", () => {
    for (const eventName of ["s3:ObjectTagging:Put", "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put"] as const) {
      const record = eventRecord(details({ eventName }), "c");
      expect(record.eventVersion).toBe("2.3");
      expect(record.s3.object).toEqual({ key: "my_key_0", eTag: "437b930db84b8079c2dd804a71936b5f" });
    }
    const record = eventRecord(details({ eventName: "s3:ObjectAcl:Put" }, { key: "my_key_acl" }), "config-1");
    expect(asRecorded(record)).toEqual(RECORDED.acl);
  });

  it("a completed restore is S3's own doing, with glacierEventData (AWS-recorded `test_restore_object`)", () => {
    const post = eventRecord(details({ eventName: "s3:ObjectRestore:Post" }, { key: "my_key_restore" }), "config-1");
    expect(post.eventVersion).toBe("2.1");
    const completed = eventRecord(
      details(
        { eventName: "s3:ObjectRestore:Completed", restore: { expiryTime: TIME, storageClass: "GLACIER" } },
        { key: "my_key_restore" },
      ),
      "config-1",
    );
    expect(completed.userIdentity.principalId).toBe("AmazonCustomer:A3NL1KOZZKExample");
    expect(completed.glacierEventData).toEqual({
      restoreEventData: { lifecycleRestorationExpiryTime: "2025-01-21T23:21:10.123Z", lifecycleRestoreStorageClass: "GLACIER" },
    });
    expect(asRecorded(post)).toEqual(RECORDED.restorePost);
    // The completion comes from inside S3 (another source IP in the recording).
    expect(asRecorded(completed)).toEqual({
      ...RECORDED.restoreCompleted,
      requestParameters: { sourceIPAddress: "<ip-address:1>" },
    });
  });

  it("uses the version AWS uses for each kind of event", () => {
    expect(eventVersion("s3:ObjectCreated:Copy")).toBe("2.1");
    expect(eventVersion("s3:ObjectRemoved:DeleteMarkerCreated")).toBe("2.1");
    expect(eventVersion("s3:LifecycleExpiration:Delete")).toBe("2.3");
    expect(eventVersion("s3:IntelligentTiering")).toBe("2.3");
    expect(eventVersion("s3:ObjectRestore:Delete")).toBe("2.3");
    expect(eventVersion("s3:Replication:OperationFailedReplication")).toBe("2.2");
  });
});

describe("keys and sequencers", () => {
  it("form-URL-encodes keys, keeping slashes", () => {
    expect(eventKey("a@b")).toBe("a%40b");
    expect(eventKey("red flower.jpg")).toBe("red+flower.jpg");
    expect(eventKey("testupload/dir1/testfile.txt")).toBe("testupload/dir1/testfile.txt");
    expect(eventKey("year=2024/month=01/part-0.csv")).toBe("year%3D2024/month%3D01/part-0.csv");
    expect(eventKey("a+b(1)&c~")).toBe("a%2Bb%281%29%26c%7E");
    expect(eventKey("é 日")).toBe("%C3%A9+%E6%97%A5");
    expect(eventKey("my_key-0.*")).toBe("my_key-0.*");
  });

  it("sequencers are 18 upper-case hex digits that grow with every event, whatever the clock does", () => {
    const first = nextSequence(0, TIME);
    const second = nextSequence(first, TIME);
    const third = nextSequence(second, TIME - 60_000);
    expect(second).toBe(first + 1);
    expect(third).toBe(second + 1);
    expect(sequencer(first)).toMatch(/^[0-9A-F]{18}$/);
    expect(sequencer(first) < sequencer(second) && sequencer(second) < sequencer(third)).toBe(true);
    expect(nextSequence(third, TIME + 1) > third).toBe(true);
  });
});

describe("the test event", () => {
  it("names the service, the event, the bucket and the request, in AWS's order", () => {
    const message = testEventMessage({ bucket: "my-bucket", requestId: "R1", hostId: "H1", time: TIME });
    expect(message).toBe(
      '{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2025-01-21T23:21:10.123Z","Bucket":"my-bucket","RequestId":"R1","HostId":"H1"}',
    );
  });
});
