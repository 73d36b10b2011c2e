/**
 * Firehose's developer routes, beside the other services' under `/_aws/…`: a delivery stream's
 * buffer, batches, counters and last error, and a flush that delivers everything now (tests need not
 * wait for a buffering interval). Locally any account can be asked for (`?account=`, `?region=`);
 * with signatures verified, the signed caller's only.
 */
import { fail, ok } from "../../domain/errors";
import { streamNotFound } from "../../domain/firehose/errors";
import { catalogObject, deliveryStreamObject } from "../../durable/names";
import type { Route, RouteRequest } from "../descriptor";

const scope = ({ caller, url }: RouteRequest) => ({
  account: caller?.account ?? url.searchParams.get("account") ?? "000000000000",
  region: caller?.region ?? url.searchParams.get("region") ?? "us-east-1",
});

export const firehoseRoutes: readonly Route[] = [
  {
    method: "GET",
    path: "/_aws/firehose/delivery-streams",
    async handle(request) {
      const { account, region } = scope(request);
      const names = await catalogObject(request.env, account, region).listDeliveryStreams(10_000);
      const streams = await Promise.all(
        names.map((name) => deliveryStreamObject(request.env, { account, region, name }).stats()),
      );
      return ok({ account, region, deliveryStreams: streams.filter((s) => s !== undefined) });
    },
  },
  {
    method: "GET",
    path: "/_aws/firehose/delivery-streams/:name",
    async handle(request) {
      const { account, region } = scope(request);
      const stats = await deliveryStreamObject(request.env, { account, region, name: request.params.name! }).stats();
      return stats ? ok(stats) : fail(streamNotFound(request.params.name!, account));
    },
  },
  {
    method: "POST",
    path: "/_aws/firehose/delivery-streams/:name/flush",
    async handle(request) {
      const { account, region } = scope(request);
      const stats = await deliveryStreamObject(request.env, { account, region, name: request.params.name! }).flush();
      return stats ? ok(stats) : fail(streamNotFound(request.params.name!, account));
    },
  },
];
