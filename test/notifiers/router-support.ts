import { parseConfig } from "../../shared/config/load";
import type { NotificationSettings } from "../../shared/config/notifications";
import { highest } from "../../shared/core/severity";
import { findingId } from "../../shared/findings/id";
import type { LocalDynamo } from "../../shared/findings/local-dynamo";
import type { Finding } from "../../shared/findings/model";
import type { Alert } from "../../shared/notifiers/alert";
import { NotificationStateStore } from "../../shared/notifiers/notification-state";
import { RoutingNotifier } from "../../shared/notifiers/router";
import { SlackWebApi } from "../../shared/notifiers/slack-api";
import { SlackNotifier } from "../../shared/notifiers/slack";
import { recordingLogger } from "../support/runtime";
import { securityGroup, sgAlert, sgFinding } from "./fixtures";
import type { LocalSlack } from "./slack-server";

export const TOKEN = "xoxb-2468013579-1122334455-AbCdEfGhIjKlMnOpQrStUvWx";
export const TOPIC = "arn:aws:sns:us-east-1:111122223333:vigil-alerts";

/** A security-group finding on another group (ids follow the real scheme). */
export function finding(
  checkId: "EC2.19" | "EC2.13",
  resourceId: string,
  overrides: Partial<Finding> = {},
): Finding {
  const resource = {
    ...securityGroup,
    id: resourceId,
    arn: `arn:aws:ec2:us-east-1:111122223333:security-group/${resourceId}`,
  };
  delete resource.name;
  return sgFinding(checkId, {
    id: findingId({ account: "111122223333", region: "us-east-1", checkId, resourceId }),
    resource,
    ...overrides,
  });
}

/** A dry-run finding: open, with the revoke planned but not made. */
export function plannedFinding(checkId: "EC2.19" | "EC2.13", resourceId: string): Finding {
  return finding(checkId, resourceId, {
    status: "OPEN",
    remediation: {
      remediationId: "revoke-security-group-ingress",
      mode: "dry-run",
      action: `revoke sgr-0d27a9c4e81f35b60 from ${resourceId} (tcp 22 from 0.0.0.0/0)`,
      result: "planned",
      time: "2025-03-11T14:02:19.412Z",
    },
    history: [{ from: null, to: "OPEN", at: "2025-03-11T14:02:18.903Z" }],
  });
}

export function alertOf(...findings: Finding[]): Alert {
  const first = findings[0];
  if (!first) throw new Error("alertOf needs a finding");
  return sgAlert({ resource: first.resource, findings, severity: highest(findings.map((f) => f.severity)) });
}

export interface RouterHarness {
  router: RoutingNotifier;
  published: { topicArn: string; alert: Alert }[];
  sleeps: number[];
  logger: ReturnType<typeof recordingLogger>;
}

/** A router on the real store (dynalite) and the local Slack server; `clock()` is read on every send. */
export function routerFor(
  local: LocalDynamo,
  slack: LocalSlack,
  notifications: unknown,
  options: { clock: () => Date; bot?: boolean; webhook?: boolean },
): RouterHarness {
  const settings: NotificationSettings = parseConfig({ notifications }).notifications;
  const published: RouterHarness["published"] = [];
  const sleeps: number[] = [];
  const logger = recordingLogger();
  const router = new RoutingNotifier({
    settings,
    topicArn: TOPIC,
    sns: (topicArn) => ({
      name: "sns",
      send: async (alert) => {
        published.push({ topicArn, alert });
      },
    }),
    slack:
      options.bot === false
        ? undefined
        : new SlackWebApi({
            token: async () => TOKEN,
            baseUrl: slack.baseUrl,
            sleep: async (ms) => {
              sleeps.push(ms);
            },
          }),
    webhook: options.webhook ? new SlackNotifier({ webhookUrl: async () => slack.webhookUrl }) : undefined,
    state: new NotificationStateStore({ client: local.client, tableName: local.tableName }),
    findings: local.store,
    now: options.clock,
    logger,
  });
  return { router, published, sleeps, logger };
}

/** Everything a request's blocks say, as one string to search. */
export function blockText(body: Record<string, unknown>): string {
  return JSON.stringify(body.blocks ?? []);
}
