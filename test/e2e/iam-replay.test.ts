import { IAMClient, UpdateAccountPasswordPolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "../support/cli-harness";
import type { IamDouble } from "../support/local-aws/iam";

/**
 * IAM.7/15/16: the password policy is weakened through the SDK the way an intruder would, the
 * matching CloudTrail event is replayed with `vigil replay --mode auto`, and `vigil undo` puts back
 * what was there. The endpoint serves no CloudTrail event history, so the restore starts from the
 * current policy (the fallback the remediation reports).
 */

const TIMEOUT = 60_000;
const awsRequests = (h: CliHarness, from: number) =>
  h.aws.requests.slice(from).filter((r) => r.service !== "dynamodb" && r.service !== "sns");

/** What the sample event's request set (events/iam/UpdateAccountPasswordPolicy-weakened.json). */
const WEAKENED = {
  MinimumPasswordLength: 8,
  RequireSymbols: false,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 5,
  HardExpiry: false,
};

describe("IAM password policy: vigil replay --mode auto, then vigil undo, against the local endpoint", () => {
  let h: CliHarness;
  let iam: IAMClient;
  let double: IamDouble;

  beforeAll(async () => {
    h = await startCliHarness();
    iam = new IAMClient(h.clientConfig);
    double = h.aws.double<IamDouble>("iam");
  }, TIMEOUT);
  afterAll(async () => {
    iam.destroy();
    await h.close();
  });

  it(
    "UpdateAccountPasswordPolicy weakened: the policy is raised to IAM.7, IAM.15 and IAM.16, the findings REMEDIATED",
    async () => {
      await iam.send(
        new UpdateAccountPasswordPolicyCommand({
          ...WEAKENED,
          MinimumPasswordLength: 16,
          RequireSymbols: true,
          PasswordReusePrevention: 24,
        }),
      );
      await iam.send(new UpdateAccountPasswordPolicyCommand(WEAKENED));
      expect(double.passwordPolicy).toEqual(WEAKENED);

      const file = await h.writeEvent("iam/UpdateAccountPasswordPolicy-weakened.json");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      // Every threshold now met; what the user set beyond them (expiry, self-service) kept.
      expect(double.passwordPolicy).toEqual({
        ...WEAKENED,
        MinimumPasswordLength: 14,
        RequireSymbols: true,
        PasswordReusePrevention: 24,
      });
      const requests = awsRequests(h, before).map((r) => [r.service, r.action]);
      expect(requests.filter(([service]) => service === "iam")).toEqual([
        ["iam", "GetAccountPasswordPolicy"],
        ["iam", "UpdateAccountPasswordPolicy"],
      ]);
      // The event history was asked for the policy before the change (both kinds of change).
      expect(requests.filter(([, action]) => String(action).endsWith("LookupEvents"))).toHaveLength(2);
      expect(h.aws.calls("iam", "UpdateAccountPasswordPolicy").at(-1)?.params).toEqual({
        MinimumPasswordLength: "14",
        RequireSymbols: "true",
        RequireNumbers: "true",
        RequireUppercaseCharacters: "true",
        RequireLowercaseCharacters: "true",
        AllowUsersToChangePassword: "true",
        MaxPasswordAge: "90",
        PasswordReusePrevention: "24",
        HardExpiry: "false",
      });

      const findings = (await h.findings()).filter((f) => ["IAM.7", "IAM.15", "IAM.16"].includes(f.checkId));
      expect(
        findings
          .map((f) => [f.checkId, f.status, f.resourceId, f.remediation?.mode, f.remediation?.result])
          .sort(),
      ).toEqual([
        ["IAM.15", "REMEDIATED", "111122223333", "auto", "succeeded"],
        ["IAM.16", "REMEDIATED", "111122223333", "auto", "succeeded"],
        ["IAM.7", "REMEDIATED", "111122223333", "auto", "succeeded"],
      ]);
      expect(h.alerts().some((m) => m.Message.includes("IAM.15"))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "vigil undo puts back the policy the user set; the findings are open again (an account setting has no tag)",
    async () => {
      const finding = (await h.findings()).find((f) => f.checkId === "IAM.15");
      const result = await h.vigil(["undo", finding?.id ?? ""]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("password policy put back to MinimumPasswordLength=8");
      expect(double.passwordPolicy).toEqual(WEAKENED);
      const after = (await h.findings()).filter((f) => ["IAM.7", "IAM.15", "IAM.16"].includes(f.checkId));
      expect(after.map((f) => [f.checkId, f.status, f.remediation?.result]).sort()).toEqual([
        ["IAM.15", "OPEN", "undone"],
        ["IAM.16", "OPEN", "undone"],
        ["IAM.7", "OPEN", "undone"],
      ]);
    },
    TIMEOUT,
  );

  it(
    "vigil undo refuses once the policy changed again since the restore, and leaves it as it is",
    async () => {
      const file = await h.writeEvent("iam/UpdateAccountPasswordPolicy-weakened.json");
      expect((await h.vigil(["replay", file, "--mode", "auto"])).code).toBe(0);
      expect(double.passwordPolicy?.MinimumPasswordLength).toBe(14);
      await iam.send(
        new UpdateAccountPasswordPolicyCommand({
          ...WEAKENED,
          MinimumPasswordLength: 20,
          RequireSymbols: true,
        }),
      );

      const finding = (await h.findings()).find((f) => f.checkId === "IAM.7");
      expect(finding?.remediation?.result).toBe("succeeded");
      const result = await h.vigil(["undo", finding?.id ?? ""]);
      expect(result.code).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain("changed since Vigil set it");
      expect(double.passwordPolicy?.MinimumPasswordLength).toBe(20);
    },
    TIMEOUT,
  );
});
