import { findingId } from "../../shared/findings/id";
import type { Finding } from "../../shared/findings/model";

/** A realistic EC2.13 finding: world-open SSH, auto-remediated, with the undo payload to put it back. */
export function sshFinding(overrides: Partial<Finding> & { groupId?: string } = {}): Finding {
  const { groupId = "sg-0d27c1f3a9b8e4501", ...rest } = overrides;
  const rule = {
    protocol: "tcp",
    fromPort: 22,
    toPort: 22,
    source: { kind: "cidr4", cidr: "0.0.0.0/0" },
    ruleId: "sgr-0a1b2c3d4e5f60718",
    description: "temp debug access",
  };
  return {
    id: findingId({ account: "123456789012", region: "eu-west-1", checkId: "EC2.13", resourceId: groupId }),
    checkId: "EC2.13",
    title: "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22",
    controls: ["SecurityHub EC2.13", "CIS 1.2.0 4.1"],
    severity: "HIGH",
    resource: {
      type: "AWS::EC2::SecurityGroup",
      id: groupId,
      arn: `arn:aws:ec2:eu-west-1:123456789012:security-group/${groupId}`,
      account: "123456789012",
      region: "eu-west-1",
      name: "bastion",
    },
    status: "REMEDIATED",
    evidence: [{ rule, ports: [22] }],
    summary: `${groupId} allows tcp 22 from 0.0.0.0/0 (SSH)`,
    actor: {
      type: "AssumedRole",
      arn: "arn:aws:sts::123456789012:assumed-role/Admin/alice",
      principalId: "AROAEXAMPLE:alice",
      accountId: "123456789012",
      sessionIssuerArn: "arn:aws:iam::123456789012:role/Admin",
      accessKeyId: "ASIAEXAMPLE",
      sourceIp: "203.0.113.7",
      userAgent: "aws-cli/2.15.0",
      mfaAuthenticated: true,
      fromConsole: false,
    },
    eventIds: ["0b5c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f"],
    eventTime: "2025-03-01T10:00:00Z",
    observedAt: "2025-03-01T10:00:00Z",
    firstSeen: "2025-03-01T10:00:02.000Z",
    lastSeen: "2025-03-01T10:00:05.000Z",
    remediation: {
      remediationId: "revoke-security-group-ingress",
      mode: "auto",
      action: "revoke sgr-0a1b2c3d4e5f60718 (tcp 22 from 0.0.0.0/0)",
      result: "succeeded",
      time: "2025-03-01T10:00:05.000Z",
      undo: { remediationId: "revoke-security-group-ingress", params: { groupId, rules: [rule] } },
    },
    remediationTimes: ["2025-03-01T10:00:05.000Z"],
    history: [
      {
        from: null,
        to: "OPEN",
        at: "2025-03-01T10:00:02.000Z",
        eventId: "0b5c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f",
      },
      { from: "OPEN", to: "REMEDIATED", at: "2025-03-01T10:00:05.000Z" },
    ],
    notificationPending: true,
    version: 1,
    ...rest,
  };
}
