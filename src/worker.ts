/**
 * The Worker: one Hono app that serves every AWS service this project speaks, plus the Durable Object
 * classes it is built from. Wiring only; see src/protocol (wire formats) and src/services (semantics).
 */
import { Hono } from "hono";
import { handleAwsRequest } from "./protocol/dispatch";
import { sqsService } from "./services/sqs/service";

const services = [sqsService];

const app = new Hono<{ Bindings: Env }>();

app.get("/_health", (c) => c.json({ status: "running", services: { sqs: "available" } }));

app.all("*", (c) => handleAwsRequest(c.req.raw, c.env, services));

export default app;
export { CatalogObject } from "./durable/catalog-object";
export { QueueObject } from "./durable/queue-object";
