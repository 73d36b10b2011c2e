/**
 * A bucket's event notifications: its NotificationConfiguration (in meta, kept in memory), the event
 * sequence behind `sequencer` (in meta), and the outbox the messages wait in until delivered. Events
 * are recorded by `record`, called inside the transaction of the object change they are about, so a
 * change and its messages are committed together; the bucket object then starts `pump` (and arms its
 * alarm as the retry watchdog).
 */
import type { BucketInfo, RequestEvent } from "../../domain/s3/contract";
import {
  accountPrincipalId,
  messagesFor,
  nextSequence,
  sequencer,
  testEventsFor,
  type EventDetails,
  type OutgoingMessage,
} from "../../domain/s3/event-message";
import { EMPTY_NOTIFICATION_CONFIGURATION, type NotificationConfiguration } from "../../domain/s3/notification-config";
import type { S3EventName } from "../../domain/s3/notification-events";
import type { MetaTable } from "../meta";
import { notificationDelivery } from "./notification-delivery";
import { NotificationOutbox, type Notification, type PumpReport } from "./notification-outbox";

const CONFIG_KEY = "notification";
const SEQUENCE_KEY = "event-sequence";

/** What an event says about its object (the rest comes from the bucket and the request). */
export interface EventObject {
  key: string;
  size?: number;
  eTag?: string;
  versionId?: string;
}

/** An event of a caller that did not say who it is (an internal change): the bucket's owner, locally. */
const unknownRequest = (bucket: BucketInfo): RequestEvent => ({
  requestId: crypto.randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase(),
  hostId: "",
  requester: accountPrincipalId(bucket.owner),
  sourceIp: "127.0.0.1",
});

const withDelivery = (messages: OutgoingMessage[], event: RequestEvent): Notification[] =>
  messages.map((m) => ({
    ...m,
    ...(event.traceHeader ? { traceHeader: event.traceHeader } : {}),
    ...(event.origin ? { origin: event.origin } : {}),
  }));

export class BucketNotifications {
  readonly #meta: MetaTable;
  readonly #outbox: NotificationOutbox;
  readonly #deliver;
  #config: NotificationConfiguration;
  #sequence: number;

  constructor(sql: SqlStorage, meta: MetaTable, env: Env) {
    this.#meta = meta;
    this.#outbox = new NotificationOutbox(sql);
    this.#deliver = notificationDelivery(env);
    this.#config = meta.get<NotificationConfiguration>(CONFIG_KEY) ?? EMPTY_NOTIFICATION_CONFIGURATION;
    this.#sequence = meta.get<number>(SEQUENCE_KEY) ?? 0;
  }

  get configuration(): NotificationConfiguration {
    return this.#config;
  }

  /**
   * Stores a configuration and the test events it sends (call inside a transaction); returns whether
   * messages were added (then pump).
   */
  configure(
    config: NotificationConfiguration,
    bucket: BucketInfo,
    event: RequestEvent,
    sendTests: boolean,
    now: number,
  ): boolean {
    if (config.destinations.length || config.eventBridge) this.#meta.set(CONFIG_KEY, config);
    else this.#meta.delete(CONFIG_KEY);
    const tests = sendTests
      ? testEventsFor(config, { bucket: bucket.name, requestId: event.requestId, hostId: event.hostId, time: now })
      : [];
    this.#outbox.add(withDelivery(tests, event), now);
    this.#config = config;
    return tests.length > 0;
  }

  /**
   * Records an event: one message per configuration that takes it. Call inside the transaction of the
   * change; returns whether messages were added (then pump once it is committed).
   */
  record(
    bucket: BucketInfo,
    eventName: S3EventName,
    object: EventObject,
    request: RequestEvent | undefined,
    now: number,
  ): boolean {
    if (!this.#config.destinations.length) return false;
    const event = request ?? unknownRequest(bucket);
    this.#sequence = nextSequence(this.#sequence, now);
    this.#meta.set(SEQUENCE_KEY, this.#sequence);
    const details: EventDetails = {
      eventName,
      eventTime: now,
      region: bucket.region,
      bucket: bucket.name,
      bucketOwner: accountPrincipalId(bucket.owner),
      requester: event.requester,
      sourceIp: event.sourceIp,
      requestId: event.requestId,
      hostId: event.hostId,
      object: { ...object, sequencer: sequencer(this.#sequence) },
    };
    const messages = messagesFor(this.#config, details);
    this.#outbox.add(withDelivery(messages, event), now);
    return messages.length > 0;
  }

  /** Works off every due message (one pump at a time; see NotificationOutbox.pump). */
  pump(): Promise<PumpReport> {
    return this.#outbox.pump(this.#deliver);
  }

  nextDue(): number | undefined {
    return this.#outbox.nextDue();
  }

  /** The bucket is deleted: its configuration and whatever it still owed go with it. */
  clear(): void {
    this.#meta.delete(CONFIG_KEY);
    this.#outbox.clear();
    this.#config = EMPTY_NOTIFICATION_CONFIGURATION;
  }
}
