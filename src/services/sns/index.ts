/**
 * Amazon SNS (API version 2010-03-31) as the Worker sees it: the query protocol only, the actions
 * confirmation links reach without credentials, and SNS's non-AWS routes.
 */
import { invalidAction, missingAction } from "../../domain/sns/errors";
import { invoker, type ServiceDescriptor } from "../descriptor";
import { snsContext, type SnsContext } from "./context";
import { developerRoutes } from "./developer-api";
import { snsOperations } from "./operations";
import { snsModel } from "./shapes/model";
import type { SnsOperations } from "./shapes/types";
import { snsCodecErrors } from "./wire";

export const sns: ServiceDescriptor = {
  name: "sns",
  signingName: "sns",
  model: snsModel,
  query: { version: "2010-03-31", xmlNamespace: snsModel.xmlNamespace ?? "" },
  codecErrors: snsCodecErrors,
  unknownOperation(operation) {
    return operation === undefined ? missingAction() : invalidAction(operation);
  },
  // Reached from the links in confirmation messages and notifications, without credentials.
  anonymousOperations: new Set(["ConfirmSubscription", "Unsubscribe"]),
  routes: developerRoutes,
  invoke: invoker<SnsOperations, SnsContext>(snsOperations, snsContext),
};
