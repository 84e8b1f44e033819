import { describe, expect, it } from "vitest";
import {
  CONFIG_DETAIL_TYPE,
  cloudTrailEventPattern,
  configEventPattern,
  eventBridgeSource,
} from "../../infra/event-patterns";
import type { CheckDefinition, CheckTriggers } from "../../shared/checks/define";

function check(id: string, triggers: CheckTriggers): CheckDefinition {
  return {
    id,
    title: id,
    severity: "LOW",
    resourceType: "AWS::EC2::SecurityGroup",
    controls: [],
    description: id,
    triggers,
    iamActions: [],
    evaluate: () => [],
  };
}

const ROLE = "arn:aws:iam::111122223333:role/vigil-remediation-us-east-1";

describe("eventBridgeSource", () => {
  it("maps a CloudTrail eventSource to the bus source", () => {
    expect(eventBridgeSource("ec2.amazonaws.com")).toBe("aws.ec2");
    expect(eventBridgeSource("elasticloadbalancing.amazonaws.com")).toBe("aws.elasticloadbalancing");
  });

  it("rejects anything that is not <service>.amazonaws.com", () => {
    expect(() => eventBridgeSource("ec2")).toThrow(/ec2/);
    expect(() => eventBridgeSource("aws.ec2")).toThrow();
  });
});

describe("cloudTrailEventPattern", () => {
  const checks = [
    check("A", {
      cloudTrail: [
        {
          eventSource: "ec2.amazonaws.com",
          eventNames: ["ModifySecurityGroupRules", "AuthorizeSecurityGroupIngress"],
        },
      ],
      config: [],
    }),
    check("B", {
      cloudTrail: [
        { eventSource: "ec2.amazonaws.com", eventNames: ["AuthorizeSecurityGroupIngress"] },
        { eventSource: "s3.amazonaws.com", eventNames: ["PutBucketPolicy"] },
      ],
      config: [],
    }),
  ];

  it("lists every source, event source and event name once, sorted", () => {
    const pattern = cloudTrailEventPattern(checks, [ROLE]);
    expect(pattern?.source).toEqual(["aws.ec2", "aws.s3"]);
    expect(pattern?.["detail-type"]).toEqual([
      "AWS API Call via CloudTrail",
      "AWS Service Event via CloudTrail",
    ]);
    expect(pattern?.detail.eventSource).toEqual(["ec2.amazonaws.com", "s3.amazonaws.com"]);
    expect(pattern?.detail.eventName).toEqual([
      "AuthorizeSecurityGroupIngress",
      "ModifySecurityGroupRules",
      "PutBucketPolicy",
    ]);
  });

  it("drops failed calls and calls by the ignored roles, keeping callers without a session issuer", () => {
    const detail = cloudTrailEventPattern(checks, [ROLE])?.detail;
    expect(detail?.errorCode).toEqual([{ exists: false }]);
    const issuer = (matcher: unknown) => ({
      userIdentity: { sessionContext: { sessionIssuer: { arn: [matcher] } } },
    });
    expect(detail?.$or).toEqual([issuer({ exists: false }), issuer({ "anything-but": [ROLE] })]);
  });

  it("is undefined when no check listens to CloudTrail", () => {
    expect(
      cloudTrailEventPattern([check("C", { cloudTrail: [], config: ["AWS::EC2::SecurityGroup"] })], [ROLE]),
    ).toBeUndefined();
  });

  it("refuses to build a rule without the loop guard", () => {
    expect(() => cloudTrailEventPattern(checks, [])).toThrow(/remediation role/);
  });
});

describe("configEventPattern", () => {
  it("matches normal and oversized items of the checked resource types, sorted and once each", () => {
    const pattern = configEventPattern([
      check("A", { cloudTrail: [], config: ["AWS::EC2::SecurityGroup", "AWS::EC2::Volume"] }),
      check("B", { cloudTrail: [], config: ["AWS::EC2::SecurityGroup"] }),
    ]);
    const types = ["AWS::EC2::SecurityGroup", "AWS::EC2::Volume"];
    expect(pattern).toEqual({
      source: ["aws.config"],
      "detail-type": [CONFIG_DETAIL_TYPE],
      detail: {
        $or: [
          {
            messageType: ["ConfigurationItemChangeNotification"],
            configurationItem: { resourceType: types },
          },
          {
            messageType: ["OversizedConfigurationItemChangeNotification"],
            configurationItemSummary: { resourceType: types },
          },
        ],
      },
    });
  });

  it("uses the detail-type AWS Config really sends", () => {
    expect(CONFIG_DETAIL_TYPE).toBe("Config Configuration Item Change");
  });

  it("is undefined when no check listens to Config", () => {
    expect(configEventPattern([check("A", { cloudTrail: [], config: [] })])).toBeUndefined();
  });
});
