import { Logger } from "@aws-lambda-powertools/logger";

/** One structured JSON logger for the whole domain. Level from POWERTOOLS_LOG_LEVEL (default INFO). */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "vigil" });

export type VigilLogger = Pick<Logger, "debug" | "info" | "warn" | "error">;
