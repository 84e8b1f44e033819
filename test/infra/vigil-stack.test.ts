import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { Runtime } from "aws-cdk-lib/aws-lambda";
import { FINDINGS_TABLE_KEYS } from "../../shared/findings/table";
import { resourcesOfType, synthVigil, removeSynthOutputs } from "./synth";

const vigilConfig = { authorizedPorts: { tcp: [443] }, modes: { "EC2.18": "dry-run" } };

let template: Template;

beforeAll(() => {
  // A JSON string, as `cdk synth -c vigilConfig='{...}'` passes it.
  template = synthVigil({
    context: { vigilConfig: JSON.stringify(vigilConfig), alertEmail: "secops@example.com" },
  }).template;
});

afterAll(removeSynthOutputs);

const ref = (prefix: RegExp) => ({ Ref: Match.stringLikeRegexp(prefix.source) });
const getAtt = (prefix: RegExp, attribute = "Arn") => ({
  "Fn::GetAtt": [Match.stringLikeRegexp(prefix.source), attribute],
});

describe("functions", () => {
  const newestNode = Runtime.ALL.filter((runtime) => /^nodejs\d+\.x$/.test(runtime.name))
    .map((runtime) => runtime.name)
    .sort((a, b) => Number.parseInt(a.slice(6), 10) - Number.parseInt(b.slice(6), 10))
    .pop();

  it("are arm64 Lambdas on the newest Node.js runtime with 512 MB, each with the timeout its work needs", () => {
    template.allResourcesProperties("AWS::Lambda::Function", {
      Runtime: newestNode,
      Architectures: ["arm64"],
      MemorySize: 512,
      Handler: "index.handler",
    });
    const timeouts = Object.fromEntries(
      resourcesOfType(template, "AWS::Lambda::Function").map(([id, fn]) => [
        id.replace(/Function.*$/, ""),
        fn.Properties?.Timeout,
      ]),
    );
    expect(timeouts).toEqual({
      CloudTrailEvent: 30,
      ConfigChange: 30,
      ServiceEvent: 30,
      // A batch of audit events; waiting for a new cluster's log group; one sweep unit; queueing the plan.
      EksAudit: 120,
      EksAuditSubscriber: 600,
      SweepWorker: 300,
      SweepPlanner: 60,
    });
  });

  it("log JSON at INFO to their own log group, kept three months", () => {
    template.allResourcesProperties("AWS::Lambda::Function", {
      LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "INFO", LogGroup: ref(/Logs/) },
    });
    // One per function, and the sweep's state machine's.
    template.resourceCountIs("AWS::Logs::LogGroup", 8);
    template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 90 });
  });

  it("get the environment the handlers read (the config ships in the bundle: config-bundle.test.ts)", () => {
    const environment = {
      FINDINGS_TABLE: ref(/^Findings/),
      ALERT_TOPIC_ARN: ref(/^AlertsTopic/),
      SLACK_WEBHOOK_SECRET_ARN: { Ref: "SlackWebhook" },
      VIGIL_ASSUME_REMEDIATION_ROLE: "true",
      POWERTOOLS_SERVICE_NAME: "vigil",
      NODE_OPTIONS: "--enable-source-maps",
    };
    // The functions that run the pipeline; the subscriber and the planner get what they read (see their tests).
    const pipeline = template.findResources("AWS::Lambda::Function", {
      Properties: { Environment: { Variables: Match.objectLike(environment) } },
    });
    expect(
      Object.keys(pipeline)
        .map((id) => id.replace(/Function.*$/, ""))
        .sort(),
    ).toEqual(["CloudTrailEvent", "ConfigChange", "EksAudit", "ServiceEvent", "SweepWorker"]);
    // The functions whose checks remediate know the role to assume (and to ignore: loop guard);
    // the service-event function's GuardDuty findings can quarantine an instance.
    const withRole = template.findResources("AWS::Lambda::Function", {
      Properties: { Environment: { Variables: { REMEDIATION_ROLE_ARN: getAtt(/^RemediationRole/) } } },
    });
    expect(
      Object.keys(withRole)
        .map((id) => id.replace(/Function.*$/, ""))
        .sort(),
    ).toEqual(["CloudTrailEvent", "ConfigChange", "ServiceEvent", "SweepWorker"]);
  });

  it("retry async invocations twice, then dead-letter them to an encrypted, SSL-only queue", () => {
    template.resourceCountIs("AWS::Lambda::EventInvokeConfig", 7);
    template.allResourcesProperties("AWS::Lambda::EventInvokeConfig", { MaximumRetryAttempts: 2 });
    template.allResourcesProperties("AWS::Lambda::Function", {
      DeadLetterConfig: { TargetArn: getAtt(/DeadLetterQueue/) },
    });
    // One per function (the sweep runs on Step Functions: no queue of its own).
    template.resourceCountIs("AWS::SQS::Queue", 7);
    template.allResourcesProperties("AWS::SQS::Queue", { SqsManagedSseEnabled: true });
    template.allResourcesProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("alarm to the alert topic as soon as one message is dead-lettered", () => {
    // One per function's dead-letter queue (the sweep's execution alarm: test/infra/sweep.test.ts).
    const deadLetterAlarms = template.findResources("AWS::CloudWatch::Alarm", {
      Properties: {
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: getAtt(/DeadLetterQueue/, "QueueName") }],
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        AlarmActions: [ref(/^AlertsTopic/)],
      },
    });
    expect(Object.keys(deadLetterAlarms)).toHaveLength(7);
    expect(
      template.findResources("AWS::CloudWatch::Alarm", { Properties: { Namespace: "AWS/SQS" } }),
    ).toEqual(deadLetterAlarms);
  });
});

describe("findings table", () => {
  it("uses the shared key schema, on demand", () => {
    const { partitionKey, statusIndex } = FINDINGS_TABLE_KEYS;
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: partitionKey, KeyType: "HASH" }],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: statusIndex.name,
          KeySchema: [
            { AttributeName: statusIndex.partitionKey, KeyType: "HASH" },
            { AttributeName: statusIndex.sortKey, KeyType: "RANGE" },
          ],
        }),
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: partitionKey, AttributeType: "S" },
        { AttributeName: statusIndex.partitionKey, AttributeType: "S" },
        { AttributeName: statusIndex.sortKey, AttributeType: "S" },
      ]),
    });
  });

  it("is encrypted, point-in-time recoverable, deletion-protected and retained", () => {
    template.hasResource("AWS::DynamoDB::GlobalTable", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: "KMS" },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });
});

describe("alerting", () => {
  it("encrypts the topic with a rotating customer key and refuses non-TLS publishers", () => {
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: getAtt(/^AlertsKey/) });
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Action: "sns:Publish",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
  });

  it("lets CloudWatch alarms of this account publish through the key and the topic", () => {
    template.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          }),
        ]),
      },
    });
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Condition: Match.objectLike({ StringEquals: { "aws:SourceAccount": "111122223333" } }),
          }),
        ]),
      },
    });
  });

  it("subscribes the alertEmail from context", () => {
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "secops@example.com",
      TopicArn: ref(/^AlertsTopic/),
    });
  });

  it("creates the Slack secret without any value in the template", () => {
    const secrets = resourcesOfType(template, "AWS::SecretsManager::Secret");
    expect(secrets).toHaveLength(1);
    const [[, secret] = ["", { Type: "" }]] = secrets;
    expect(secret.Properties).not.toHaveProperty("SecretString");
    expect(secret.Properties).not.toHaveProperty("GenerateSecretString");
  });
});

describe("outputs", () => {
  it("name the table, topic, secret and remediation role, and how to set the webhook", () => {
    template.hasOutput("FindingsTableName", { Value: ref(/^Findings/) });
    template.hasOutput("AlertTopicArn", { Value: ref(/^AlertsTopic/) });
    template.hasOutput("SlackWebhookSecretArn", { Value: { Ref: "SlackWebhook" } });
    template.hasOutput("RemediationRoleArn", { Value: getAtt(/^RemediationRole/) });
    template.hasOutput("SetSlackWebhookCommand", {
      Value: {
        "Fn::Join": [
          "",
          [
            "aws secretsmanager put-secret-value --region us-east-1 --secret-id ",
            { Ref: "SlackWebhook" },
            Match.stringLikeRegexp("^ --secret-string https://hooks\\.slack\\.com/"),
          ],
        ],
      },
    });
  });
});
