/**
 * The HTTP endpoint destination's request and verdicts, as AWS specifies them
 * (https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html and
 * http_troubleshooting.html), and the transport-failure codes of all three HTTP destinations.
 */
import { bytesToBase64 } from "../../src/domain/base64";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { HttpTarget } from "../../src/domain/firehose/contract";
import {
  buildHttpRequest,
  judgeHttpOutcome,
  judgeHttpResponse,
  judgeTransportFailure,
  type HttpRequestContext,
  type TransportFailureKind,
} from "../../src/domain/firehose/http-delivery";

const ARN = "arn:aws:firehose:us-east-1:000000000000:deliverystream/web-logs";
const REQUEST_ID = "ed4acda5-034f-9f42-bba1-f29aea6d7d8f";
const ctx: HttpRequestContext = { requestId: REQUEST_ID, now: 1578090901599, sourceArn: ARN, arrivals: [1, 2] };

const endpoint = (over: Partial<Extract<HttpTarget, { format: "http-endpoint" }>> = {}): HttpTarget => ({
  format: "http-endpoint",
  url: "https://example.test/ingest?x=1",
  contentEncoding: "NONE",
  commonAttributes: {},
  ...over,
});

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const records = [bytes("hello"), bytes("hello world")];

describe("the HTTP endpoint request", () => {
  it("POSTs to the URL as configured, with the protocol headers and nothing optional", async () => {
    const request = await buildHttpRequest(endpoint(), records, ctx);
    expect(request.url).toBe("https://example.test/ingest?x=1");
    expect(request.method).toBe("POST");
    expect(request.headers).toEqual({
      "X-Amz-Firehose-Protocol-Version": "1.0",
      "X-Amz-Firehose-Request-Id": REQUEST_ID,
      "Content-Type": "application/json",
      "X-Amz-Firehose-Source-Arn": ARN,
    });
  });

  it("carries the access key verbatim and the common attributes as {commonAttributes:{…}}", async () => {
    const target = endpoint({
      accessKey: "  k=v; {json}  ",
      commonAttributes: { "deployment -context": "pre-prod-gamma", "device-types": "" },
    });
    const { headers } = await buildHttpRequest(target, records, ctx);
    expect(headers["X-Amz-Firehose-Access-Key"]).toBe("  k=v; {json}  ");
    expect(JSON.parse(headers["X-Amz-Firehose-Common-Attributes"]!)).toEqual({
      commonAttributes: { "deployment -context": "pre-prod-gamma", "device-types": "" },
    });
    expect(headers["Content-Encoding"]).toBeUndefined();
  });

  it("an empty access key is still a configured key; no attributes, no header", async () => {
    const { headers } = await buildHttpRequest(endpoint({ accessKey: "" }), records, ctx);
    expect(headers["X-Amz-Firehose-Access-Key"]).toBe("");
    expect("X-Amz-Firehose-Common-Attributes" in headers).toBe(false);
  });

  it("has the body {requestId, timestamp (epoch ms), records:[{data: base64}]}", async () => {
    const { body } = await buildHttpRequest(endpoint(), records, ctx);
    // AWS's own example body, byte for byte in content.
    expect(JSON.parse(text(body))).toEqual({
      requestId: REQUEST_ID,
      timestamp: 1578090901599,
      records: [{ data: "aGVsbG8=" }, { data: "aGVsbG8gd29ybGQ=" }],
    });
  });

  it("keeps empty and binary records, and base64s records of any size correctly", async () => {
    const binary = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) % 256);
    const { body } = await buildHttpRequest(endpoint(), [new Uint8Array(0), binary], ctx);
    const data = (JSON.parse(text(body)) as { records: { data: string }[] }).records.map((r) => r.data);
    expect(data[0]).toBe("");
    expect(data[1]).toBe(Buffer.from(binary).toString("base64"));
    expect(bytesToBase64(binary)).toBe(Buffer.from(binary).toString("base64"));
  });

  it("GZIP: Content-Encoding gzip and the same JSON, compressed", async () => {
    const plain = await buildHttpRequest(endpoint(), records, ctx);
    const zipped = await buildHttpRequest(endpoint({ contentEncoding: "GZIP" }), records, ctx);
    expect(zipped.headers["Content-Encoding"]).toBe("gzip");
    expect(zipped.headers["Content-Type"]).toBe("application/json");
    expect([zipped.body[0], zipped.body[1]]).toEqual([0x1f, 0x8b]);
    expect(text(gunzipSync(zipped.body))).toBe(text(plain.body));
  });

  it("reuses the request id on a retry (header and body) while the timestamp is the attempt's", async () => {
    const first = await buildHttpRequest(endpoint(), records, ctx);
    const retry = await buildHttpRequest(endpoint(), records, { ...ctx, now: ctx.now + 60_000 });
    expect(retry.headers["X-Amz-Firehose-Request-Id"]).toBe(first.headers["X-Amz-Firehose-Request-Id"]);
    const [a, b] = [first, retry].map((r) => JSON.parse(text(r.body)) as { requestId: string; timestamp: number });
    expect(b!.requestId).toBe(a!.requestId);
    expect(b!.timestamp - a!.timestamp).toBe(60_000);
  });
});

describe("the HTTP endpoint's answer", () => {
  const judge = (status: number, body: string, contentType: string | null | undefined = "application/json") =>
    judgeHttpResponse(endpoint(), status, body, REQUEST_ID, contentType);
  const ok = JSON.stringify({ requestId: REQUEST_ID, timestamp: 1578090903599 });
  const invalid = "HttpEndpoint.InvalidResponseFromDestination";
  const lead =
    "The response received from the specified endpoint is invalid. Contact the owner of the endpoint to resolve the issue. ";

  it("200 with our requestId and a numeric timestamp is delivered", () => {
    expect(judge(200, ok)).toEqual({ ok: true });
    expect(judge(200, ok, "application/json; charset=utf-8")).toEqual({ ok: true });
    expect(judge(200, JSON.stringify({ requestId: REQUEST_ID, timestamp: 1, errorMessage: "" }))).toEqual({ ok: true });
    // Without the header at hand the content type is not judged.
    expect(judgeHttpResponse(endpoint(), 200, ok, REQUEST_ID)).toEqual({ ok: true });
  });

  it('AWS\'s logged example: 200 {"requestId": null}', () => {
    expect(judge(200, '{"requestId": null}')).toEqual({
      ok: false,
      code: invalid,
      reason: `${lead}Response for request ${REQUEST_ID} is not recognized as valid JSON or has unexpected fields. Raw response received: 200 {"requestId": null}`,
    });
  });

  it.each([
    ["not JSON", "OK", "is not recognized as valid JSON or has unexpected fields"],
    ["a JSON array", "[]", "is not recognized as valid JSON or has unexpected fields"],
    ["an unexpected field", JSON.stringify({ requestId: REQUEST_ID, timestamp: 1, status: "ok" }), "unexpected fields"],
    ["no requestId", JSON.stringify({ timestamp: 1 }), "does not contain a requestId"],
    [
      "another requestId",
      JSON.stringify({ requestId: "other-id", timestamp: 1 }),
      "has the requestId other-id, which does not match",
    ],
    ["no timestamp", JSON.stringify({ requestId: REQUEST_ID }), "does not contain a timestamp"],
    ["a string timestamp", JSON.stringify({ requestId: REQUEST_ID, timestamp: "1578090903599" }), "does not contain a timestamp"],
  ])("200 with %s is an invalid response", (_, body, problem) => {
    const verdict = judge(200, body);
    expect(verdict).toMatchObject({ ok: false, code: invalid });
    const reason = (verdict as { reason: string }).reason;
    expect(reason.startsWith(`${lead}Response for request ${REQUEST_ID} `)).toBe(true);
    expect(reason).toContain(problem);
    expect(reason.endsWith(`Raw response received: 200 ${body}`)).toBe(true);
  });

  it.each([["text/plain"], [null]])("200 with Content-Type %s is an invalid response", (contentType) => {
    const verdict = judge(200, ok, contentType);
    expect(verdict).toMatchObject({ ok: false, code: invalid });
    expect((verdict as { reason: string }).reason).toContain("content-type: application/json");
  });

  it("any other status is a destination exception with the status and the body", () => {
    const body = JSON.stringify({ requestId: REQUEST_ID, timestamp: 1598556019164, errorMessage: "Unauthorized" });
    expect(judge(401, body)).toEqual({
      ok: false,
      code: "HttpEndpoint.DestinationException",
      reason: `The following response was received from the endpoint destination. 401: ${body}`,
    });
    for (const status of [201, 204, 302, 400, 429, 500, 503]) {
      expect(judge(status, ok)).toMatchObject({ ok: false, code: "HttpEndpoint.DestinationException" });
      expect(judge(status, ok)).not.toHaveProperty("permanent");
    }
  });

  it("413 is a permanent failure", () => {
    expect(judge(413, '{"errorMessage":"Payload too large"}')).toMatchObject({
      ok: false,
      code: "HttpEndpoint.DestinationException",
      permanent: true,
    });
  });

  it("logs a long body truncated", () => {
    const verdict = judge(500, "x".repeat(10_000)) as { reason: string };
    expect(verdict.reason.length).toBeLessThan(1200);
  });
});

describe("no answer at all", () => {
  const os: HttpTarget = {
    format: "opensearch",
    endpoint: "http://127.0.0.1:9200",
    indexName: "logs",
    indexRotationPeriod: "NoRotation",
    documentIdFormat: "FIREHOSE_DEFAULT",
    errorType: "AmazonOpenSearchService-failed",
  };
  const es: HttpTarget = { ...os, errorType: "elasticsearch-failed" } as HttpTarget;
  const splunk: HttpTarget = { format: "splunk", endpoint: "http://127.0.0.1:8088", endpointType: "Raw", ackTimeoutMs: 180_000 };

  it.each<[TransportFailureKind, string, string, string]>([
    ["timeout", "HttpEndpoint.RequestTimeout", "Splunk.ConnectionTimeout", "OS.RequestTimeout"],
    ["refused", "HttpEndpoint.ConnectionFailed", "Splunk.InvalidEndpoint", "OS.ConnectionFailed"],
    ["other", "HttpEndpoint.ConnectionFailed", "Splunk.InvalidEndpoint", "OS.ConnectionFailed"],
    ["reset", "HttpEndpoint.ConnectionReset", "Splunk.ConnectionClosed", "OS.ConnectionReset"],
    ["tls", "HttpEndpoint.SSLHandshakeFailure", "Splunk.SSLHandshake", "OS.SSLHandshakeFailure"],
    ["too-large", "HttpEndpoint.ResponseTooLarge", "Splunk.ServerError", "OS.ResponseTooLarge"],
  ])("%s → %s / %s / %s", (kind, endpointCode, splunkCode, osCode) => {
    expect(judgeTransportFailure(endpoint(), kind, "detail")).toMatchObject({ ok: false, code: endpointCode });
    expect(judgeTransportFailure(splunk, kind, "detail")).toMatchObject({ ok: false, code: splunkCode });
    expect(judgeTransportFailure(os, kind, "detail")).toMatchObject({ ok: false, code: osCode });
    expect(judgeTransportFailure(es, kind, "detail")).toMatchObject({ ok: false, code: osCode.replace("OS.", "ES.") });
    expect((judgeTransportFailure(endpoint(), kind, "connect ECONNREFUSED") as { reason: string }).reason).toContain(
      "connect ECONNREFUSED",
    );
  });

  it("AWS's Splunk texts are the reasons", () => {
    expect((judgeTransportFailure(splunk, "refused", "x") as { reason: string }).reason).toBe(
      "Could not connect to the HEC endpoint. Make sure that the HEC endpoint URL is valid and reachable from Firehose. (x)",
    );
  });

  it("judgeHttpOutcome takes either outcome of the sender", () => {
    const answered = {
      status: 200,
      body: JSON.stringify({ requestId: REQUEST_ID, timestamp: 5 }),
      contentType: "application/json",
    };
    expect(judgeHttpOutcome(endpoint(), answered, REQUEST_ID)).toEqual({ ok: true });
    expect(
      judgeHttpOutcome(endpoint(), { error: "The operation was aborted due to timeout", kind: "timeout" }, REQUEST_ID),
    ).toMatchObject({ ok: false, code: "HttpEndpoint.RequestTimeout" });
  });
});
