import { lazy } from "../core/lazy";
import type { Notifier } from "./alert";

/**
 * A notifier built when the first alert goes out: a function that sends none (most events are
 * compliant) loads neither the notifier's code nor its SDK client. A failed build is not kept, so
 * the next send (deliverAlert's retry) tries again.
 */
export function onFirstAlert(name: string, create: () => Promise<Notifier>): Notifier {
  const notifier = lazy(create);
  return { name, send: async (alert) => (await notifier()).send(alert) };
}
