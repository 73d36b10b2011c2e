/**
 * Firehose from the AWS CLI (v2 at /usr/bin/aws, v1 from pyenv on PATH) and from boto3 (the pyenv
 * `python3` and /usr/bin/python3), unmodified but for the endpoint, as a user would drive them: JSON
 * configurations on the command line, blobs as each CLI wants them (v1 takes text and base64-encodes
 * it; v2 wants base64 unless `--cli-binary-format raw-in-base64-out`), and the S3 object read back with
 * `aws s3 cp s3://… -`. Flavours that are not installed are skipped.
 * https://docs.aws.amazon.com/cli/latest/reference/firehose/index.html
 * https://docs.aws.amazon.com/cli/latest/userguide/cliv2-migration-changes.html#cliv2-migration-binaryparam
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { endpoint, uniqueName } from "./clients";
import { flush, objectsOf, roleArn, uniqueAccount } from "./firehose-clients";
import { sleep } from "./helpers";
import { bucketForSuite, s3Client } from "./s3-clients";

const run = promisify(execFile);
const account = uniqueAccount();
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: account,
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_PAGER: "",
};

/** The CLI's major version, or undefined where `bin` is not there or does not run. */
async function cliVersion(bin: string): Promise<number | undefined> {
  const out = await run(bin, ["--version"], { env }).then(
    (r) => r.stdout + r.stderr,
    () => "",
  );
  const major = /aws-cli\/(\d+)\./.exec(out)?.[1];
  return major === undefined ? undefined : Number(major);
}

const hasBoto3 = (python: string) =>
  run(python, ["-c", "import boto3"], { env }).then(
    () => true,
    () => false,
  );

// v1 is whatever `aws` on PATH is when that is a v1 (pyenv's); v2 is Debian's package.
const V2 = "/usr/bin/aws";
const clis = [
  { flavour: "v2", bin: V2, present: existsSync(V2) && (await cliVersion(V2)) === 2 },
  { flavour: "v1", bin: "aws", present: (await cliVersion("aws")) === 1 },
];
const pythons = [
  { flavour: "boto3 (pyenv python3)", bin: "python3", present: await hasBoto3("python3") },
  {
    flavour: "boto3 (/usr/bin/python3)",
    bin: "/usr/bin/python3",
    present: existsSync("/usr/bin/python3") && (await hasBoto3("/usr/bin/python3")),
  },
];

const s3c = s3Client({ accessKeyId: account });
const Bucket = bucketForSuite(s3c, "firehose-cli");
const BucketARN = `arn:aws:s3:::${Bucket}`;

// The CLIs' processes take most of the time (about a second each): every flavour runs side by side.
describe.concurrent("Firehose from other clients", () => {
  for (const cli of clis) {
    describe.runIf(cli.present)(`Firehose from the AWS CLI ${cli.flavour}`, () => {
      const aws = (...args: string[]) => run(cli.bin, ["--endpoint-url", endpoint(), ...args], { env });
      const json = async (...args: string[]) => JSON.parse((await aws(...args)).stdout || "{}") as Record<string, any>;
      /** What the CLI prints (and its exit) when the service answers with an error. */
      const failure = (...args: string[]) =>
        aws(...args).then(
          () => {
            throw new Error(`aws ${args.join(" ")} succeeded`);
          },
          (e: { stderr: string; code: number }) => ({ stderr: e.stderr.trim(), code: e.code }),
        );

      /** A user's loop: describe until ACTIVE. */
      async function describeActive(name: string) {
        for (let i = 0; i < 50; i++) {
          const d = (await json("firehose", "describe-delivery-stream", "--delivery-stream-name", name))
            .DeliveryStreamDescription;
          if (d.DeliveryStreamStatus === "ACTIVE") return d;
          await sleep(100);
        }
        throw new Error(`${name} never became ACTIVE`);
      }

      /** A record's blob as this CLI takes it by default: raw text (v1), base64 (v2). */
      const blob = (text: string) => (cli.flavour === "v2" ? Buffer.from(text).toString("base64") : text);

      it("creates a stream from --extended-s3-destination-configuration JSON, describes and lists it, puts, and the object reads back with aws s3 cp", async () => {
        const name = uniqueName(`cli-${cli.flavour}`);
        const destination = {
          RoleARN: roleArn(account),
          BucketARN,
          Prefix: `${name}/`,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          ProcessingConfiguration: { Enabled: true, Processors: [{ Type: "AppendDelimiterToRecord" }] },
        };
        const created = await json(
          "firehose",
          "create-delivery-stream",
          "--delivery-stream-name",
          name,
          "--delivery-stream-type",
          "DirectPut",
          "--extended-s3-destination-configuration",
          JSON.stringify(destination),
        );
        expect(created).toEqual({ DeliveryStreamARN: `arn:aws:firehose:us-east-1:${account}:deliverystream/${name}` });
        const d = await describeActive(name);
        expect(d).toMatchObject({
          DeliveryStreamName: name,
          DeliveryStreamARN: created.DeliveryStreamARN,
          DeliveryStreamType: "DirectPut",
          VersionId: "1",
          HasMoreDestinations: false,
        });
        // v2 prints timestamps as ISO 8601; v1 (cli_timestamp_format "none") as the wire's epoch seconds.
        if (cli.flavour === "v2") expect(new Date(d.CreateTimestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
        else expect(d.CreateTimestamp * 1000).toBeGreaterThan(Date.now() - 60_000);
        expect(d.Destinations[0].ExtendedS3DestinationDescription).toMatchObject({
          RoleARN: roleArn(account),
          BucketARN,
          Prefix: `${name}/`,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          CompressionFormat: "UNCOMPRESSED",
        });
        expect((await json("firehose", "list-delivery-streams")).DeliveryStreamNames).toContain(name);

        const one = await json(
          "firehose",
          "put-record",
          "--delivery-stream-name",
          name,
          "--record",
          JSON.stringify({ Data: blob("first") }),
        );
        expect(one).toEqual({ RecordId: expect.any(String), Encrypted: false });
        const lines = ["first"];
        if (cli.flavour === "v2") {
          // v2 refuses raw text before sending anything (`Invalid base64: "not base64"`, exit 255), and
          // takes it when told so.
          const refused = await failure(
            "firehose",
            "put-record",
            "--delivery-stream-name",
            name,
            "--record",
            '{"Data":"not base64"}',
          );
          expect(refused).toEqual({ stderr: 'Invalid base64: "not base64"', code: 255 });
          await aws(
            "firehose",
            "put-record",
            "--cli-binary-format",
            "raw-in-base64-out",
            "--delivery-stream-name",
            name,
            "--record",
            '{"Data":"raw"}',
          );
          lines.push("raw");
        }
        const batch = await json(
          "firehose",
          "put-record-batch",
          "--delivery-stream-name",
          name,
          "--records",
          JSON.stringify(["second", "third"].map((t) => ({ Data: blob(t) }))),
        );
        expect(batch).toMatchObject({ FailedPutCount: 0, Encrypted: false });
        expect(batch.RequestResponses).toHaveLength(2);
        lines.push("second", "third");

        const flushed = await flush(name, account);
        expect(flushed.counters).toMatchObject({ deliveredRecords: lines.length, deliveredObjects: 1 });
        const listing = (await aws("s3", "ls", `s3://${Bucket}/${name}/`, "--recursive")).stdout.trim().split("\n");
        expect(listing).toHaveLength(1);
        const key = listing[0]!.split(/\s+/).pop()!;
        expect(key).toMatch(new RegExp(`^${name}/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1-\\d{4}(-\\d{2}){5}-[0-9a-f-]{36}$`));
        expect((await aws("s3", "cp", `s3://${Bucket}/${key}`, "-")).stdout).toBe(lines.map((l) => `${l}\n`).join(""));
      }, 60_000);

      it("tags, untags and lists tags; deletes; and prints AWS's errors", async () => {
        const name = uniqueName(`cli-tags-${cli.flavour}`);
        await aws(
          "firehose",
          "create-delivery-stream",
          "--delivery-stream-name",
          name,
          "--extended-s3-destination-configuration",
          `RoleARN=${roleArn(account)},BucketARN=${BucketARN}`,
          "--tags",
          "Key=team,Value=logs",
        );
        await describeActive(name);
        const tags = () => json("firehose", "list-tags-for-delivery-stream", "--delivery-stream-name", name);
        expect(await tags()).toEqual({ Tags: [{ Key: "team", Value: "logs" }], HasMoreTags: false });
        await aws(
          "firehose",
          "tag-delivery-stream",
          "--delivery-stream-name",
          name,
          "--tags",
          "Key=env,Value=test",
          "Key=team,Value=data",
        );
        // In the order they were first added (a retagged key keeps its place; see services/firehose/tagging.ts).
        expect(await tags()).toEqual({
          Tags: [
            { Key: "team", Value: "data" },
            { Key: "env", Value: "test" },
          ],
          HasMoreTags: false,
        });
        await aws("firehose", "untag-delivery-stream", "--delivery-stream-name", name, "--tag-keys", "team");
        expect(await tags()).toEqual({ Tags: [{ Key: "env", Value: "test" }], HasMoreTags: false });

        // "An error occurred (ResourceInUseException) when calling the CreateDeliveryStream operation: Firehose <name> under accountId <account> already exists"
        const again = await failure(
          "firehose",
          "create-delivery-stream",
          "--delivery-stream-name",
          name,
          "--extended-s3-destination-configuration",
          `RoleARN=${roleArn(account)},BucketARN=${BucketARN}`,
        );
        expect(again.stderr).toBe(
          `An error occurred (ResourceInUseException) when calling the CreateDeliveryStream operation: Firehose ${name} under accountId ${account} already exists`,
        );
        expect(again.code).toBe(cli.flavour === "v2" ? 254 : 255);

        await aws("firehose", "delete-delivery-stream", "--delivery-stream-name", name);
        let gone: { stderr: string } | undefined;
        for (let i = 0; i < 50 && !gone; i++) {
          const listed = (await json("firehose", "list-delivery-streams")).DeliveryStreamNames as string[];
          expect(listed).not.toContain(name);
          gone = await failure("firehose", "describe-delivery-stream", "--delivery-stream-name", name).catch(() => undefined);
          if (!gone) await sleep(100);
        }
        // "An error occurred (ResourceNotFoundException) when calling the DescribeDeliveryStream operation: Firehose <name> under account <account> not found."
        expect(gone?.stderr).toBe(
          `An error occurred (ResourceNotFoundException) when calling the DescribeDeliveryStream operation: Firehose ${name} under account ${account} not found.`,
        );
        const put = await failure(
          "firehose",
          "put-record",
          "--delivery-stream-name",
          name,
          "--record",
          JSON.stringify({ Data: blob("x") }),
        );
        expect(put.stderr).toContain("(ResourceNotFoundException) when calling the PutRecord operation");
      }, 60_000);
    });
  }

  const BOTO3_SCRIPT = `
import boto3, botocore, json, sys
endpoint, account, name, bucket_arn, role = sys.argv[1:6]
fh = boto3.client("firehose", endpoint_url=endpoint, aws_access_key_id=account, aws_secret_access_key="test",
                  region_name="us-east-1")
out = {"boto3": boto3.__version__}
out["arn"] = fh.create_delivery_stream(DeliveryStreamName=name, DeliveryStreamType="DirectPut",
    ExtendedS3DestinationConfiguration={"RoleARN": role, "BucketARN": bucket_arn, "Prefix": name + "/"})["DeliveryStreamARN"]
import time
for _ in range(100):
    d = fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
    if d["DeliveryStreamStatus"] == "ACTIVE":
        break
    time.sleep(0.1)
out["status"] = d["DeliveryStreamStatus"]
out["created"] = type(d["CreateTimestamp"]).__name__
r = fh.put_record_batch(DeliveryStreamName=name, Records=[{"Data": b"one\\n"}, {"Data": "two\\n"}])
out["batch"] = {"FailedPutCount": r["FailedPutCount"], "Encrypted": r["Encrypted"], "n": len(r["RequestResponses"])}
try:
    fh.describe_delivery_stream(DeliveryStreamName=name + "-missing")
except botocore.exceptions.ClientError as e:
    out["error"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                    "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                    "modeled": isinstance(e, fh.exceptions.ResourceNotFoundException)}
print(json.dumps(out))
`;

  for (const python of pythons) {
    describe.runIf(python.present)(`Firehose from ${python.flavour}`, () => {
      it("creates a stream, puts a batch (bytes and str), and reads ResourceNotFoundException", async () => {
        const name = uniqueName("boto3");
        const { stdout } = await run(python.bin, ["-c", BOTO3_SCRIPT, endpoint(), account, name, BucketARN, roleArn(account)], {
          env,
        });
        const out = JSON.parse(stdout) as Record<string, unknown>;
        expect(out).toMatchObject({
          arn: `arn:aws:firehose:us-east-1:${account}:deliverystream/${name}`,
          status: "ACTIVE",
          created: "datetime",
          batch: { FailedPutCount: 0, Encrypted: false, n: 2 },
          error: {
            code: "ResourceNotFoundException",
            // botocore reads __type and message from the JSON 1.1 body.
            message: `Firehose ${name}-missing under account ${account} not found.`,
            status: 400,
            modeled: true,
          },
        });
        await flush(name, account);
        const objects = await objectsOf(Bucket, `${name}/`, s3c);
        expect(objects.map((o) => o.body.toString())).toEqual(["one\ntwo\n"]);
      });
    });
  }
});
