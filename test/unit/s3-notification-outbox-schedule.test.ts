/**
 * The notification outbox's pure parts: the retry schedule (doubling delays, capped, given up after a
 * day), what an attempt's result means (retry, refused for good, delivered), and the grouping of due
 * messages per destination. The outbox over real SQLite is tested in test/durable.
 */
import { describe, expect, it } from "vitest";
import { fail, ok } from "../../src/domain/errors";
import { byDestination, nextAttempt, outcomeOf, RETRY, retryDelay } from "../../src/durable/bucket/notification-outbox";

describe("retry schedule", () => {
  it("doubles from one second up to five minutes", () => {
    expect([1, 2, 3, 4, 5, 9, 10, 30].map(retryDelay)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 256_000, 300_000, 300_000]);
  });

  it("tries again until a message is a day old, then gives up", () => {
    const created = 1_000_000;
    expect(nextAttempt(created, 1, created)).toBe(created + 1_000);
    const lastChance = created + RETRY.giveUpAfterMs - RETRY.maxDelayMs;
    expect(nextAttempt(created, 20, lastChance)).toBe(created + RETRY.giveUpAfterMs);
    expect(nextAttempt(created, 20, lastChance + 1)).toBeUndefined();
  });
});

describe("attempt outcomes", () => {
  it("a throw is worth another try (the destination's object was unreachable)", () => {
    expect(outcomeOf({ thrown: new Error("Network connection lost.") })).toEqual({
      kind: "retry",
      reason: "Network connection lost.",
    });
    expect(outcomeOf({ thrown: "overloaded" })).toEqual({ kind: "retry", reason: "overloaded" });
  });

  it("a destination's refusal is final unless it is a server error", () => {
    expect(outcomeOf(ok(null))).toEqual({ kind: "delivered" });
    const gone = { code: "AWS.SimpleQueueService.NonExistentQueue", message: "The specified queue does not exist." };
    expect(outcomeOf(fail(gone))).toEqual({ kind: "refused", reason: gone.code });
    expect(outcomeOf(fail({ code: "NotFound", status: 404, message: "Topic does not exist" }))).toMatchObject({
      kind: "refused",
    });
    expect(outcomeOf(fail({ code: "InternalError", status: 500, message: "x" }))).toEqual({
      kind: "retry",
      reason: "InternalError",
    });
  });
});

describe("grouping", () => {
  it("groups due messages per destination, each group in order", () => {
    const q = (arn: string, body: string) => ({ destination: { kind: "queue" as const, arn }, body });
    const t = (arn: string, body: string) => ({ destination: { kind: "topic" as const, arn }, body });
    const groups = byDestination([q("a", "1"), t("a", "2"), q("b", "3"), q("a", "4"), t("a", "5")]);
    expect(groups.map((g) => g.map((n) => n.body))).toEqual([["1", "4"], ["2", "5"], ["3"]]);
  });
});
