/**
 * Amazon CloudWatch (API version 2010-08-01), first step: PutMetricData, accepted and checked but not
 * yet stored, so that the Kinesis Client Library and other publishers do not fail (the metrics issue
 * stores and serves them). AWS JSON 1.0 (`GraniteServiceVersion20100801.*`, query-compatible, as the
 * current SDKs send it) and the AWS query protocol (AWS CLI 2.9, boto3 1.26, older Java SDKs).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
import { fail, ok, type ErrorInfo } from "../../domain/errors";
import { invoker, type CodecErrors, type OperationTable, type RequestContext, type ServiceDescriptor } from "../descriptor";
import { cloudwatchModel } from "./shapes/model";
import type { CloudWatchOperations } from "./shapes/types";

/** Query codes and the JSON shapes they belong to (the model's awsQueryError traits). */
const JSON_TYPES: Record<string, string> = {
  InvalidParameterValue: "InvalidParameterValueException",
  MissingParameter: "MissingRequiredParameterException",
  InvalidParameterCombination: "InvalidParameterCombinationException",
};

const error = (code: string, message: string, status = 400): ErrorInfo => ({
  code,
  type: `com.amazonaws.cloudwatch#${JSON_TYPES[code] ?? code}`,
  message,
  status,
});

const codecErrors = (): CodecErrors => ({
  missing: (member) => error("MissingParameter", `The parameter ${member} is required.`),
  invalidType: (member, path, _expected, value) =>
    error("InvalidParameterValue", `The value ${String(value)} for parameter ${path} is invalid.`),
  malformed: (detail) => error("InvalidQueryParameter", detail),
});

const MAX_DATUMS = 1000;

const operations: OperationTable<CloudWatchOperations, RequestContext> = {
  async PutMetricData(_ctx, input) {
    if (!input.Namespace || input.Namespace.length > 255)
      return fail(error("InvalidParameterValue", `The value ${input.Namespace} for parameter Namespace is invalid.`));
    if (input.Namespace.startsWith("AWS/"))
      return fail(error("InvalidParameterValue", "The value AWS/ for parameter Namespace is invalid."));
    if ((input.MetricData?.length ?? 0) > MAX_DATUMS)
      return fail(error("InvalidParameterValue", `The collection MetricData must not have a size greater than ${MAX_DATUMS}.`));
    return ok({});
  },
};

export const cloudwatch: ServiceDescriptor = {
  name: "cloudwatch",
  signingName: "monitoring",
  model: cloudwatchModel,
  json: { targetPrefix: "GraniteServiceVersion20100801", contentType: "application/x-amz-json-1.0", queryCompatible: true },
  query: { version: "2010-08-01", xmlNamespace: cloudwatchModel.xmlNamespace ?? "", errorDetail: false },
  codecErrors,
  unknownOperation(operation, protocol) {
    if (protocol === "json")
      return { code: "UnknownOperationException", type: "com.amazon.coral.service#UnknownOperationException", message: "" };
    if (operation === undefined) return error("MissingAction", "The request must contain the parameter Action.");
    return error("InvalidAction", `The action ${operation} is not valid for this web service.`);
  },
  invoke: invoker<CloudWatchOperations, RequestContext>(operations, (request) => request),
};
