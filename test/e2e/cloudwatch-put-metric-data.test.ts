/**
 * CloudWatch PutMetricData, accepted so that the KCL and other publishers keep running (the metrics
 * issue stores them): the current @aws-sdk/client-cloudwatch (AWS JSON 1.0, query-compatible) and the
 * AWS CLI v2 (query protocol), with CloudWatch's errors for a reserved namespace.
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { awsError, credentials, endpoint } from "./clients";

const run = promisify(execFile);
const AWS = "/usr/bin/aws";

describe("CloudWatch PutMetricData", () => {
  const client = () => new CloudWatchClient({ endpoint: endpoint(), region: "us-east-1", credentials, maxAttempts: 1 });

  it("accepts the KCL's metrics over AWS JSON 1.0", async () => {
    const out = await client().send(
      new PutMetricDataCommand({
        Namespace: "my-kcl-app",
        MetricData: [
          {
            MetricName: "RecordsProcessed",
            Dimensions: [{ Name: "ShardId", Value: "shardId-000000000000" }],
            Unit: "Count",
            Value: 42,
            Timestamp: new Date(),
          },
          { MetricName: "Time", Unit: "Milliseconds", StatisticValues: { SampleCount: 2, Sum: 10, Minimum: 4, Maximum: 6 } },
        ],
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(
      await awsError(() =>
        client().send(new PutMetricDataCommand({ Namespace: "AWS/SQS", MetricData: [{ MetricName: "x", Value: 1 }] })),
      ),
    ).toMatchObject({
      name: "InvalidParameterValueException",
      code: "InvalidParameterValue",
      message: "The value AWS/ for parameter Namespace is invalid.",
    });
  });

  it.runIf(existsSync(AWS))("accepts them over the query protocol (AWS CLI v2)", async () => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_PAGER: "",
    };
    const { stdout } = await run(
      AWS,
      [
        "--endpoint-url",
        endpoint(),
        "cloudwatch",
        "put-metric-data",
        "--namespace",
        "my-app",
        "--metric-name",
        "Latency",
        "--value",
        "12",
        "--unit",
        "Milliseconds",
      ],
      { env },
    );
    expect(stdout).toBe("");
    const refused = await run(
      AWS,
      [
        "--endpoint-url",
        endpoint(),
        "cloudwatch",
        "put-metric-data",
        "--namespace",
        "AWS/EC2",
        "--metric-name",
        "x",
        "--value",
        "1",
      ],
      { env },
    ).catch((e: { stderr: string }) => e);
    expect((refused as { stderr: string }).stderr).toContain("InvalidParameterValue");
  });
});
