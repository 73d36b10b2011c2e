/**
 * Waiting in end-to-end tests. Poll for a positive signal with `eventually`: a bare `sleep` before
 * asserting that something did not happen passes whenever the service is merely slow.
 */
import { setTimeout as sleep } from "node:timers/promises";

export { sleep };

/** What `check` returns while the condition does not hold yet. */
type NotYet = undefined | null | false;

/**
 * Calls `check` every `intervalMs` until it returns something other than undefined, null or false,
 * and returns that; throws once `timeoutMs` has passed, naming `what` was awaited (a function is
 * asked then, so it can tell the last state seen).
 */
export async function eventually<T>(
  check: () => Promise<T | NotYet> | T | NotYet,
  what: string | (() => string) = "the condition",
  { timeoutMs = 20_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    await sleep(intervalMs);
  }
}
