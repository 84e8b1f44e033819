import { CreatePolicyCommand, CreatePolicyVersionCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "../support/cli-harness";
import { IamPoliciesDouble } from "../support/local-aws/iam-policies";

/**
 * IAM.1 on a customer managed policy: an admin version is made default through the SDK the way an
 * intruder escalates (CreatePolicyVersion --set-as-default), the matching CloudTrail event is replayed,
 * `--mode auto` sets the default back to v1 exactly, and `vigil undo` makes v2 the default again.
 */

const TIMEOUT = 60_000;
const ARN = "arn:aws:iam::111122223333:policy/reporting-ops";
const doc = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] }, null, 4);
const READ = doc({
  Effect: "Allow",
  Action: ["s3:GetObject", "s3:ListBucket"],
  Resource: "arn:aws:s3:::reporting-exports/*",
});
const ADMIN = doc({ Sid: "ReportingAdmin", Effect: "Allow", Action: "*", Resource: "*" });

interface PolicyEvent {
  detail: { requestParameters: Record<string, unknown> };
}

describe("IAM policy default version: vigil replay, --mode auto, then vigil undo, against the local endpoint", () => {
  let h: CliHarness;
  let iam: IAMClient;
  let double: IamPoliciesDouble;
  const iamRequests = (from: number) =>
    h.aws.requests
      .slice(from)
      .filter((r) => r.service === "iam")
      .map((r) => [r.action, r.params.VersionId ?? ""]);
  const replayVersion = () =>
    h.writeEvent<PolicyEvent>("iam-policy/CreatePolicyVersion-admin-default.json", (event) => {
      event.detail.requestParameters = { policyArn: ARN, policyDocument: ADMIN, setAsDefault: true };
    });
  const iam1 = async () => (await h.findings()).find((f) => f.checkId === "IAM.1" && f.resourceId === ARN);

  beforeAll(async () => {
    h = await startCliHarness();
    iam = new IAMClient(h.clientConfig);
    const found = h.aws.doublesOf("iam").find((d) => d instanceof IamPoliciesDouble);
    if (!found) throw new Error("the policies double is not registered");
    double = found as IamPoliciesDouble;
    await iam.send(new CreatePolicyCommand({ PolicyName: "reporting-ops", PolicyDocument: READ }));
    await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: ARN, PolicyDocument: ADMIN, SetAsDefault: true }),
    );
    const policy = double.policy(ARN);
    if (policy) policy.attachmentCount = 1;
  }, TIMEOUT);
  afterAll(async () => {
    iam.destroy();
    await h.close();
  });

  it(
    "default dry-run: IAM.1 opens with the planned revert, and no write is sent",
    async () => {
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", await replayVersion()]);
      expect(result.code, result.stderr).toBe(0);
      expect(iamRequests(before)).toEqual([
        ["GetPolicy", ""],
        ["ListPolicyTags", ""],
      ]);
      expect(double.policy(ARN)?.defaultVersionId).toBe("v2");
      expect(await iam1()).toMatchObject({
        status: "OPEN",
        severity: "HIGH",
        remediation: { mode: "dry-run", result: "planned" },
      });
    },
    TIMEOUT,
  );

  it(
    "--mode auto sets the default back to v1 (checked compliant first) and keeps v2",
    async () => {
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", await replayVersion(), "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);
      expect(double.policy(ARN)?.defaultVersionId).toBe("v1");
      expect(double.policy(ARN)?.versions.map((v) => v.versionId)).toEqual(["v1", "v2"]);
      expect(iamRequests(before)).toEqual([
        ["GetPolicy", ""],
        ["ListPolicyTags", ""],
        ["GetPolicy", ""],
        ["ListPolicyVersions", ""],
        ["GetPolicyVersion", "v1"],
        ["SetDefaultPolicyVersion", "v1"],
      ]);
      expect(await iam1()).toMatchObject({
        status: "REMEDIATED",
        remediation: {
          mode: "auto",
          result: "succeeded",
          action: `${ARN}: default version set back from v2 to v1; v2 is kept`,
        },
      });
      expect(h.alerts().some((m) => m.Message.includes("IAM.1"))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "vigil undo tags the policy exempt, then makes v2 the default again",
    async () => {
      const finding = await iam1();
      const before = h.aws.requests.length;
      const result = await h.vigil(["undo", finding?.id ?? ""]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`${ARN}: default version set back to v2 (Vigil had reverted to v1)`);
      expect(iamRequests(before).map(([action]) => action)).toEqual([
        "ListPolicyTags",
        "TagPolicy",
        "SetDefaultPolicyVersion",
      ]);
      expect(double.policy(ARN)?.defaultVersionId).toBe("v2");
      expect(double.policy(ARN)?.tags.get("vigil:exempt")?.split(" ").sort()).toEqual([
        "IAM.1",
        "IAM.21",
        "KMS.1",
      ]);
      expect((await iam1())?.remediation?.result).toBe("undone");
    },
    TIMEOUT,
  );
});
