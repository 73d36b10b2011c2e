/**
 * How a bucket's notifications reach their destinations: the `deliver` of its outbox, over the queue
 * and topic objects' own RPC (the same calls SendMessage and Publish make). A queue gets the event JSON
 * as the body of one message, with the request's X-Ray header as its AWSTraceHeader; a topic
 * publishes it as the Message, with S3's Subject, and fans it out to its subscribers as any publish.
 * A destination that does not exist (deleted since the configuration was set) answers a 4xx failure:
 * the outbox drops that message (AWS does not keep events for a queue that is gone either).
 */
import { fail, type Result } from "../../domain/errors";
import { SNS_SUBJECT } from "../../domain/s3/event-message";
import { parseQueueEndpoint, parseTopicArn } from "../../domain/sns/names";
import { buildMessage } from "../../domain/sqs/message";
import { queueObject, topicObject } from "../names";
import type { Deliver } from "./notification-outbox";

/**
 * SenderId of the messages S3 puts in a queue. What AWS shows there is not in the recordings; this is
 * a placeholder in the form of an IAM unique id (an open question).
 */
export const S3_SENDER_ID = "AIDAS3EVENTNOTIFICATIONS";

/** The origin SNS uses for the URLs in its envelopes when the request's origin was not kept. */
const DEFAULT_ORIGIN = "http://localhost:4566";

export function notificationDelivery(env: Env): Deliver {
  return async (destination, n): Promise<Result<unknown>> => {
    if (destination.kind === "queue") {
      const queue = parseQueueEndpoint(destination.arn);
      if (!queue) return fail({ code: "InvalidArgument", status: 400, message: `not a queue ARN: ${destination.arn}` });
      const message = buildMessage({
        body: n.body,
        senderId: S3_SENDER_ID,
        ...(n.traceHeader ? { traceHeader: n.traceHeader } : {}),
      });
      const sent = await queueObject(env, queue).send([message], false);
      return sent.ok ? (sent.value[0] as Result<unknown>) : sent;
    }
    const topic = parseTopicArn("TopicArn", destination.arn);
    if (!topic.ok) return topic;
    const entry = {
      message: n.body,
      subject: SNS_SUBJECT,
      attributes: {},
      ...(n.traceHeader ? { traceHeader: n.traceHeader } : {}),
    };
    const published = await topicObject(env, topic.value).publish([entry], n.origin ?? DEFAULT_ORIGIN);
    return published.ok ? (published.value[0] as Result<unknown>) : published;
  };
}
