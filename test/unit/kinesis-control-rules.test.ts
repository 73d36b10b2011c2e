/**
 * Kinesis control-plane rules as pure functions: Coral-style validation messages, tag characters,
 * and settings changes (retention bounds and texts, monitoring metrics, status requirements).
 */
import { describe, expect, it } from "vitest";
import type { Problem } from "../../src/domain/errors";
import { applyChange, SHARD_LEVEL_METRICS } from "../../src/domain/kinesis/stream-changes";
import type { StreamState } from "../../src/domain/kinesis/contract";
import { checkTagCharacters } from "../../src/domain/kinesis/tag-rules";
import { checks } from "../../src/domain/kinesis/validate";

const state: StreamState = {
  account: "123456789012",
  region: "us-east-1",
  name: "s",
  arn: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
  createdAt: 0,
  status: "ACTIVE",
  mode: "PROVISIONED",
  retentionHours: 48,
  maxRecordSizeKiB: 1024,
  encryptionType: "NONE",
  shardLevelMetrics: ["IncomingBytes"],
};

/** A check's problem as `Code: message`, or "no error". */
const described = (problem: Problem): string => (problem ? `${problem.code}: ${problem.message}` : "no error");

describe("validation messages", () => {
  it("joins violations in order, as Coral does", () => {
    expect(described(checks().range(0, "shardCount", 1, 100000).name("", "streamName").done())).toBe(
      "ValidationException: 3 validation errors detected: Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(described(checks().required(undefined, "streamName").done())).toBe(
      "ValidationException: 1 validation error detected: Value null at 'streamName' failed to satisfy constraint: Member must not be null",
    );
    expect(described(checks().name("ok-name_1.x", "streamName").range(5, "limit", 1, 10).done())).toBe("no error");
  });

  it("renders lists and maps as Java does", () => {
    expect(described(checks().size(["a", "b", "c"], "tagKeys", 1, 2).done())).toBe(
      "ValidationException: 1 validation error detected: Value '[a, b, c]' at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 2",
    );
    expect(
      described(
        checks()
          .tagMap({ k: "v".repeat(257) }, "tags")
          .done(),
      ),
    ).toMatch(/Map value must satisfy constraint/);
  });
});

describe("tag characters", () => {
  it("accepts letters, digits, spaces and _ . / = + - @; refuses others; % with its own text", () => {
    expect(described(checkTagCharacters(["a b_c.d/e=f+g-h@i", "Ünïcödé"], "add tags to", "stream s"))).toBe("no error");
    expect(described(checkTagCharacters(["a!"], "add tags to", "stream s"))).toMatch(
      /^InvalidArgumentException: Some tags contain invalid characters/,
    );
    expect(described(checkTagCharacters(["50%"], "add tags to", "stream s"))).toMatch(
      /^InvalidArgumentException: Failed to add tags to stream s because some tags contained illegal characters/,
    );
  });
});

describe("settings changes", () => {
  it("bounds retention to 24..8760 hours and checks the direction", () => {
    const msg = (hours: number, direction: "increase" | "decrease") => {
      const r = applyChange(state, { kind: "retention", hours, direction });
      return r.ok ? r.value.state.retentionHours : r.error.message;
    };
    expect(msg(72, "increase")).toBe(72);
    expect(msg(24, "decrease")).toBe(24);
    expect(msg(48, "increase")).toBe(48);
    expect(msg(23, "decrease")).toBe(
      "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.",
    );
    expect(msg(9000, "increase")).toBe(
      "Maximum allowed retention period is 8760 hours. Requested retention period (9000 hours) is too long.",
    );
    expect(msg(24, "increase")).toMatch(
      /can not be shorter than existing retention period \(48 hours\)\. Use DecreaseRetentionPeriod API\.$/,
    );
  });

  it("merges, expands and removes shard-level metrics", () => {
    const enable = applyChange(state, { kind: "monitoring", metrics: ["OutgoingBytes"], enable: true });
    expect(enable.ok && enable.value.output).toEqual({
      currentMetrics: ["IncomingBytes"],
      desiredMetrics: ["IncomingBytes", "OutgoingBytes"],
    });
    const all = applyChange(state, { kind: "monitoring", metrics: ["ALL"], enable: true });
    expect(all.ok && all.value.output.desiredMetrics).toEqual([...SHARD_LEVEL_METRICS]);
    const off = applyChange(state, { kind: "monitoring", metrics: ["ALL"], enable: false });
    expect(off.ok && off.value.output.desiredMetrics).toEqual([]);
  });

  it("requires ACTIVE; mode and encryption changes pass through UPDATING", () => {
    const creating = applyChange({ ...state, status: "CREATING" }, { kind: "maxRecordSize", kib: 2048 });
    expect(!creating.ok && creating.error).toMatchObject({
      code: "ResourceInUseException",
      message: "Stream s under account 123456789012 not ACTIVE, instead in state CREATING",
    });
    const mode = applyChange(state, { kind: "mode", mode: "ON_DEMAND" });
    expect(mode.ok && mode.value.updating).toBe(true);
    const kms = applyChange(state, { kind: "encryption", type: "KMS", keyId: "k" });
    expect(kms.ok && [kms.value.updating, kms.value.state.encryptionType, kms.value.state.keyId]).toEqual([true, "KMS", "k"]);
    const warm = applyChange(state, { kind: "warmThroughput", mibps: 10 });
    expect(!warm.ok && warm.error.code).toBe("InvalidArgumentException");
  });
});
