import { eventHandler } from "../shared/pipeline/lambda";

/** AWS Config "Configuration Item Change" events (normal and oversized) for the catalog's resource types. */
export const handler = eventHandler("config-change");
