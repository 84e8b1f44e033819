import type { Alert, Notifier } from "./alert";
import { alertText } from "./format";

const SEPARATOR = "-".repeat(72);

/** Prints alerts as text: `vigil start` uses it locally, where no SNS topic or Slack webhook exists. */
export class ConsoleNotifier implements Notifier {
  readonly name = "console";

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  send(alert: Alert): Promise<void> {
    const text = `${SEPARATOR}\n${alertText(alert)}\n${SEPARATOR}\n`;
    // Resolve once the stream took the text, so a closed pipe surfaces as a failed delivery.
    return new Promise((resolve, reject) => {
      this.out.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }
}
