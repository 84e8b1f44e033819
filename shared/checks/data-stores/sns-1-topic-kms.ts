import { snsTopicReadActions } from "../../resources/sns-topic/adapter";
import { defineCheck } from "../define";
import { snsTopicTriggers } from "./triggers";

/** Detect only: the key must be one the topic's publishers and subscribing services may use. */
export default defineCheck({
  id: "SNS.1",
  title: "SNS topics should be encrypted at-rest using AWS KMS",
  severity: "MEDIUM",
  resourceType: "AWS::SNS::Topic",
  // No longer part of FSBP (still in other Security Hub standards).
  controls: ["SecurityHub SNS.1"],
  description:
    "The topic has no KMS key, so the messages it stores are not encrypted with a key you control. Set KmsMasterKeyId (alias/aws/sns or a customer key its publishers may use).",
  triggers: snsTopicTriggers,
  iamActions: snsTopicReadActions,
  undecided: (state) =>
    state.kmsMasterKeyId === undefined
      ? "this event does not say whether the topic has a KMS key"
      : undefined,
  evaluate: (state) =>
    state.kmsMasterKeyId === null
      ? [
          {
            summary: `SNS topic ${state.topicName} is not encrypted with a KMS key`,
            evidence: { topicArn: state.topicArn, kmsMasterKeyId: null },
          },
        ]
      : [],
});
