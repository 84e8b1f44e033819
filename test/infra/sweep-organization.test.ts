import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsSolutionsChecks } from "../../infra/nag";
import { sweepPlannerOrganizationsGrants } from "../../infra/permissions";
import { parseConfig } from "../../shared/config/load";
import { resolvePseudo, resourcesOfType, synthVigil, removeSynthOutputs, type Synthesized } from "./synth";

/** Organisation mode's sweep: the planner lists the accounts with Organizations, scoped to what it lists. */
const ORG_ID = "o-a1b2c3d4e5";
const organization = (organizationalUnits: string[]) => ({
  enabled: true,
  organizationId: ORG_ID,
  organizationalUnits,
  externalId: "vigil-7f3a9c2e-member",
});

let ous: Synthesized;
let root: Synthesized;
beforeAll(() => {
  ous = synthVigil({
    context: { vigilConfig: { organization: organization(["ou-ab12-cdef3456", "ou-ab12-99998888"]) } },
  });
  root = synthVigil({ context: { vigilConfig: { organization: organization(["r-ab12"]) } } });
}, 180_000);
afterAll(removeSynthOutputs);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
function statementsOf({ template }: Synthesized, functionPrefix: string): Statement[] {
  const found = resourcesOfType(template, "AWS::Lambda::Function").find(([id]) =>
    id.startsWith(functionPrefix),
  );
  const roleId = (found?.[1].Properties?.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
  return resourcesOfType(template, "AWS::IAM::Policy")
    .filter(([, p]) => (p.Properties?.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}
const organizationsStatements = (synth: Synthesized) =>
  resolvePseudo(
    statementsOf(synth, "SweepPlanner").filter((s) => JSON.stringify(s.Action).includes("organizations:")),
  );

describe("sweep planner in organisation mode", () => {
  it("OUs: ListAccountsForParent and ListOrganizationalUnitsForParent on the organisation's OUs only", () => {
    expect(organizationsStatements(ous)).toEqual([
      {
        Effect: "Allow",
        Action: ["organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"],
        Resource: `arn:aws:organizations::*:ou/${ORG_ID}/ou-*`,
      },
    ]);
  });

  it("a root id: ListAccounts (no resource-level permissions) and nothing else", () => {
    expect(organizationsStatements(root)).toEqual([
      { Effect: "Allow", Action: "organizations:ListAccounts", Resource: "*" },
    ]);
  });

  it("the worker may assume the member role in other accounts (the organisation's; granted with the member roles)", () => {
    const assume = statementsOf(ous, "SweepWorker").filter((s) => s.Action === "sts:AssumeRole");
    expect(JSON.stringify(resolvePseudo(assume))).toContain(":role/vigil-remediation-member");
  });

  it("passes cdk-nag (the wildcards acknowledged with their reason)", () => {
    for (const synth of [ous, root]) {
      const report = new AwsSolutionsChecks(synth.app, { verbose: true }).validateScope(synth.app);
      expect(
        report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`),
      ).toEqual([]);
    }
  });
});

describe("sweepPlannerOrganizationsGrants", () => {
  it("nothing outside organisation mode", () => {
    expect(sweepPlannerOrganizationsGrants(parseConfig({}).organization, "aws")).toEqual([]);
  });

  it("the partition of the stack in the OU ARN pattern", () => {
    expect(sweepPlannerOrganizationsGrants(organization(["ou-ab12-cdef3456"]), "aws-us-gov")).toEqual([
      {
        actions: ["organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"],
        resources: [`arn:aws-us-gov:organizations::*:ou/${ORG_ID}/ou-*`],
      },
    ]);
  });

  it("a root among OUs: ListAccounts covers the whole organisation (the planner walks no OU then)", () => {
    expect(sweepPlannerOrganizationsGrants(organization(["ou-ab12-cdef3456", "r-ab12"]), "aws")).toEqual([
      { actions: ["organizations:ListAccounts"], resources: ["*"] },
    ]);
  });
});
