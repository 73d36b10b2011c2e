/**
 * S3 CORS end to end: Put/Get/DeleteBucketCors with @aws-sdk/client-s3, and preflights and actual
 * requests as a browser sends them, through plain fetch (unsigned), against AWS's answers in
 * ../shared/aws-recordings/s3/test_s3_cors.snapshot.json.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { endpoint } from "./clients";
import { bucketName, s3, s3Client, s3Error } from "./s3-clients";

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
const ORIGIN = "https://localhost:4200";

/** The Access-Control-* and Vary headers of a response, by lower-case name. */
const corsHeaders = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("access-control-") || name === "vary"));

/** An S3 error document's members. */
const errorOf = async (response: Response) => {
  const text = await response.text();
  return Object.fromEntries([...text.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((m) => [m[1], m[2]]));
};

describe("S3 CORS", () => {
  const client = s3Client();
  const Bucket = bucketName("cors");
  const Key = "test-cors-123";
  const url = (key: string | undefined = Key, bucket = Bucket) => `${endpoint()}/${bucket}${key === undefined ? "" : `/${key}`}`;
  const bucketUrl = () => `${endpoint()}/${Bucket}`;
  const preflight = (headers: Record<string, string>, target = url()) => fetch(target, { method: "OPTIONS", headers });
  const putCors = (CORSRules: s3.CORSRule[]) =>
    client.send(new s3.PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules } }));

  beforeAll(async () => {
    await client.send(new s3.CreateBucketCommand({ Bucket }));
    await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: "test-cors" }));
  });

  it("refuses preflights without an Origin, to a missing bucket, or to a bucket without CORS", async () => {
    const noOrigin = await preflight({});
    expect(noOrigin.status).toBe(400);
    expect(await errorOf(noOrigin)).toMatchObject({
      Code: "BadRequest",
      Message: "Insufficient information. Origin request header needed.",
    });
    const noBucket = await preflight({ Origin: "whatever" }, url(Key, bucketName("cors-missing")));
    expect(noBucket.status).toBe(403);
    expect(await errorOf(noBucket)).toMatchObject({
      Code: "AccessForbidden",
      Message: "CORSResponse: Bucket not found",
      Method: "OPTIONS",
      ResourceType: "BUCKET",
    });
    const notEnabled = await preflight({ Origin: "whatever", "Access-Control-Request-Method": "PUT" });
    expect(notEnabled.status).toBe(403);
    expect(await errorOf(notEnabled)).toMatchObject({
      Code: "AccessForbidden",
      Message: "CORSResponse: CORS is not enabled for this bucket.",
      Method: "PUT",
      ResourceType: "BUCKET",
    });
    const get = await fetch(url(), { headers: { Origin: "whatever" } });
    expect(await get.text()).toBe("test-cors");
    expect(corsHeaders(get)).toEqual({});
  });

  it("stores, returns and deletes the configuration, and validates it as recorded", async () => {
    expect(await s3Error(() => client.send(new s3.GetBucketCorsCommand({ Bucket })))).toMatchObject({
      name: "NoSuchCORSConfiguration",
      status: 404,
      message: "The CORS configuration does not exist",
      BucketName: Bucket,
    });
    await client.send(new s3.DeleteBucketCorsCommand({ Bucket }));
    const rules = [
      {
        AllowedHeaders: ["x-amz-expected-bucket-owner", "x-AMZ-server-SIDE-encryption"],
        AllowedMethods: ["GET", "PUT", "HEAD"],
        AllowedOrigins: ["https://test.com", "http://test.com:80", ""],
        MaxAgeSeconds: 3000,
      },
      { AllowedMethods: ["GET"], AllowedOrigins: ["*"], ExposeHeaders: ["ETag"], ID: "second" },
    ];
    await putCors(rules);
    expect((await client.send(new s3.GetBucketCorsCommand({ Bucket }))).CORSRules).toEqual(rules);
    const badMethod = await s3Error(() => putCors([{ AllowedOrigins: ["*"], AllowedMethods: ["GET", "MYMETHOD"] }]));
    expect(badMethod).toMatchObject({
      name: "InvalidRequest",
      message: "Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD",
    });
    expect(await s3Error(() => putCors([]))).toMatchObject({ name: "MalformedXML", status: 400 });
    await client.send(new s3.DeleteBucketCorsCommand({ Bucket }));
    expect(await s3Error(() => client.send(new s3.GetBucketCorsCommand({ Bucket })))).toMatchObject({
      name: "NoSuchCORSConfiguration",
    });
  });

  it("answers preflights and actual requests from a matching origin, and nothing else (test_cors_match_origins)", async () => {
    await putCors([{ AllowedOrigins: [ORIGIN], AllowedMethods: ["GET", "PUT"], MaxAgeSeconds: 3000, AllowedHeaders: ["*"] }]);
    const expected = {
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "GET, PUT",
      "access-control-allow-origin": ORIGIN,
      "access-control-max-age": "3000",
      vary: VARY,
    };
    const noOrigin = await preflight({ referer: ORIGIN, "Access-Control-Request-Method": "PUT" });
    expect(noOrigin.status).toBe(400);
    const right = await preflight({ Origin: ORIGIN, "Access-Control-Request-Method": "PUT" });
    expect(right.status).toBe(200);
    expect(await right.text()).toBe("");
    expect(corsHeaders(right)).toEqual(expected);
    const get = await fetch(url(), { headers: { Origin: ORIGIN } });
    expect(await get.text()).toBe("test-cors");
    expect(corsHeaders(get)).toEqual(expected);
    const wrong = await preflight({ Origin: "http://localhost:4200", "Access-Control-Request-Method": "PUT" });
    expect(wrong.status).toBe(403);
    expect(await errorOf(wrong)).toMatchObject({
      Code: "AccessForbidden",
      Message: NOT_ALLOWED,
      Method: "PUT",
      ResourceType: "OBJECT",
    });
    const wrongGet = await fetch(url(), { headers: { Origin: "http://localhost:4200" } });
    expect(wrongGet.status).toBe(200);
    expect(corsHeaders(wrongGet)).toEqual({});
    await wrongGet.text();

    await putCors([{ AllowedOrigins: ["*"], AllowedMethods: ["GET", "PUT"], MaxAgeSeconds: 3000, AllowedHeaders: ["*"] }]);
    const any = await preflight({ Origin: "http://random:1234", "Access-Control-Request-Method": "PUT" });
    const { "access-control-allow-credentials": _, ...withoutCredentials } = expected;
    expect(corsHeaders(any)).toEqual({ ...withoutCredentials, "access-control-allow-origin": "*" });
  });

  it("matches one wildcard in an origin, whole (test_cors_options_*_partial_origin)", async () => {
    await putCors([
      { AllowedOrigins: ["http://*.origin.com"], AllowedMethods: ["GET", "PUT"], MaxAgeSeconds: 3000, AllowedHeaders: ["*"] },
    ]);
    const match = await preflight({ Origin: "http://test.origin.com", "Access-Control-Request-Method": "GET" }, bucketUrl());
    expect(match.status).toBe(200);
    expect(match.headers.get("access-control-allow-origin")).toBe("http://test.origin.com");
    const slash = await preflight({ Origin: "http://test.origin.com/", "Access-Control-Request-Method": "GET" }, bucketUrl());
    expect(slash.status).toBe(403);
    expect(await errorOf(slash)).toMatchObject({ Message: NOT_ALLOWED, Method: "GET", ResourceType: "BUCKET" });
  });

  it("checks the method asked for, also on an actual request (test_cors_match_methods)", async () => {
    await putCors([{ AllowedOrigins: [ORIGIN], AllowedMethods: ["GET"], MaxAgeSeconds: 3000, AllowedHeaders: ["*"] }]);
    const get = await preflight({ Origin: ORIGIN, "Access-Control-Request-Method": "GET" });
    expect(get.headers.get("access-control-allow-methods")).toBe("GET");
    const getAskingPut = await fetch(url(), { headers: { Origin: ORIGIN, "Access-Control-Request-Method": "PUT" } });
    expect(corsHeaders(getAskingPut)).toEqual({});
    await getAskingPut.text();
    const put = await preflight({ Origin: ORIGIN, "Access-Control-Request-Method": "PUT" }, url(`${Key}new`));
    expect(put.status).toBe(403);
    expect(await errorOf(put)).toMatchObject({ Method: "PUT", ResourceType: "OBJECT" });
  });

  it("allows requested headers case-insensitively and answers them lower-case (test_cors_match_headers)", async () => {
    await putCors([{ AllowedOrigins: [ORIGIN], AllowedMethods: ["GET"], MaxAgeSeconds: 3000, AllowedHeaders: ["*"] }]);
    const two = await preflight({
      Origin: ORIGIN,
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "x-amz-request-payer, x-amz-expected-bucket-owner",
    });
    expect(two.headers.get("access-control-allow-headers")).toBe("x-amz-request-payer, x-amz-expected-bucket-owner");
    await putCors([
      {
        AllowedOrigins: [ORIGIN],
        AllowedMethods: ["GET"],
        MaxAgeSeconds: 3000,
        AllowedHeaders: [
          "x-amz-expected-bucket-owner",
          "x-amz-server-side-encryption-customer-algorithm",
          "x-AMZ-server-SIDE-encryption",
        ],
      },
    ]);
    const ask = (requested: string) =>
      preflight({ Origin: ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": requested });
    const notAllowed = await ask("x-amz-request-payer");
    expect(notAllowed.status).toBe(403);
    expect(await errorOf(notAllowed)).toMatchObject({ Message: NOT_ALLOWED, Method: "GET" });
    for (const requested of [
      "x-AMZ-expected-BUCKET-owner, x-amz-server-side-encryption",
      "x-amz-expected-bucket-owner,x-amz-server-side-encryption",
    ]) {
      const allowed = await ask(requested);
      expect(allowed.headers.get("access-control-allow-headers")).toBe(
        "x-amz-expected-bucket-owner, x-amz-server-side-encryption",
      );
    }
    const withAsk = await fetch(url(), { headers: { Origin: ORIGIN, "Access-Control-Request-Headers": "x-amz-request-payer" } });
    expect(corsHeaders(withAsk)).toEqual({});
    await withAsk.text();
    const withHeader = await fetch(url(), { headers: { Origin: ORIGIN, "x-amz-request-payer": "requester" } });
    expect(withHeader.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    await withHeader.text();
  });

  it("answers ExposeHeader, and a rule without AllowedHeader allows none (test_cors_expose_headers, default values)", async () => {
    await putCors([
      {
        AllowedOrigins: ["*"],
        AllowedMethods: ["GET"],
        ExposeHeaders: ["x-amz-id-2", "x-amz-request-id", "x-amz-request-payer"],
      },
    ]);
    const exposed = await preflight({ Origin: "localhost:4566", "Access-Control-Request-Method": "GET" });
    expect(corsHeaders(exposed)).toEqual({
      "access-control-allow-methods": "GET",
      "access-control-allow-origin": "*",
      "access-control-expose-headers": "x-amz-id-2, x-amz-request-id, x-amz-request-payer",
      vary: VARY,
    });
    const withHeaders = await preflight({
      Origin: "localhost:4566",
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "x-amz-request-payer",
    });
    expect(withHeaders.status).toBe(403);
    await withHeaders.text();
  });

  it("adds the headers to an error answer from an allowed origin too", async () => {
    await putCors([{ AllowedOrigins: ["*"], AllowedMethods: ["GET"] }]);
    const missingKey = await fetch(url("no-such-key"), { headers: { Origin: "https://app.example" } });
    expect(missingKey.status).toBe(404);
    expect(missingKey.headers.get("access-control-allow-origin")).toBe("*");
    await missingKey.text();
  });
});
