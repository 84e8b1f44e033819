import { describe, expect, it } from "vitest";
import { cloudTrailEventPattern, serviceEventPatterns } from "../../infra/event-patterns";
import { checks } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import { classifyEvent } from "../../shared/events/intake";
import { loadEvent } from "../support/events";
import { matchesEventPattern } from "../support/event-pattern";
import { findingEvent } from "./support";

/**
 * `aws.guardduty` sends both "GuardDuty Finding" events (this check) and the CloudTrail events of
 * GuardDuty API calls (the detector-tampering checks): the rules and the intake split on detail-type.
 */

const REMEDIATION_ROLE = "arn:aws:iam::111122223333:role/vigil-remediation-us-east-1";
const findingSamples = [
  "ec2-ssh-bruteforce",
  "ec2-ssh-bruteforce-republished",
  "ec2-ssh-bruteforce-archived",
  "ec2-bitcoin-tool-outbound",
  "kubernetes-privileged-container",
  "iam-instance-credentials-outside-aws",
  "sample-ec2-bitcoin-dns",
];
const tamperingSamples = ["UpdateDetector-disable", "DeleteDetector"];

const guardDutyServicePatterns = () =>
  serviceEventPatterns(checks).filter((pattern) => pattern.source.includes("aws.guardduty"));

describe("GuardDuty event routing", () => {
  it("one service-event rule for aws.guardduty, on detail-type GuardDuty Finding only", () => {
    expect(guardDutyServicePatterns()).toEqual([
      { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: {} },
    ]);
  });

  it.each(findingSamples)("%s reaches the service-event rule and not the CloudTrail rule", (name) => {
    const event = findingEvent(name);
    const matching = serviceEventPatterns(checks).filter((pattern) => matchesEventPattern(pattern, event));
    expect(matching).toEqual(guardDutyServicePatterns());
    expect(matchesEventPattern(cloudTrailEventPattern(checks, [REMEDIATION_ROLE]), event)).toBe(false);
  });

  it.each(tamperingSamples)(
    "the CloudTrail event %s reaches the CloudTrail rule and no service-event rule",
    (name) => {
      const event = loadEvent(`guardduty/${name}.json`);
      expect(event.source).toBe("aws.guardduty");
      expect(matchesEventPattern(cloudTrailEventPattern(checks, [REMEDIATION_ROLE]), event)).toBe(true);
      expect(serviceEventPatterns(checks).filter((pattern) => matchesEventPattern(pattern, event))).toEqual(
        [],
      );
    },
  );

  it("the intake: findings are service events for AWS::GuardDuty::Finding, API calls CloudTrail for the detector", () => {
    const config = parseConfig({});
    expect(classifyEvent(findingEvent("ec2-ssh-bruteforce"), checks, config)).toMatchObject({
      kind: "service",
      resourceTypes: ["AWS::GuardDuty::Finding"],
    });
    expect(classifyEvent(loadEvent("guardduty/UpdateDetector-disable.json"), checks, config)).toMatchObject({
      kind: "cloudtrail",
      resourceTypes: ["AWS::GuardDuty::Detector"],
    });
  });
});
