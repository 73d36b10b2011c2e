/**
 * ListQueues' QueueNamePrefix as a range of the catalog's name index (src/domain/sqs/prefix-range.ts):
 * the names in the range are exactly those starting with the prefix.
 */
import { describe, expect, it } from "vitest";
import { prefixRange } from "../../src/domain/sqs/prefix-range";

describe("ListQueues prefix as a name range", () => {
  const names = ["a", "a-", "a-1", "a-2", "a.", "a.fifo", "a0", "aa", "ab", "b", "q~", "q~x", "q\x7f", "z", "zz"];
  const inRange = (prefix: string) => {
    const range = prefixRange(prefix)!;
    return names.filter((n) => n >= range.from && n < range.below);
  };

  it.each(["a", "a-", "a.", "aa", "q", "q~", "z", " ", "a-1"])("%j selects exactly the names starting with it", (prefix) => {
    expect(inRange(prefix)).toEqual(names.filter((n) => n.startsWith(prefix)));
  });

  it("increments the last character only", () => {
    expect(prefixRange("my-queue")).toEqual({ from: "my-queue", below: "my-queuf" });
    expect(prefixRange("q-")).toEqual({ from: "q-", below: "q." });
    expect(prefixRange("é~")).toEqual({ from: "é~", below: "é\x7f" });
  });

  it.each(["", "é", "q\x7f", "q\n", "\u{10FFFF}"])("has no range for %j (the catalog filters those instead)", (prefix) => {
    expect(prefixRange(prefix)).toBeUndefined();
  });
});
