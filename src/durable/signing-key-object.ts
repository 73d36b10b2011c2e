/**
 * SigningKeyObject: the deployment's SNS signing key and certificate. One object (named "signing")
 * for the whole deployment, as AWS has one certificate per region at a time: the key is made on first
 * use and kept, so SigningCertURL stays valid for every message ever delivered.
 */
import { DurableObject } from "cloudflare:workers";
import { generateSigningMaterial, type SigningMaterial } from "../domain/sns/signing";
import { migrate, type Migration } from "./sql";

const MIGRATIONS: readonly Migration[] = [
  [
    // At most one row (id = 1). A key rotation would add rows and keep old certificates served.
    `CREATE TABLE signing_key (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      cert_id TEXT NOT NULL,
      certificate_pem TEXT NOT NULL,
      private_key_jwk TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
  ],
];

export class SigningKeyObject extends DurableObject<Env> {
  /** The generation in progress, so concurrent first calls share one key. */
  private pending: Promise<SigningMaterial> | undefined;
  /** The stored material, once read: it never changes. */
  private stored: SigningMaterial | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, MIGRATIONS);
  }

  /** The key and certificate, generated and stored on the first call. */
  async material(): Promise<SigningMaterial> {
    const stored = this.read();
    if (stored) return stored;
    this.pending ??= this.generate().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async generate(): Promise<SigningMaterial> {
    const material = await generateSigningMaterial();
    // DO NOTHING on conflict: whatever is stored first wins, and we return that.
    this.ctx.storage.sql.exec(
      `INSERT INTO signing_key (id, cert_id, certificate_pem, private_key_jwk, created_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      material.certId,
      material.certificatePem,
      JSON.stringify(material.privateKeyJwk),
      Date.now(),
    );
    return this.read()!;
  }

  private read(): SigningMaterial | null {
    if (this.stored) return this.stored;
    const row = this.ctx.storage.sql
      .exec<{ cert_id: string; certificate_pem: string; private_key_jwk: string }>(
        "SELECT cert_id, certificate_pem, private_key_jwk FROM signing_key WHERE id = 1",
      )
      .toArray()[0];
    this.stored = row
      ? { certId: row.cert_id, certificatePem: row.certificate_pem, privateKeyJwk: JSON.parse(row.private_key_jwk) }
      : null;
    return this.stored;
  }
}
