import type { App } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "../../infra/nag";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  REMEDIATION_ROLE_ARN,
  removeSynthOutputs,
  resolvePseudo,
  resourcesOfType,
  synthVigil,
  type CfnResource,
} from "./synth";

/**
 * The Slack approval endpoint in the synthesized stack (infra/slack-interactivity.ts): a function
 * URL with auth type NONE (Slack's signature is the authentication), the empty signing-secret
 * secret, and the function's IAM: the findings table, its two secrets, the remediation role, the
 * reads the re-read needs, and invoking itself; only when Slack interactivity is configured.
 */

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
}

const APPROVERS = ["U0APPROVER", "U0SECOND1"];

function logicalIdOf(template: Template, type: string, match: (resource: CfnResource) => boolean): string {
  const found = resourcesOfType(template, type).filter(([, resource]) => match(resource));
  expect(found, type).toHaveLength(1);
  return found[0]?.[0] ?? "";
}

/** Every Allow statement of the policies attached to `roleId`. */
function statementsOf(template: Template, roleId: string): Statement[] {
  return resourcesOfType(template, "AWS::IAM::Policy")
    .filter(([, policy]) => JSON.stringify(policy.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap(
      ([, policy]) =>
        (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
    )
    .filter((s) => s.Effect === "Allow");
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

describe("Slack approvals in the stack", () => {
  let app: App;
  let template: Template;
  let plain: Template;
  let fnId: string;
  let roleId: string;

  beforeAll(() => {
    ({ app, template } = synthVigil({
      context: {
        vigilConfig: {
          notifications: { slack: { interactivity: true } },
          approval: { slackApprovers: APPROVERS },
        },
      },
    }));
    plain = synthVigil().template;
    fnId = logicalIdOf(template, "AWS::Lambda::Function", (fn) =>
      String(fn.Properties?.Description).includes("Slack's Approve button"),
    );
    const fn = template.toJSON().Resources[fnId] as CfnResource;
    roleId = (fn.Properties?.Role as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0] ?? "";
  }, 180_000);
  afterAll(removeSynthOutputs);

  it("serves the function through a URL with auth type NONE, and outputs it for the Slack app", () => {
    template.hasResourceProperties("AWS::Lambda::Url", {
      AuthType: "NONE",
      TargetFunctionArn: { "Fn::GetAtt": [fnId, "Arn"] },
    });
    // Anyone may call the URL (Slack can't sign SigV4); only through the URL.
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunctionUrl",
      FunctionName: { "Fn::GetAtt": [fnId, "Arn"] },
      Principal: "*",
      FunctionUrlAuthType: "NONE",
    });
    // New function URLs also need lambda:InvokeFunction, limited to calls through the URL (since October 2025).
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      FunctionName: { "Fn::GetAtt": [fnId, "Arn"] },
      Principal: "*",
      InvokedViaFunctionUrl: true,
    });
    const direct = resourcesOfType(template, "AWS::Lambda::Permission").filter(
      ([, p]) =>
        JSON.stringify(p.Properties?.FunctionName).includes(fnId) &&
        p.Properties?.Principal === "*" &&
        p.Properties?.FunctionUrlAuthType === undefined &&
        p.Properties?.InvokedViaFunctionUrl !== true,
    );
    expect(direct).toEqual([]);
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const urlId = logicalIdOf(template, "AWS::Lambda::Url", () => true);
    expect(outputs.SlackInteractivityRequestUrl?.Value).toEqual({ "Fn::GetAtt": [urlId, "FunctionUrl"] });
    expect(JSON.stringify(outputs.SetSlackSigningSecretCommand?.Value)).toContain("put-secret-value");
  });

  it("creates the signing secret empty and hands the function its ARN, never a value", () => {
    const secretId = logicalIdOf(template, "AWS::SecretsManager::Secret", (secret) =>
      String(secret.Properties?.Description).includes("signing secret"),
    );
    const secret = template.toJSON().Resources[secretId] as CfnResource;
    expect(secret.Properties).not.toHaveProperty("SecretString");
    expect(secret.Properties).not.toHaveProperty("GenerateSecretString");
    const env = (template.toJSON().Resources[fnId] as CfnResource).Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables.SLACK_SIGNING_SECRET_ARN).toEqual({ Ref: secretId });
    const reads = statementsOf(template, roleId).filter((s) =>
      actionsOf([s]).includes("secretsmanager:GetSecretValue"),
    );
    expect(reads.flatMap((s) => [s.Resource].flat())).toEqual(expect.arrayContaining([{ Ref: secretId }]));
    expect(reads.flatMap((s) => [s.Resource].flat())).not.toContain("*");
  });

  it("grants the approval what it does and nothing to write on its own: the writes go through the remediation role", () => {
    const statements = statementsOf(template, roleId);
    const actions = actionsOf(statements);
    expect(actions).toEqual(
      expect.arrayContaining([
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "sts:AssumeRole",
        "ec2:DescribeSecurityGroups",
        "lambda:InvokeFunction",
        "secretsmanager:GetSecretValue",
      ]),
    );
    expect(actions.filter((a) => /^ec2:(Revoke|Authorize|Modify|Create|Delete)/.test(a))).toEqual([]);
    // Invoking itself only (the asynchronous half of an approval).
    const invoke = statements.filter((s) => actionsOf([s]).includes("lambda:InvokeFunction"));
    expect(invoke.flatMap((s) => [s.Resource].flat())).toEqual([{ "Fn::GetAtt": [fnId, "Arn"] }]);
    // It assumes the remediation role, which trusts the function's role.
    const [[remediationId, remediationRole] = []] = resourcesOfType(template, "AWS::IAM::Role").filter(
      ([, role]) => resolvePseudo(role.Properties?.RoleName) === REMEDIATION_ROLE_ARN.split("/")[1],
    );
    const assume = statements.filter((s) => actionsOf([s]).includes("sts:AssumeRole"));
    expect(assume.flatMap((s) => [s.Resource].flat())).toEqual([{ "Fn::GetAtt": [remediationId, "Arn"] }]);
    expect(JSON.stringify(remediationRole?.Properties?.AssumeRolePolicyDocument)).toContain(`"${roleId}"`);
  });

  it("stays cdk-nag clean (AwsSolutions)", () => {
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    expect(
      report.violations.map(
        (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
      ),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("deploys nothing of it without Slack interactivity", () => {
    expect(resourcesOfType(plain, "AWS::Lambda::Url")).toEqual([]);
    expect(
      resourcesOfType(plain, "AWS::Lambda::Function").filter(([, fn]) =>
        String(fn.Properties?.Description).includes("Slack's Approve button"),
      ),
    ).toEqual([]);
    expect(Object.keys(plain.toJSON().Outputs)).not.toContain("SlackInteractivityRequestUrl");
  });
});
