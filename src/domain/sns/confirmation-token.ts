/**
 * Subscription confirmation tokens: long hex, as AWS's are: 64 random bytes, then the topic's name.
 * The token names its topic: AWS confirms a valid token even when SubscribeURL names another topic of
 * the region (AWS-recorded `test_subscribe_external_http_endpoint`, "nonexistent-token-confirm").
 */

/** Confirmation tokens stay valid for three days. */
export const TOKEN_TTL_MS = 3 * 24 * 3600 * 1000;

const RANDOM_BYTES = 64;

export function confirmationToken(topicName: string): string {
  const bytes = [...crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)), ...new TextEncoder().encode(topicName)];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The topic a token was issued for, if it names one. */
export function tokenTopicName(token: string): string | undefined {
  const hex = token.slice(RANDOM_BYTES * 2);
  if (!hex || hex.length % 2) return undefined;
  const name = String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));
  return /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name) ? name : undefined;
}
