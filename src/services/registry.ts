/**
 * Every service the Worker serves. Adding a service is a folder with its descriptor and one line here;
 * the protocol layer and the Worker's routes iterate this list.
 */
import type { ServiceDescriptor } from "./descriptor";
import { cloudwatch } from "./cloudwatch";
import { dynamodb } from "./dynamodb";
import { firehose } from "./firehose";
import { kinesis } from "./kinesis";
import { s3 } from "./s3";
import type { S3Service } from "./s3/wire";
import { sns } from "./sns";
import { sqs } from "./sqs";

/** In order of precedence for requests that name no service (the first speaking query answers them). */
export const services: readonly ServiceDescriptor[] = [sqs, sns, kinesis, firehose, dynamodb, cloudwatch];

/** S3 speaks its own REST protocol (src/protocol/s3), recognised before the body is read. */
export const s3Service: S3Service = s3;
