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
import { join } from "node:path";

const LATEST = "2.1693.0";
const LAST_SQS_QUERY = "2.1490.0";

const SERVICES = [
  { name: "sqs", file: "sqs-2012-11-05", queryModelVersion: LAST_SQS_QUERY },
  { name: "sns", file: "sns-2010-03-31" },
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
  const body = `import type { ServiceModel } from "./types";\n\nexport const ${name}Model: ServiceModel = ${JSON.stringify(service, null, 1)};\n`;
  const target = new URL(`../src/protocol/shapes/${name}.ts`, import.meta.url);
  writeFileSync(target, banner + body);
  console.log(`wrote ${target.pathname} (${Object.keys(operations).length} operations)`);
}

for (const service of SERVICES) generate(service);
