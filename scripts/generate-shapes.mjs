#!/usr/bin/env node
// Generates src/protocol/shapes/<service>.ts from the official AWS service models.
//
// The models ship in the npm package `aws-sdk` (v2) as apis/<service>-<version>.min.json. Since SQS
// moved to AWS JSON 1.0, current models lost the query-protocol serialization names (locationName),
// so for SQS we merge two models: member structure and types from the newest one, query names
// (`Attribute.N.Name`, `SendMessageBatchRequestEntry.N`…) and `resultWrapper` from aws-sdk@2.1490.0,
// the last release that still carried SQS's query model. The output is committed; rerun with
// `npm run generate` when a model changes.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);

const LATEST = "2.1693.0";
const LAST_SQS_QUERY = "2.1490.0";

/** The 39 Kinesis Data Streams actions (the current client also has Channels, a separate feature). */
const KINESIS_OPERATIONS = `AddTagsToStream CreateStream DecreaseStreamRetentionPeriod DeleteResourcePolicy DeleteStream
  DeregisterStreamConsumer DescribeAccountSettings DescribeLimits DescribeStream DescribeStreamConsumer
  DescribeStreamSummary DisableEnhancedMonitoring EnableEnhancedMonitoring GetRecords GetResourcePolicy
  GetShardIterator IncreaseStreamRetentionPeriod ListShards ListStreamConsumers ListStreams
  ListTagsForResource ListTagsForStream MergeShards PutRecord PutRecords PutResourcePolicy
  RegisterStreamConsumer RemoveTagsFromStream SplitShard StartStreamEncryption StopStreamEncryption
  SubscribeToShard TagResource UntagResource UpdateAccountSettings UpdateMaxRecordSize UpdateShardCount
  UpdateStreamMode UpdateStreamWarmThroughput`.split(/\s+/);

const SERVICES = [
  { name: "sqs", file: "sqs-2012-11-05", queryModelVersion: LAST_SQS_QUERY },
  { name: "sns", file: "sns-2010-03-31" },
  { name: "kinesis", client: "@aws-sdk/client-kinesis", operations: KINESIS_OPERATIONS },
];

/** Downloads (once) and reads apis/<file>.min.json of aws-sdk@version. */
function loadModel(version, file) {
  const dir = join(tmpdir(), `aws-sdk-models-${version}`);
  if (!existsSync(join(dir, "package"))) {
    mkdirSync(dir, { recursive: true });
    const tgz = execFileSync("npm", ["pack", `aws-sdk@${version}`, "--silent"], { cwd: dir })
      .toString()
      .trim();
    execFileSync("tar", ["xzf", tgz, "package/apis"], { cwd: dir });
  }
  return JSON.parse(readFileSync(join(dir, "package", "apis", `${file}.min.json`), "utf8"));
}

/** A member or nested shape: follows `shape` references and lets the referencing member override. */
function resolve(model, ref) {
  if (!ref) return undefined;
  if (!ref.shape) return ref;
  const { shape, ...overrides } = ref;
  return { ...resolve(model, model.shapes[shape]), ...overrides };
}

const TYPES = new Set([
  "string",
  "integer",
  "long",
  "boolean",
  "blob",
  "timestamp",
  "float",
  "double",
  "structure",
  "list",
  "map",
]);

/**
 * Builds one nested shape from the current model (`ref`) and, where it has the same member, the query
 * model (`queryRef`), which contributes only serialization names.
 */
function build(model, ref, queryModel, queryRef) {
  const shape = resolve(model, ref);
  const query = resolve(queryModel, queryRef);
  const type = shape.type ?? "string";
  if (!TYPES.has(type)) throw new Error(`unknown shape type ${type}`);
  const out = { type };
  const name = query?.locationName ?? shape.locationName;
  if (name) out.name = name;
  if (type === "structure") {
    out.members = {};
    for (const [member, memberRef] of Object.entries(shape.members ?? {})) {
      out.members[member] = build(model, memberRef, queryModel, query?.members?.[member]);
    }
    if (shape.required?.length) out.required = shape.required;
  } else if (type === "list") {
    out.member = build(model, shape.member, queryModel, query?.member);
    if (shape.flattened ?? query?.flattened) out.flattened = true;
  } else if (type === "map") {
    out.key = build(model, shape.key, queryModel, query?.key);
    out.value = build(model, shape.value, queryModel, query?.value);
    if (shape.flattened ?? query?.flattened) out.flattened = true;
  } else if (type === "timestamp" && shape.timestampFormat) {
    out.timestampFormat = shape.timestampFormat;
  }
  return out;
}

/**
 * Query names of members added after the last query model, as query clients send them (e.g. kombu's
 * SQS transport sends `MessageSystemAttributeName.1=…`); without one only `MessageSystemAttributeNames.1` would decode.
 */
const QUERY_MEMBER_NAMES = {
  sqs: { "ReceiveMessage.MessageSystemAttributeNames": "MessageSystemAttributeName" },
};

function generate({ name, file, queryModelVersion }) {
  const model = loadModel(LATEST, file);
  const queryModel = queryModelVersion ? loadModel(queryModelVersion, file) : model;
  const operations = {};
  for (const [op, def] of Object.entries(model.operations)) {
    const queryOp = queryModel.operations[op];
    const input = def.input ? build(model, def.input, queryModel, queryOp?.input) : { type: "structure", members: {} };
    for (const [path, memberName] of Object.entries(QUERY_MEMBER_NAMES[name] ?? {})) {
      const [opName, member] = path.split(".");
      const list = opName === op ? input.members?.[member] : undefined;
      if (list?.type === "list" && !list.member.name) list.member.name = memberName;
    }
    const outputDef = def.output ? build(model, def.output, queryModel, queryOp?.output) : { type: "structure", members: {} };
    const resultWrapper = queryOp?.output?.resultWrapper ?? def.output?.resultWrapper ?? `${op}Result`;
    operations[op] = { input, output: outputDef, resultWrapper };
  }
  const m = model.metadata;
  const service = {
    apiVersion: m.apiVersion,
    protocol: m.protocol,
    ...(m.targetPrefix ? { targetPrefix: m.targetPrefix } : {}),
    ...(m.jsonVersion ? { jsonVersion: m.jsonVersion } : {}),
    xmlNamespace: queryModel.metadata.xmlNamespace ?? m.xmlNamespace,
    operations,
  };
  const banner =
    `// GENERATED by scripts/generate-shapes.mjs from aws-sdk@${LATEST} apis/${file}.min.json` +
    (queryModelVersion && queryModelVersion !== LATEST ? ` (query names from aws-sdk@${queryModelVersion})` : "") +
    `.\n// Do not edit by hand; run \`npm run generate\`.\n`;
  write(name, banner, service, Object.keys(operations).length);
}

/**
 * Services whose aws-sdk v2 model is frozen (Kinesis lacks eight current actions there) are read from
 * the schemas the current AWS SDK for JavaScript v3 client exports (`<Name>$` arrays of
 * @smithy/core/schema): [3, ns, name, traits, memberNames, memberSchemas, requiredCount] structures with
 * required members first, [1, …, member] lists, [2, …, key, value] maps, numeric codes for simple types.
 */
function fromClientSchemas({ name, client, operations: wanted }) {
  const schemas = require(client);
  const deref = (s) => (typeof s === "function" ? deref(s()) : s);
  const simple = (code) => {
    if (code === 0) return { type: "string" };
    if (code === 1) return { type: "long" };
    if (code === 2) return { type: "boolean" };
    if (code >= 4 && code <= 7) return { type: "timestamp" };
    if (code === 21 || code === 42) return { type: "blob" };
    if (code === 15) return { type: "document" };
    if (code & 64) return { type: "list", member: simple(code & 63) };
    if (code & 128) return { type: "map", key: { type: "string" }, value: simple(code & 127) };
    throw new Error(`unknown simple schema ${code}`);
  };
  const convert = (raw) => {
    let s = deref(raw);
    if (Array.isArray(s) && s.length === 2 && !(typeof s[0] === "number" && typeof s[1] === "string")) s = deref(s[0]);
    if (typeof s === "number") return simple(s);
    if (s === "unit") return { type: "structure", members: {} };
    const [kind] = s;
    if (kind === 0) return convert(s[4]);
    if (kind === 1) return { type: "list", member: convert(s[4]) };
    if (kind === 2) return { type: "map", key: convert(s[4]), value: convert(s[5]) };
    if (kind === 3 || kind === 4 || kind === -3) {
      const names = s[4];
      const out = { type: "structure", members: {} };
      names.forEach((member, i) => (out.members[member] = convert(s[5][i])));
      if (kind === 4) out.union = true;
      const required = names.slice(0, s[6] ?? 0);
      if (required.length) out.required = required;
      return out;
    }
    throw new Error(`unknown schema kind ${kind}`);
  };
  const operations = {};
  for (const op of wanted) {
    const schema = schemas[`${op}$`];
    if (!schema) throw new Error(`${client} has no operation ${op}`);
    operations[op] = { input: convert(schema[4]), output: convert(schema[5]), resultWrapper: `${op}Result` };
  }
  const version = require(`${client}/package.json`).version;
  const banner = `// GENERATED by scripts/generate-shapes.mjs from the schemas of ${client}@${version}.\n// Do not edit by hand; run \`npm run generate\`.\n`;
  const service = { apiVersion: "2013-12-02", protocol: "json", targetPrefix: "Kinesis_20131202", jsonVersion: "1.1", operations };
  write(name, banner, service, Object.keys(operations).length);
}

function write(name, banner, service, count) {
  const body = `import type { ServiceModel } from "./types";\n\nexport const ${name}Model: ServiceModel = ${JSON.stringify(service, null, 1)};\n`;
  const target = new URL(`../src/protocol/shapes/${name}.ts`, import.meta.url);
  writeFileSync(target, banner + body);
  console.log(`wrote ${target.pathname} (${count} operations)`);
}

for (const service of SERVICES) (service.client ? fromClientSchemas : generate)(service);
