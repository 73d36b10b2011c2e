/** Enhanced fan-out consumers: Register, Describe, List, Deregister. */
import type { KinesisHandler } from "./context";

export const consumerOperations: Record<string, KinesisHandler> = {};
