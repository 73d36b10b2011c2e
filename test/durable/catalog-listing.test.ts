/**
 * ListQueues from the catalog: a QueueNamePrefix is a range of the name index
 * (src/domain/sqs/prefix-range.ts). The answers and the paging must be those of the filter it
 * replaces, every name tested against the prefix, for every prefix, including those at the top of
 * the ASCII range and those that have no range.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { catalogObject } from "../../src/durable/names";
import { rowsReadBy } from "./sql-cost";

const NAMES = [
  "a",
  "a-",
  "a-1",
  "a-2",
  "a.fifo",
  "a0",
  "aZ",
  "a_",
  "aa",
  "ab",
  "b",
  "q-0001",
  "q-0002",
  "q-0003",
  "z",
  "z-",
  "zz",
  "zzz.fifo",
  "Z",
  "_",
  "-",
  "0",
  "9_",
];

/** What the catalog answered before: every name after `after`, tested against the prefix. */
const filtered = (prefix: string, limit: number, after = "") =>
  [...NAMES]
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
    .filter((name) => name.startsWith(prefix) && name > after)
    .slice(0, limit);

async function catalogWith(names: string[]) {
  const catalog = catalogObject(env, "000000000000", `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
  for (const name of names) await catalog.register({ name, createdAt: 1, deadLetterTarget: null });
  return catalog;
}

describe("catalog listing by prefix", () => {
  const prefixes = [
    "",
    "a",
    "a-",
    "a.",
    "aZ",
    "a_",
    "z",
    "zz",
    "q-000",
    "q-0003",
    "-",
    "_",
    "0",
    "Z",
    "~",
    "a~",
    "é",
    "a\x7f",
    "\u{10FFFF}",
    "nothing",
  ];

  it.each(prefixes)("%j lists what the filter listed, page by page", async (prefix) => {
    const catalog = await catalogWith(NAMES);
    expect(await catalog.list(prefix, 1000)).toEqual(filtered(prefix, 1000));
    // Pages of two, each after the last name of the one before.
    let after: string | undefined;
    const paged: string[] = [];
    for (;;) {
      const page = await catalog.list(prefix, 2, after);
      paged.push(...page);
      if (page.length < 2) break;
      after = page[page.length - 1];
    }
    expect(paged).toEqual(filtered(prefix, 1000));
  });

  it("honours a page token from before the prefix's range and one past it", async () => {
    const catalog = await catalogWith(NAMES);
    expect(await catalog.list("q-", 10, "a")).toEqual(["q-0001", "q-0002", "q-0003"]);
    expect(await catalog.list("q-", 10, "q-0001")).toEqual(["q-0002", "q-0003"]);
    expect(await catalog.list("q-", 10, "r")).toEqual([]);
  });

  it("reads only the names of the page, however many queues the account has", async () => {
    const others = Array.from({ length: 2000 }, (_, i) => `other-${String(i).padStart(5, "0")}`);
    const catalog = await catalogWith(["wanted-1", "wanted-2", ...others.slice(0, 1)]);
    await runInDurableObject(catalog, (_instance, state) => {
      for (const name of others) state.storage.sql.exec("INSERT OR IGNORE INTO queues (name, created_at) VALUES (?, 1)", name);
    });
    expect(await catalog.list("wanted-", 1000)).toEqual(["wanted-1", "wanted-2"]);
    await runInDurableObject(catalog, (instance, state) => {
      const reads = rowsReadBy(state.storage.sql, () => instance.list("wanted-", 1000));
      expect(reads).toBeLessThanOrEqual(3);
      expect(rowsReadBy(state.storage.sql, () => instance.list("other-0199", 1000))).toBeLessThanOrEqual(11);
      // A later page starts at its token, not at the prefix.
      expect(instance.list("other-", 3, "other-01500")).toEqual(["other-01501", "other-01502", "other-01503"]);
      expect(rowsReadBy(state.storage.sql, () => instance.list("other-", 3, "other-01500"))).toBeLessThanOrEqual(4);
    });
  });
});
