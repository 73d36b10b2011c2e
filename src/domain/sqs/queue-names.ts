/**
 * Queue names, URLs and ARNs. URLs are `<scheme>://<request host>/<account>/<name>` so that SDKs,
 * which send requests to the queue URL's origin, come back to this service whatever host it runs on.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
 */
import type { Problem } from "../errors";
import { invalidParameterValue } from "./errors";

export interface QueueRef {
  account: string;
  region: string;
  name: string;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

export const isFifoName = (name: string): boolean => name.endsWith(".fifo");

/** CreateQueue's name rules; FIFO queues (and only they) end in `.fifo`, suffix included in the 80. */
export function validateQueueName(name: string, fifo: boolean): Problem {
  if (fifo) {
    if (FIFO_NAME.test(name)) return undefined;
    return invalidParameterValue(
      "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
    );
  }
  if (NAME.test(name)) return undefined;
  return invalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
}

export const queueArn = (q: QueueRef): string => `arn:aws:sqs:${q.region}:${q.account}:${q.name}`;

export const queueUrl = (origin: string, q: Pick<QueueRef, "account" | "name">): string => `${origin}/${q.account}/${q.name}`;

const ARN = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,80})$/;

export function parseQueueArn(arn: string): QueueRef | undefined {
  const m = ARN.exec(arn);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}

/**
 * Controls and spaces: no queue URL has one. WHATWG URL parsing strips them (leading and trailing C0
 * controls and spaces, every tab and newline), which would make `…/q\0` or `…/a\tb` name a real queue.
 */
const CONTROL_OR_SPACE = /[\x00-\x20\x7f]/;

/** The account and name a queue URL (or queue path) names; only the path matters, any host is accepted. */
export function parseQueueUrl(url: string): { account: string; name: string; region?: string } | undefined {
  if (CONTROL_OR_SPACE.test(url)) return undefined;
  let path = url;
  let region: string | undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      path = parsed.pathname;
      region = /^sqs\.([a-z0-9-]+)\./.exec(parsed.hostname)?.[1] ?? /^([a-z]{2}-[a-z]+-\d)\.queue\./.exec(parsed.hostname)?.[1];
    } catch {
      return undefined;
    }
  }
  const m = /^\/?(?:queue\/([a-z0-9-]+)\/)?(\d{12})\/([A-Za-z0-9_.-]{1,80})\/?$/.exec(path);
  if (!m) return undefined;
  return { account: m[2]!, name: m[3]!, region: m[1] ?? region };
}

/** `/<12-digit account>/<queue name>` (optionally `/queue/<region>/…`), as SQS queue URLs are. */
export function queuePath(pathname: string): boolean {
  return /^\/(?:queue\/[a-z0-9-]+\/)?\d{12}\/[A-Za-z0-9_.-]{1,80}\/?$/.test(pathname);
}
