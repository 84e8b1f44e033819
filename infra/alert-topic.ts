import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { ENCRYPTED_TOPIC_KEY_ACTIONS } from "./permissions";

export interface AlertTopicProps {
  /** Subscribed by email when given (the recipient must confirm the subscription). */
  alertEmail?: string;
}

/** The SNS topic for alerts and alarms, encrypted with its own rotating KMS key. */
export class AlertTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);

    this.key = new kms.Key(this, "Key", {
      description: "Vigil alert topic encryption",
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, "Topic", {
      displayName: "Vigil alerts",
      masterKey: this.key,
      enforceSSL: true,
    });

    // CloudWatch alarms publish as the CloudWatch service, which needs both the key and the topic:
    // neither the customer key nor the SSL-only topic policy lets it in by default.
    const alarmSource = {
      StringEquals: { "aws:SourceAccount": account },
      ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
    };
    const cloudWatch = new iam.ServicePrincipal("cloudwatch.amazonaws.com");
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudWatch],
        actions: ENCRYPTED_TOPIC_KEY_ACTIONS,
        resources: ["*"],
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudWatch],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: alarmSource,
      }),
    );

    if (props.alertEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));
  }

  /** sns:Publish on the topic and the key actions encrypted publishing needs, nothing broader. */
  grantPublish(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["sns:Publish"], resources: [this.topic.topicArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ENCRYPTED_TOPIC_KEY_ACTIONS, resources: [this.key.keyArn] }),
    );
  }
}
