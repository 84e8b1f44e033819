import path from "node:path";
import { fileURLToPath } from "node:url";
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** The newest Node.js runtime aws-cdk-lib knows (cdk-nag L1 and a test keep this current). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
/** Async invocations and EventBridge deliveries are retried this often before dead-lettering. */
export const RETRY_ATTEMPTS = 2;

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

// ESM bundles have no `require`; some bundled CommonJS code still calls it for Node built-ins.
// The alias keeps the banner's import from clashing with a bundled `createRequire` import.
const ESM_REQUIRE_SHIM =
  "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);";

export interface DetectionFunctionProps {
  /** Handler file relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  environment: Record<string, string>;
  /** Where the dead-letter alarm notifies. */
  alarmTopic: sns.ITopic;
}

/**
 * A detection Lambda with everything around it: its own role (no managed policies), an explicit
 * log group, and a dead-letter queue shared by Lambda's async retries and the EventBridge target,
 * with an alarm as soon as anything lands there.
 */
export class DetectionFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DetectionFunctionProps) {
    super(scope, id);

    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Vigil ${id}: detection (reads resources, writes findings, assumes the remediation role)`,
    });
    const logGroup = new logs.LogGroup(this, "Logs", { retention: logs.RetentionDays.THREE_MONTHS });
    // Instead of AWSLambdaBasicExecutionRole: write access to this log group only.
    logGroup.grantWrite(this.role);

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.function = new NodejsFunction(this, "Function", {
      entry: path.join(REPO_ROOT, props.entry),
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, "package-lock.json"),
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(30),
      role: this.role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: props.environment,
      retryAttempts: RETRY_ATTEMPTS,
      deadLetterQueue: this.deadLetterQueue,
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, "node$1"),
        minify: true,
        sourceMap: true,
        mainFields: ["module", "main"],
        banner: ESM_REQUIRE_SHIM,
        // Bundle the AWS SDK too: tree-shaken and pinned by our lockfile, not the runtime's copy.
        externalModules: [],
        forceDockerBundling: false,
      },
    });

    const alarm = new cloudwatch.Alarm(this, "DeadLetterAlarm", {
      alarmDescription: `Vigil ${id}: events failed after retries and are in the dead-letter queue`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
  }

  /** Adds an IAM statement to this function's role. */
  allow(actions: string[], resources: string[]): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
  }
}
