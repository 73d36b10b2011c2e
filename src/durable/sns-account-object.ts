/**
 * SnsAccountObject: the SNS state of one (account, region) that belongs to no topic: the record of
 * deliveries that cannot really leave this service (email, email-json, sms, application, firehose,
 * and Lambda ARNs), which users read over HTTP (GET /_aws/sns/deliveries); mobile push platform
 * applications and endpoints (sns-account/platform-store.ts); SMS attributes, the opt-out list and
 * the SMS sandbox (sns-account/sms-store.ts).
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Result } from "../domain/errors";
import { endpointDisabled, invalidParameter, platformApplicationDisabled } from "../domain/sns/errors";
import {
  applicationNotFound,
  endpointNotFound,
  PlatformStore,
  type Page,
  type PlatformApplicationRecord,
  type PlatformEndpointRecord,
} from "./sns-account/platform-store";
import { SmsStore, type Chunk, type SandboxNumber } from "./sns-account/sms-store";
import { MetaTable } from "./meta";
import { migrate, type Migration } from "./sql";

const MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE recorded_deliveries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      protocol TEXT NOT NULL,
      endpoint TEXT NOT NULL,
      topic_arn TEXT,
      subscription_arn TEXT,
      message_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      payload TEXT NOT NULL,
      recorded_at INTEGER NOT NULL
    )`,
    "CREATE INDEX recorded_by_endpoint ON recorded_deliveries (protocol, endpoint, seq)",
  ],
  [
    // Details of a recorded delivery that are not its text: SMS sender ID/type/price and outcome,
    // the push platform, a sandbox one-time password.
    "ALTER TABLE recorded_deliveries ADD COLUMN attributes TEXT",
    `CREATE TABLE platform_applications (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      arn TEXT NOT NULL UNIQUE,
      platform TEXT NOT NULL,
      name TEXT NOT NULL,
      attributes TEXT NOT NULL,
      credentials TEXT NOT NULL
    )`,
    `CREATE TABLE platform_endpoints (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      arn TEXT NOT NULL UNIQUE,
      application_arn TEXT NOT NULL,
      token TEXT NOT NULL,
      attributes TEXT NOT NULL
    )`,
    "CREATE INDEX endpoints_by_application ON platform_endpoints (application_arn, seq)",
    "CREATE INDEX endpoints_by_token ON platform_endpoints (application_arn, token)",
    "CREATE TABLE sms_attributes (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE sms_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE sms_opted_out (phone_number TEXT PRIMARY KEY, opted_out_at INTEGER NOT NULL)",
    `CREATE TABLE sms_sandbox_numbers (
      phone_number TEXT PRIMARY KEY,
      status TEXT NOT NULL,
      one_time_password TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
  ],
  [
    // The account's settings rows (MetaTable); the sandbox flag moves there ('true'/'false' are JSON already).
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO meta (key, value) SELECT 'inSandbox', value FROM sms_settings WHERE name = 'in_sandbox'",
    "DROP TABLE sms_settings",
  ],
];

/** Deliveries kept per account and region; older ones are dropped first. */
const MAX_RECORDED = 10_000;

export interface RecordedDelivery {
  protocol: string;
  endpoint: string;
  topicArn: string | null;
  subscriptionArn: string | null;
  messageId: string;
  /** Notification, SubscriptionConfirmation, UnsubscribeConfirmation, or the SMS/push kind. */
  kind: string;
  /** What would have been sent: the email text, the SMS text, the push payload, the Lambda event… */
  payload: string;
  /** Details besides the text: for SMS `status`, `senderId`, `smsType`…; for push `platform`. */
  attributes?: Record<string, string>;
}

export interface RecordedDeliveryEntry extends RecordedDelivery {
  seq: number;
  recordedAt: number;
}

export interface RecordedDeliveryFilter {
  protocol?: string;
  endpoint?: string;
  topicArn?: string;
  /** Only entries after this sequence number (for polling). */
  after?: number;
  limit?: number;
}

export class SnsAccountObject extends DurableObject<Env> {
  readonly #platform: PlatformStore;
  readonly #sms: SmsStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrate(sql, MIGRATIONS);
    this.#platform = new PlatformStore(sql);
    this.#sms = new SmsStore(sql, new MetaTable(sql));
  }

  record(delivery: RecordedDelivery): number {
    const sql = this.ctx.storage.sql;
    const seq = sql
      .exec<{ seq: number }>(
        `INSERT INTO recorded_deliveries (protocol, endpoint, topic_arn, subscription_arn, message_id, kind, payload, attributes, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
        delivery.protocol,
        delivery.endpoint,
        delivery.topicArn,
        delivery.subscriptionArn,
        delivery.messageId,
        delivery.kind,
        delivery.payload,
        delivery.attributes ? JSON.stringify(delivery.attributes) : null,
        Date.now(),
      )
      .one().seq;
    sql.exec("DELETE FROM recorded_deliveries WHERE seq <= ?", seq - MAX_RECORDED);
    return seq;
  }

  recorded(filter: RecordedDeliveryFilter): RecordedDeliveryEntry[] {
    const where: string[] = ["seq > ?"];
    const args: (string | number)[] = [filter.after ?? 0];
    if (filter.protocol) (where.push("protocol = ?"), args.push(filter.protocol));
    if (filter.endpoint) (where.push("endpoint = ?"), args.push(filter.endpoint));
    if (filter.topicArn) (where.push("topic_arn = ?"), args.push(filter.topicArn));
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    return this.ctx.storage.sql
      .exec<{
        seq: number;
        protocol: string;
        endpoint: string;
        topic_arn: string | null;
        subscription_arn: string | null;
        message_id: string;
        kind: string;
        payload: string;
        attributes: string | null;
        recorded_at: number;
      }>(`SELECT * FROM recorded_deliveries WHERE ${where.join(" AND ")} ORDER BY seq LIMIT ?`, ...args, limit)
      .toArray()
      .map((r) => ({
        seq: r.seq,
        protocol: r.protocol,
        endpoint: r.endpoint,
        topicArn: r.topic_arn,
        subscriptionArn: r.subscription_arn,
        messageId: r.message_id,
        kind: r.kind,
        payload: r.payload,
        ...(r.attributes ? { attributes: JSON.parse(r.attributes) as Record<string, string> } : {}),
        recordedAt: r.recorded_at,
      }));
  }

  // Mobile push: platform applications and endpoints.

  putApplication(app: PlatformApplicationRecord, credentials: Record<string, string>): string {
    return this.#platform.putApplication(app, credentials);
  }

  application(arn: string): Result<PlatformApplicationRecord> {
    const app = this.#platform.application(arn);
    return app ? ok(app) : fail(applicationNotFound());
  }

  setApplicationAttributes(arn: string, attributes: Record<string, string>, credentials: Record<string, string>): Result<null> {
    return this.#platform.setApplicationAttributes(arn, attributes, credentials);
  }

  deleteApplication(arn: string): void {
    this.ctx.storage.transactionSync(() => this.#platform.deleteApplication(arn));
  }

  listApplications(after: number, size: number): Page<PlatformApplicationRecord> {
    return this.#platform.listApplications(after, size);
  }

  createEndpoint(applicationArn: string, arn: string, token: string, requested: Record<string, string>): Result<string> {
    return this.#platform.createEndpoint(applicationArn, arn, token, requested);
  }

  endpoint(arn: string): Result<PlatformEndpointRecord> {
    const endpoint = this.#platform.endpoint(arn);
    return endpoint ? ok(endpoint) : fail(endpointNotFound());
  }

  setEndpointAttributes(arn: string, changes: Record<string, string>): Result<null> {
    return this.#platform.setEndpointAttributes(arn, changes);
  }

  deleteEndpoint(arn: string): void {
    this.#platform.deleteEndpoint(arn);
  }

  listEndpoints(applicationArn: string, after: number, size: number): Result<Page<PlatformEndpointRecord>> {
    return this.#platform.listEndpoints(applicationArn, after, size);
  }

  /**
   * Publish to a platform endpoint: it must exist and be enabled, and so must its application; then
   * the payload the push service would get is recorded.
   */
  push(delivery: RecordedDelivery): Result<number> {
    const endpoint = this.#platform.endpoint(delivery.endpoint);
    if (!endpoint) return fail(invalidParameter("TargetArn Reason: No endpoint found for the target arn specified"));
    if (endpoint.attributes.Enabled !== "true") return fail(endpointDisabled());
    const app = this.#platform.application(endpoint.applicationArn);
    if (app && app.attributes.Enabled === "false") {
      return fail(platformApplicationDisabled());
    }
    return ok(this.record(delivery));
  }

  // SMS: attributes, opt-outs, the sandbox.

  smsAttributes(names?: string[]): Record<string, string> {
    return this.#sms.attributes(names);
  }

  setSmsAttributes(changes: Record<string, string>): void {
    this.#sms.setAttributes(changes);
  }

  isOptedOut(phoneNumber: string): boolean {
    return this.#sms.isOptedOut(phoneNumber);
  }

  /** A number replied STOP (developer endpoint POST /_aws/sns/sms-opt-out). */
  optOut(phoneNumber: string): void {
    this.#sms.optOut(phoneNumber);
  }

  optIn(phoneNumber: string): void {
    this.#sms.optIn(phoneNumber);
  }

  listOptedOut(after: string, size: number): Chunk<string> {
    return this.#sms.listOptedOut(after, size);
  }

  inSandbox(): boolean {
    return this.#sms.inSandbox();
  }

  setInSandbox(inSandbox: boolean): void {
    this.#sms.setInSandbox(inSandbox);
  }

  /** Adds a destination number to the sandbox and "sends" it the one-time password (recorded as an SMS). */
  addSandboxNumber(phoneNumber: string, oneTimePassword: string, text: string): Result<null> {
    return this.ctx.storage.transactionSync(() => {
      const added = this.#sms.addSandboxNumber(phoneNumber, oneTimePassword);
      if (!added.ok) return added;
      if (added.value === "Pending") {
        this.record({
          protocol: "sms",
          endpoint: phoneNumber,
          topicArn: null,
          subscriptionArn: null,
          messageId: crypto.randomUUID(),
          kind: "SandboxVerification",
          payload: text,
          attributes: { oneTimePassword },
        });
      }
      return ok(null);
    });
  }

  verifySandboxNumber(phoneNumber: string, oneTimePassword: string): Result<null> {
    return this.#sms.verifySandboxNumber(phoneNumber, oneTimePassword);
  }

  deleteSandboxNumber(phoneNumber: string): Result<null> {
    return this.#sms.deleteSandboxNumber(phoneNumber);
  }

  listSandboxNumbers(after: string, size: number): Chunk<SandboxNumber> {
    return this.#sms.listSandboxNumbers(after, size);
  }

  /**
   * Publish to a phone number. AWS accepts the message either way; numbers that opted out, and (in the
   * sandbox) numbers not verified, never get it: the record says so, as SNS's delivery status logs do.
   */
  sendSms(delivery: RecordedDelivery & { attributes: Record<string, string> }): number {
    const sms = this.#sms;
    const defaults = sms.attributes();
    const attributes: Record<string, string> = { ...delivery.attributes };
    attributes.smsType ??= defaults.DefaultSMSType ?? "Promotional";
    if (attributes.senderId === undefined && defaults.DefaultSenderID) attributes.senderId = defaults.DefaultSenderID;
    let failure: string | undefined;
    if (sms.isOptedOut(delivery.endpoint)) failure = "Phone number is opted out";
    else if (sms.inSandbox() && !sms.isVerified(delivery.endpoint)) failure = "Phone number is not verified in the SMS sandbox";
    attributes.status = failure ? "FAILURE" : "SUCCESS";
    if (failure) attributes.providerResponse = failure;
    return this.record({ ...delivery, attributes });
  }
}
