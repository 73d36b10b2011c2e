/**
 * When a failed attempt is tried again. S3 writes are retried for up to 24 hours (AWS: "Firehose
 * retries for up to 24 hours… if data delivery fails for more than 24 hours, your data is lost",
 * https://docs.aws.amazon.com/firehose/latest/dev/retry.html); an HTTP destination for its
 * RetryOptions.DurationInSeconds, after which the batch goes to the S3 backup as failed data.
 */
export const S3_RETRY_LIMIT_MS = 24 * 3_600_000;

/** 1 s, 2 s, 4 s … at most 30 s between attempts. */
export const backoffMs = (attempts: number): number => Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));

export type RetryDecision = { retryAt: number } | { giveUp: true };

export function afterFailure(
  stage: "primary-http" | "s3",
  attempts: number,
  firstAttemptAt: number,
  now: number,
  retryMs: number,
): RetryDecision {
  const limit = stage === "primary-http" ? retryMs : S3_RETRY_LIMIT_MS;
  const next = now + backoffMs(attempts);
  return next - firstAttemptAt > limit ? { giveUp: true } : { retryAt: next };
}
