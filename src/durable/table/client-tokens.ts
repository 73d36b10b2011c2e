/**
 * TransactWriteItems' ClientRequestToken: for 10 minutes after a transaction succeeded, the same token
 * with the same request gets the same answer without writing again, and the same token with another
 * request is refused. Kept in SQLite in the object of the transaction's first table (the token is per
 * account; a token first used with another first table is not recognised there).
 */
import { fail, ok, type Result } from "../../domain/errors";
import { dynamoError } from "../../domain/dynamodb/errors";

/** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html */
export const TOKEN_WINDOW_MS = 10 * 60 * 1000;

// Not recorded: worded as AWS words its IdempotentParameterMismatch errors elsewhere.
export const idempotentMismatch = () =>
  dynamoError(
    "IdempotentParameterMismatchException",
    "The request uses the same client token as a previous, but non-identical request.",
  );

export class ClientTokens {
  constructor(private readonly sql: SqlStorage) {}

  /** The earlier answer (JSON) for this token and request, none when the token is new, or the mismatch. */
  recall(token: string, digest: string, now: number): Result<string | undefined> {
    this.sql.exec("DELETE FROM client_tokens WHERE expires <= ?", now);
    const row = this.sql
      .exec<{ digest: string; answer: string }>("SELECT digest, answer FROM client_tokens WHERE token = ?", token)
      .toArray()[0];
    if (!row) return ok(undefined);
    return row.digest === digest ? ok(row.answer) : fail(idempotentMismatch());
  }

  remember(token: string, digest: string, answer: string, now: number): void {
    this.sql.exec(
      "INSERT INTO client_tokens (token, digest, answer, expires) VALUES (?, ?, ?, ?) ON CONFLICT (token) DO NOTHING",
      token,
      digest,
      answer,
      now + TOKEN_WINDOW_MS,
    );
  }
}
