import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import defaultCollector, { iamRolesCollector } from "../../../shared/sweep/collectors/iam-roles";
import { loadEvent } from "../../support/events";
import { collectAll, collectContext, verdicts, violated } from "./data-context";
import { fromSampleEvent, startLocalIam, type LocalIam } from "./iam-local";

const request = (path: string) => loadEvent(path).detail.requestParameters as Record<string, string>;
const ADMIN = request("iam-grants/PutRolePolicy-admin.json").policyDocument ?? "";
const PUBLIC_TRUST = request("iam-grants/CreateRole-public-trust.json").assumeRolePolicyDocument ?? "";
const SERVICE_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
});

describe("IAM roles collector (local IAM endpoint)", () => {
  let local: LocalIam;
  const collect = () => collectAll(iamRolesCollector(1), collectContext({ iam: local.iam }));

  beforeAll(async () => {
    local = await startLocalIam();
    const { iam } = local;
    await iam.send(new CreateRoleCommand({ RoleName: "ci-deploy", AssumeRolePolicyDocument: SERVICE_TRUST }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "ci-deploy",
        PolicyName: "deploy-everything",
        PolicyDocument: ADMIN,
      }),
    );
    await iam.send(
      new CreateRoleCommand({ RoleName: "partner-import", AssumeRolePolicyDocument: PUBLIC_TRUST }),
    );
    // A customer managed policy attached to two roles: its default version is read once.
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: "read-reports",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" }],
        }),
      }),
    );
    const arn = policy.Policy?.Arn ?? "";
    await iam.send(new CreateRoleCommand({ RoleName: "reader", AssumeRolePolicyDocument: SERVICE_TRUST }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "reader", PolicyArn: arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "ci-deploy", PolicyArn: arn }));
  });
  afterAll(() => local.close());

  it("pages ListRoles with Marker and yields every role once, whole, with trust, tags and policy versions", async () => {
    const found = await collect();
    expect(found.map((o) => o.resource.id)).toEqual(["ci-deploy", "partner-import", "reader"]);
    const pages = local.calls("ListRoles");
    expect(pages).toHaveLength(3);
    expect(pages[0]).toEqual({ MaxItems: "1" });
    expect(local.calls("ListRoleTags").map((p) => p.RoleName)).toEqual([
      "ci-deploy",
      "partner-import",
      "reader",
    ]);
    expect(local.calls("GetPolicy")).toHaveLength(1);
    expect(local.calls("GetPolicyVersion")).toHaveLength(1);
    const ci = found[0];
    expect(ci?.complete).toBe(true);
    expect(ci?.tagsKnown).toBe(true);
    expect(ci?.state?.path).toBe("/");
    expect(ci?.state?.trust?.source).toBe("ListRoles");
    expect(ci?.state?.grants?.attached?.policies[0]?.defaultVersion?.versionId).toBe("v1");
  });

  it("parity: the same violations as PutRolePolicy (admin) and CreateRole (public trust) events; a clean role passes", async () => {
    const byName = new Map((await collect()).map((o) => [o.resource.id, o]));
    for (const [name, path] of [
      ["ci-deploy", "iam-grants/PutRolePolicy-admin.json"],
      ["partner-import", "iam-grants/CreateRole-public-trust.json"],
    ] as const) {
      const [event] = fromSampleEvent("AWS::IAM::Role", path);
      const expected = violated(event!);
      expect(expected.length).toBeGreaterThan(0);
      expect(violated(byName.get(name)!)).toEqual(expect.arrayContaining(expected));
    }
    const reader = verdicts(byName.get("reader")!);
    expect(reader.every((v) => v.violations.length === 0 && !v.undecided)).toBe(true);
  });

  it("declares exactly the IAM actions it makes", () => {
    expect([...defaultCollector.iamActions].sort()).toEqual(
      [
        "iam:ListRoles",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListRoleTags",
      ].sort(),
    );
  });
});
