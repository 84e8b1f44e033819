import type { ServiceDouble } from "./double";

/**
 * Every service double the local endpoint serves (besides DynamoDB, EC2 and SNS), created fresh
 * per server. Adding one = one module exporting a factory + one line here.
 */
export const serviceDoubles: ReadonlyArray<() => ServiceDouble> = [];
