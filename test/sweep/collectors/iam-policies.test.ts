import { CreatePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import defaultCollector, { iamPoliciesCollector } from "../../../shared/sweep/collectors/iam-policies";
import { loadEvent } from "../../support/events";
import { collectAll, collectContext, verdicts, violated } from "./data-context";
import { fromSampleEvent, startLocalIam, type LocalIam } from "./iam-local";

const admin = loadEvent("iam-policy/CreatePolicy-admin.json").detail.requestParameters as Record<
  string,
  string
>;
const READ_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" }],
});

describe("IAM customer managed policies collector (local IAM endpoint)", () => {
  let local: LocalIam;
  const collect = () => collectAll(iamPoliciesCollector(1), collectContext({ iam: local.iam }));

  beforeAll(async () => {
    local = await startLocalIam();
    await local.iam.send(
      new CreatePolicyCommand({
        PolicyName: admin.policyName,
        Path: admin.path,
        PolicyDocument: admin.policyDocument,
      }),
    );
    await local.iam.send(new CreatePolicyCommand({ PolicyName: "read-reports", PolicyDocument: READ_ONLY }));
  });
  afterAll(() => local.close());

  it("pages ListPolicies (Scope=Local) with Marker and reads each default version once", async () => {
    const found = await collect();
    expect(found.map((o) => o.resource.id)).toEqual([
      "arn:aws:iam::111122223333:policy/ops/ops-break-glass",
      "arn:aws:iam::111122223333:policy/read-reports",
    ]);
    const pages = local.calls("ListPolicies");
    expect(pages).toHaveLength(2);
    expect(pages[0]).toEqual({ Scope: "Local", MaxItems: "1" });
    expect(pages[1]?.Marker).toBeTruthy();
    expect(local.calls("GetPolicyVersion").map((p) => p.VersionId)).toEqual(["v1", "v1"]);
    expect(found[0]?.state?.defaultVersionId).toBe("v1");
    expect(found[0]?.state?.document).toBeDefined();
    expect(found[0]?.complete).toBe(true);
  });

  it("parity: the same violations as the CreatePolicy (admin) event; the scoped policy passes", async () => {
    const [swept, clean] = await collect();
    const [event] = fromSampleEvent("AWS::IAM::Policy", "iam-policy/CreatePolicy-admin.json");
    const expected = violated(event!);
    expect(expected).toContain("IAM.1");
    expect(violated(swept!)).toEqual(expected);
    expect(verdicts(clean!).every((v) => !v.violations.length)).toBe(true);
  });

  it("declares exactly the IAM actions it makes", () => {
    expect([...defaultCollector.iamActions].sort()).toEqual(["iam:GetPolicyVersion", "iam:ListPolicies"]);
  });
});
