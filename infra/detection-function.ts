import path from "node:path";
import { fileURLToPath } from "node:url";
import { AssetHashType, Duration, RemovalPolicy, Tags, type ILocalBundling } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import {
  ApplicationLogLevel,
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { VigilConfig } from "../shared/config/schema";
import { BUNDLE_HANDLER, bundleFunction } from "./bundle";

/** The newest Node.js runtime aws-cdk-lib knows (cdk-nag L1 and a test keep this current). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
/** Async invocations and EventBridge deliveries are retried this often before dead-lettering. */
export const RETRY_ATTEMPTS = 2;
/** SQS's longest: a dead-lettered event waits two weeks for a fix and `vigil redrive`. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * Tags `vigil redrive` finds Vigil's dead-letter queues by (shared/cli/redrive.ts): tags survive
 * renames and redeploys, need no stack name, and are read with SQS's own API. They name no
 * function (the queue's tags would then depend on the function, which depends on its role's
 * policy, which names the queue: a cycle); redrive finds the function by its DeadLetterConfig.
 */
export const DEAD_LETTER_TAGS = {
  /** What the queue catches, for people and the redrive report (the construct's id, e.g. `CloudTrailEvent`). */
  source: "vigil:dead-letter-for",
  /**
   * How to replay: `invoke` the function whose dead-letter queue it is with each message body (Lambda
   * async and EventBridge-target DLQs hold the original event), or `move` the messages back to the
   * SQS queue they came from (SQS redrive).
   */
  redrive: "vigil:redrive",
} as const;

/** Marks `queue` as a Vigil dead-letter queue for `vigil redrive`, and keeps it (and its messages) through stack updates. */
export function markDeadLetterQueue(queue: sqs.Queue, source: string, redrive: "invoke" | "move"): void {
  // RETAIN: a replaced or deleted stack must not take undelivered events with it.
  queue.applyRemovalPolicy(RemovalPolicy.RETAIN);
  Tags.of(queue).add(DEAD_LETTER_TAGS.source, source);
  Tags.of(queue).add(DEAD_LETTER_TAGS.redrive, redrive);
}

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
/**
 * The asset's source directory. Bundling reads the entry (and what it imports) itself, so this only
 * has to exist and be small: with bundling skipped (tests) CDK stages it as is.
 */
const FUNCTIONS_DIR = path.join(REPO_ROOT, "functions");

/**
 * esbuild in this process (infra/bundle.ts): the bundle is split into the handler file and chunks
 * loaded on first use, which NodejsFunction cannot do (it bundles to a single `--outfile`).
 * The entry is a field so the two functions' bundling options differ (CDK caches assets by them).
 */
class LocalEsbuild implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly config: VigilConfig,
  ) {}

  tryBundle(outputDir: string): boolean {
    // Errors throw (and fail synth) rather than returning false: there is no Docker fallback.
    // The validated configuration goes in the bundle as vigil.config.json (read at init).
    bundleFunction(this.entry, outputDir, LAMBDA_RUNTIME, this.config);
    return true;
  }
}

export interface DetectionFunctionProps {
  /** Handler file relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  environment: Record<string, string>;
  /** Vigil's validated configuration, shipped in the bundle (infra/bundle.ts `bundleFunction`). */
  config: VigilConfig;
  /** Where the dead-letter alarm notifies. */
  alarmTopic: sns.ITopic;
  /** Default 30 seconds. */
  timeout?: Duration;
  /** What the role is for, when the function is not a detection function (the subscriber, the planner). */
  roleDescription?: string;
  /** How long Lambda keeps retrying a failed asynchronous invocation (default: Lambda's 6 hours). */
  maxEventAge?: Duration;
}

/**
 * A detection Lambda with everything around it: its own role (no managed policies), an explicit
 * log group, and a dead-letter queue shared by Lambda's async retries and the EventBridge target,
 * with an alarm as soon as anything lands there.
 */
export class DetectionFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;
  /** Alarms (to the alert topic) as soon as one message is in the dead-letter queue. */
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DetectionFunctionProps) {
    super(scope, id);

    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description:
        props.roleDescription ??
        `Vigil ${id}: detection (reads resources, writes findings, assumes the remediation role)`,
    });
    const logGroup = new logs.LogGroup(this, "Logs", { retention: logs.RetentionDays.THREE_MONTHS });
    // Instead of AWSLambdaBasicExecutionRole: write access to this log group only.
    logGroup.grantWrite(this.role);

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });

    this.function = new LambdaFunction(this, "Function", {
      code: Code.fromAsset(FUNCTIONS_DIR, {
        // The hash of the bundle, not of the sources: unchanged output, unchanged asset.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Required by the API, never pulled: local bundling always succeeds or throws.
          image: LAMBDA_RUNTIME.bundlingImage,
          local: new LocalEsbuild(path.join(REPO_ROOT, props.entry), props.config),
        },
      }),
      handler: BUNDLE_HANDLER,
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: props.environment,
      retryAttempts: RETRY_ATTEMPTS,
      ...(props.maxEventAge ? { maxEventAge: props.maxEventAge } : {}),
      deadLetterQueue: this.deadLetterQueue,
    });
    markDeadLetterQueue(this.deadLetterQueue, id, "invoke");

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
    this.deadLetterAlarm = alarm;
  }

  /** Adds an IAM statement to this function's role. */
  allow(actions: string[], resources: string[]): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
  }
}
