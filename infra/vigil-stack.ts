import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { CheckDefinition } from "../shared/checks/define";
import type { VigilConfig } from "../shared/config/schema";
import { FINDINGS_TABLE_KEYS } from "../shared/findings/table";
import type { RemediationDefinition } from "../shared/remediations/define";
import type { Collector } from "../shared/sweep/collector";
import { AlertTopic } from "./alert-topic";
import { DetectionFunction, type DetectionFunctionProps } from "./detection-function";
import {
  EKS_AUDIT_SUBSCRIBER_MAX_EVENT_AGE,
  EKS_AUDIT_SUBSCRIBER_TIMEOUT,
  EksAuditSubscriber,
  EksAuditSubscriptions,
} from "./eks-audit";
import { configEventPattern, serviceEventPatterns } from "./event-patterns";
import { cloudTrailPatternsWithin } from "./forwarded-events";
import { routeEvents } from "./event-rules";
import { VigilDashboard, detectionFunctionSources, detectionFunctionsIn } from "./dashboard";
import { createFindingsTable } from "./findings-table";
import { acknowledgeWildcardResources } from "./nag";
import {
  CONFIG_CHANGE_READ_ACTIONS,
  FINDINGS_TABLE_ACTIONS,
  checkReadActions,
  collectorReadActions,
  organizationUnitsReadActions,
} from "./permissions";
import { RemediationRole } from "./remediation-role";
import { remediationRegions } from "./regional-events";
import { OrganizationMode } from "./organization/organization-mode";
import { createSlackWebhookSecret } from "./slack-secret";
import { AlertRouting } from "./notifications";
import { SWEEP_PLANNER_TIMEOUT, SWEEP_WORKER_TIMEOUT, Sweep } from "./sweep";
import { SlackInteractivity, approvalRoute, slackApprovalsEnabled } from "./slack-interactivity";

export interface VigilStackProps extends StackProps {
  config: VigilConfig;
  alertEmail?: string;
  checks: readonly CheckDefinition[];
  remediations: readonly RemediationDefinition[];
  /** The sweep's collectors (shared/sweep/collectors): their reads are granted to the sweep worker. */
  collectors: readonly Collector[];
}

/** Everything Vigil runs in one account and region. */
export class VigilStack extends Stack {
  constructor(scope: Construct, id: string, props: VigilStackProps) {
    super(scope, id, props);
    const { checks, remediations } = props;

    const table = createFindingsTable(this, "Findings");
    const alerts = new AlertTopic(this, "Alerts", { alertEmail: props.alertEmail });
    const slackSecret = createSlackWebhookSecret(this, "SlackWebhook");
    const alertRouting = new AlertRouting(this, "AlertRouting", { settings: props.config.notifications });

    const detection = (
      id: string,
      entry: string,
      description: string,
      extra: Pick<DetectionFunctionProps, "timeout"> = {},
    ) =>
      new DetectionFunction(this, id, {
        ...extra,
        entry,
        config: props.config,
        description,
        alarmTopic: alerts.topic,
        environment: {
          FINDINGS_TABLE: table.tableName,
          ALERT_TOPIC_ARN: alerts.topic.topicArn,
          SLACK_WEBHOOK_SECRET_ARN: slackSecret.ref,
          ...alertRouting.environment,
          VIGIL_ASSUME_REMEDIATION_ROLE: "true",
          // Events from other accounts (organisation mode) are told from the stack's own without an STS call.
          VIGIL_HOME_ACCOUNT: this.account,
          POWERTOOLS_SERVICE_NAME: "vigil",
          NODE_OPTIONS: "--enable-source-maps",
        },
      });
    const cloudTrailFunction = detection(
      "CloudTrailEvent",
      "functions/cloudtrail-event.ts",
      "Vigil: evaluates CloudTrail API calls against the checks",
    );
    const configFunction = detection(
      "ConfigChange",
      "functions/config-change.ts",
      "Vigil: evaluates AWS Config configuration item changes against the checks",
    );
    const serviceFunction = detection(
      "ServiceEvent",
      "functions/service-event.ts",
      "Vigil: evaluates ECR image pushes and scan results and Amazon Inspector findings against the checks",
    );
    // Only with clusters to watch, listed or subscribed when they turn audit logging on: CloudWatch
    // Logs subscriptions feed it (infra/eks-audit.ts), no rule.
    const { clusters: eksClusters, subscribeNewClusters } = props.config.eks;
    const eksAuditFunction =
      eksClusters.length || subscribeNewClusters
        ? detection(
            "EksAudit",
            "functions/eks-audit.ts",
            "Vigil: evaluates EKS workloads and namespaces from the clusters' audit logs",
          )
        : undefined;
    // The sweep: the worker judges every collected type with the event path's processing, so it
    // reads what the collectors list and what the checks read, and remediates like the others.
    const sweepWorker = detection(
      "SweepWorker",
      "functions/sweep-worker.ts",
      "Vigil: sweeps one resource type in one account and Region (scheduled sweep)",
      { timeout: SWEEP_WORKER_TIMEOUT },
    );
    const sweepPlanner = new DetectionFunction(this, "SweepPlanner", {
      entry: "functions/sweep-planner.ts",
      config: props.config,
      description:
        "Vigil: plans the scheduled sweep (accounts x Regions x resource types) for its state machine",
      roleDescription: "Vigil SweepPlanner: returns the sweep's plan",
      alarmTopic: alerts.topic,
      timeout: SWEEP_PLANNER_TIMEOUT,
      environment: {
        POWERTOOLS_SERVICE_NAME: "vigil",
        NODE_OPTIONS: "--enable-source-maps",
      },
    });
    // Slack's Approve button (notifications.slack.interactivity, infra/slack-interactivity.ts): runs
    // a dry-run finding's planned remediation through the pipeline after re-reading the resource.
    const slackApprovals = slackApprovalsEnabled(props.config)
      ? detection(
          "SlackInteractivity",
          "functions/slack-interactivity.ts",
          "Vigil: approves dry-run remediations from Slack's Approve button (function URL)",
        )
      : undefined;
    // Each function may read what the checks it receives events for read, nothing more, and only
    // functions whose checks can remediate may assume the remediation role.
    const routes = [
      {
        fn: cloudTrailFunction,
        checks: checks.filter((check) => check.triggers.cloudTrail.length),
        reads: [],
      },
      {
        fn: configFunction,
        checks: checks.filter((check) => check.triggers.config.length),
        reads: CONFIG_CHANGE_READ_ACTIONS,
      },
      { fn: serviceFunction, checks: checks.filter((check) => check.triggers.events?.length), reads: [] },
      // The audit events carry the whole object: no reads, no remediation; the table, the topic, the secret.
      ...(eksAuditFunction ? [{ fn: eksAuditFunction, checks: [], reads: [] }] : []),
      { fn: sweepWorker, checks, reads: collectorReadActions(props.collectors) },
      // An approval re-reads the resource (its collector's reads) and remediates what the checks planned.
      ...(slackApprovals ? [approvalRoute(slackApprovals, checks, props.collectors)] : []),
    ];
    const remediating = routes.filter((route) => route.checks.some((check) => check.remediation));

    const remediation = new RemediationRole(this, "Remediation", {
      remediations,
      trustedRoles: remediating.map((route) => route.fn.role),
      // Forwarded (and swept) events are remediated in their own Region.
      regions: remediationRegions(props.config, this.region),
    });

    for (const route of routes) {
      const { fn } = route;
      // Every route judges findings, so each may need the account's OUs (modes and exemptions per OU).
      const actions = [
        ...new Set([
          ...checkReadActions(route.checks),
          ...route.reads,
          ...organizationUnitsReadActions(props.config),
        ]),
      ].sort();
      if (remediating.includes(route)) {
        // Added here: the role trusts the functions' roles, so it exists only after them.
        fn.function.addEnvironment("REMEDIATION_ROLE_ARN", remediation.role.roleArn);
        fn.allow(["sts:AssumeRole"], [remediation.role.roleArn]);
      }
      if (actions.length) {
        fn.allow(actions, ["*"]);
        acknowledgeWildcardResources(
          fn.role,
          ["*"],
          `Read-only actions the checks need (${actions.join(", ")}) have no resource-level permissions, so they need "*". ` +
            "Every write goes through the remediation role.",
        );
      }
      fn.allow(FINDINGS_TABLE_ACTIONS, [
        table.tableArn,
        `${table.tableArn}/index/${FINDINGS_TABLE_KEYS.statusIndex.name}`,
      ]);
      alerts.grantPublish(fn.role);
      fn.allow(["secretsmanager:GetSecretValue"], [slackSecret.ref]);
      alertRouting.grant(fn);
    }

    // Organisation mode: member accounts forward here and let the functions that read and remediate
    // (those with checks) assume their role (infra/organization).
    if (props.config.organization.enabled) {
      new OrganizationMode(this, "Organization", {
        organization: props.config.organization,
        forwardingRegions: props.config.forwarding.regions,
        checks,
        remediations,
        collectors: props.collectors,
        // Not the Slack approvals function: approvals act in the central account only.
        centralRoles: routes
          .filter((route) => route.checks.length && route.fn !== slackApprovals)
          .map((route) => route.fn.role),
      });
    }

    // EventBridge takes at most 2,048 characters per pattern (a quota raised only on request), and
    // the checks' CloudTrail triggers need more: several rules, split by event source. The first
    // keeps its logical id so an existing stack updates it in place.
    const cloudTrailPatterns = cloudTrailPatternsWithin(
      checks.flatMap((check) => check.triggers.cloudTrail),
      [remediation.roleArn],
    );
    cloudTrailPatterns.forEach((pattern, i) => {
      routeEvents(
        this,
        i === 0 ? "CloudTrailRule" : `CloudTrailRule${i + 1}`,
        pattern,
        cloudTrailFunction,
        `Vigil: write calls the checks watch (part ${i + 1} of ${cloudTrailPatterns.length}), except Vigil's own remediations`,
      );
    });
    const configPattern = configEventPattern(checks);
    if (configPattern) {
      routeEvents(
        this,
        "ConfigRule",
        configPattern,
        configFunction,
        "Vigil: Config item changes for checked resource types",
      );
    }

    // Logical ids from the detail-type, so adding a check doesn't rename (and replace) other rules.
    const ruleIds = new Set<string>();
    for (const pattern of serviceEventPatterns(checks)) {
      const base = `${pattern["detail-type"].join("").replace(/[^A-Za-z0-9]/g, "")}Rule`;
      let id = base;
      for (let n = 2; ruleIds.has(id); n++) id = `${base}${n}`;
      ruleIds.add(id);
      routeEvents(
        this,
        id,
        pattern,
        serviceFunction,
        `Vigil: ${pattern.source.join(", ")} "${pattern["detail-type"].join(", ")}" events the checks watch`,
      );
    }

    if (eksAuditFunction) {
      new EksAuditSubscriptions(this, "EksAuditLogs", { target: eksAuditFunction, clusters: eksClusters });
    }
    if (eksAuditFunction && subscribeNewClusters) {
      const subscriber = new DetectionFunction(this, "EksAuditSubscriber", {
        entry: "functions/eks-audit-subscriber.ts",
        config: props.config,
        description: "Vigil: subscribes the audit log of EKS clusters that turn audit logging on",
        roleDescription:
          "Vigil EksAuditSubscriber: puts the audit subscription filter on EKS control plane log groups",
        alarmTopic: alerts.topic,
        timeout: EKS_AUDIT_SUBSCRIBER_TIMEOUT,
        maxEventAge: EKS_AUDIT_SUBSCRIBER_MAX_EVENT_AGE,
        environment: { POWERTOOLS_SERVICE_NAME: "vigil", NODE_OPTIONS: "--enable-source-maps" },
      });
      new EksAuditSubscriber(this, "EksAuditNewClusters", { subscriber, target: eksAuditFunction });
    }

    if (slackApprovals)
      new SlackInteractivity(this, "SlackApprovals", {
        fn: slackApprovals,
        approvers: props.config.approval.slackApprovers,
      });

    const sweep = new Sweep(this, "Sweep", {
      settings: props.config.sweep,
      securityHub: props.config.securityHub,
      organization: props.config.organization,
      planner: sweepPlanner,
      worker: sweepWorker,
      alarmTopic: alerts.topic,
    });

    // Operating Vigil (infra/dashboard.ts): last, so it sees every function and dead-letter queue.
    const operations = new VigilDashboard(this, "Operations", {
      ...detectionFunctionSources(detectionFunctionsIn(this)),
      alarmTopic: alerts.topic,
      otherAlarms: [sweep.failedAlarm],
    });
    new CfnOutput(this, "DashboardName", { value: operations.dashboard.dashboardName });
    new CfnOutput(this, "FindingsTableName", { value: table.tableName });
    new CfnOutput(this, "AlertTopicArn", { value: alerts.topic.topicArn });
    new CfnOutput(this, "SlackWebhookSecretArn", { value: slackSecret.ref });
    if (alertRouting.botTokenSecret) {
      new CfnOutput(this, "SetSlackBotTokenCommand", {
        description: "Stores the Slack bot token (replace xoxb-... with yours)",
        value: `aws secretsmanager put-secret-value --region ${this.region} --secret-id ${alertRouting.botTokenSecret.ref} --secret-string xoxb-...`,
      });
    }
    new CfnOutput(this, "RemediationRoleArn", { value: remediation.role.roleArn });
    new CfnOutput(this, "SetSlackWebhookCommand", {
      description: "Stores the Slack incoming-webhook URL (replace the URL with yours)",
      value: `aws secretsmanager put-secret-value --region ${this.region} --secret-id ${slackSecret.ref} --secret-string https://hooks.slack.com/services/XXX/YYY/ZZZ`,
    });
  }
}
