import {
  AttachUserPolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startCliHarness, type CliHarness } from "../support/cli-harness";
import type { IamGrantsDouble } from "../support/local-aws/iam-grants";

/**
 * Grants to identities: the user and role are set up through the SDK the way an intruder would, the matching
 * CloudTrail event is replayed with `vigil replay` in a child process against the local endpoint, and
 * `vigil undo` puts back exactly what was removed.
 */

const TIMEOUT = 60_000;
const ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
const WRITES = /^(Put|Delete|Attach|Detach|Tag|Update)/;

const iamRequests = (h: CliHarness, from: number) =>
  h.aws.requests
    .slice(from)
    .filter((r) => r.service === "iam")
    .map((r) => [r.action, r.params] as const);

describe("grants to IAM identities: vigil replay, then vigil undo, against the local endpoint", () => {
  let h: CliHarness;
  let iam: IAMClient;
  let double: IamGrantsDouble;
  let roleDocument: string;

  beforeAll(async () => {
    h = await startCliHarness();
    iam = new IAMClient(h.clientConfig);
    double = h.aws.double<IamGrantsDouble>("iam");
    const sample = JSON.parse(
      await readFile(join(ROOT, "events/iam-grants/PutRolePolicy-admin.json"), "utf8"),
    ) as {
      detail: { requestParameters: { policyDocument: string } };
    };
    roleDocument = sample.detail.requestParameters.policyDocument;
    await iam.send(new CreateUserCommand({ UserName: "svc-reporting" }));
    await iam.send(new AttachUserPolicyCommand({ UserName: "svc-reporting", PolicyArn: ADMIN_ARN }));
    await iam.send(
      new CreateRoleCommand({
        RoleName: "ci-deploy",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "ci-deploy",
        PolicyName: "deploy-everything",
        PolicyDocument: roleDocument,
      }),
    );
  }, TIMEOUT);
  afterAll(async () => {
    iam.destroy();
    await h.close();
  });

  it(
    "AttachUserPolicy AdministratorAccess, default mode: the finding is open with a planned detach, nothing is written",
    async () => {
      const file = await h.writeEvent("iam-grants/AttachUserPolicy-AdministratorAccess.json");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file]);
      expect(result.code, result.stderr).toBe(0);
      expect(iamRequests(h, before).filter(([action]) => WRITES.test(action))).toEqual([]);
      expect([...(double.identity("user", "svc-reporting")?.attached.keys() ?? [])]).toEqual([ADMIN_ARN]);
      const finding = (await h.findings()).find((f) => f.checkId === "VIGIL.IAM.ADMIN_POLICY_ATTACHED_USER");
      expect(finding).toMatchObject({
        status: "OPEN",
        severity: "HIGH",
        resourceId: "svc-reporting",
        remediation: {
          mode: "dry-run",
          result: "planned",
          action: `DetachUserPolicy userName=svc-reporting PolicyArn=${ADMIN_ARN}`,
        },
      });
    },
    TIMEOUT,
  );

  it(
    "--mode auto detaches exactly AdministratorAccess from exactly that user; undo tags the user and re-attaches it",
    async () => {
      await iam.send(new CreateUserCommand({ UserName: "bystander" }));
      await iam.send(new AttachUserPolicyCommand({ UserName: "bystander", PolicyArn: ADMIN_ARN }));
      const file = await h.writeEvent("iam-grants/AttachUserPolicy-AdministratorAccess.json");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);
      expect(iamRequests(h, before)).toEqual([
        ["ListUserTags", { UserName: "svc-reporting" }],
        ["DetachUserPolicy", { UserName: "svc-reporting", PolicyArn: ADMIN_ARN }],
      ]);
      expect(double.identity("user", "svc-reporting")?.attached.size).toBe(0);
      expect([...(double.identity("user", "bystander")?.attached.keys() ?? [])]).toEqual([ADMIN_ARN]);
      const finding = (await h.findings()).find((f) => f.checkId === "VIGIL.IAM.ADMIN_POLICY_ATTACHED_USER");
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        remediation: { mode: "auto", result: "succeeded" },
      });

      const undone = await h.vigil(["undo", finding?.id ?? ""]);
      expect(undone.code, undone.stderr).toBe(0);
      expect(undone.stdout).toContain(`user svc-reporting: re-attached ${ADMIN_ARN}`);
      expect([...(double.identity("user", "svc-reporting")?.attached.keys() ?? [])]).toEqual([ADMIN_ARN]);
      expect(double.identity("user", "svc-reporting")?.tags.get("vigil:exempt")).toContain(
        "VIGIL.IAM.ADMIN_POLICY_ATTACHED_USER",
      );
      const after = (await h.findings()).find((f) => f.id === finding?.id);
      expect(after).toMatchObject({ status: "SUPPRESSED", remediation: { result: "undone" } });
    },
    TIMEOUT,
  );

  it(
    "PutRolePolicy admin --mode auto deletes exactly that inline policy after reading it; undo puts the same document back",
    async () => {
      const file = await h.writeEvent("iam-grants/PutRolePolicy-admin.json");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);
      expect(iamRequests(h, before)).toEqual([
        ["ListRoleTags", { RoleName: "ci-deploy" }],
        ["GetRolePolicy", { RoleName: "ci-deploy", PolicyName: "deploy-everything" }],
        ["DeleteRolePolicy", { RoleName: "ci-deploy", PolicyName: "deploy-everything" }],
      ]);
      expect(double.identity("role", "ci-deploy")?.inline.size).toBe(0);
      const finding = (await h.findings()).find((f) => f.checkId === "VIGIL.IAM.INLINE_ADMIN_ROLE");
      expect(finding).toMatchObject({ status: "REMEDIATED", resourceId: "ci-deploy" });

      const undone = await h.vigil(["undo", finding?.id ?? ""]);
      expect(undone.code, undone.stderr).toBe(0);
      const restored = double.identity("role", "ci-deploy")?.inline.get("deploy-everything");
      expect(JSON.parse(restored ?? "null")).toEqual(JSON.parse(roleDocument));
      expect(double.identity("role", "ci-deploy")?.tags.get("vigil:exempt")).toBe(
        "VIGIL.IAM.INLINE_ADMIN_ROLE",
      );
    },
    TIMEOUT,
  );

  it(
    "--mode auto leaves an inline policy alone when it was changed after the event",
    async () => {
      const scoped = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reporting-exports/*" },
        ],
      });
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: "ci-deploy",
          PolicyName: "deploy-everything",
          PolicyDocument: scoped,
        }),
      );
      // The role is exempt since the undo: a fresh role name keeps this about the document check.
      const file = await h.writeEvent<{ detail: { requestParameters: Record<string, unknown> } }>(
        "iam-grants/PutRolePolicy-admin.json",
        (event) => {
          event.detail.requestParameters.roleName = "ci-deploy-2";
        },
      );
      await iam.send(
        new CreateRoleCommand({
          RoleName: "ci-deploy-2",
          AssumeRolePolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "codebuild.amazonaws.com" },
                Action: "sts:AssumeRole",
              },
            ],
          }),
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: "ci-deploy-2",
          PolicyName: "deploy-everything",
          PolicyDocument: scoped,
        }),
      );
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);
      expect(iamRequests(h, before).map(([action]) => action)).toEqual(["ListRoleTags", "GetRolePolicy"]);
      expect(double.identity("role", "ci-deploy-2")?.inline.get("deploy-everything")).toBe(scoped);
    },
    TIMEOUT,
  );
});
