import { eventHandler } from "../shared/pipeline/lambda";

/** Services' own events the catalog's checks watch: ECR image pushes and scan results, Amazon Inspector findings. */
export const handler = eventHandler("service-event");
