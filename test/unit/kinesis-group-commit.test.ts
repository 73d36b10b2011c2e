import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/durable/shard/group-commit";

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

  it("settles once nothing is left unwritten", async () => {
    const written: number[] = [];
    const commits = new GroupCommit<number>((group) => written.push(...group));
    void commits.add(1);
    await commits.settled();
    expect(written).toEqual([1]);
  });
});
