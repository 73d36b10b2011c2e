import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Pure modules (codecs, digests, tokens, SigV4, validation rules).
        test: { name: "unit", environment: "node", include: ["test/unit/**/*.test.ts"] },
      },
      {
        // Durable Objects inside the Workers runtime (workerd) with real SQLite storage and alarms.
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: { name: "durable", include: ["test/durable/**/*.test.ts"] },
      },
      {
        // Black-box tests: real AWS SDK clients against the Worker served on a loopback port.
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/e2e/global-setup.ts"],
          // Its ESM build imports without file extensions, which Node cannot load; Vite resolves them.
          server: { deps: { inline: [/@5app\/sns-sqs-big-payload/] } },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
