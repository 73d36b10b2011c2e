/**
 * winston-firehose 2.1.1 (a winston 3 transport over aws-sdk v2's `Firehose.putRecord`), unmodified:
 * pointed here with `firehoseOptions` (endpoint, region, credentials), as its README configures it.
 * It sends one PutRecord per log line, fire and forget (winston is told "logged" at once), with
 * `JSON.stringify({ timestamp, ...info })` as the record unless told otherwise, and no delimiter:
 * so the S3 object is the records back to back, in the order they arrived.
 * https://github.com/pkallos/winston-firehose
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import winston from "winston";
import { credentials, endpoint, uniqueName } from "./clients";
import { createActive, eventually, firehoseClient, flush, objectsOf, roleArn, uniqueAccount } from "./firehose-clients";
import { bucketForSuite, s3Client } from "./s3-clients";

// aws-sdk v2 prints a maintenance-mode notice on load; it says nothing about this test.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

/** The parts of winston-firehose (plain CommonJS, no types) that this test touches. */
interface FirehoseTransport extends winston.transport {
  firehoser: { send(message: string): Promise<{ RecordId: string }> };
}
type FirehoseLoggerClass = new (options: {
  streamName: string;
  firehoseOptions?: Record<string, unknown>;
  level?: string;
  formatter?: (info: Record<string, unknown>) => string;
  useLoggerFormat?: boolean;
}) => FirehoseTransport;
const FirehoseLogger = createRequire(import.meta.url)("winston-firehose") as FirehoseLoggerClass;

const account = uniqueAccount();
const fh = firehoseClient({ accessKeyId: account });
const s3c = s3Client({ accessKeyId: account });

/** What the package's README shows, with this endpoint: aws-sdk v2 options passed through as they are. */
const firehoseOptions = () => ({
  endpoint: endpoint(),
  region: "us-east-1",
  credentials: { accessKeyId: account, secretAccessKey: credentials.secretAccessKey },
  maxRetries: 0,
});

/**
 * A logger over the transport, and every PutRecord the transport starts (its `send` promises, which
 * winston drops). `settled(n)` waits until the transport has started `n` puts (winston's object
 * streams hold back lines past their highWaterMark of 16, so not every line has reached the transport
 * when the logging calls return), then for every one of them to answer.
 */
function loggerFor(options: ConstructorParameters<FirehoseLoggerClass>[0], loggerFormat?: winston.Logform.Format) {
  const transport = new FirehoseLogger(options);
  const sent: string[] = [];
  const puts: Promise<{ RecordId: string } | { error: { code: string; message: string } }>[] = [];
  const send = transport.firehoser.send.bind(transport.firehoser);
  transport.firehoser.send = (message: string) => {
    sent.push(message);
    const put = send(message);
    puts.push(put.catch((e: { code: string; message: string }) => ({ error: { code: e.code, message: e.message } })));
    return put.catch(() => ({ RecordId: "" }));
  };
  const logger = winston.createLogger({
    level: "debug",
    transports: [transport],
    ...(loggerFormat ? { format: loggerFormat } : {}),
  });
  const settled = async (n: number) => {
    await eventually(async () => puts.length >= n);
    return Promise.all(puts);
  };
  return { logger, sent, settled };
}

describe("winston-firehose into Firehose and S3", () => {
  const Bucket = bucketForSuite(s3c, "firehose-winston");
  const BucketARN = `arn:aws:s3:::${Bucket}`;
  const stream = async (appendDelimiter = false) => {
    const name = uniqueName("winston");
    await createActive(fh, {
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        RoleARN: roleArn(account),
        BucketARN,
        Prefix: `${name}/`,
        ...(appendDelimiter
          ? { ProcessingConfiguration: { Enabled: true, Processors: [{ Type: "AppendDelimiterToRecord" }] } }
          : {}),
      },
    });
    return name;
  };
  const delivered = async (name: string) => {
    const flushed = await flush(name, account);
    const objects = await objectsOf(Bucket, `${name}/`, s3c);
    expect(objects).toHaveLength(1);
    return { flushed, body: objects[0]!.body.toString() };
  };

  it("delivers every line at info and above as JSON.stringify({timestamp, ...info}), back to back", async () => {
    const name = await stream();
    const { logger, sent, settled } = loggerFor({ streamName: name, firehoseOptions: firehoseOptions() });
    const N = 25;
    for (let i = 0; i < N; i++) logger.info(`line ${i}`, { n: i, service: "checkout" });
    logger.warn("careful", { n: N });
    logger.debug("below the transport's level (info by default)");
    const results = await settled(N + 1);
    expect(results.every((r) => "RecordId" in r && r.RecordId.length > 0)).toBe(true);
    expect(sent).toHaveLength(N + 1);

    // Exactly the default formatter's record: the transport's timestamp first, then winston's info.
    const records = sent.map((s) => JSON.parse(s) as Record<string, unknown>);
    records.forEach((r, i) => {
      const level = i < N ? "info" : "warn";
      const message = i < N ? `line ${i}` : "careful";
      const extra = i < N ? { service: "checkout" } : {};
      expect(r).toEqual({
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        n: i,
        ...extra,
        level,
        message,
      });
      expect(Object.keys(r)[0]).toBe("timestamp");
    });

    const { flushed, body } = await delivered(name);
    expect(flushed.counters).toMatchObject({ incomingRecords: N + 1, deliveredRecords: N + 1, deliveredObjects: 1 });
    // No delimiter between records: the object is the records concatenated. The puts run concurrently
    // (one HTTP request per line, none awaited), so the arrival order, and so the object's, is not the
    // logging order.
    expect(body.length).toBe(sent.reduce((n, s) => n + s.length, 0));
    const pieces = body.split(/(?<=\})(?=\{"timestamp")/);
    expect(pieces.sort()).toEqual([...sent].sort());
  });

  it("sends winston's own format with useLoggerFormat, newline-delimited by AppendDelimiterToRecord", async () => {
    const name = await stream(true);
    const { logger, sent, settled } = loggerFor(
      { streamName: name, firehoseOptions: firehoseOptions(), useLoggerFormat: true },
      winston.format.combine(winston.format.timestamp(), winston.format.json()),
    );
    for (let i = 0; i < 10; i++) logger.info(`json ${i}`);
    await settled(10);
    expect(sent).toHaveLength(10);
    const { body } = await delivered(name);
    const lines = body.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.sort()).toEqual([...sent].sort());
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `json ${i}`).sort(),
    );
  });

  it("uses a custom formatter, and its puts to a stream that does not exist fail with ResourceNotFoundException", async () => {
    const name = await stream();
    const { logger, sent, settled } = loggerFor({
      streamName: name,
      firehoseOptions: firehoseOptions(),
      formatter: (info) => `${String(info.level).toUpperCase()} ${String(info.message)}|`,
    });
    logger.error("disk full");
    logger.info("retrying");
    await settled(2);
    expect([...sent].sort()).toEqual(["ERROR disk full|", "INFO retrying|"]);
    const { body } = await delivered(name);
    expect(["ERROR disk full|INFO retrying|", "INFO retrying|ERROR disk full|"]).toContain(body);

    const missing = uniqueName("winston-missing");
    const lost = loggerFor({ streamName: missing, firehoseOptions: firehoseOptions() });
    lost.logger.info("into the void");
    // winston-firehose drops this rejection (winston was told "logged" already); aws-sdk v2 reads the code and message.
    expect(await lost.settled(1)).toEqual([
      { error: { code: "ResourceNotFoundException", message: `Firehose ${missing} under account ${account} not found.` } },
    ]);
  });
});
