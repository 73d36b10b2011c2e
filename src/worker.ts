/**
 * The Worker: one Hono app that serves every AWS service this project speaks, plus the Durable Object
 * classes it is built from. Wiring only; see src/protocol (wire formats) and src/services (semantics).
 */
import { Hono } from "hono";
import { handleAwsRequest } from "./protocol/dispatch";
import { serveRoute } from "./protocol/routes";
import { s3Service, services } from "./services/registry";

const app = new Hono<{ Bindings: Env }>();

app.get("/_health", (c) =>
  c.json({
    status: "running",
    services: Object.fromEntries([...services, s3Service].map((s) => [s.name, "available"])),
  }),
);

// Each service's non-AWS routes (developer helpers under /_aws/…, SNS's signing certificate).
for (const service of [...services, s3Service]) {
  for (const route of service.routes ?? []) {
    app.on(route.method, route.path, (c) => serveRoute(route, c.req.raw, c.env, c.req.param()));
  }
}

app.all("*", (c) => handleAwsRequest(c.req.raw, c.env, services, s3Service));

/** A Hono path pattern (`/_aws/sns/deliveries`, `/:file{SimpleNotificationService-[^/]+\\.pem}`) as a RegExp. */
const patternOf = (path: string): RegExp =>
  new RegExp(
    `^${path.replace(/:\w+(?:\{([^}]+)\})?|[.*+?^$()|[\]\\]/g, (m, custom?: string) =>
      m.startsWith(":") ? `(?:${custom ?? "[^/]+"})` : `\\${m}`,
    )}$`,
  );
const routePatterns = [/^\/_health$/, ...[...services, s3Service].flatMap((s) => (s.routes ?? []).map((r) => patternOf(r.path)))];

/** The path of a request URL without parsing all of it (`scheme://host/path?query`). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const query = url.indexOf("?", start);
  return query < 0 ? url.slice(start) : url.slice(start, query);
}

// A bug that escapes a route's own handling: logged, answered without internals.
app.onError((error, c) => {
  console.error("unexpected error", error);
  return c.json({ __type: "InternalFailure", message: "We encountered an internal error. Please try again." }, 500);
});

// AWS requests (nearly all of them) go straight to the dispatcher: the router's matching and context
// cost about 5% of a SendMessage. Only paths one of the routes above could match go through Hono.
export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    const path = pathOf(request.url);
    if (routePatterns.some((pattern) => pattern.test(path))) return app.fetch(request, env, ctx);
    return handleAwsRequest(request, env, services, s3Service);
  },
} satisfies ExportedHandler<Env>;
export { CatalogObject } from "./durable/catalog-object";
export { QueueObject } from "./durable/queue-object";
export { SigningKeyObject } from "./durable/signing-key-object";
export { SnsAccountObject } from "./durable/sns-account-object";
export { TopicObject } from "./durable/topic-object";
export { ShardObject } from "./durable/shard-object";
export { StreamObject } from "./durable/stream-object";
export { BucketObject } from "./durable/bucket-object";
export { S3AccountObject } from "./durable/s3-account-object";
export { DeliveryStreamObject } from "./durable/delivery-stream-object";
export { TableObject } from "./durable/table-object";
