/**
 * OpenSearch `_bulk` (index rotation as AWS's es-index-rotation page tabulates it, NDJSON, item
 * verdicts) and Splunk HEC (paths, headers, body, HEC answers → AWS's Splunk.* codes).
 */
import { describe, expect, it } from "vitest";
import type { HttpTarget } from "../../src/domain/firehose/contract";
import { buildHttpRequest, judgeHttpResponse, type HttpRequestContext } from "../../src/domain/firehose/http-delivery";
import { bulkUrl, indexNameFor, judgeBulkResponse, sundayWeekOfYear } from "../../src/domain/firehose/opensearch";
import { hecUrl, judgeHecResponse } from "../../src/domain/firehose/splunk";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const at = (iso: string) => Date.parse(iso);
const REQUEST_ID = "43b8e724-dbac-4510-adb7-ef211c6044b9";
const ctx = (arrivals: number[], over: Partial<HttpRequestContext> = {}): HttpRequestContext => ({
  requestId: REQUEST_ID,
  now: at("2024-05-01T00:00:00Z"),
  sourceArn: "arn:aws:firehose:us-east-1:000000000000:deliverystream/s",
  arrivals,
  ...over,
});

type OpenSearchTarget = Extract<HttpTarget, { format: "opensearch" }>;
const os = (over: Partial<OpenSearchTarget> = {}): OpenSearchTarget => ({
  format: "opensearch",
  endpoint: "http://127.0.0.1:9200",
  indexName: "myindex",
  indexRotationPeriod: "NoRotation",
  documentIdFormat: "FIREHOSE_DEFAULT",
  errorType: "AmazonOpenSearchService-failed",
  ...over,
});

describe("index rotation", () => {
  it.each([
    ["NoRotation", "myindex"],
    ["OneHour", "myindex-2016-02-25-13"],
    ["OneDay", "myindex-2016-02-25"],
    ["OneWeek", "myindex-2016-w08"],
    ["OneMonth", "myindex-2016-02"],
  ] as const)("AWS's table, 2016-02-25T13:00:00Z: %s → %s", (period, name) => {
    expect(indexNameFor("myindex", period, at("2016-02-25T13:00:00Z"))).toBe(name);
  });

  it("is by the UTC arrival time", () => {
    const lateInNewYork = at("2016-02-25T23:30:00-05:00");
    expect(indexNameFor("i", "OneDay", lateInNewYork)).toBe("i-2016-02-26");
    expect(indexNameFor("i", "OneHour", lateInNewYork)).toBe("i-2016-02-26-04");
    expect(indexNameFor("i", "OneMonth", at("2016-12-31T23:59:59.999Z"))).toBe("i-2016-12");
  });

  it("weeks start on Sunday; the days before the year's first Sunday are week 00", () => {
    expect(sundayWeekOfYear(new Date(at("2016-01-01T00:00:00Z")))).toBe(0); // a Friday
    expect(sundayWeekOfYear(new Date(at("2016-01-02T23:59:59Z")))).toBe(0); // Saturday
    expect(sundayWeekOfYear(new Date(at("2016-01-03T00:00:00Z")))).toBe(1); // the first Sunday
    expect(sundayWeekOfYear(new Date(at("2016-02-20T12:00:00Z")))).toBe(7); // Saturday before AWS's example
    expect(sundayWeekOfYear(new Date(at("2016-02-21T00:00:00Z")))).toBe(8); // its Sunday
    expect(sundayWeekOfYear(new Date(at("2023-01-01T00:00:00Z")))).toBe(1); // a year that starts on Sunday
    expect(indexNameFor("i", "OneWeek", at("2016-12-31T12:00:00Z"))).toBe("i-2016-w52");
  });
});

describe("the _bulk request", () => {
  const lines = (body: Uint8Array) => text(body).split("\n");

  it("POSTs NDJSON to <endpoint>/_bulk: an index action and the document per record", async () => {
    const request = await buildHttpRequest(
      os({ indexRotationPeriod: "OneDay" }),
      [bytes('{"a":1}'), bytes('{"b":2}')],
      ctx([at("2016-02-25T13:00:00Z"), at("2016-02-26T00:00:01Z")], { recordIds: ["r-0", "r-1"] }),
    );
    expect(request.url).toBe("http://127.0.0.1:9200/_bulk");
    expect(request.method).toBe("POST");
    expect(request.headers["Content-Type"]).toBe("application/x-ndjson");
    expect(text(request.body)).toBe(
      '{"index":{"_index":"myindex-2016-02-25","_id":"r-0"}}\n{"a":1}\n' +
        '{"index":{"_index":"myindex-2016-02-26","_id":"r-1"}}\n{"b":2}\n',
    );
  });

  it("FIREHOSE_DEFAULT ids are stable across retries without record ids; NO_DOCUMENT_ID sends none", async () => {
    const records = [bytes("{}"), bytes("{}")];
    const first = await buildHttpRequest(os(), records, ctx([1, 2]));
    const retry = await buildHttpRequest(os(), records, ctx([1, 2], { now: Date.now() }));
    expect(text(retry.body)).toBe(text(first.body));
    expect(JSON.parse(lines(first.body)[2]!)).toEqual({ index: { _index: "myindex", _id: `${REQUEST_ID}-1` } });
    const none = await buildHttpRequest(os({ documentIdFormat: "NO_DOCUMENT_ID" }), records, ctx([1, 2]));
    expect(JSON.parse(lines(none.body)[0]!)).toEqual({ index: { _index: "myindex" } });
  });

  it("adds _type when a type name is set (Elasticsearch 6.x)", async () => {
    const request = await buildHttpRequest(os({ typeName: "_doc", documentIdFormat: "NO_DOCUMENT_ID" }), [bytes("{}")], ctx([1]));
    expect(JSON.parse(lines(request.body)[0]!)).toEqual({ index: { _index: "myindex", _type: "_doc" } });
  });

  it("keeps a multi-line JSON document on one line", async () => {
    const request = await buildHttpRequest(os(), [bytes('{\n  "a": "x\\ny"\r\n}')], ctx([1]));
    expect(lines(request.body)).toHaveLength(3);
    expect(JSON.parse(lines(request.body)[1]!)).toEqual({ a: "x\ny" });
  });

  it("joins the endpoint and _bulk with one slash", () => {
    expect(bulkUrl("https://search.example.test/")).toBe("https://search.example.test/_bulk");
  });
});

describe("the _bulk answer", () => {
  const item = (status: number, error?: unknown) => ({ index: { _index: "i", _id: "x", status, ...(error ? { error } : {}) } });

  it("200 with errors:false is delivered", () => {
    expect(judgeBulkResponse(200, JSON.stringify({ took: 3, errors: false, items: [item(201), item(200)] }))).toEqual({
      ok: true,
    });
  });

  it("200 with errors:true fails and names the failed documents", () => {
    const error = { type: "mapper_parsing_exception", reason: "failed to parse" };
    const body = JSON.stringify({
      took: 3,
      errors: true,
      items: [item(201), item(400, error), item(201), item(429, { type: "es_rejected_execution_exception" })],
    });
    const verdict = judgeHttpResponse(os(), 200, body, REQUEST_ID);
    expect(verdict).toMatchObject({ ok: false, code: "400", failedItems: [1, 3] });
    const failed = verdict as { reason: string; itemErrors: { index: number; code: string; message: string }[] };
    expect(failed.itemErrors[0]).toEqual({ index: 1, code: "400", message: JSON.stringify(error) });
    expect(failed.itemErrors[1]!.code).toBe("429");
    expect(failed.reason).toContain("2 of 4 documents failed");
    expect(failed.reason).toContain("mapper_parsing_exception");
  });

  it("another status, or a body that is no bulk answer, fails the whole batch", () => {
    const forbidden = '{"message":"no permissions for [indices:data/write/bulk]"}';
    expect(judgeBulkResponse(403, forbidden)).toEqual({ ok: false, code: "403", reason: `403: ${forbidden}` });
    expect(judgeBulkResponse(200, "<html>")).toMatchObject({ ok: false, code: "200" });
    expect(judgeBulkResponse(200, '{"acknowledged":true}')).toMatchObject({ ok: false, code: "200" });
  });
});

describe("the Splunk HEC request", () => {
  const splunk = (over: Partial<Extract<HttpTarget, { format: "splunk" }>> = {}): HttpTarget => ({
    format: "splunk",
    endpoint: "http://127.0.0.1:8088",
    endpointType: "Event",
    token: "11111111-2222-3333-4444-555555555555",
    ackTimeoutMs: 180_000,
    ...over,
  });
  const records = [bytes('{"event":"one","time":1}'), bytes('{"event":"two"}')];

  it("Event: POSTs the records as they are to /services/collector/event with token and channel", async () => {
    const request = await buildHttpRequest(splunk(), records, ctx([1, 2]));
    expect(request.url).toBe("http://127.0.0.1:8088/services/collector/event");
    expect(request.headers).toEqual({
      Authorization: "Splunk 11111111-2222-3333-4444-555555555555",
      "X-Splunk-Request-Channel": REQUEST_ID,
      "Content-Type": "application/json",
    });
    expect(text(request.body)).toBe('{"event":"one","time":1}{"event":"two"}');
  });

  it("Raw: the bytes concatenated, no delimiter added, to /services/collector/raw", async () => {
    const request = await buildHttpRequest(
      splunk({ endpointType: "Raw", token: undefined }),
      [bytes("a b"), bytes("c\n"), bytes("d")],
      ctx([1, 2, 3]),
    );
    expect(request.url).toBe("http://127.0.0.1:8088/services/collector/raw");
    expect(request.headers.Authorization).toBeUndefined();
    expect(request.headers["X-Splunk-Request-Channel"]).toBe(REQUEST_ID);
    expect(text(request.body)).toBe("a bc\nd");
  });

  it("does not double the path or the slash", () => {
    expect(hecUrl("https://hec.example.test:8088/", "Raw")).toBe("https://hec.example.test:8088/services/collector/raw");
    expect(hecUrl("https://hec.example.test/services/collector/event", "Event")).toBe(
      "https://hec.example.test/services/collector/event",
    );
  });
});

describe("the Splunk HEC answer", () => {
  it("200 with code 0 is delivered (with or without an ackId)", () => {
    expect(judgeHecResponse(200, '{"text":"Success","code":0}')).toEqual({ ok: true });
    expect(judgeHecResponse(200, '{"text":"Success","code":0,"ackId":7}')).toEqual({ ok: true });
  });

  it.each([
    [403, '{"text":"Token disabled","code":1}', "Splunk.DisabledToken"],
    [401, '{"text":"Token is required","code":2}', "Splunk.InvalidToken"],
    [403, '{"text":"Invalid token","code":4}', "Splunk.InvalidToken"],
    [400, '{"text":"Invalid data format","code":6,"invalid-event-number":0}', "Splunk.InvalidDataFormat"],
    [400, '{"text":"Incorrect index","code":7,"invalid-event-number":1}', "Splunk.InvalidIndex"],
    [503, '{"text":"Server is busy","code":9}', "Splunk.ServerError"],
    [400, '{"text":"ACK is disabled","code":14}', "Splunk.DisabledAck"],
    [401, "", "Splunk.InvalidToken"],
    [400, "bad", "Splunk.InvalidDataFormat"],
    [502, "<html>Bad Gateway</html>", "Splunk.ServerError"],
    [200, "OK", "Splunk.ServerError"],
  ])("%i %s → %s", (status, body, code) => {
    const verdict = judgeHecResponse(status, body);
    expect(verdict).toMatchObject({ ok: false, code });
    expect((verdict as { reason: string }).reason).toContain(`HEC response: ${status} ${body}`);
  });

  it("the reason is AWS's text for the code", () => {
    expect((judgeHecResponse(403, '{"text":"Invalid token","code":4}') as { reason: string }).reason).toBe(
      'The HEC token is invalid. Update Firehose with a valid HEC token. HEC response: 403 {"text":"Invalid token","code":4}',
    );
  });
});
