/**
 * Kinesis on the wire, with raw requests: AWS JSON 1.1 and AWS CBOR 1.1 (what the Java SDK, KCL and KPL
 * send), Kinesis's error forms (malformed bodies, wrong types, missing members, unknown operations,
 * transport failures as bare XML), a CBOR round trip with byte-string blobs and tag-1 millisecond
 * timestamps, and the signature failures of a deployment with keys.
 * Texts: kinesalite test/connection.js and test/helpers.js, LocalStack's test_kinesis snapshots.
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { decode as cborDecode, encode as cborEncode, Token, Type } from "cborg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness } from "wrangler";
import { endpoint } from "./clients";
import { eventually } from "./helpers";
import { kinesisRaw, uniqueAccount } from "./kinesis-clients";

const CBOR = "application/x-amz-cbor-1.1";
const JSON11 = "application/x-amz-json-1.1";

/** Tag 1 + epoch milliseconds, as the Java SDK writes a timestamp. */
class Millis {
  constructor(readonly ms: number) {}
}
const cbor = (value: unknown) =>
  cborEncode(value, {
    typeEncoders: { Object: (v: unknown) => (v instanceof Millis ? [new Token(Type.tag, 1), new Token(Type.uint, v.ms)] : null) },
  });

/** A decoded CBOR response; tag-1 values come back as `Millis`. */
async function readCbor(response: Response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: bytes.length
      ? (cborDecode(bytes, { tags: { 1: (inner) => new Millis(inner() as number) } }) as Record<string, any>)
      : undefined,
  };
}

async function readJson(response: Response) {
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: (await response.json()) as Record<string, any>,
  };
}

const cborCall = async (operation: string, value: unknown, accessKeyId?: string) =>
  readCbor(await kinesisRaw(operation, value instanceof Uint8Array ? value : cbor(value), { contentType: CBOR, accessKeyId }));
const jsonCall = async (operation: string, body: string) => readJson(await kinesisRaw(operation, body));

const serialization = (Message?: string) => ({ __type: "SerializationException", ...(Message ? { Message } : {}) });

describe("AWS JSON 1.1 errors", () => {
  it("a body that is not JSON, or is empty: SerializationException with no message", async () => {
    expect(await jsonCall("ListStreams", "hello")).toEqual({ status: 400, type: JSON11, body: serialization() });
    expect(await jsonCall("ListStreams", "")).toEqual({ status: 400, type: JSON11, body: serialization() });
  });

  it("an unknown operation: UnknownOperationException alone", async () => {
    expect(await jsonCall("ListStream", "{}")).toEqual({
      status: 400,
      type: JSON11,
      body: { __type: "UnknownOperationException" },
    });
    expect(await jsonCall("Whatever", "")).toEqual({ status: 400, type: JSON11, body: { __type: "UnknownOperationException" } });
  });

  it("wrong types: SerializationException with Coral's text under `Message`", async () => {
    const cases: [string, unknown, string][] = [
      ["DescribeStreamSummary", { StreamName: 12 }, "NUMBER_VALUE can not be converted to a String"],
      ["DescribeStreamSummary", { StreamName: {} }, "Start of structure or map found where not expected."],
      ["GetRecords", { ShardIterator: "i", Limit: "5" }, "STRING_VALUE can not be converted to a Long"],
      ["PutRecords", { StreamName: "s", Records: "x" }, "Expected list or null"],
      [
        "PutRecord",
        { StreamName: "s", PartitionKey: "p", Data: "=+/=" },
        "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='",
      ],
    ];
    for (const [operation, input, message] of cases) {
      expect(await jsonCall(operation, JSON.stringify(input))).toEqual({
        status: 400,
        type: JSON11,
        body: serialization(message),
      });
    }
  });

  it("missing required members: one ValidationException naming them all", async () => {
    const { status, body } = await jsonCall("GetShardIterator", JSON.stringify({ StreamName: "s" }));
    expect(status).toBe(400);
    expect(body).toEqual({
      __type: "ValidationException",
      message:
        "2 validation errors detected: Value null at 'shardId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe("AWS CBOR 1.1 errors", () => {
  it("a body that is not CBOR: SerializationException, CBOR-encoded", async () => {
    for (const body of [Uint8Array.of(0xff), Uint8Array.of(0xa1, 0x61), new TextEncoder().encode("{}")]) {
      expect(await cborCall("ListStreams", body)).toEqual({ status: 400, type: CBOR, body: serialization() });
    }
    expect(await cborCall("ListStreams", new Uint8Array())).toEqual({ status: 400, type: CBOR, body: serialization() });
  });

  it("an unknown operation", async () => {
    expect(await cborCall("Whatever", {})).toEqual({ status: 400, type: CBOR, body: { __type: "UnknownOperationException" } });
  });

  it("wrong types and missing members", async () => {
    expect(await cborCall("DescribeStreamSummary", { StreamName: 12 })).toEqual({
      status: 400,
      type: CBOR,
      body: serialization("NUMBER_VALUE can not be converted to a String"),
    });
    expect(await cborCall("PutRecords", { StreamName: "s", Records: [{ PartitionKey: "a" }] })).toEqual({
      status: 400,
      type: CBOR,
      body: {
        __type: "ValidationException",
        message:
          "1 validation error detected: Value null at 'records.1.member.data' failed to satisfy constraint: Member must not be null",
      },
    });
  });

  it("ResourceNotFoundException as AWS recorded it (test_cbor_exceptions)", async () => {
    expect(await cborCall("DescribeStreamSummary", { StreamName: "wrong-stream-name" }, "111111111111")).toEqual({
      status: 400,
      type: CBOR,
      body: { __type: "ResourceNotFoundException", message: "Stream wrong-stream-name under account 111111111111 not found." },
    });
  });
});

describe("transport failures, answered outside the protocol", () => {
  const send = (init: { method?: string; headers?: Record<string, string>; body?: string }) =>
    fetch(`${endpoint()}/`, {
      method: init.method ?? "POST",
      headers: { "x-amz-target": "Kinesis_20131202.ListStreams", ...init.headers },
      body: init.body,
    });

  it("a body in a content type Kinesis does not speak: <UnknownOperationException/> 404, no content type", async () => {
    const response = await send({ headers: { "content-type": "application/x-amz-json-1.0" }, body: "{}" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBeNull();
    expect(await response.text()).toBe("<UnknownOperationException/>\n");
  });

  it("not a POST: <AccessDeniedException> 403", async () => {
    const response = await send({ method: "GET" });
    expect(response.status).toBe(403);
    expect(await response.text()).toBe(
      "<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be authorized</Message>\n</AccessDeniedException>\n",
    );
  });

  it("an empty POST with no content type is answered in CBOR", async () => {
    expect(await readCbor(await send({}))).toEqual({ status: 400, type: CBOR, body: serialization() });
  });
});

describe("a CBOR round trip (what the Java SDK does)", () => {
  const account = uniqueAccount();
  const call = (operation: string, value: unknown) => cborCall(operation, value, account);

  it("CreateStream → DescribeStreamSummary → PutRecord → GetShardIterator → GetRecords", async () => {
    const StreamName = `cbor-${Date.now().toString(36)}`;
    expect(await call("CreateStream", { StreamName, ShardCount: 1 })).toMatchObject({ status: 200, type: CBOR });
    const summary = await eventually(async () => {
      const { status, body } = await call("DescribeStreamSummary", { StreamName });
      expect(status).toBe(200);
      const described: Record<string, any> = body!.StreamDescriptionSummary;
      return described.StreamStatus === "ACTIVE" && described;
    }, "the stream to be ACTIVE");
    expect(summary).toMatchObject({ StreamName, StreamStatus: "ACTIVE", OpenShardCount: 1 });
    expect(summary!.StreamCreationTimestamp).toBeInstanceOf(Millis);
    expect(Math.abs(summary!.StreamCreationTimestamp.ms - Date.now())).toBeLessThan(60_000);

    const data = Uint8Array.from([0, 1, 2, 0x80, 0xfe, 0xff]);
    const before = Date.now();
    const put = await call("PutRecord", { StreamName, PartitionKey: "pk", Data: data });
    expect(put).toMatchObject({
      status: 200,
      body: { ShardId: expect.any(String), SequenceNumber: expect.stringMatching(/^\d+$/) },
    });

    const iterator = await call("GetShardIterator", {
      StreamName,
      ShardId: put.body!.ShardId,
      ShardIteratorType: "TRIM_HORIZON",
    });
    expect(iterator.status).toBe(200);
    const got = await call("GetRecords", { ShardIterator: iterator.body!.ShardIterator });
    expect(got.status).toBe(200);
    expect(got.body!.Records).toHaveLength(1);
    const [record] = got.body!.Records;
    expect(record).toMatchObject({ SequenceNumber: put.body!.SequenceNumber, PartitionKey: "pk" });
    expect(record.Data).toBeInstanceOf(Uint8Array);
    expect([...record.Data]).toEqual([...data]);
    // Epoch milliseconds under tag 1, not seconds.
    expect(record.ApproximateArrivalTimestamp).toBeInstanceOf(Millis);
    expect(record.ApproximateArrivalTimestamp.ms).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(record.ApproximateArrivalTimestamp.ms).toBeLessThanOrEqual(Date.now() + 1000);
    expect(typeof got.body!.MillisBehindLatest).toBe("number");

    // AT_TIMESTAMP with a tag-1 millisecond timestamp finds the record; one after it does not.
    const at = async (ms: number) => {
      const it = await call("GetShardIterator", {
        StreamName,
        ShardId: put.body!.ShardId,
        ShardIteratorType: "AT_TIMESTAMP",
        Timestamp: new Millis(ms),
      });
      expect(it.status).toBe(200);
      return (await call("GetRecords", { ShardIterator: it.body!.ShardIterator })).body!.Records as unknown[];
    };
    expect(await at(record.ApproximateArrivalTimestamp.ms - 1)).toHaveLength(1);
    expect(await at(Date.now())).toHaveLength(0);
  });
});

describe("with ACCESS_KEYS (signatures verified)", () => {
  const KEY = { accessKeyId: "AKIAKINESISWIRE00001", secretAccessKey: "kinesis/wire+secret" };
  let server: ReturnType<typeof createTestHarness>;
  let strict: string;

  beforeAll(async () => {
    process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
    const ACCESS_KEYS = JSON.stringify({
      [KEY.accessKeyId]: { secretAccessKey: KEY.secretAccessKey, accountId: "123456789012" },
    });
    server = createTestHarness({ workers: [{ configPath: "./wrangler.toml", secrets: { ACCESS_KEYS } }] });
    strict = (await server.listen()).url.origin;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  async function post(
    body: string | Uint8Array,
    options: {
      contentType?: string;
      headers?: Record<string, string>;
      path?: string;
      sign?: typeof KEY;
      operation?: string;
    } = {},
  ): Promise<Response> {
    const url = new URL(options.path ?? "/", strict);
    let headers: Record<string, string> = {
      "content-type": options.contentType ?? JSON11,
      "x-amz-target": `Kinesis_20131202.${options.operation ?? "ListStreams"}`,
      ...options.headers,
    };
    if (options.sign) {
      const signer = new SignatureV4({ credentials: options.sign, region: "us-east-1", service: "kinesis", sha256: Sha256 });
      const signed = await signer.sign({
        method: "POST",
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { host: url.host, ...headers },
        body,
      });
      headers = { ...(signed.headers as Record<string, string>) };
      delete headers.host;
    }
    return fetch(url, { method: "POST", headers, body });
  }

  const error = (__type: string, message: string) => ({ status: 400, type: JSON11, body: { __type, message } });

  it("no credentials: MissingAuthenticationTokenException, in JSON or CBOR", async () => {
    expect(await readJson(await post("{}"))).toEqual(
      error("MissingAuthenticationTokenException", "Missing Authentication Token"),
    );
    expect(await readCbor(await post(cbor({}), { contentType: CBOR }))).toEqual({
      status: 400,
      type: CBOR,
      body: { __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" },
    });
  });

  it("the body and the operation are checked before the signature", async () => {
    expect(await readJson(await post("hello"))).toEqual({ status: 400, type: JSON11, body: serialization() });
    expect(await readJson(await post("{}", { operation: "Nope" }))).toEqual({
      status: 400,
      type: JSON11,
      body: { __type: "UnknownOperationException" },
    });
  });

  it("a signature that is not well-formed: IncompleteSignatureException / InvalidSignatureException", async () => {
    expect(await readJson(await post("{}", { headers: { authorization: "X" } }))).toEqual(
      error(
        "IncompleteSignatureException",
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. " +
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=X",
      ),
    );
    expect(await readJson(await post("{}", { headers: { authorization: "AWS4- Signature=b Credential=a", date: "a" } }))).toEqual(
      error(
        "IncompleteSignatureException",
        "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b Credential=a",
      ),
    );
    expect(await readJson(await post("{}", { path: "/?X-Amz-Algorithm", headers: { authorization: "X" } }))).toEqual(
      error(
        "InvalidSignatureException",
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      ),
    );
    expect(
      await readJson(await post("{}", { path: "/?X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d" })),
    ).toEqual(
      error(
        "IncompleteSignatureException",
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
      ),
    );
  });

  it("an unknown key or a wrong secret", async () => {
    const unknown = { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" };
    expect(await readJson(await post("{}", { sign: unknown }))).toEqual(
      error("UnrecognizedClientException", "The security token included in the request is invalid."),
    );
    const wrong = await readJson(await post("{}", { sign: { ...KEY, secretAccessKey: "wrong" } }));
    expect(wrong).toMatchObject({ status: 400, body: { __type: "InvalidSignatureException" } });
    expect(wrong.body.message).toMatch(/^The request signature we calculated does not match/);
  });

  it("no credentials and a content type Kinesis does not speak: XML 403", async () => {
    const response = await post("{}", { contentType: "text/plain" });
    expect(response.status).toBe(403);
    expect(await response.text()).toBe(
      "<MissingAuthenticationTokenException>\n  <Message>Missing Authentication Token</Message>\n</MissingAuthenticationTokenException>\n",
    );
  });

  it("a signed CBOR request is served, in CBOR", async () => {
    const ok = await readCbor(await post(cbor({}), { contentType: CBOR, sign: KEY }));
    expect(ok).toMatchObject({ status: 200, type: CBOR, body: { StreamNames: expect.any(Array), HasMoreStreams: false } });
    const notFound = await readCbor(
      await post(cbor({ StreamName: "nope" }), { contentType: CBOR, sign: KEY, operation: "DescribeStreamSummary" }),
    );
    expect(notFound.body).toEqual({
      __type: "ResourceNotFoundException",
      message: "Stream nope under account 123456789012 not found.",
    });
  });
});
