/**
 * S3 through the Python tools people script with: the AWS CLI (`aws s3 mb/cp/ls/rm` and `aws s3api`)
 * and boto3, unmodified, pointed at the Worker with --endpoint-url. Each installed flavour is used: the
 * image's own (AWS CLI v1 / boto3 1.43, first on PATH) and Debian's (`/usr/bin/aws` 2.9,
 * `/usr/bin/python3` with python3-boto3) when present; a machine without them skips.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { credentials, endpoint, uniqueName } from "./clients";

const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_PAGER: "",
  AWS_EC2_METADATA_DISABLED: "true",
};

const run = (command: string, args: string[], input?: string) =>
  spawnSync(command, args, { env, encoding: "utf8", input, timeout: 60_000 });

const works = (command: string, args: string[]) => {
  const result = run(command, args);
  return result.status === 0 ? result.stdout.trim() : undefined;
};

const clis = [
  { name: "AWS CLI on PATH", command: "aws" },
  { name: "Debian's AWS CLI", command: "/usr/bin/aws" },
].filter((c) => works(c.command, ["--version"]) !== undefined);

const pythons = [
  { name: "boto3 on PATH", command: "python3" },
  { name: "Debian's boto3", command: "/usr/bin/python3" },
].filter((p) => works(p.command, ["-c", "import boto3"]) !== undefined);

const bucketName = () => uniqueName("cli").toLowerCase();

describe.skipIf(!clis.length)("S3 with the AWS CLI", () => {
  for (const cli of clis) {
    it(`${cli.name}: mb, cp both ways, ls, s3api put/get/head, rm, rb`, () => {
      const aws = (...args: string[]) => {
        const result = run(cli.command, ["--endpoint-url", endpoint(), ...args]);
        if (result.status !== 0) throw new Error(`aws ${args.join(" ")}: ${result.stderr}`);
        return result.stdout;
      };
      const dir = mkdtempSync(join(tmpdir(), "s3-cli-"));
      try {
        const bucket = bucketName();
        aws("s3", "mb", `s3://${bucket}`);
        const file = join(dir, "hello.txt");
        const body = "hello from the CLI\n".repeat(1000);
        writeFileSync(file, body);
        aws("s3", "cp", file, `s3://${bucket}/folder/hello.txt`);
        expect(aws("s3", "ls", `s3://${bucket}/folder/`)).toMatch(/\s19000 hello\.txt/);
        expect(aws("s3", "ls", `s3://${bucket}`)).toMatch(/PRE folder\//);
        const back = join(dir, "back.txt");
        aws("s3", "cp", `s3://${bucket}/folder/hello.txt`, back);
        expect(readFileSync(back, "utf8")).toBe(body);

        aws("s3api", "put-object", "--bucket", bucket, "--key", "api.json", "--body", file, "--content-type", "application/json");
        const head = JSON.parse(aws("s3api", "head-object", "--bucket", bucket, "--key", "api.json"));
        expect(head).toMatchObject({ ContentLength: 19000, ContentType: "application/json" });
        expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);
        const listed = JSON.parse(aws("s3api", "list-objects-v2", "--bucket", bucket));
        expect(listed.Contents.map((c: { Key: string }) => c.Key)).toEqual(["api.json", "folder/hello.txt"]);

        aws("s3", "rm", `s3://${bucket}`, "--recursive");
        aws("s3", "rb", `s3://${bucket}`);
        const missing = run(cli.command, ["--endpoint-url", endpoint(), "s3api", "head-bucket", "--bucket", bucket]);
        expect(missing.status).not.toBe(0);
        expect(missing.stderr).toMatch(/404|Not Found/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

const BOTO3_SCRIPT = `
import boto3, json, sys
from botocore.exceptions import ClientError
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
bucket = sys.argv[2]
out = {}
s3.create_bucket(Bucket=bucket)
s3.put_object(Bucket=bucket, Key="a b/c.txt", Body=b"x" * 5000, Metadata={"owner": "boto3"})
got = s3.get_object(Bucket=bucket, Key="a b/c.txt")
out["body"] = len(got["Body"].read())
out["meta"] = got["Metadata"]
out["range"] = s3.get_object(Bucket=bucket, Key="a b/c.txt", Range="bytes=0-9")["ContentLength"]
out["keys"] = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
s3.upload_fileobj(__import__("io").BytesIO(b"y" * (9 * 1024 * 1024)), bucket, "big.bin")
out["big"] = s3.head_object(Bucket=bucket, Key="big.bin")["ContentLength"]
try:
    s3.get_object(Bucket=bucket, Key="missing")
except ClientError as e:
    out["missing"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
`;

describe.skipIf(!pythons.length)("S3 with boto3", () => {
  for (const python of pythons) {
    it(`${python.name}: put/get with metadata, range, list, managed upload (multipart), NoSuchKey`, () => {
      const result = run(python.command, ["-c", BOTO3_SCRIPT, endpoint(), bucketName()]);
      if (result.status !== 0) throw new Error(result.stderr);
      expect(JSON.parse(result.stdout)).toEqual({
        body: 5000,
        meta: { owner: "boto3" },
        range: 10,
        keys: ["a b/c.txt"],
        big: 9 * 1024 * 1024,
        missing: ["NoSuchKey", 404],
      });
    });
  }
});
