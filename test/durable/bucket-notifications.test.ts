/**
 * The bucket object's notification wiring over real Durable Object storage: events are written in the
 * transaction of the object change (read here in the same turn, before the pump runs), sequencers
 * increase within one millisecond, DeleteBucket forgets what is still owed, and what a pump left
 * behind is delivered by the alarm, to a real queue object.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RequestEvent } from "../../src/domain/s3/contract";
import type { NotificationConfiguration } from "../../src/domain/s3/notification-config";
import { STANDARD_DEFAULTS } from "../../src/domain/sqs/queue-attributes";
import { bucketObject, queueObject } from "../../src/durable/names";
import { value } from "../unit/results";
import { ref } from "./queue-fixtures";

const ACCOUNT = "000000000000";
const REGION = "us-east-1";
const access = { account: ACCOUNT, strict: false };
const request: RequestEvent = { requestId: "0123456789ABCDEF", hostId: "aG9zdA==", requester: "AWS:test", sourceIp: "10.0.0.1" };

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

function newBucket() {
  const name = unique("bucket");
  const stub = bucketObject(env, name);
  return { name, stub };
}

const toQueue = (arn: string): NotificationConfiguration => ({
  destinations: [{ id: "c1", kind: "queue", arn, events: ["s3:ObjectRemoved:*"], rules: [], filter: {} }],
  eventBridge: false,
});

async function createQueue() {
  const q = ref(unique("queue"));
  const stub = queueObject(env, q);
  value(await stub.create({ ...q, attributes: { ...STANDARD_DEFAULTS }, requested: {}, tags: {} }));
  return { stub, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${q.name}` };
}

const owed = (sql: SqlStorage) =>
  sql
    .exec<{ body: string }>("SELECT body FROM notification_outbox ORDER BY seq")
    .toArray()
    .map((r) => JSON.parse(r.body));

describe("bucket object notifications", () => {
  it("writes each event with its change, with increasing sequencers, and DeleteBucket forgets what is owed", async () => {
    const { name, stub } = newBucket();
    await runInDurableObject(stub, async (bucket, state) => {
      bucket.create({ name, owner: ACCOUNT, region: REGION, createdAt: Date.now() });
      value(bucket.putNotificationConfiguration(access, toQueue(`arn:aws:sqs:${REGION}:${ACCOUNT}:nowhere`), request, false));
      // In the same turn as the changes: the pump (a later turn) has not run yet.
      value(bucket.deleteObject(access, "a b", { event: request }));
      value(bucket.deleteObject(access, "a b", { event: request }));
      const [first, second] = owed(state.storage.sql).map((m) => m.Records[0]);
      expect(first).toMatchObject({
        eventName: "ObjectRemoved:Delete",
        awsRegion: REGION,
        userIdentity: { principalId: "AWS:test" },
        requestParameters: { sourceIPAddress: "10.0.0.1" },
        responseElements: { "x-amz-request-id": request.requestId, "x-amz-id-2": request.hostId },
        s3: { configurationId: "c1", bucket: { name }, object: { key: "a+b" } },
      });
      expect(second.s3.object.sequencer > first.s3.object.sequencer).toBe(true);
      expect(await state.storage.getAlarm()).not.toBeNull();
      value(bucket.destroy(access));
      expect(owed(state.storage.sql)).toEqual([]);
      expect(state.storage.sql.exec("SELECT value FROM meta WHERE key = 'notification'").toArray()).toEqual([]);
    });
  });

  it("sends nothing and writes nothing while no configuration takes the event", async () => {
    const { name, stub } = newBucket();
    await runInDurableObject(stub, async (bucket, state) => {
      bucket.create({ name, owner: ACCOUNT, region: REGION, createdAt: Date.now() });
      value(bucket.deleteObject(access, "k", { event: request }));
      const config = toQueue(`arn:aws:sqs:${REGION}:${ACCOUNT}:q`);
      config.destinations[0]!.filter = { prefix: "logs/" };
      value(bucket.putNotificationConfiguration(access, config, request, false));
      value(bucket.deleteObject(access, "k", { event: request }));
      expect(owed(state.storage.sql)).toEqual([]);
      expect(value(bucket.getNotificationConfiguration(access))).toEqual(config);
    });
  });

  it("the alarm delivers what a pump left behind, and then stands down", async () => {
    const queue = await createQueue();
    const { name, stub } = newBucket();
    await runInDurableObject(stub, async (bucket, state) => {
      bucket.create({ name, owner: ACCOUNT, region: REGION, createdAt: Date.now() });
      value(bucket.putNotificationConfiguration(access, toQueue(queue.arn), request, false));
      // A message owed by an earlier run of the object, whose pump never got to it.
      state.storage.sql.exec(
        "INSERT INTO notification_outbox (kind, arn, body, created_at, due_at) VALUES ('queue', ?, 'left behind', ?, ?)",
        queue.arn,
        Date.now(),
        Date.now(),
      );
      await state.storage.setAlarm(Date.now());
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const got = value(await queue.stub.receive({ maxMessages: 10, visibilityTimeout: 0, waitSeconds: 0 }));
    expect(got.map((m) => m.body)).toEqual(["left behind"]);
    await runInDurableObject(stub, async (_bucket, state) => {
      expect(owed(state.storage.sql)).toEqual([]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });
});
