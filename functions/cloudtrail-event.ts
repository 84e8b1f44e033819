import { eventHandler } from "../shared/pipeline/lambda";

/** CloudTrail "AWS API Call via CloudTrail" events for the calls the catalog's checks watch. */
export const handler = eventHandler("cloudtrail-event");
