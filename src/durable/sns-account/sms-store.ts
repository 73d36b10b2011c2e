/**
 * SMS state of one (account, region): the account's SMS attributes, the opt-out list, and the SMS
 * sandbox (destination numbers with their one-time passwords, and whether the account is in it).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { optedOut, resourceNotFound, verificationException } from "../../domain/sns/errors";
import type { MetaTable } from "../meta";

/** What an account that never called SetSMSAttributes reports (AWS-recorded). */
const DEFAULT_SMS_ATTRIBUTES: Record<string, string> = { MonthlySpendLimit: "1" };

export interface SandboxNumber {
  phoneNumber: string;
  status: "Pending" | "Verified";
}

export interface Chunk<T> {
  items: T[];
  /** The last key returned, when more follow. */
  after?: string;
}

function chunk<T>(rows: T[], size: number, key: (t: T) => string): Chunk<T> {
  const items = rows.slice(0, size);
  return { items, after: rows.length > size ? key(items[items.length - 1]!) : undefined };
}

export class SmsStore {
  /** Whether the account is in the SMS sandbox (a settings row). */
  #inSandbox: boolean;
  /** The account's SMS attributes over the defaults: every SMS sent reads them. */
  #attributes: Record<string, string>;

  constructor(
    private readonly sql: SqlStorage,
    private readonly meta: MetaTable,
  ) {
    this.#inSandbox = meta.get<boolean>("inSandbox") ?? false;
    this.#attributes = { ...DEFAULT_SMS_ATTRIBUTES };
    for (const r of sql.exec<{ name: string; value: string }>("SELECT name, value FROM sms_attributes").toArray())
      this.#attributes[r.name] = r.value;
  }

  attributes(names?: readonly string[]): Record<string, string> {
    const all = { ...this.#attributes };
    if (!names?.length) return all;
    return Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k)));
  }

  setAttributes(changes: Record<string, string>): void {
    for (const [name, value] of Object.entries(changes)) {
      this.sql.exec(
        "INSERT INTO sms_attributes (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        name,
        value,
      );
      this.#attributes[name] = value;
    }
  }

  isOptedOut(phoneNumber: string): boolean {
    return this.sql.exec("SELECT 1 FROM sms_opted_out WHERE phone_number = ?", phoneNumber).toArray().length > 0;
  }

  optOut(phoneNumber: string): void {
    this.sql.exec("INSERT OR IGNORE INTO sms_opted_out (phone_number, opted_out_at) VALUES (?, ?)", phoneNumber, Date.now());
  }

  optIn(phoneNumber: string): void {
    this.sql.exec("DELETE FROM sms_opted_out WHERE phone_number = ?", phoneNumber);
  }

  listOptedOut(after: string, size: number): Chunk<string> {
    const rows = this.sql
      .exec<{ phone_number: string }>(
        "SELECT phone_number FROM sms_opted_out WHERE phone_number > ? ORDER BY phone_number LIMIT ?",
        after,
        size + 1,
      )
      .toArray()
      .map((r) => r.phone_number);
    return chunk(rows, size, (p) => p);
  }

  inSandbox(): boolean {
    return this.#inSandbox;
  }

  setInSandbox(inSandbox: boolean): void {
    this.meta.set("inSandbox", inSandbox);
    this.#inSandbox = inSandbox;
  }

  /** Adds (or re-sends for) a destination number: a fresh one-time password, status Pending unless verified. */
  addSandboxNumber(phoneNumber: string, oneTimePassword: string): Result<"Pending" | "Verified"> {
    if (this.isOptedOut(phoneNumber)) {
      return fail(optedOut("Phone number is opted out"));
    }
    const existing = this.sql
      .exec<{ status: string }>("SELECT status FROM sms_sandbox_numbers WHERE phone_number = ?", phoneNumber)
      .toArray()[0];
    if (existing?.status === "Verified") return ok("Verified");
    this.sql.exec(
      `INSERT INTO sms_sandbox_numbers (phone_number, status, one_time_password, updated_at) VALUES (?, 'Pending', ?, ?)
       ON CONFLICT (phone_number) DO UPDATE SET one_time_password = excluded.one_time_password, updated_at = excluded.updated_at`,
      phoneNumber,
      oneTimePassword,
      Date.now(),
    );
    return ok("Pending");
  }

  verifySandboxNumber(phoneNumber: string, oneTimePassword: string): Result<null> {
    const row = this.sql
      .exec<{ status: string; one_time_password: string }>(
        "SELECT status, one_time_password FROM sms_sandbox_numbers WHERE phone_number = ?",
        phoneNumber,
      )
      .toArray()[0];
    if (!row) return fail(resourceNotFound("Phone number does not exist in the SMS sandbox"));
    if (row.status === "Verified") return ok(null);
    if (row.one_time_password !== oneTimePassword) {
      return fail(verificationException("Invalid one-time password"));
    }
    this.sql.exec(
      "UPDATE sms_sandbox_numbers SET status = 'Verified', updated_at = ? WHERE phone_number = ?",
      Date.now(),
      phoneNumber,
    );
    return ok(null);
  }

  deleteSandboxNumber(phoneNumber: string): Result<null> {
    const deleted = this.sql.exec("DELETE FROM sms_sandbox_numbers WHERE phone_number = ?", phoneNumber).rowsWritten;
    return deleted ? ok(null) : fail(resourceNotFound("Phone number does not exist in the SMS sandbox"));
  }

  isVerified(phoneNumber: string): boolean {
    return (
      this.sql.exec("SELECT 1 FROM sms_sandbox_numbers WHERE phone_number = ? AND status = 'Verified'", phoneNumber).toArray()
        .length > 0
    );
  }

  listSandboxNumbers(after: string, size: number): Chunk<SandboxNumber> {
    const rows = this.sql
      .exec<{ phone_number: string; status: "Pending" | "Verified" }>(
        "SELECT phone_number, status FROM sms_sandbox_numbers WHERE phone_number > ? ORDER BY phone_number LIMIT ?",
        after,
        size + 1,
      )
      .toArray()
      .map((r) => ({ phoneNumber: r.phone_number, status: r.status }));
    return chunk(rows, size, (n) => n.phoneNumber);
  }
}
