/** Amazon SNS as the dispatcher sees it: query protocol only, and which actions may be anonymous. */
import { AwsError } from "../../domain/errors";
import type { ServiceDefinition } from "../../protocol/service";
import { snsCodecErrors, snsModel, snsOperations } from "./index";

/** Reached from the links in confirmation messages and notifications, without credentials. */
const ANONYMOUS = new Set(["ConfirmSubscription", "Unsubscribe"]);

export const snsService: ServiceDefinition = {
  signingName: "sns",
  model: snsModel,
  queryVersion: "2010-03-31",
  jsonContentType: "application/x-amz-json-1.0",
  queryCompatible: false,
  codecErrors: snsCodecErrors,
  unknownOperation(operation) {
    if (operation === undefined)
      return new AwsError({ code: "MissingAction", message: "The request must contain the parameter Action." });
    return new AwsError({ code: "InvalidAction", message: `The action ${operation} is not valid for this web service.` });
  },
  allowsAnonymous: (operation) => ANONYMOUS.has(operation),
  invoke(operation, input, info) {
    const handler = snsOperations[operation];
    if (!handler) throw snsService.unknownOperation(operation, info.protocol);
    return handler(
      {
        env: info.env,
        account: info.caller.account,
        region: info.caller.region,
        origin: info.origin,
        accessKeyId: info.caller.accessKeyId,
        strict: info.caller.strict,
        anonymous: info.caller.anonymous ?? false,
        traceHeader: info.traceHeader,
      },
      input,
    );
  },
};
