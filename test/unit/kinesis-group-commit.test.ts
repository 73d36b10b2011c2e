import { afterEach, describe, expect, it, vi } from "vitest";
import { GroupCommit } from "../../src/durable/shard/group-commit";

afterEach(() => {
  vi.useRealTimers();
});

describe("group commit", () => {
  it("writes what arrives before the timer fires as one group, in arrival order", async () => {
    const groups: number[][] = [];
    const commits = new GroupCommit<number>((group) => groups.push(group));
    await Promise.all([commits.add(1), commits.add(2), commits.add(3)]);
    await commits.add(4);
    expect(groups).toEqual([[1, 2, 3], [4]]);
  });

  it("fails every caller of a group whose write failed, and goes on afterwards", async () => {
    let fail = true;
    const commits = new GroupCommit<number>(() => {
      if (fail) throw new Error("disk on fire");
    });
    const results = await Promise.allSettled([commits.add(1), commits.add(2)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await expect(commits.add(3)).resolves.toBeUndefined();
  });

  it("after a merged group, waits a moment for more concurrent puts; after a lone one, not at all", async () => {
    vi.useFakeTimers();
    const groups: number[][] = [];
    const commits = new GroupCommit<number>((group) => groups.push(group));
    const first = Promise.all([commits.add(1), commits.add(2)]);
    await vi.advanceTimersByTimeAsync(0);
    await first;
    // Producers are concurrent: a put arriving 1 ms after the next one still shares its commit.
    const next = commits.add(3);
    await vi.advanceTimersByTimeAsync(1);
    const late = commits.add(4);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([next, late]);
    expect(groups).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // Long after, a lone put is written at once, and so is the one after it (its group had one put).
    await vi.advanceTimersByTimeAsync(1000);
    const alone = commits.add(5);
    await vi.advanceTimersByTimeAsync(0);
    await alone;
    const again = commits.add(6);
    await vi.advanceTimersByTimeAsync(0);
    await again;
    expect(groups).toEqual([[1, 2], [3, 4], [5], [6]]);
  });

  it("settles once nothing is left unwritten", async () => {
    const written: number[] = [];
    const commits = new GroupCommit<number>((group) => written.push(...group));
    void commits.add(1);
    await commits.settled();
    expect(written).toEqual([1]);
  });
});
