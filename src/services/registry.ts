/**
 * Every service the Worker serves. Adding a service is a folder with its descriptor and one line here;
 * the protocol layer and the Worker's routes iterate this list.
 */
import type { ServiceDescriptor } from "./descriptor";
import { kinesis } from "./kinesis";
import { sns } from "./sns";
import { sqs } from "./sqs";

/** In order of precedence for requests that name no service (the first speaking query answers them). */
export const services: readonly ServiceDescriptor[] = [sqs, sns, kinesis];
