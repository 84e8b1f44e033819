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
import { cloudTrailEventPattern, configEventPattern, serviceEventPatterns } from "./event-patterns";
import { routeEvents } from "./event-rules";
import { createFindingsTable } from "./findings-table";
import { acknowledgeWildcardResources } from "./nag";
import {
  CONFIG_CHANGE_READ_ACTIONS,
  FINDINGS_TABLE_ACTIONS,
  checkReadActions,
  collectorReadActions,
} from "./permissions";
import { RemediationRole } from "./remediation-role";
import { createSlackWebhookSecret } from "./slack-secret";
import { SWEEP_PLANNER_TIMEOUT, SWEEP_WORKER_TIMEOUT, Sweep } from "./sweep";

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

    const detection = (
      id: string,
      entry: string,
      description: string,
      extra: Pick<DetectionFunctionProps, "timeout"> = {},
    ) =>
      new DetectionFunction(this, id, {
        ...extra,
        entry,
        description,
        alarmTopic: alerts.topic,
        environment: {
          FINDINGS_TABLE: table.tableName,
          ALERT_TOPIC_ARN: alerts.topic.topicArn,
          SLACK_WEBHOOK_SECRET_ARN: slackSecret.ref,
          VIGIL_ASSUME_REMEDIATION_ROLE: "true",
          VIGIL_CONFIG: JSON.stringify(props.config),
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
      "Vigil: sweeps one resource type in one Region (scheduled sweep)",
      { timeout: SWEEP_WORKER_TIMEOUT },
    );
    const sweepPlanner = new DetectionFunction(this, "SweepPlanner", {
      entry: "functions/sweep-planner.ts",
      description: "Vigil: plans the scheduled sweep, one queued unit per resource type and Region",
      roleDescription: "Vigil SweepPlanner: queues the sweep's units",
      alarmTopic: alerts.topic,
      timeout: SWEEP_PLANNER_TIMEOUT,
      environment: {
        VIGIL_CONFIG: JSON.stringify(props.config),
        POWERTOOLS_SERVICE_NAME: "vigil",
        NODE_OPTIONS: "--enable-source-maps",
      },
    });
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
    ];
    const remediating = routes.filter((route) => route.checks.some((check) => check.remediation));

    const remediation = new RemediationRole(this, "Remediation", {
      remediations,
      trustedRoles: remediating.map((route) => route.fn.role),
    });

    for (const route of routes) {
      const { fn } = route;
      const actions = [...new Set([...checkReadActions(route.checks), ...route.reads])].sort();
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
    }

    const cloudTrailPattern = cloudTrailEventPattern(checks, [remediation.roleArn]);
    if (cloudTrailPattern) {
      routeEvents(
        this,
        "CloudTrailRule",
        cloudTrailPattern,
        cloudTrailFunction,
        "Vigil: write calls the checks watch, except Vigil's own remediations",
      );
    }
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

    new Sweep(this, "Sweep", {
      settings: props.config.sweep,
      securityHub: props.config.securityHub,
      planner: sweepPlanner,
      worker: sweepWorker,
      alarmTopic: alerts.topic,
    });

    new CfnOutput(this, "FindingsTableName", { value: table.tableName });
    new CfnOutput(this, "AlertTopicArn", { value: alerts.topic.topicArn });
    new CfnOutput(this, "SlackWebhookSecretArn", { value: slackSecret.ref });
    new CfnOutput(this, "RemediationRoleArn", { value: remediation.role.roleArn });
    new CfnOutput(this, "SetSlackWebhookCommand", {
      description: "Stores the Slack incoming-webhook URL (replace the URL with yours)",
      value: `aws secretsmanager put-secret-value --region ${this.region} --secret-id ${slackSecret.ref} --secret-string https://hooks.slack.com/services/XXX/YYY/ZZZ`,
    });
  }
}
