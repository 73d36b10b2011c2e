/**
 * Listings from the account's catalog, paged alike: ListQueues and ListDeadLetterSourceQueues. The
 * NextToken names the last queue returned and the listing it belongs to.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { invalidParameter, invalidParameterValue } from "../../domain/sqs/errors";
import { queueArn, queueUrl } from "../../domain/sqs/queue-names";
import { decodeToken, encodeToken } from "../../domain/tokens";
import { catalogObject } from "../../durable/names";
import type {
  ListDeadLetterSourceQueuesRequest,
  ListDeadLetterSourceQueuesResult,
  ListQueuesRequest,
  ListQueuesResult,
} from "./shapes/types";
import { mapOk, onQueue, queueStub, type SqsContext } from "./context";

const LIST_LIMIT = 1000;

interface Listed {
  page: string[];
  nextToken?: string;
}

/**
 * One page of a listing: `fetch` returns up to `limit` names after `after`; asked for one more than
 * the page, it tells whether a token for the next page is due (only when MaxResults was given, as on AWS).
 */
async function listPage(
  input: { MaxResults?: number; NextToken?: string },
  scope: string,
  fetch: (limit: number, after: string | undefined) => Promise<string[]>,
): Promise<Result<Listed>> {
  const max = input.MaxResults;
  if (max !== undefined && (max < 1 || max > LIST_LIMIT)) {
    return fail(invalidParameter("MaxResults", max, "MaxResults must be an integer between 1 and 1000."));
  }
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    const token = decodeToken<{ after: string; scope: string }>("L", input.NextToken);
    if (!token || token.scope !== scope) return fail(invalidParameterValue("Invalid NextToken value."));
    after = token.after;
  }
  const limit = max ?? LIST_LIMIT;
  const names = await fetch(limit + 1, after);
  const page = names.slice(0, limit);
  const more = names.length > limit && max !== undefined;
  return ok({ page, nextToken: more ? encodeToken("L", { after: page[page.length - 1], scope }) : undefined });
}

export async function listQueues(ctx: SqsContext, input: ListQueuesRequest): Promise<Result<ListQueuesResult>> {
  const prefix = input.QueueNamePrefix ?? "";
  const catalog = catalogObject(ctx.env, ctx.account, ctx.region);
  const listed = await listPage(input, `q:${prefix}`, (limit, after) => catalog.list(prefix, limit, after));
  return mapOk(listed, ({ page, nextToken }) => {
    const urls = page.map((name) => queueUrl(ctx.origin, { account: ctx.account, name }));
    return { QueueUrls: urls.length ? urls : undefined, NextToken: nextToken };
  });
}

export const listDeadLetterSourceQueues = onQueue<ListDeadLetterSourceQueuesRequest, ListDeadLetterSourceQueuesResult>(
  async (ctx, input, ref) => {
    const described = await queueStub(ctx, ref).describe();
    if (!described.ok) return described;
    const arn = queueArn(ref);
    const catalog = catalogObject(ctx.env, ref.account, ref.region);
    const listed = await listPage(input, `d:${arn}`, (limit, after) => catalog.deadLetterSources(arn, limit, after));
    return mapOk(listed, ({ page, nextToken }) => ({
      queueUrls: page.map((name) => queueUrl(ctx.origin, { account: ref.account, name })),
      NextToken: nextToken,
    }));
  },
);
