import type { NotificationRoute, NotificationSettings, RouteMatch } from "../config/notifications";
import { atLeast, highest } from "../core/severity";
import type { Finding } from "../findings/model";
import type { Alert } from "./alert";

/** One place an alert can go. */
export type Destination =
  /** A channel through the bot token (chat.postMessage / chat.update). */
  | { kind: "slack"; channel: string }
  /** The incoming webhook (its channel is fixed when the webhook is made). */
  | { kind: "webhook" }
  | { kind: "sns"; topicArn: string };

/** What exists in this deployment besides the configured routes. */
export interface RoutingDefaults {
  /** The stack's own topic (ALERT_TOPIC_ARN). */
  topicArn?: string;
  webhook: boolean;
  /** A bot token is configured: Slack channels are addressable. */
  bot: boolean;
  /** Bot mode's default channel (`notifications.slack.defaultChannel`). */
  defaultChannel?: string;
}

/** The part of an alert that goes to one destination. */
export interface RoutedAlert {
  destination: Destination;
  /** Stable id of the destination, used in the notification state keys. */
  key: string;
  alert: Alert;
  /** 0 = no digest. */
  digestWindowMinutes: number;
  /** Route names that sent findings here, for logs. */
  routes: string[];
}

export function destinationKey(destination: Destination): string {
  switch (destination.kind) {
    case "slack":
      return `slack:${destination.channel}`;
    case "webhook":
      return "webhook";
    case "sns":
      return `sns:${destination.topicArn}`;
  }
}

/** `*` matches any run of characters; everything else literally. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(value);
}

export function routeMatches(
  match: RouteMatch,
  finding: Finding,
  tags: Record<string, string> | undefined,
): boolean {
  if (match.severities && !match.severities.includes(finding.severity)) return false;
  if (match.minSeverity && !atLeast(finding.severity, match.minSeverity)) return false;
  if (match.accounts && !match.accounts.includes(finding.resource.account)) return false;
  if (match.checks && !match.checks.some((pattern) => globMatches(pattern, finding.checkId))) return false;
  if (match.tags) {
    // Unknown tags never match a tag rule: a route for "env=prod" must not catch untagged reads.
    if (!tags) return false;
    for (const [key, value] of Object.entries(match.tags)) {
      if (!(key in tags) || (value !== "*" && tags[key] !== value)) return false;
    }
  }
  return true;
}

/** The routes a finding takes, in order: the first match, and the ones after it while `continue` says so. */
export function matchingRoutes(
  routes: readonly NotificationRoute[],
  finding: Finding,
  tags: Record<string, string> | undefined,
): NotificationRoute[] {
  const taken: NotificationRoute[] = [];
  for (const route of routes) {
    if (!routeMatches(route.match, finding, tags)) continue;
    taken.push(route);
    if (!route.continue) break;
  }
  return taken;
}

function routeDestinations(route: NotificationRoute, defaults: RoutingDefaults): Destination[] {
  const slack: Destination[] = defaults.bot
    ? route.slackChannels.map((channel) => ({ kind: "slack", channel }))
    : // Without a bot token channels cannot be chosen: the webhook's channel gets them.
      route.slackChannels.length && defaults.webhook
      ? [{ kind: "webhook" }]
      : [];
  return [...slack, ...route.snsTopicArns.map((topicArn): Destination => ({ kind: "sns", topicArn }))];
}

export function defaultDestinations(defaults: RoutingDefaults): Destination[] {
  const list: Destination[] = [];
  if (defaults.topicArn) list.push({ kind: "sns", topicArn: defaults.topicArn });
  if (defaults.bot && defaults.defaultChannel) list.push({ kind: "slack", channel: defaults.defaultChannel });
  else if (defaults.webhook) list.push({ kind: "webhook" });
  return list;
}

/**
 * Splits an alert by destination: each finding goes where its routes say (or to the default route),
 * and each destination gets one alert with its findings, so nobody gets findings not meant for them.
 */
export function routeAlert(
  alert: Alert,
  settings: NotificationSettings,
  defaults: RoutingDefaults,
): RoutedAlert[] {
  const byKey = new Map<
    string,
    { destination: Destination; findings: Finding[]; windows: number[]; routes: string[] }
  >();
  const add = (destination: Destination, finding: Finding, window: number, route: string) => {
    const key = destinationKey(destination);
    const entry = byKey.get(key) ?? { destination, findings: [], windows: [], routes: [] };
    if (!entry.findings.includes(finding)) entry.findings.push(finding);
    entry.windows.push(window);
    if (!entry.routes.includes(route)) entry.routes.push(route);
    byKey.set(key, entry);
  };
  for (const finding of alert.findings) {
    const routes = matchingRoutes(settings.routes, finding, alert.tags);
    if (!routes.length) {
      for (const destination of defaultDestinations(defaults))
        add(destination, finding, settings.digestWindowMinutes, "default");
      continue;
    }
    routes.forEach((route) => {
      const name = route.name ?? `route ${settings.routes.indexOf(route) + 1}`;
      for (const destination of routeDestinations(route, defaults))
        add(destination, finding, route.digestWindowMinutes ?? settings.digestWindowMinutes, name);
    });
  }
  return [...byKey.entries()].map(([key, { destination, findings, windows, routes }]) => ({
    destination,
    key,
    alert: { ...alert, findings, severity: highest(findings.map((finding) => finding.severity)) },
    // Two routes to one channel with different windows: the shorter one, so nothing waits longer than asked.
    digestWindowMinutes: Math.min(...windows),
    routes,
  }));
}
