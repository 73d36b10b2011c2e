/**
 * Mobile push state of one (account, region): platform applications and their endpoints, in the
 * SnsAccountObject's SQLite. The service layer has already checked formats; this module decides what
 * exists. Expected failures are returned as values (they cross Durable Object RPC).
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreatePlatformEndpoint.html
 */
import { fail, ok, type ErrorInfo, type Result } from "../../domain/errors";
import { invalidParameter, notFound } from "../../domain/sns/errors";

export interface PlatformApplicationRecord {
  arn: string;
  platform: string;
  name: string;
  /** What GetPlatformApplicationAttributes shows (never the credentials). */
  attributes: Record<string, string>;
}

export interface PlatformEndpointRecord {
  arn: string;
  applicationArn: string;
  /** Enabled, Token and (if set) CustomUserData, as GetEndpointAttributes shows them. */
  attributes: Record<string, string>;
}

export interface Page<T> {
  items: T[];
  /** seq of the last item when more follow. */
  after?: number;
}

export const applicationNotFound = (): ErrorInfo => notFound("PlatformApplication does not exist");
export const endpointNotFound = (): ErrorInfo => notFound("Endpoint does not exist");

const parse = (json: string): Record<string, string> => JSON.parse(json) as Record<string, string>;

type AppRow = { seq: number; arn: string; platform: string; name: string; attributes: string };
type EndpointRow = { seq: number; arn: string; application_arn: string; attributes: string };

const toApp = (r: AppRow): PlatformApplicationRecord => ({
  arn: r.arn,
  platform: r.platform,
  name: r.name,
  attributes: parse(r.attributes),
});
const toEndpoint = (r: EndpointRow): PlatformEndpointRecord => ({
  arn: r.arn,
  applicationArn: r.application_arn,
  attributes: parse(r.attributes),
});

function page<R extends { seq: number }, T>(rows: R[], size: number, map: (r: R) => T): Page<T> {
  const items = rows.slice(0, size);
  return { items: items.map(map), after: rows.length > size ? items[items.length - 1]!.seq : undefined };
}

export class PlatformStore {
  constructor(private readonly sql: SqlStorage) {}

  application(arn: string): PlatformApplicationRecord | undefined {
    const row = this.sql
      .exec<AppRow>("SELECT seq, arn, platform, name, attributes FROM platform_applications WHERE arn = ?", arn)
      .toArray()[0];
    return row && toApp(row);
  }

  /**
   * Creating an application that exists replaces its attributes and credentials and keeps its
   * endpoints (same ARN, as AWS answers).
   */
  putApplication(app: PlatformApplicationRecord, credentials: Record<string, string>): string {
    this.sql.exec(
      `INSERT INTO platform_applications (arn, platform, name, attributes, credentials) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (arn) DO UPDATE SET attributes = excluded.attributes, credentials = excluded.credentials`,
      app.arn,
      app.platform,
      app.name,
      JSON.stringify(app.attributes),
      JSON.stringify(credentials),
    );
    return app.arn;
  }

  /** Credentials (PlatformPrincipal/PlatformCredential) are stored but never shown. */
  setApplicationAttributes(arn: string, attributes: Record<string, string>, credentials: Record<string, string>): Result<null> {
    const row = this.sql
      .exec<{ attributes: string; credentials: string }>(
        "SELECT attributes, credentials FROM platform_applications WHERE arn = ?",
        arn,
      )
      .toArray()[0];
    if (!row) return fail(applicationNotFound());
    this.sql.exec(
      "UPDATE platform_applications SET attributes = ?, credentials = ? WHERE arn = ?",
      JSON.stringify({ ...parse(row.attributes), ...attributes }),
      JSON.stringify({ ...parse(row.credentials), ...credentials }),
      arn,
    );
    return ok(null);
  }

  /** Idempotent; the application's endpoints go with it. */
  deleteApplication(arn: string): void {
    this.sql.exec("DELETE FROM platform_endpoints WHERE application_arn = ?", arn);
    this.sql.exec("DELETE FROM platform_applications WHERE arn = ?", arn);
  }

  listApplications(after: number, size: number): Page<PlatformApplicationRecord> {
    const rows = this.sql
      .exec<AppRow>(
        "SELECT seq, arn, platform, name, attributes FROM platform_applications WHERE seq > ? ORDER BY seq LIMIT ?",
        after,
        size + 1,
      )
      .toArray();
    return page(rows, size, toApp);
  }

  endpoint(arn: string): PlatformEndpointRecord | undefined {
    const row = this.#endpoints(1, "arn = ?", arn)[0];
    return row && toEndpoint(row);
  }

  /** Up to `limit` endpoint rows that meet a condition, in creation order. */
  #endpoints(limit: number, where: string, ...args: (string | number)[]): EndpointRow[] {
    return this.sql
      .exec<EndpointRow>(
        `SELECT seq, arn, application_arn, attributes FROM platform_endpoints WHERE ${where} ORDER BY seq LIMIT ?`,
        ...args,
        limit,
      )
      .toArray();
  }

  /**
   * CreatePlatformEndpoint: one endpoint per (application, token). Asking again with the same token
   * returns the same ARN when every attribute asked for matches what the endpoint has; otherwise AWS's
   * "already exists with the same Token, but different attributes".
   */
  createEndpoint(applicationArn: string, arn: string, token: string, requested: Record<string, string>): Result<string> {
    if (!this.application(applicationArn)) return fail(applicationNotFound());
    const existing = this.#endpoints(1, "application_arn = ? AND token = ?", applicationArn, token)[0];
    if (existing) {
      const current = parse(existing.attributes);
      const same = Object.entries(requested).every(([k, v]) => current[k] === v);
      if (!same) {
        return fail(
          invalidParameter(
            `Token Reason: Endpoint ${existing.arn} already exists with the same Token, but different attributes.`,
          ),
        );
      }
      return ok(existing.arn);
    }
    const attributes = { Enabled: "true", ...requested, Token: token };
    this.sql.exec(
      "INSERT INTO platform_endpoints (arn, application_arn, token, attributes) VALUES (?, ?, ?, ?)",
      arn,
      applicationArn,
      token,
      JSON.stringify(attributes),
    );
    return ok(arn);
  }

  setEndpointAttributes(arn: string, changes: Record<string, string>): Result<null> {
    const current = this.endpoint(arn);
    if (!current) return fail(endpointNotFound());
    const attributes = { ...current.attributes, ...changes };
    this.sql.exec(
      "UPDATE platform_endpoints SET attributes = ?, token = ? WHERE arn = ?",
      JSON.stringify(attributes),
      attributes.Token ?? "",
      arn,
    );
    return ok(null);
  }

  /** Idempotent, as on AWS. */
  deleteEndpoint(arn: string): void {
    this.sql.exec("DELETE FROM platform_endpoints WHERE arn = ?", arn);
  }

  listEndpoints(applicationArn: string, after: number, size: number): Result<Page<PlatformEndpointRecord>> {
    if (!this.application(applicationArn)) return fail(applicationNotFound());
    const rows = this.#endpoints(size + 1, "application_arn = ? AND seq > ?", applicationArn, after);
    return ok(page(rows, size, toEndpoint));
  }
}
