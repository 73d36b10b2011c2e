/**
 * The Worker: one Hono app that serves every AWS service this project speaks, plus the Durable Object
 * classes it is built from. Wiring only; see src/protocol (wire formats) and src/services (semantics).
 */
import { Hono } from "hono";
import { handleAwsRequest } from "./protocol/dispatch";
import { recordedDeliveries } from "./services/sns/developer-api";
import { kinesisService } from "./services/kinesis/service";
import { snsService } from "./services/sns/service";
import { smsOptOut, smsSandbox } from "./services/sns/sms-developer-api";
import { certificateResponse } from "./durable/signing-keys";
import { sqsService } from "./services/sqs/service";

const services = [sqsService, snsService, kinesisService];

const app = new Hono<{ Bindings: Env }>();

app.get("/_health", (c) => c.json({ status: "running", services: { sqs: "available", sns: "available", kinesis: "available" } }));

// What SNS recorded for protocols that cannot leave this service (email, SMS, mobile push…).
app.get("/_aws/sns/deliveries", (c) => recordedDeliveries(c.req.raw, c.env));
// What only a phone can do on AWS: reply STOP; and moving the account into or out of the SMS sandbox.
app.post("/_aws/sns/sms-opt-out", (c) => smsOptOut(c.req.raw, c.env));
app.post("/_aws/sns/sms-sandbox", (c) => smsSandbox(c.req.raw, c.env));

// SigningCertURL of SNS messages (AWS: https://sns.<region>.amazonaws.com/SimpleNotificationService-<id>.pem).
app.get("/:file{SimpleNotificationService-[^/]+\\.pem}", (c) =>
  certificateResponse(c.env, c.req.param("file").slice("SimpleNotificationService-".length, -".pem".length)),
);

app.all("*", (c) => handleAwsRequest(c.req.raw, c.env, services));

export default app;
export { CatalogObject } from "./durable/catalog-object";
export { QueueObject } from "./durable/queue-object";
export { SigningKeyObject } from "./durable/signing-key-object";
export { SnsAccountObject } from "./durable/sns-account-object";
export { TopicObject } from "./durable/topic-object";
export { ShardObject } from "./durable/shard-object";
export { StreamObject } from "./durable/stream-object";
