/**
 * Event names and wildcards, key filters (prefix and suffix, URL-encoded values), which
 * configurations an event goes to, and when two configurations overlap.
 */
import { describe, expect, it } from "vitest";
import {
  configurationsOverlap,
  eventCovers,
  eventsOverlap,
  isSupportedEvent,
  keyMatches,
  matchingConfigurations,
  NOTIFICATION_EVENTS,
  type EventSelector,
} from "../../src/domain/s3/notification-events";

describe("event names", () => {
  it("knows the events of the API model, wildcards included, and nothing else", () => {
    for (const name of [
      "s3:ObjectCreated:*",
      "s3:ObjectCreated:CompleteMultipartUpload",
      "s3:ObjectRemoved:DeleteMarkerCreated",
      "s3:ObjectRestore:Completed",
      "s3:ObjectTagging:*",
      "s3:ObjectAcl:Put",
      "s3:LifecycleExpiration:*",
      "s3:LifecycleTransition",
      "s3:Replication:OperationFailedReplication",
      "s3:IntelligentTiering",
      "s3:ReducedRedundancyLostObject",
    ]) {
      expect(isSupportedEvent(name)).toBe(true);
    }
    for (const name of ["s3:ObjectCreated", "ObjectCreated:Put", "s3:*", "s3:ObjectAcl:*", "s3:objectcreated:put", ""]) {
      expect(isSupportedEvent(name)).toBe(false);
    }
    expect(new Set(NOTIFICATION_EVENTS).size).toBe(NOTIFICATION_EVENTS.length);
  });

  it("a family wildcard covers its family only", () => {
    expect(eventCovers("s3:ObjectCreated:*", "s3:ObjectCreated:Put")).toBe(true);
    expect(eventCovers("s3:ObjectCreated:*", "s3:ObjectCreated:CompleteMultipartUpload")).toBe(true);
    expect(eventCovers("s3:ObjectCreated:Put", "s3:ObjectCreated:Put")).toBe(true);
    expect(eventCovers("s3:ObjectCreated:Put", "s3:ObjectCreated:Copy")).toBe(false);
    expect(eventCovers("s3:ObjectRemoved:*", "s3:ObjectCreated:Put")).toBe(false);
    expect(eventCovers("s3:ObjectRestore:*", "s3:ObjectRestore:Completed")).toBe(true);
    expect(eventCovers("s3:LifecycleExpiration:*", "s3:LifecycleTransition")).toBe(false);
  });

  it("event lists overlap when one name or wildcard covers another", () => {
    expect(eventsOverlap(["s3:ObjectCreated:Put"], ["s3:ObjectCreated:*"])).toBe(true);
    expect(eventsOverlap(["s3:ObjectRemoved:*"], ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"])).toBe(true);
    expect(eventsOverlap(["s3:ObjectCreated:Put"], ["s3:ObjectCreated:Copy", "s3:ObjectTagging:*"])).toBe(false);
  });
});

describe("key filters", () => {
  it("needs the prefix and the suffix; no rule matches every key", () => {
    const filter = { prefix: "testupload/", suffix: "testfile.txt" };
    expect(keyMatches(filter, "testupload/dir1/testfile.txt")).toBe(true);
    // AWS-recorded `test_notifications_with_filter`: `/testdata` gets no event.
    expect(keyMatches(filter, "/testdata")).toBe(false);
    expect(keyMatches(filter, "testupload/other.txt")).toBe(false);
    expect(keyMatches({}, "anything")).toBe(true);
    expect(keyMatches({ suffix: "" }, "anything")).toBe(true);
  });

  it("is case-sensitive, and compares with the key URL-encoded, as the user guide asks values to be", () => {
    expect(keyMatches({ prefix: "Images/" }, "images/a.jpg")).toBe(false);
    expect(keyMatches({ prefix: "my+photos/" }, "my photos/a.jpg")).toBe(true);
    expect(keyMatches({ suffix: "%3D1.csv" }, "part=1.csv")).toBe(true);
    // On AWS a prefix with a raw `=` matches nothing (aws/aws-cdk#28012), its encoded form does.
    expect(keyMatches({ prefix: "schemaVersion=1/" }, "schemaVersion=1/a.json")).toBe(false);
    expect(keyMatches({ prefix: "schemaVersion%3D1/" }, "schemaVersion=1/a.json")).toBe(true);
  });
});

describe("matching configurations", () => {
  const config = (id: string, events: string[], filter: EventSelector["filter"] = {}) => ({ id, events, filter });
  const configs = [
    config("created-images", ["s3:ObjectCreated:*"], { prefix: "images/" }),
    config("created-videos", ["s3:ObjectCreated:Put"], { prefix: "videos/" }),
    config("removed", ["s3:ObjectRemoved:Delete"]),
    config("tagging", ["s3:ObjectTagging:*"], { prefix: "images/" }),
  ];
  const ids = (event: Parameters<typeof matchingConfigurations>[1], key: string) =>
    matchingConfigurations(configs, event, key).map((c) => c.id);

  it("an event goes to every configuration whose events and filter take it, in order", () => {
    expect(ids("s3:ObjectCreated:Put", "images/a.jpg")).toEqual(["created-images"]);
    expect(ids("s3:ObjectCreated:Copy", "videos/a.mp4")).toEqual([]);
    expect(ids("s3:ObjectCreated:Put", "videos/a.mp4")).toEqual(["created-videos"]);
    expect(ids("s3:ObjectRemoved:Delete", "videos/a.mp4")).toEqual(["removed"]);
    expect(ids("s3:ObjectRemoved:DeleteMarkerCreated", "videos/a.mp4")).toEqual([]);
    expect(ids("s3:ObjectTagging:Delete", "images/a.jpg")).toEqual(["tagging"]);
  });

  it("configurations overlap when they share an event type and one key can match both", () => {
    const a = config("a", ["s3:ObjectCreated:*"], { prefix: "images/" });
    expect(configurationsOverlap(a, config("b", ["s3:ObjectCreated:Put"], { prefix: "images/raw/" }))).toBe(true);
    expect(configurationsOverlap(a, config("b", ["s3:ObjectCreated:Put"], { suffix: ".jpg" }))).toBe(true);
    expect(configurationsOverlap(a, config("b", ["s3:ObjectCreated:Put"], { prefix: "videos/" }))).toBe(false);
    expect(configurationsOverlap(a, config("b", ["s3:ObjectRemoved:*"], { prefix: "images/" }))).toBe(false);
    const jpg = config("c", ["s3:ObjectCreated:*"], { suffix: ".jpg" });
    expect(configurationsOverlap(jpg, config("d", ["s3:ObjectCreated:*"], { suffix: ".png" }))).toBe(false);
    expect(configurationsOverlap(jpg, config("d", ["s3:ObjectCreated:*"], { suffix: "thumb.jpg" }))).toBe(true);
  });
});
