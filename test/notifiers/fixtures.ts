import type { Actor } from "../../shared/core/actor";
import type { ResourceRef } from "../../shared/core/resource";
import { findingId } from "../../shared/findings/id";
import type { Finding } from "../../shared/findings/model";
import type { Alert } from "../../shared/notifiers/alert";

// Mirrors /work/shared/reference/events/cloudtrail-ec2-AuthorizeSecurityGroupIngress-ssh-ipv4-world.json.
export const EVENT_ID = "cf0ee0c0-04ee-42c9-aaa0-8c6309a37813";
export const EVENT_TIME = "2025-03-11T14:02:17Z";
export const REMEDIATED_AT = "2025-03-11T14:02:19.412Z";
export const USER_AGENT =
  "aws-cli/2.22.35 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0-1021-aws md/arch#x86_64 lang/python#3.12.6 " +
  "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off " +
  "md/command#ec2.authorize-security-group-ingress";

export const securityGroup: ResourceRef = {
  type: "AWS::EC2::SecurityGroup",
  id: "sg-07c1e5a9d3b2f4068",
  arn: "arn:aws:ec2:us-east-1:111122223333:security-group/sg-07c1e5a9d3b2f4068",
  account: "111122223333",
  region: "us-east-1",
  name: "web-prod",
};

export const alice: Actor = {
  type: "IAMUser",
  arn: "arn:aws:iam::111122223333:user/alice.ops",
  principalId: "AIDAXMPLQ7RZ4T2HN3KJW",
  accountId: "111122223333",
  userName: "alice.ops",
  accessKeyId: "AKIAXMPLQ7RZ5BDF2GHJ",
  sourceIp: "198.51.100.23",
  userAgent: USER_AGENT,
  fromConsole: false,
};

const sshRule = {
  protocol: "tcp",
  fromPort: 22,
  toPort: 22,
  source: { kind: "cidr4", cidr: "0.0.0.0/0" },
  ruleId: "sgr-0d27a9c4e81f35b60",
  description: "temp ssh for debugging",
};

const CHECKS = {
  "EC2.19": {
    title: "Security groups should not allow unrestricted access to ports with high risk",
    controls: ["FSBP EC2.19"],
    severity: "CRITICAL",
    concern: "high-risk ports 22",
  },
  "EC2.13": {
    title: "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22",
    controls: ["SecurityHub EC2.13", "CIS 1.2.0 4.1"],
    severity: "HIGH",
    concern: "SSH open to the internet",
  },
} as const;

/** A finding the pipeline would have written after auto-remediating the world-open SSH rule. */
export function sgFinding(checkId: keyof typeof CHECKS, overrides: Partial<Finding> = {}): Finding {
  const check = CHECKS[checkId];
  return {
    id: findingId({ account: "111122223333", region: "us-east-1", checkId, resourceId: securityGroup.id }),
    checkId,
    title: check.title,
    controls: [...check.controls],
    severity: check.severity,
    resource: securityGroup,
    status: "REMEDIATED",
    evidence: [{ rule: sshRule, ports: [22] }],
    summary: `sg-07c1e5a9d3b2f4068 allows tcp 22 from 0.0.0.0/0 (${check.concern})`,
    actor: alice,
    eventIds: [EVENT_ID],
    eventTime: EVENT_TIME,
    observedAt: EVENT_TIME,
    firstSeen: "2025-03-11T14:02:18.903Z",
    lastSeen: REMEDIATED_AT,
    remediation: {
      remediationId: "revoke-security-group-ingress",
      mode: "auto",
      action: "revoke sgr-0d27a9c4e81f35b60 (tcp 22 from 0.0.0.0/0)",
      result: "succeeded",
      time: REMEDIATED_AT,
      undo: {
        remediationId: "revoke-security-group-ingress",
        params: { groupId: securityGroup.id, rules: [sshRule] },
      },
    },
    remediationTimes: [REMEDIATED_AT],
    history: [
      { from: null, to: "OPEN", at: "2025-03-11T14:02:18.903Z", eventId: EVENT_ID },
      { from: "OPEN", to: "REMEDIATED", at: REMEDIATED_AT, eventId: EVENT_ID },
    ],
    version: 2,
    ...overrides,
  };
}

export function sgAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    resource: securityGroup,
    severity: "CRITICAL",
    findings: [sgFinding("EC2.19"), sgFinding("EC2.13")],
    actor: alice,
    eventTime: EVENT_TIME,
    eventId: EVENT_ID,
    ...overrides,
  };
}
