/**
 * Checks of the project itself, offline: the layers of src/ (dependency-cruiser with
 * .dependency-cruiser.cjs, which must also catch a planted back-edge and cycle), generated shapes
 * that match their model inputs byte for byte, and worker-configuration.d.ts matching wrangler.toml.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

function run(command: string, args: string[], cwd = ROOT) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const cruise = (cwd = ROOT) => run(bin("depcruise"), ["src", "--config", join(ROOT, ".dependency-cruiser.cjs")], cwd);

describe("layers", () => {
  it("src/ has no dependency pointing up and no import cycle", () => {
    const { status, output } = cruise();
    expect(output).toContain("no dependency violations found");
    expect(status).toBe(0);
  });

  const fixture = mkdtempSync(join(tmpdir(), "layers-"));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it("the rules catch a durable → services back-edge, a cycle and one service importing another", () => {
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(fixture, file)), { recursive: true });
      writeFileSync(join(fixture, file), text);
    };
    write("tsconfig.json", JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler" } }));
    write("src/services/a/handler.ts", 'import { b } from "../b/rules";\nexport const a = b;\n');
    write("src/services/b/rules.ts", "export const b = 1;\n");
    write("src/durable/object.ts", 'import { a } from "../services/a/handler";\nexport const o = a;\n');
    write("src/domain/x.ts", 'import { y } from "./y";\nexport const x = y;\n');
    write("src/domain/y.ts", 'import { x } from "./x";\nexport const y = () => x;\n');
    const { status, output } = cruise(fixture);
    expect(status).not.toBe(0);
    expect(output).toContain("durable-not-to-services");
    expect(output).toContain("no-cycles");
    expect(output).toContain("services-are-plug-ins");
  });
});

describe("generated artefacts", () => {
  it("src/services/*/shapes regenerate byte for byte from their inputs", () => {
    const { status, output } = run(bin("node"), ["scripts/generate-shapes.mjs", "--check"]);
    expect(output).toContain("generated shapes are up to date");
    expect(status).toBe(0);
  });

  it("worker-configuration.d.ts is what `wrangler types` makes of wrangler.toml", () => {
    const { status, output } = run(bin("wrangler"), ["types", "--include-runtime=true", "--strict-vars=false", "--check"]);
    expect(output).toContain("up to date");
    expect(status).toBe(0);
  });
});
