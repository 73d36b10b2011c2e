import { describe, expect, it } from "vitest";
import { compilePattern, formatPattern } from "../../src/domain/firehose/timestamp-format";
import { wallClockOf } from "../../src/domain/firehose/time-zones";

/** Formats `pattern` at `iso` in `zone`, as `!{timestamp:pattern}` would. */
function fmt(pattern: string, iso: string, zone?: string): string {
  const compiled = compilePattern(pattern);
  if (!compiled.ok) throw new Error(compiled.reason);
  return formatPattern(compiled.tokens, wallClockOf(Date.parse(iso), zone));
}

const reason = (pattern: string) => {
  const compiled = compilePattern(pattern);
  return compiled.ok ? undefined : compiled.reason;
};

// Monday 2018-08-27 (s3-prefixes.html's example day), a single-digit month/day/hour and a Sunday.
const AUG = "2018-08-27T10:30:15.123Z";
const EARLY = "2005-02-01T03:04:05.006Z";
const MIDNIGHT = "2024-03-03T00:07:09.000Z";

describe("Java DateTimeFormatter letters", () => {
  it("years: y, yy (reduced), yyy, yyyy, yyyyy; u the same", () => {
    expect(fmt("yyyy", AUG)).toBe("2018");
    expect(fmt("yy", AUG)).toBe("18");
    expect(fmt("yy", EARLY)).toBe("05");
    expect(fmt("y", EARLY)).toBe("2005");
    expect(fmt("yyy", EARLY)).toBe("2005");
    expect(fmt("yyyyy", AUG)).toBe("02018");
    expect(fmt("uuuu", AUG)).toBe("2018");
    expect(fmt("uu", EARLY)).toBe("05");
  });

  it("months: M, MM, MMM, MMMM, MMMMM; L the same", () => {
    expect(fmt("M", EARLY)).toBe("2");
    expect(fmt("MM", EARLY)).toBe("02");
    expect(fmt("MM", AUG)).toBe("08");
    expect(fmt("MMM", AUG)).toBe("Aug");
    expect(fmt("MMMM", AUG)).toBe("August");
    expect(fmt("MMMMM", AUG)).toBe("A");
    expect(fmt("LL", AUG)).toBe("08");
  });

  it("days: d, dd, D, DD, DDD", () => {
    expect(fmt("d", EARLY)).toBe("1");
    expect(fmt("dd", EARLY)).toBe("01");
    expect(fmt("dd", AUG)).toBe("27");
    expect(fmt("D", EARLY)).toBe("32");
    expect(fmt("DDD", EARLY)).toBe("032");
    expect(fmt("DD", "2018-01-05T00:00:00Z")).toBe("05");
    expect(fmt("DDD", "2024-12-31T12:00:00Z")).toBe("366");
  });

  it("hours: H, HH, h, hh, K, k, a", () => {
    expect(fmt("H", EARLY)).toBe("3");
    expect(fmt("HH", EARLY)).toBe("03");
    expect(fmt("HH", AUG)).toBe("10");
    expect(fmt("HH", MIDNIGHT)).toBe("00");
    expect(fmt("hh a", MIDNIGHT)).toBe("12 AM");
    expect(fmt("h a", "2018-08-27T15:00:00Z")).toBe("3 PM");
    expect(fmt("K", MIDNIGHT)).toBe("0");
    expect(fmt("k", MIDNIGHT)).toBe("24");
    expect(fmt("kk", EARLY)).toBe("03");
  });

  it("minutes, seconds and fractions: m, mm, s, ss, S…, A, n", () => {
    expect(fmt("m", EARLY)).toBe("4");
    expect(fmt("mm", EARLY)).toBe("04");
    expect(fmt("s", EARLY)).toBe("5");
    expect(fmt("ss", EARLY)).toBe("05");
    expect(fmt("SSS", AUG)).toBe("123");
    expect(fmt("S", AUG)).toBe("1");
    expect(fmt("SSSSSS", AUG)).toBe("123000");
    expect(fmt("SSS", EARLY)).toBe("006");
    expect(fmt("A", MIDNIGHT)).toBe(String((7 * 60 + 9) * 1000));
    expect(fmt("n", EARLY)).toBe("6000000");
  });

  it("texts: E…, Q…, G…", () => {
    expect(fmt("E", AUG)).toBe("Mon");
    expect(fmt("EEEE", AUG)).toBe("Monday");
    expect(fmt("EEEEE", MIDNIGHT)).toBe("S");
    expect(fmt("EEEE", MIDNIGHT)).toBe("Sunday");
    expect(fmt("Q", AUG)).toBe("3");
    expect(fmt("QQ", AUG)).toBe("03");
    expect(fmt("QQQ", AUG)).toBe("Q3");
    expect(fmt("QQQQ", EARLY)).toBe("1st quarter");
    expect(fmt("G", AUG)).toBe("AD");
    expect(fmt("GGGG", AUG)).toBe("Anno Domini");
  });

  it("zones and offsets: VV, X…, x…, Z…, O", () => {
    expect(fmt("VV", AUG)).toBe("UTC");
    expect(fmt("VV", AUG, "Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(fmt("X", AUG)).toBe("Z");
    expect(fmt("XXX", AUG)).toBe("Z");
    expect(fmt("X", AUG, "Asia/Tokyo")).toBe("+09");
    expect(fmt("X", AUG, "Asia/Kolkata")).toBe("+0530");
    expect(fmt("XX", AUG, "Asia/Tokyo")).toBe("+0900");
    expect(fmt("XXX", AUG, "America/New_York")).toBe("-04:00");
    expect(fmt("XXX", "2018-01-27T10:30:00Z", "America/New_York")).toBe("-05:00");
    expect(fmt("x", AUG)).toBe("+00");
    expect(fmt("xxx", AUG)).toBe("+00:00");
    expect(fmt("Z", AUG, "Asia/Tokyo")).toBe("+0900");
    expect(fmt("Z", AUG)).toBe("+0000");
    expect(fmt("ZZZZ", AUG, "Asia/Tokyo")).toBe("GMT+09:00");
    expect(fmt("ZZZZ", AUG)).toBe("GMT");
    expect(fmt("ZZZZZ", AUG)).toBe("Z");
    expect(fmt("O", AUG, "Asia/Tokyo")).toBe("GMT+9");
    expect(fmt("O", AUG, "Asia/Kolkata")).toBe("GMT+5:30");
    expect(fmt("OOOO", AUG, "Asia/Kolkata")).toBe("GMT+05:30");
  });

  it("literals: punctuation as is, 'quoted' text, '' for a quote, [optional] sections", () => {
    expect(fmt("yyyy/MM/dd/HH/", AUG)).toBe("2018/08/27/10/");
    expect(fmt("yyyy'-'MM'-'dd", AUG)).toBe("2018-08-27");
    expect(fmt("'year='yyyy", AUG)).toBe("year=2018");
    expect(fmt("yyyy-MM-dd'T'HH", AUG)).toBe("2018-08-27T10");
    expect(fmt("''yy''", AUG)).toBe("'18'");
    expect(fmt("'it''s' HH", AUG)).toBe("it's 10");
    expect(fmt("yyyy[-MM]", AUG)).toBe("2018-08");
    expect(fmt("", AUG)).toBe("");
  });

  it("in the zone, across a DST change", () => {
    // America/New_York springs forward at 02:00 EST on 2024-03-10 (07:00Z).
    expect(fmt("yyyy-MM-dd HH:mm XXX", "2024-03-10T06:59:00Z", "America/New_York")).toBe("2024-03-10 01:59 -05:00");
    expect(fmt("yyyy-MM-dd HH:mm XXX", "2024-03-10T07:00:00Z", "America/New_York")).toBe("2024-03-10 03:00 -04:00");
    // Tokyo is a day ahead late in the UTC evening.
    expect(fmt("yyyy/MM/dd/HH EEE", "2018-08-27T20:30:00Z", "Asia/Tokyo")).toBe("2018/08/28/05 Tue");
  });
});

describe("patterns Java refuses", () => {
  it("gives Java's reasons", () => {
    expect(reason("yyyy-bb")).toBe("Unknown pattern letter: b");
    expect(reason("ddd")).toBe("Too many pattern letters: d");
    expect(reason("HHH")).toBe("Too many pattern letters: H");
    expect(reason("MMMMMM")).toBe("Too many pattern letters: M");
    expect(reason("aa")).toBe("Too many pattern letters: a");
    expect(reason("DDDD")).toBe("Too many pattern letters: D");
    expect(reason("XXXXXX")).toBe("Too many pattern letters: X");
    expect(reason("yyyy'abc")).toBe("Pattern ends with an incomplete string literal: yyyy'abc");
    expect(reason("yyyy#")).toBe("Pattern includes reserved character: '#'");
    expect(reason("{yyyy")).toBe("Pattern includes reserved character: '{'");
    expect(reason("yyyy]")).toBe("Pattern invalid as it contains ] without previous [");
    expect(reason("V")).toBe("Pattern letter count must be 2: V");
    expect(reason("OO")).toBe("Pattern letter count must be 1 or 4: O");
  });

  it("marks the valid letters this emulator does not print", () => {
    for (const p of ["YYYY", "ww", "W", "e", "c", "F", "z", "zzzz", "ppH", "B", "g"]) {
      const compiled = compilePattern(p);
      expect(compiled.ok, p).toBe(false);
      if (!compiled.ok) expect(compiled.unsupported, p).toBe(true);
    }
  });
});
