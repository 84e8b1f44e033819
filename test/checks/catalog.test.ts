import { describe, expect, it } from "vitest";
import { checkById, checks as allChecks } from "../../shared/checks/catalog";
import { isReadOnlyAction } from "../../infra/permissions";
import { remediationById } from "../../shared/remediations/catalog";
import { adapterFor } from "../../shared/resources/catalog";
import { SEVERITIES } from "../../shared/core/severity";
import { group, rule, defaultContext, world4 } from "./fixtures";

const EXPECTED = [
  { id: "EC2.19", severity: "CRITICAL", controls: ["FSBP EC2.19"], mode: "auto" },
  { id: "EC2.13", severity: "HIGH", controls: ["SecurityHub EC2.13", "CIS 1.2.0 4.1"], mode: "auto" },
  { id: "EC2.14", severity: "HIGH", controls: ["SecurityHub EC2.14", "CIS 1.2.0 4.2"], mode: "auto" },
  { id: "EC2.53", severity: "HIGH", controls: ["SecurityHub EC2.53", "CIS 5.2"], mode: "auto" },
  { id: "EC2.54", severity: "HIGH", controls: ["SecurityHub EC2.54", "CIS 5.3"], mode: "auto" },
  { id: "EC2.18", severity: "HIGH", controls: ["FSBP EC2.18"], mode: "dry-run" },
] as const;

/** The world-open ingress checks, which the tests below know in detail (EC2.2 has its own tests). */
const checks = allChecks.filter((c) => c.remediation?.id === "revoke-security-group-ingress");

const AUDIT_LOG_RESOURCE_TYPES: readonly string[] = [
  "AWS::EKS::Workload",
  "AWS::EKS::Namespace",
  // Fed only by the sweep: no single event says a Region lacks a trail, detector or recorder.
  "AWS::::AccountRegion",
];

describe("check catalog", () => {
  it("starts with the six world-open ingress checks in order; every id is unique", () => {
    expect(checks.map((c) => c.id)).toEqual(EXPECTED.map((e) => e.id));
    expect(allChecks.slice(0, EXPECTED.length)).toEqual(checks);
    expect(new Set(allChecks.map((c) => c.id)).size).toBe(allChecks.length);
  });

  it.each(allChecks.map((c) => [c.id, c] as const))(
    "%s is complete: id, texts, a known severity, an adapter, triggers, read-only actions, a matching remediation",
    (_id, check) => {
      expect(check.id).toMatch(/^([A-Za-z0-9]+\.\d+|VIGIL\.[A-Z0-9]+\.[A-Z0-9_]+)$/);
      expect(check.title.length).toBeGreaterThan(20);
      expect(check.description.length).toBeGreaterThan(20);
      expect(SEVERITIES).toContain(check.severity);
      expect(adapterFor(check.resourceType)?.resourceType).toBe(check.resourceType);
      const { cloudTrail, config, events = [] } = check.triggers;
      // Workload and namespace checks are fed by the EKS audit-log subscription, the Region ones by the sweep.
      const fedByAuditLog = AUDIT_LOG_RESOURCE_TYPES.includes(check.resourceType);
      expect(cloudTrail.length + config.length + events.length > 0).toBe(!fedByAuditLog);
      for (const action of check.iamActions) expect(isReadOnlyAction(action), action).toBe(true);
      if (check.remediation) {
        expect(remediationById(check.remediation.id)?.resourceType).toBe(check.resourceType);
      }
    },
  );

  it.each(EXPECTED)("$id: severity $severity, controls $controls, remediation $mode", (expected) => {
    const check = checkById(expected.id);
    expect(check).toBeDefined();
    expect(check?.severity).toBe(expected.severity);
    expect(SEVERITIES).toContain(check?.severity);
    expect(check?.controls).toEqual(expected.controls);
    expect(check?.resourceType).toBe("AWS::EC2::SecurityGroup");
    expect(check?.remediation).toEqual({ id: "revoke-security-group-ingress", defaultMode: expected.mode });
    expect(check?.title.length).toBeGreaterThan(20);
    expect(check?.description.length).toBeGreaterThan(20);
  });

  it.each(EXPECTED)("$id is triggered by ingress changes and Config items of security groups", ({ id }) => {
    const check = checkById(id);
    expect(check?.triggers).toEqual({
      cloudTrail: [
        {
          eventSource: "ec2.amazonaws.com",
          eventNames: ["AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules"],
        },
      ],
      config: ["AWS::EC2::SecurityGroup"],
    });
    expect(check?.iamActions).toEqual(["ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"]);
  });

  it("titles name what each control is about", () => {
    expect(checkById("EC2.13")?.title).toContain("port 22");
    expect(checkById("EC2.14")?.title).toContain("port 3389");
    expect(checkById("EC2.53")?.title).toContain("0.0.0.0/0");
    expect(checkById("EC2.53")?.title).not.toContain("::/0");
    expect(checkById("EC2.54")?.title).toContain("::/0");
    expect(checkById("EC2.54")?.title).not.toContain("0.0.0.0/0");
  });

  it("checkById finds every check by exact id only", () => {
    for (const check of checks) expect(checkById(check.id)).toBe(check);
    expect(checkById("EC2.999")).toBeUndefined();
    expect(checkById("ec2.19")).toBeUndefined();
    expect(checkById("")).toBeUndefined();
  });

  it("every check is pure: the state it reads is left unchanged", () => {
    const state = group(rule("-1", undefined, undefined, world4), rule("tcp", 22, 22, world4));
    const before = structuredClone(state);
    for (const check of checks) check.evaluate(state, defaultContext);
    expect(state).toEqual(before);
  });

  it("all-traffic from 0.0.0.0/0 fails every check except the IPv6-only EC2.54", () => {
    const state = group(rule("-1", undefined, undefined, world4));
    expect(checks.map((c) => [c.id, c.evaluate(state, defaultContext).length])).toEqual([
      ["EC2.19", 1],
      ["EC2.13", 1],
      ["EC2.14", 1],
      ["EC2.53", 1],
      ["EC2.54", 0],
      ["EC2.18", 1],
    ]);
  });
});
