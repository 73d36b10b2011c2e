/**
 * The Worker: one Hono app that serves every AWS service this project speaks, plus the Durable Object
 * classes it is built from. Wiring only; see src/protocol (wire formats) and src/services (semantics).
 */
import { Hono } from "hono";
import { handleAwsRequest } from "./protocol/dispatch";
import { serveRoute } from "./protocol/routes";
import { services } from "./services/registry";

const app = new Hono<{ Bindings: Env }>();

app.get("/_health", (c) =>
  c.json({ status: "running", services: Object.fromEntries(services.map((s) => [s.name, "available"])) }),
);

// Each service's non-AWS routes (developer helpers under /_aws/…, SNS's signing certificate).
for (const service of services) {
  for (const route of service.routes ?? []) {
    app.on(route.method, route.path, (c) => serveRoute(route, c.req.raw, c.env, c.req.param()));
  }
}

app.all("*", (c) => handleAwsRequest(c.req.raw, c.env, services));

// A bug that escapes a route's own handling: logged, answered without internals.
app.onError((error, c) => {
  console.error("unexpected error", error);
  return c.json({ __type: "InternalFailure", message: "We encountered an internal error. Please try again." }, 500);
});

export default app;
export { CatalogObject } from "./durable/catalog-object";
export { QueueObject } from "./durable/queue-object";
export { SigningKeyObject } from "./durable/signing-key-object";
export { SnsAccountObject } from "./durable/sns-account-object";
export { TopicObject } from "./durable/topic-object";
export { ShardObject } from "./durable/shard-object";
export { StreamObject } from "./durable/stream-object";
