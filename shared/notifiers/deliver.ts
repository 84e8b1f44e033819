import type { Alert, Notifier } from "./alert";
import { errorMessage } from "./redact";

/** The subset of a logger deliverAlert uses; the Powertools Logger fits. */
export interface DeliveryLogger {
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface DeliverOptions {
  /** Tries per notifier, the first included. */
  attempts?: number;
  /** Wait before the second try; doubles for each further one. */
  baseDelayMs?: number;
  logger?: DeliveryLogger;
  /** Injected by tests to observe the backoff without waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryFailure {
  notifier: string;
  /** The last error's message, with anything URL-shaped redacted. */
  error: string;
}

export interface DeliveryReport {
  delivered: string[];
  failed: DeliveryFailure[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Errors that say a retry cannot help (e.g. Slack's 404 no_service) stop the retries early. */
function isPermanent(error: unknown): boolean {
  return typeof error === "object" && error !== null && "retryable" in error && error.retryable === false;
}

/**
 * Sends the alert to every notifier at once; each retries on its own with exponential backoff, so
 * a broken Slack webhook neither delays nor prevents the SNS email. Never throws: the caller decides
 * what failures mean (the Lambda handler throws so its retry/DLQ keeps the alert).
 */
export async function deliverAlert(
  alert: Alert,
  notifiers: readonly Notifier[],
  options: DeliverOptions = {},
): Promise<DeliveryReport> {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 3));
  const baseDelayMs = Math.max(0, options.baseDelayMs ?? 200);
  const sleep = options.sleep ?? defaultSleep;
  const { logger } = options;

  const outcomes = await Promise.all(
    notifiers.map(async (notifier): Promise<DeliveryFailure | undefined> => {
      let last = "";
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          await notifier.send(alert);
          return undefined;
        } catch (error) {
          last = errorMessage(error);
          const giveUp = attempt === attempts || isPermanent(error);
          const context = { notifier: notifier.name, attempt, attempts, error: last, eventId: alert.eventId };
          if (giveUp) {
            logger?.error("Alert delivery failed", context);
            break;
          }
          logger?.warn("Alert delivery attempt failed, retrying", context);
          // No jitter: a handful of notifiers per alert cannot stampede anything.
          await sleep(baseDelayMs * 2 ** (attempt - 1));
        }
      }
      return { notifier: notifier.name, error: last };
    }),
  );

  const report: DeliveryReport = { delivered: [], failed: [] };
  outcomes.forEach((failure, index) => {
    if (failure) report.failed.push(failure);
    else report.delivered.push(notifiers[index]?.name ?? `notifier ${index}`);
  });
  return report;
}
