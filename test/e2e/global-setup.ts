/**
 * Starts the Worker once for all end-to-end test files, with wrangler's in-process test harness
 * (workerd + miniflare, the same runtime `npm start` uses), and hands its URL to the tests.
 */
import type { TestProject } from "vitest/node";
import { createTestHarness } from "wrangler";

declare module "vitest" {
  export interface ProvidedContext {
    endpoint: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  const server = createTestHarness({ workers: [{ configPath: "./wrangler.toml" }] });
  const { url } = await server.listen();
  project.provide("endpoint", url.origin);
  return async () => {
    await server.close();
  };
}
