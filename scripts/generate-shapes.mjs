#!/usr/bin/env node
// Generates, for every service, src/services/<service>/shapes/model.ts (the shape tree the codecs walk)
// and src/services/<service>/shapes/types.ts (TypeScript types of each operation's decoded input and
// output, which type the service's operation table). Offline: every input is in this repository or
// in node_modules, pinned by package-lock.json.
//
// - SQS and SNS: the AWS service models of npm `aws-sdk` v2, committed in scripts/models/. Since SQS
//   moved to AWS JSON 1.0, current models lost the query-protocol serialization names (locationName),
//   so for SQS two models are merged: members and types from the newest one (2.1693.0), query names
//   (`Attribute.N.Name`, `SendMessageBatchRequestEntry.N`…) and `resultWrapper` from 2.1490.0, the
//   last release that carried SQS's query model.
// - Kinesis: the v2 model lacks eight current actions, so its tree comes from the schemas the
//   installed @aws-sdk/client-kinesis exports.
// - Type names of nested structures come from the installed v3 clients' schemas (v2 models are
//   minified and name them S1r, S1y…).
//
// `npm run generate` writes the files; `node scripts/generate-shapes.mjs --check` regenerates them in
// memory and fails when a committed file differs (run by `npm test`).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const check = process.argv.includes("--check");

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

/** The 12 Amazon Data Firehose actions (API version 2015-08-04). */
const FIREHOSE_OPERATIONS = `CreateDeliveryStream DeleteDeliveryStream DescribeDeliveryStream ListDeliveryStreams
  ListTagsForDeliveryStream PutRecord PutRecordBatch StartDeliveryStreamEncryption StopDeliveryStreamEncryption
  TagDeliveryStream UntagDeliveryStream UpdateDestination`.split(/\s+/);

/**
 * The DynamoDB actions this service serves (API version 2012-08-10): the control plane and the item
 * operations and transactions; PartiQL, backups, global tables and streams not yet.
 */
const DYNAMODB_OPERATIONS = `BatchGetItem BatchWriteItem CreateTable DeleteItem DeleteTable DescribeContinuousBackups
  DescribeEndpoints DescribeLimits DescribeTable DescribeTimeToLive GetItem ListTables ListTagsOfResource PutItem
  Query Scan TagResource TransactGetItems TransactWriteItems UntagResource UpdateContinuousBackups UpdateItem UpdateTable
  UpdateTimeToLive`.split(/\s+/);

/**
 * Output members the model calls required but AWS leaves out in some answers: optional in types.ts
 * (model.ts keeps the model's list). SubscribeToShardEvent: the last event of a closed shard has no
 * ContinuationSequenceNumber, which is how the KCL learns the shard has ended. SQS batch results: an
 * empty Successful or Failed list is left out (recorded for SendMessageBatch).
 */
const KINESIS_SOMETIMES_ABSENT = { SubscribeToShardEvent: ["ContinuationSequenceNumber"] };
const SQS_BATCH = ["Successful", "Failed"];
const SQS_SOMETIMES_ABSENT = {
  SendMessageBatchResult: SQS_BATCH,
  DeleteMessageBatchResult: SQS_BATCH,
  ChangeMessageVisibilityBatchResult: SQS_BATCH,
};

const SERVICES = [
  {
    name: "sqs",
    title: "Sqs",
    file: "sqs-2012-11-05",
    queryModelVersion: LAST_SQS_QUERY,
    client: "@aws-sdk/client-sqs",
    sometimesAbsent: SQS_SOMETIMES_ABSENT,
  },
  { name: "sns", title: "Sns", file: "sns-2010-03-31", client: "@aws-sdk/client-sns" },
  {
    name: "kinesis",
    title: "Kinesis",
    client: "@aws-sdk/client-kinesis",
    operations: KINESIS_OPERATIONS,
    fromClient: true,
    sometimesAbsent: KINESIS_SOMETIMES_ABSENT,
    apiVersion: "2013-12-02",
    targetPrefix: "Kinesis_20131202",
  },
  {
    name: "firehose",
    title: "Firehose",
    client: "@aws-sdk/client-firehose",
    operations: FIREHOSE_OPERATIONS,
    fromClient: true,
    apiVersion: "2015-08-04",
    targetPrefix: "Firehose_20150804",
  },
  // CloudWatch: PutMetricData only for now (the KCL publishes its metrics; the metrics issue stores them).
  {
    name: "cloudwatch",
    title: "CloudWatch",
    file: "monitoring-2010-08-01",
    client: "@aws-sdk/client-cloudwatch",
    only: ["PutMetricData"],
  },
  {
    name: "dynamodb",
    title: "DynamoDB",
    client: "@aws-sdk/client-dynamodb",
    operations: DYNAMODB_OPERATIONS,
    fromClient: true,
    apiVersion: "2012-08-10",
    targetPrefix: "DynamoDB_20120810",
    jsonVersion: "1.0",
  },
];

/** Structures that contain themselves, passed through as documents wherever they appear. */
const RECURSIVE = new Set(["AttributeValue"]);

const loadModel = (version, file) =>
  JSON.parse(readFileSync(new URL(`./models/${file}.aws-sdk-${version}.min.json`, import.meta.url), "utf8"));

// ---- v3 client schemas (`<Name>$` arrays of @smithy/core/schema) ----------------------------------
// [3, ns, name, traits, memberNames, memberSchemas, requiredCount] structures (required members first),
// [4, …] unions, [1, …, member] lists, [2, …, key, value] maps, numeric codes for simple types.

const deref = (s) => (typeof s === "function" ? deref(s()) : s);

function unwrapSchema(raw) {
  let s = deref(raw);
  if (Array.isArray(s) && s.length === 2 && !(typeof s[0] === "number" && typeof s[1] === "string")) s = deref(s[0]);
  return s;
}

function simpleSchema(code) {
  if (code === 0) return { type: "string" };
  if (code === 1) return { type: "long" };
  if (code === 2) return { type: "boolean" };
  if (code >= 4 && code <= 7) return { type: "timestamp" };
  if (code === 21 || code === 42) return { type: "blob" };
  if (code === 15) return { type: "document" };
  if (code & 64) return { type: "list", member: simpleSchema(code & 63) };
  if (code & 128) return { type: "map", key: { type: "string" }, value: simpleSchema(code & 127) };
  throw new Error(`unknown simple schema ${code}`);
}

/**
 * A client schema as a shape tree; structures keep their schema name in `typeName` (not written to
 * model.ts). A structure that contains itself (DynamoDB's AttributeValue: M and L hold more of them)
 * cannot be a tree: it becomes a `document` the codecs pass through as JSON, for the service to read.
 */
function fromSchema(raw, open = new Set()) {
  const s = unwrapSchema(raw);
  if (typeof s === "number") return simpleSchema(s);
  if (s === "unit") return { type: "structure", members: {} };
  const [kind] = s;
  if (kind === 0) return fromSchema(s[4], open);
  if (kind === 1) return { type: "list", member: fromSchema(s[4], open) };
  if (kind === 2) return { type: "map", key: fromSchema(s[4], open), value: fromSchema(s[5], open) };
  if (kind === 3 || kind === 4 || kind === -3) {
    if (open.has(s[2]) || RECURSIVE.has(s[2])) return { type: "document" };
    const names = s[4];
    const out = { type: "structure", members: {}, typeName: s[2] };
    const inner = new Set(open).add(s[2]);
    names.forEach((member, i) => (out.members[member] = fromSchema(s[5][i], inner)));
    if (kind === 4) out.union = true;
    if (kind === -3) out.error = true;
    if (kind === 4 && s[3]?.streaming) out.eventStream = true;
    const required = names.slice(0, s[6] ?? 0);
    if (required.length) out.required = required;
    return out;
  }
  throw new Error(`unknown schema kind ${kind}`);
}

function clientOperation(client, op) {
  const schema = require(client)[`${op}$`];
  return schema ? { input: fromSchema(deref(schema)[4]), output: fromSchema(deref(schema)[5]) } : undefined;
}

// ---- v2 models ---------------------------------------------------------------------------------

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
 * model (`queryRef`), which contributes only serialization names; `named` is the client schema at the
 * same place, which contributes only type names.
 */
function build(model, ref, queryModel, queryRef, named) {
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
      out.members[member] = build(model, memberRef, queryModel, query?.members?.[member], named?.members?.[member]);
    }
    if (shape.required?.length) out.required = shape.required;
    if (named?.typeName) out.typeName = named.typeName;
  } else if (type === "list") {
    out.member = build(model, shape.member, queryModel, query?.member, named?.member);
    if (shape.flattened ?? query?.flattened) out.flattened = true;
  } else if (type === "map") {
    out.key = build(model, shape.key, queryModel, query?.key, named?.key);
    out.value = build(model, shape.value, queryModel, query?.value, named?.value);
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

function fromModels({ name, file, queryModelVersion, client, only }) {
  const model = loadModel(LATEST, file);
  const queryModel = queryModelVersion ? loadModel(queryModelVersion, file) : model;
  const operations = {};
  for (const [op, def] of Object.entries(model.operations)) {
    if (only && !only.includes(op)) continue;
    const queryOp = queryModel.operations[op];
    const named = clientOperation(client, op);
    const empty = { type: "structure", members: {} };
    const input = def.input ? build(model, def.input, queryModel, queryOp?.input, named?.input) : empty;
    for (const [path, memberName] of Object.entries(QUERY_MEMBER_NAMES[name] ?? {})) {
      const [opName, member] = path.split(".");
      const list = opName === op ? input.members?.[member] : undefined;
      if (list?.type === "list" && !list.member.name) list.member.name = memberName;
    }
    const output = def.output ? build(model, def.output, queryModel, queryOp?.output, named?.output) : { ...empty };
    const resultWrapper = queryOp?.output?.resultWrapper ?? def.output?.resultWrapper ?? `${op}Result`;
    operations[op] = { input, output, resultWrapper };
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
  const source =
    `aws-sdk@${LATEST} apis/${file}.min.json` +
    (queryModelVersion && queryModelVersion !== LATEST ? ` (query names from aws-sdk@${queryModelVersion})` : "") +
    `, type names from ${client}@${require(`${client}/package.json`).version}`;
  return { service, source };
}

function fromClient({ client, operations: wanted, apiVersion, targetPrefix, jsonVersion = "1.1" }) {
  const operations = {};
  for (const op of wanted) {
    const shapes = clientOperation(client, op);
    if (!shapes) throw new Error(`${client} has no operation ${op}`);
    operations[op] = { ...shapes, resultWrapper: `${op}Result` };
  }
  const service = {
    apiVersion,
    protocol: "json",
    targetPrefix,
    jsonVersion,
    operations,
  };
  return { service, source: `the schemas of ${client}@${require(`${client}/package.json`).version}` };
}

// ---- output ------------------------------------------------------------------------------------

const banner = (source) =>
  `// GENERATED by scripts/generate-shapes.mjs from ${source}.\n// Do not edit by hand; run \`npm run generate\`.\n`;

const GLOBAL_TYPES = new Set([
  "Record",
  "Date",
  "Map",
  "Set",
  "Error",
  "Object",
  "String",
  "Number",
  "Boolean",
  "Array",
  "Promise",
]);

/** model.ts: the tree without type names. */
function modelFile({ name }, { service, source }) {
  const json = JSON.stringify(service, (key, value) => (key === "typeName" ? undefined : value), 1);
  return `${banner(source)}import type { ServiceModel } from "../../model";\n\nexport const ${name}Model: ServiceModel = ${json};\n`;
}

/**
 * types.ts: one interface per structure (the client's name, else the operation and member path), and
 * `<Service>Operations` mapping each operation to its input and output. Types are what the codecs hand
 * over: numbers, booleans, strings, `Uint8Array` blobs, `Date` timestamps; required members are present.
 */
function typesFile({ title, sometimesAbsent = {} }, { service, source }) {
  const interfaces = new Map();
  const signatureOf = (shape) => JSON.stringify(shape, (key, value) => (key === "name" ? undefined : value));
  /**
   * The structure's name; one that would shadow a global type (Kinesis has a `Record`) takes the
   * service's name as a prefix, and a different structure of the same name gets a `_` suffix.
   */
  const structureName = (shape, fallback, signature) => {
    let name = shape.typeName ?? fallback;
    if (GLOBAL_TYPES.has(name)) name = `${title}${name}`;
    while (interfaces.has(name) && interfaces.get(name).signature !== signature) name = `${name}_`;
    return name;
  };
  const typeOf = (shape, fallback) => {
    switch (shape.type) {
      case "string":
        return "string";
      case "integer":
      case "long":
      case "float":
      case "double":
        return "number";
      case "boolean":
        return "boolean";
      case "blob":
        return "Uint8Array";
      case "timestamp":
        return "Date";
      case "document":
        return "unknown";
      case "list":
        return `${typeOf(shape.member, `${fallback}Member`)}[]`;
      case "map":
        return `{ [key: string]: ${typeOf(shape.value, `${fallback}Value`)} }`;
      case "structure": {
        const signature = signatureOf(shape);
        const name = structureName(shape, fallback, signature);
        if (!interfaces.has(name)) {
          interfaces.set(name, { signature, body: "" });
          const required = new Set(shape.required ?? []);
          for (const member of sometimesAbsent[name] ?? []) required.delete(member);
          const members = Object.entries(shape.members).map(
            ([member, memberShape]) =>
              `  ${member}${required.has(member) ? "" : "?"}: ${typeOf(memberShape, `${name}${member}`)};`,
          );
          const body = members.length ? `{\n${members.join("\n")}\n}` : "{}";
          interfaces.set(name, { signature, body: `export interface ${name} ${body}` });
        }
        return shape.eventStream ? `EventStream<${name}>` : name;
      }
      default:
        throw new Error(`no type for ${shape.type}`);
    }
  };
  const operations = Object.entries(service.operations).map(([op, { input, output }]) => {
    const inputType = typeOf(input, `${op}Input`);
    const outputType = typeOf(output, `${op}Output`);
    return `  ${op}: { input: ${inputType}; output: ${outputType} };`;
  });
  const usesEventStream = [...interfaces.values()].some((i) => i.body.includes("EventStream<"));
  const imports = usesEventStream ? `import type { EventStream } from "../../model";\n\n` : "";
  return (
    `${banner(source)}${imports}export interface ${title}Operations {\n${operations.join("\n")}\n}\n\n` +
    [...interfaces.values()].map((i) => i.body).join("\n\n") +
    "\n"
  );
}

let stale = 0;
for (const spec of SERVICES) {
  const generated = spec.fromClient ? fromClient(spec) : fromModels(spec);
  for (const [file, text] of [
    ["model.ts", modelFile(spec, generated)],
    ["types.ts", typesFile(spec, generated)],
  ]) {
    const target = new URL(`../src/services/${spec.name}/shapes/${file}`, import.meta.url);
    if (check) {
      let current = "";
      try {
        current = readFileSync(target, "utf8");
      } catch {}
      if (current !== text) {
        console.log(`stale: ${target.pathname} (run npm run generate)`);
        stale++;
      }
    } else {
      writeFileSync(target, text);
      console.log(`wrote ${target.pathname}`);
    }
  }
}
if (check) {
  console.log(stale ? `${stale} generated file(s) differ from their inputs` : "generated shapes are up to date");
  process.exit(stale ? 1 : 0);
}
