/** Stream control plane: create, delete, describe, list, settings, tags, policies. */
import type { KinesisHandler } from "./context";

export const streamOperations: Record<string, KinesisHandler> = {};
