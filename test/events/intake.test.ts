import { describe, expect, it } from "vitest";
import { checks } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import { actorFromCloudTrail, cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { classifyEvent } from "../../shared/events/intake";
import { loadEvent, sg } from "../support/events";

const config = parseConfig({});

describe("classifyEvent", () => {
  it("accepts the CloudTrail calls the catalog watches, with the resource types they concern", () => {
    const intake = classifyEvent(sg("authorize-ssh-world-ipv4"), checks, config);
    expect(intake.kind).toBe("cloudtrail");
    expect(intake.kind === "cloudtrail" && intake.resourceTypes).toEqual(["AWS::EC2::SecurityGroup"]);
    expect(classifyEvent(sg("modify-rule-ssh-to-world"), checks, config).kind).toBe("cloudtrail");
  });

  it("accepts Config items and oversized notifications for watched resource types", () => {
    expect(classifyEvent(sg("config-item-world-open-ssh-and-rdp"), checks, config)).toMatchObject({
      kind: "config",
      resourceType: "AWS::EC2::SecurityGroup",
    });
    expect(classifyEvent(sg("config-oversized-item"), checks, config)).toMatchObject({
      kind: "config",
      resourceType: "AWS::EC2::SecurityGroup",
    });
  });

  it("ignores failed calls, read-only calls and unwatched calls, saying why", () => {
    expect(classifyEvent(sg("authorize-failed-duplicate-ignored"), checks, config)).toMatchObject({
      kind: "ignored",
      reason:
        "ec2.amazonaws.com AuthorizeSecurityGroupIngress failed (Client.InvalidPermission.Duplicate): nothing changed",
    });
    const readOnly = sg("authorize-ssh-world-ipv4");
    readOnly.detail.readOnly = true;
    expect(classifyEvent(readOnly, checks, config)).toMatchObject({
      kind: "ignored",
      reason: expect.stringMatching(/read-only/),
    });
    const other = sg("authorize-ssh-world-ipv4");
    other.detail.eventName = "RevokeSecurityGroupIngress";
    expect(classifyEvent(other, checks, config)).toMatchObject({
      kind: "ignored",
      reason: "no check watches ec2.amazonaws.com RevokeSecurityGroupIngress",
    });
    const volume = sg("config-item-world-open-ssh-and-rdp");
    (volume.detail.configurationItem as Record<string, unknown>).resourceType = "AWS::EC2::VPNGateway";
    expect(classifyEvent(volume, checks, config)).toMatchObject({
      kind: "ignored",
      reason: "no check watches Config items of AWS::EC2::VPNGateway",
    });
  });

  it("ignores Vigil's own calls by the remediation role ARN or the role-name prefix, not by session name", () => {
    const own = sg("authorize-by-vigil-remediation-role-ignored");
    expect(classifyEvent(own, checks, config).kind).toBe("ignored");
    const exact = parseConfig({
      remediationRoleArn: "arn:aws:iam::111122223333:role/security/auto-fixer",
      remediationRoleNamePrefix: "nothing-matches",
    });
    const byArn = sg("authorize-all-traffic-world");
    const identity = byArn.detail.userIdentity as { sessionContext: { sessionIssuer: { arn: string } } };
    identity.sessionContext.sessionIssuer.arn = "arn:aws:iam::111122223333:role/security/auto-fixer";
    expect(classifyEvent(byArn, checks, exact).kind).toBe("ignored");
    // A human whose *session* is named like Vigil is not Vigil.
    const human = sg("authorize-all-traffic-world");
    (human.detail.userIdentity as { arn: string }).arn =
      "arn:aws:sts::111122223333:assumed-role/ci-deploy/vigil-remediation";
    expect(classifyEvent(human, checks, config).kind).toBe("cloudtrail");
  });

  it("rejects malformed and unknown events as invalid with a readable reason", () => {
    expect(classifyEvent(loadEvent("invalid/unknown-event-type.json"), checks, config)).toMatchObject({
      kind: "invalid",
      reason: 'unknown event type "Object Created" from aws.s3',
    });
    const missing = classifyEvent(loadEvent("invalid/cloudtrail-missing-fields.json"), checks, config);
    expect(missing.kind).toBe("invalid");
    expect(missing.kind === "invalid" && missing.reason).toMatch(/userIdentity/);
    expect(classifyEvent({ hello: "world" }, checks, config)).toMatchObject({
      kind: "invalid",
      reason: expect.stringMatching(/^not an EventBridge event/),
    });
  });

  it("tolerates new optional fields and eventVersion changes", () => {
    const event = sg("authorize-ssh-world-ipv4");
    Object.assign(event.detail, { eventVersion: "1.11", addendum: { reason: "x" }, vpcEndpointId: "vpce-1" });
    expect(classifyEvent(event, checks, config).kind).toBe("cloudtrail");
  });
});

describe("actorFromCloudTrail", () => {
  it("says who, from where and how", () => {
    const detail = cloudTrailDetailSchema.parse(sg("modify-rule-ssh-to-world").detail);
    expect(actorFromCloudTrail(detail)).toEqual({
      type: "AssumedRole",
      arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PlatformAdmin_5c2e9a7b1d3f4e60/dana.lee@example.com",
      principalId: "AROAXMPL4KQ2W7N6ZB3YT:dana.lee@example.com",
      accountId: "111122223333",
      userName: "AWSReservedSSO_PlatformAdmin_5c2e9a7b1d3f4e60",
      sessionIssuerArn:
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_5c2e9a7b1d3f4e60",
      accessKeyId: "ASIAXMPLF3G5H7J9K2L4",
      sourceIp: "203.0.113.57",
      userAgent: "console.ec2.amazonaws.com",
      mfaAuthenticated: false,
      fromConsole: true,
    });
  });
});
