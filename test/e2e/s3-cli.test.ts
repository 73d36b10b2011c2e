/**
 * The AWS CLI v2 (`aws s3 mb/cp/rm/rb`, `aws s3api put-object/head-object`) and boto3 against the
 * shared server, unmodified but for the endpoint. Skipped where the tools are not installed.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { endpoint } from "./clients";
import { bucketName } from "./s3-clients";

const run = promisify(execFile);
const AWS = "/usr/bin/aws";
const PYTHON = "/usr/bin/python3";
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_PAGER: "",
};

const hasBoto3 =
  existsSync(PYTHON) &&
  (await run(PYTHON, ["-c", "import boto3"]).then(
    () => true,
    () => false,
  ));

describe("S3 from other clients", () => {
  const dir = mkdtempSync(join(tmpdir(), "s3-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.runIf(existsSync(AWS))(
    "the AWS CLI makes a bucket, copies a file up and down, sets metadata, removes both",
    async () => {
      const aws = (...args: string[]) => run(AWS, ["--endpoint-url", endpoint(), ...args], { env });
      const bucket = bucketName("cli");
      const file = join(dir, "hello.txt");
      writeFileSync(file, "hello from the cli\n");
      expect((await aws("s3", "mb", `s3://${bucket}`)).stdout).toContain(`make_bucket: ${bucket}`);
      await aws("s3", "cp", file, `s3://${bucket}/dir/hello.txt`);
      expect((await aws("s3", "cp", `s3://${bucket}/dir/hello.txt`, "-")).stdout).toBe("hello from the cli\n");
      await aws(
        "s3api",
        "put-object",
        "--bucket",
        bucket,
        "--key",
        "api.txt",
        "--body",
        file,
        "--metadata",
        "team=s3",
        "--content-type",
        "text/plain",
      );
      const head = JSON.parse((await aws("s3api", "head-object", "--bucket", bucket, "--key", "api.txt")).stdout) as Record<
        string,
        unknown
      >;
      expect(head).toMatchObject({ ContentLength: 19, ContentType: "text/plain", Metadata: { team: "s3" } });
      expect((await aws("s3", "ls")).stdout).toContain(bucket);
      await aws("s3", "rm", `s3://${bucket}/dir/hello.txt`);
      await aws("s3api", "delete-object", "--bucket", bucket, "--key", "api.txt");
      await aws("s3api", "delete-bucket", "--bucket", bucket);
      const gone = await aws("s3api", "head-bucket", "--bucket", bucket).catch((e: { stderr: string }) => e);
      expect((gone as { stderr: string }).stderr).toContain("404");
    },
    90_000,
  );

  it.runIf(hasBoto3)("boto3 puts, gets and deletes, and reads S3's errors", async () => {
    const script = `
import boto3, botocore, json, sys
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], aws_access_key_id="test", aws_secret_access_key="test",
                  region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))
b = sys.argv[2]
s3.create_bucket(Bucket=b)
s3.put_object(Bucket=b, Key="a.txt", Body=b"from boto3", Metadata={"k": "v"})
got = s3.get_object(Bucket=b, Key="a.txt")
out = {"body": got["Body"].read().decode(), "meta": got["Metadata"], "etag": got["ETag"]}
try:
    s3.get_object(Bucket=b, Key="missing")
except botocore.exceptions.ClientError as e:
    out["error"] = e.response["Error"]
s3.delete_object(Bucket=b, Key="a.txt")
s3.delete_bucket(Bucket=b)
print(json.dumps(out))
`;
    const { stdout } = await run(PYTHON, ["-c", script, endpoint(), bucketName("boto")], { env });
    expect(JSON.parse(stdout)).toEqual({
      body: "from boto3",
      meta: { k: "v" },
      etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
      error: { Code: "NoSuchKey", Message: "The specified key does not exist.", Key: "missing" },
    });
  });
});
