/**
 * Amazon SNS (API version 2010-03-31) as the Worker sees it: the query protocol only, the actions
 * confirmation links reach without credentials, and SNS's non-AWS routes.
 */
import { AwsError, fail, ok } from "../../domain/errors";
import type { ServiceDescriptor } from "../descriptor";
import { developerRoutes } from "./developer-api";
import { snsOperations } from "./operations";
import { snsModel } from "./shapes/model";
import { snsCodecErrors } from "./wire";

export const sns: ServiceDescriptor = {
  name: "sns",
  signingName: "sns",
  model: snsModel,
  query: { version: "2010-03-31", xmlNamespace: snsModel.xmlNamespace ?? "" },
  codecErrors: snsCodecErrors,
  unknownOperation(operation) {
    if (operation === undefined) return { code: "MissingAction", message: "The request must contain the parameter Action." };
    return { code: "InvalidAction", message: `The action ${operation} is not valid for this web service.` };
  },
  // Reached from the links in confirmation messages and notifications, without credentials.
  anonymousOperations: new Set(["ConfirmSubscription", "Unsubscribe"]),
  routes: developerRoutes,
  async invoke(operation, input, request) {
    const handler = snsOperations[operation]!;
    const ctx = {
      env: request.env,
      account: request.caller.account,
      region: request.caller.region,
      origin: request.origin,
      accessKeyId: request.caller.accessKeyId,
      strict: request.caller.strict,
      anonymous: request.caller.anonymous ?? false,
      traceHeader: request.traceHeader,
    };
    // Transitional: handlers that still throw AwsError (to be converted to Results).
    try {
      return ok(await handler(ctx, input as Record<string, unknown>));
    } catch (error) {
      if (error instanceof AwsError) return fail(error);
      throw error;
    }
  },
};
