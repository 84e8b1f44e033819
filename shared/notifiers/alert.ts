import type { Actor } from "../core/actor";
import type { ResourceRef } from "../core/resource";
import type { Severity } from "../core/severity";
import type { Finding } from "../findings/model";

/**
 * One alert per resource per processed event: every finding on the resource whose state changed,
 * with what Vigil did about them. Notifiers format it; they never decide whether to send.
 */
export interface Alert {
  resource: ResourceRef;
  /** Highest severity among the findings. */
  severity: Severity;
  findings: Finding[];
  actor?: Actor;
  /** When the change happened (CloudTrail eventTime or Config capture time). */
  eventTime?: string;
  /** The EventBridge event that led to this alert. */
  eventId?: string;
  /**
   * An open finding says logging or detection was turned off or weakened: the alert leads with the
   * actor (principal, source IP, user agent), since that is how an intrusion often starts.
   */
  tampering?: boolean;
  /** The resource's tags when the pipeline knows them (routes can match on them). */
  tags?: Record<string, string>;
}

export interface Notifier {
  readonly name: string;
  send(alert: Alert): Promise<void>;
}
