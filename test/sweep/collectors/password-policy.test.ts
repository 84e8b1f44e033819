import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Observation } from "../../../shared/resources/adapter";
import collector from "../../../shared/sweep/collectors/password-policy";
import { collectAll, collectContext, NOW, violated } from "./data-context";
import { fromSampleEvent, startLocalIam, type LocalIam } from "./iam-local";

describe("password policy collector (local IAM endpoint)", () => {
  let local: LocalIam;
  beforeAll(async () => {
    local = await startLocalIam();
  });
  afterAll(() => local.close());

  it("parity: no policy at all violates as DeleteAccountPasswordPolicy's event does", async () => {
    local.grants.passwordPolicy = undefined;
    const [swept, ...rest] = await collectAll(collector, collectContext({ iam: local.iam }));
    expect(rest).toEqual([]);
    expect(swept?.state?.policy).toBeNull();
    expect(swept?.state?.changedAt).toBe(NOW.toISOString());
    expect(swept?.state?.changeRegion).toBe("us-east-1");
    const [event] = fromSampleEvent(
      "AWS::IAM::AccountPasswordPolicy",
      "iam/DeleteAccountPasswordPolicy.json",
    );
    const expected = violated(event!);
    expect(expected.length).toBeGreaterThan(0);
    expect(violated(swept!)).toEqual(expected);
  });

  it("parity: the weakened policy violates as UpdateAccountPasswordPolicy-weakened does; the strong one passes", async () => {
    for (const [file, clean] of [
      ["iam/UpdateAccountPasswordPolicy-weakened.json", false],
      ["iam/UpdateAccountPasswordPolicy-strong.json", true],
    ] as const) {
      const [event] = fromSampleEvent("AWS::IAM::AccountPasswordPolicy", file);
      const policy = (event as Observation<"AWS::IAM::AccountPasswordPolicy"> | undefined)?.state?.policy;
      if (!policy) throw new Error(`${file} sets no policy`);
      local.grants.passwordPolicy = policy;
      const [swept] = await collectAll(collector, collectContext({ iam: local.iam }));
      expect(swept?.state?.policy).toEqual(policy);
      expect(violated(swept!)).toEqual(violated(event!));
      expect(violated(swept!).length === 0).toBe(clean);
    }
    expect(local.calls("GetAccountPasswordPolicy")).toHaveLength(3);
    expect(collector.iamActions).toEqual(["iam:GetAccountPasswordPolicy"]);
  });
});
