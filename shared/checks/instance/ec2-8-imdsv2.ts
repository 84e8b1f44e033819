import { imdsVerdict } from "../../resources/ec2-instance/imds";
import { defineCheck } from "../define";
import { imdsTriggers, instanceReadActions } from "./triggers";

export default defineCheck({
  id: "EC2.8",
  title: "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)",
  severity: "HIGH",
  resourceType: "AWS::EC2::Instance",
  controls: ["FSBP EC2.8", "CIS 5.6"],
  description:
    "The instance still answers IMDSv1 (HttpTokens=optional), which lets an SSRF bug read its role credentials. Vigil sets HttpTokens=required (dry-run by default: software on the instance that only speaks IMDSv1 loses metadata access).",
  triggers: imdsTriggers,
  iamActions: instanceReadActions,
  remediation: { id: "require-imdsv2", defaultMode: "dry-run" },
  undecided: (state) =>
    imdsVerdict(state.metadataOptions) === "unknown"
      ? "this source does not say whether the instance requires IMDSv2"
      : undefined,
  evaluate: (state) =>
    imdsVerdict(state.metadataOptions) === "imdsv1-allowed"
      ? [
          {
            summary: `instance ${state.instanceId} allows IMDSv1 (HttpTokens=optional, metadata endpoint enabled)`,
            evidence: {
              instanceId: state.instanceId,
              httpTokens: state.metadataOptions?.httpTokens,
              httpEndpoint: state.metadataOptions?.httpEndpoint,
            },
          },
        ]
      : [],
});
