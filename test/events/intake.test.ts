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

  it("reads console sign-ins (their own detail-type, CloudTrail's shape) like API calls", () => {
    const signIn = {
      version: "0",
      id: "4a0b5c91-a3f4-4c2b-85ba-9e5dbf306ca2",
      "detail-type": "AWS Console Sign In via CloudTrail",
      source: "aws.signin",
      account: "111122223333",
      time: "2025-03-16T06:58:11Z",
      region: "us-east-1",
      resources: [],
      detail: {
        eventVersion: "1.09",
        userIdentity: { type: "Root", principalId: "111122223333", arn: "arn:aws:iam::111122223333:root" },
        eventTime: "2025-03-16T06:58:11Z",
        eventSource: "signin.amazonaws.com",
        eventName: "ConsoleLogin",
        awsRegion: "us-east-1",
        sourceIPAddress: "198.51.100.23",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:136.0) Gecko/20100101 Firefox/136.0",
        requestParameters: null,
        responseElements: { ConsoleLogin: "Success" },
        additionalEventData: { MFAUsed: "No" },
        eventID: "f0b7d8ab-ced2-45e6-97f8-6d7e8f90a1b2",
        readOnly: false,
        eventType: "AwsConsoleSignIn",
        recipientAccountId: "111122223333",
      },
    };
    const watching = [
      {
        ...checks[0]!,
        id: "TEST.SIGN_IN",
        triggers: {
          cloudTrail: [{ eventSource: "signin.amazonaws.com", eventNames: ["ConsoleLogin"] }],
          config: [],
        },
      },
    ];
    expect(classifyEvent(signIn, watching, config).kind).toBe("cloudtrail");
    // Not "invalid": with no check watching it, a sign-in is simply of no interest.
    expect(classifyEvent(signIn, [], config)).toMatchObject({ kind: "ignored" });
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
