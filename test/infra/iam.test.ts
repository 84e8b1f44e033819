import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Template } from "aws-cdk-lib/assertions";
import { isReadOnlyAction } from "../../infra/permissions";
import { REMEDIATION_ROLE_NAME_PREFIX } from "../../infra/remediation-role";
import { checks } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import { parseConfig } from "../../shared/config/load";
import { remediations } from "../../shared/remediations/catalog";
import { collectors } from "../../shared/sweep/collectors";
import {
  REMEDIATION_ROLE_ARN,
  resolvePseudo,
  resourcesOfType,
  synthVigil,
  removeSynthOutputs,
} from "./synth";

interface Statement {
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const actionsOf = (statement: Statement) => asList(statement.Action);
const allows = (statements: Statement[]) => statements.filter((statement) => statement.Effect === "Allow");

let template: Template;
/** Identity-policy statements per role logical id (inline policies and AWS::IAM::Policy). */
const roleStatements = new Map<string, Statement[]>();
let roles: { remediation: string; cloudTrail: string; config: string; service: string; sweepWorker: string };

beforeAll(() => {
  template = synthVigil().template;
  for (const [id, role] of resourcesOfType(template, "AWS::IAM::Role")) {
    const inline = asList(
      role.Properties?.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined,
    );
    roleStatements.set(
      id,
      inline.flatMap((policy) => policy.PolicyDocument.Statement),
    );
  }
  for (const [, policy] of resourcesOfType(template, "AWS::IAM::Policy")) {
    const properties = policy.Properties as {
      Roles: { Ref: string }[];
      PolicyDocument: { Statement: Statement[] };
    };
    for (const { Ref } of properties.Roles)
      roleStatements.get(Ref)?.push(...properties.PolicyDocument.Statement);
  }
  const roleId = (prefix: string) => {
    const id = [...roleStatements.keys()].find((key) => key.startsWith(prefix));
    if (!id) throw new Error(`no role ${prefix}`);
    return id;
  };
  roles = {
    remediation: roleId("RemediationRole"),
    cloudTrail: roleId("CloudTrailEventRole"),
    config: roleId("ConfigChangeRole"),
    service: roleId("ServiceEventRole"),
    sweepWorker: roleId("SweepWorkerRole"),
  };
});

afterAll(removeSynthOutputs);

const functionRoles = () => [roles.cloudTrail, roles.config, roles.service, roles.sweepWorker];
/** Each function role with the checks whose events reach that function. */
const routedChecks = (): [string, CheckDefinition[]][] => [
  [roles.cloudTrail, checks.filter((check) => check.triggers.cloudTrail.length)],
  [roles.config, checks.filter((check) => check.triggers.config.length)],
  [roles.service, checks.filter((check) => check.triggers.events?.length)],
];
/** The event functions whose checks remediate, and the sweep worker (it runs every check, remediation modes included). */
const remediatingRoles = () => [
  ...routedChecks()
    .filter(([, routed]) => routed.some((check) => check.remediation))
    .map(([id]) => id),
  roles.sweepWorker,
];

const statementsOf = (roleId: string) => roleStatements.get(roleId) ?? [];
const grantedActions = (roleId: string) => allows(statementsOf(roleId)).flatMap(actionsOf);
const resourcesFor = (roleId: string, action: string) =>
  allows(statementsOf(roleId))
    .filter((statement) => actionsOf(statement).includes(action))
    .flatMap((statement) => asList(resolvePseudo(statement.Resource)));

const WRITES_WITHOUT_RESOURCE_TYPE = [
  "ec2:EnableEbsEncryptionByDefault",
  "guardduty:CreateDetector",
  // Not a write: the Service Authorization Reference's access level is Read (the sweep's IAM user
  // collector (re)builds the credential report it then reads); it has no resource type either.
  "iam:GenerateCredentialReport",
  "iam:UpdateAccountPasswordPolicy",
  "s3:PutAccountPublicAccessBlock",
];

describe("IAM", () => {
  it("grants no wildcard action in any identity policy", () => {
    const wildcards = [...roleStatements.values()]
      .flat()
      .flatMap(actionsOf)
      .filter((action) => action.includes("*"));
    expect(wildcards).toEqual([]);
  });

  it("grants no `*` or `service:*` action in resource policies (besides the KMS key's account-root default)", () => {
    const resourcePolicies = [
      ...resourcesOfType(template, "AWS::SNS::TopicPolicy").map(([, r]) => r.Properties?.PolicyDocument),
      ...resourcesOfType(template, "AWS::SQS::QueuePolicy").map(([, r]) => r.Properties?.PolicyDocument),
      ...resourcesOfType(template, "AWS::KMS::Key").map(([, r]) => r.Properties?.KeyPolicy),
    ] as { Statement: Statement[] }[];
    const accountRoot = { AWS: "arn:aws:iam::111122223333:root" };
    const broad = allows(resourcePolicies.flatMap((policy) => policy.Statement))
      // The default key policy: the account may use IAM to manage the key (see the report).
      .filter(
        (statement) => JSON.stringify(resolvePseudo(statement.Principal)) !== JSON.stringify(accountRoot),
      )
      .flatMap(actionsOf)
      .filter((action) => action === "*" || action.endsWith(":*"));
    expect(broad).toEqual([]);
  });

  it("grants `Resource: *` to read-only actions only, and to the few writes that have no resource type", () => {
    const onStar = [...roleStatements.entries()]
      // The sweep's state machine: Step Functions' own log delivery and tracing (next test).
      .filter(([id]) => !id.startsWith("SweepStateMachineRole"))
      .flatMap(([, statements]) => allows(statements))
      .filter((statement) => asList(statement.Resource).includes("*"))
      .flatMap(actionsOf);
    expect(onStar.length).toBeGreaterThan(0);
    const writes = [...new Set(onStar.filter((action) => !isReadOnlyAction(action)))];
    // Each has no resource type in the Service Authorization Reference: it creates what isn't there
    // yet (a detector) or changes an account-and-Region setting.
    expect(writes.sort()).toEqual(WRITES_WITHOUT_RESOURCE_TYPE);
  });

  it("the sweep's state machine writes on `*` only Step Functions' log delivery and X-Ray traces (no resource types)", () => {
    const [machineRole] = [...roleStatements.keys()].filter((id) => id.startsWith("SweepStateMachineRole"));
    const writes = allows(statementsOf(machineRole ?? ""))
      .filter((statement) => asList(statement.Resource).includes("*"))
      .flatMap(actionsOf)
      .filter((action) => !isReadOnlyAction(action));
    expect(writes.sort()).toEqual([
      "logs:CreateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:PutResourcePolicy",
      "logs:UpdateLogDelivery",
      "xray:PutTelemetryRecords",
      "xray:PutTraceSegments",
    ]);
  });

  it("attaches no managed policies", () => {
    for (const [id, role] of resourcesOfType(template, "AWS::IAM::Role")) {
      expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it("lets only the remediation role revoke ingress", () => {
    const holders = [...roleStatements.keys()].filter((id) =>
      grantedActions(id).includes("ec2:RevokeSecurityGroupIngress"),
    );
    expect(holders).toEqual([roles.remediation]);
  });
});

describe("remediation role", () => {
  it("has the fixed, recognisable name the event rule ignores", () => {
    expect(REMEDIATION_ROLE_NAME_PREFIX).toBe(parseConfig({}).remediationRoleNamePrefix);
    template.hasResourceProperties("AWS::IAM::Role", { RoleName: "vigil-remediation-us-east-1" });
    expect(REMEDIATION_ROLE_ARN).toBe("arn:aws:iam::111122223333:role/vigil-remediation-us-east-1");
  });

  it("is trusted by the roles of the functions whose checks remediate, and nothing else", () => {
    const role = template.findResources("AWS::IAM::Role")[roles.remediation] as {
      Properties: { AssumeRolePolicyDocument: { Statement: Statement[] } };
    };
    const principals = role.Properties.AssumeRolePolicyDocument.Statement.map((statement) => ({
      effect: statement.Effect,
      actions: statement.Action,
      principal: statement.Principal,
    }));
    expect(principals).toEqual(
      remediatingRoles().map((id) => ({
        effect: "Allow",
        actions: "sts:AssumeRole",
        principal: { AWS: { "Fn::GetAtt": [id, "Arn"] } },
      })),
    );
  });

  it("holds exactly the remediations' actions, the revoke scoped to security groups", () => {
    const expected = [...new Set(remediations.flatMap((remediation) => remediation.iamActions))].sort();
    expect([...grantedActions(roles.remediation)].sort()).toEqual(expected);
    expect(resourcesFor(roles.remediation, "ec2:RevokeSecurityGroupIngress")).toEqual([
      "arn:aws:ec2:us-east-1:111122223333:security-group/*",
    ]);
  });

  it("holds each write action on exactly these resources and nothing else (a new write shows up here)", () => {
    const ec2 = "arn:aws:ec2:us-east-1:111122223333";
    const kms = "arn:aws:kms:us-east-1:111122223333:key/*";
    const expected: Record<string, string[]> = {
      "cloudtrail:StartLogging": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/*"],
      "cloudtrail:UpdateTrail": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/*"],
      "config:StartConfigurationRecorder": ["arn:aws:config:us-east-1:111122223333:configuration-recorder/*"],
      "ec2:DeleteNetworkAclEntry": [`${ec2}:network-acl/*`],
      "ec2:EnableEbsEncryptionByDefault": ["*"],
      // Quarantine swaps an instance's groups: the call is authorised on the instance and each group.
      "ec2:ModifyInstanceAttribute": [`${ec2}:instance/*`, `${ec2}:security-group/*`],
      "ec2:ModifyInstanceMetadataOptions": [`${ec2}:instance/*`],
      "ec2:RevokeSecurityGroupEgress": [`${ec2}:security-group/*`],
      "ec2:RevokeSecurityGroupIngress": [`${ec2}:security-group/*`],
      "ecr:PutImageScanningConfiguration": ["arn:aws:ecr:us-east-1:111122223333:repository/*"],
      "ecs:RegisterTaskDefinition": ["arn:aws:ecs:us-east-1:111122223333:task-definition/*"],
      "ecs:TagResource": ["arn:aws:ecs:us-east-1:111122223333:task-definition/*"],
      "eks:UpdateClusterConfig": ["arn:aws:eks:us-east-1:111122223333:cluster/*"],
      "guardduty:CreateDetector": ["*"],
      "guardduty:UpdateDetector": ["arn:aws:guardduty:us-east-1:111122223333:detector/*"],
      "iam:DeleteGroupPolicy": ["arn:aws:iam::111122223333:group/*"],
      "iam:DeleteRolePolicy": ["arn:aws:iam::111122223333:role/*"],
      "iam:DeleteUserPolicy": ["arn:aws:iam::111122223333:user/*"],
      "iam:DetachGroupPolicy": ["arn:aws:iam::111122223333:group/*"],
      "iam:DetachRolePolicy": ["arn:aws:iam::111122223333:role/*"],
      "iam:DetachUserPolicy": ["arn:aws:iam::111122223333:user/*"],
      "iam:PassRole": ["arn:aws:iam::111122223333:role/*"],
      "iam:SetDefaultPolicyVersion": ["arn:aws:iam::111122223333:policy/*"],
      "iam:UpdateAccessKey": ["arn:aws:iam::111122223333:user/*"],
      "iam:UpdateAccountPasswordPolicy": ["*"],
      "kms:CancelKeyDeletion": [kms],
      "kms:EnableKey": [kms],
      "kms:EnableKeyRotation": [kms],
      "s3:PutAccountPublicAccessBlock": ["*"],
      "s3:PutBucketPolicy": ["arn:aws:s3:::*"],
      "s3:PutBucketPublicAccessBlock": ["arn:aws:s3:::*"],
      "s3:PutEncryptionConfiguration": ["arn:aws:s3:::*"],
    };
    const writes = [...new Set(grantedActions(roles.remediation).filter((a) => !isReadOnlyAction(a)))].sort();
    expect(
      Object.fromEntries(writes.map((action) => [action, resourcesFor(roles.remediation, action)])),
    ).toEqual(expected);
  });
});

describe("sweep worker role", () => {
  it("reads exactly what the collectors and the checks read (the collectors' list, then the refresh and tag reads), on *", () => {
    const expected = [
      ...new Set([
        ...collectors.flatMap((c) => c.iamActions),
        ...checks.flatMap((check) => check.iamActions),
      ]),
    ].sort();
    expect(expected.length).toBeGreaterThan(0);
    const onStar = allows(statementsOf(roles.sweepWorker))
      .filter((statement) => asList(statement.Resource).includes("*"))
      .flatMap(actionsOf)
      .sort();
    expect(onStar).toEqual(expected);
  });

  it("besides: the table, the topic, the secret, the remediation role, its dead-letter queue and logs; nothing else", () => {
    const reads = new Set([
      ...collectors.flatMap((c) => c.iamActions),
      ...checks.flatMap((check) => check.iamActions),
    ]);
    const others = [
      ...new Set(grantedActions(roles.sweepWorker).filter((action) => !reads.has(action))),
    ].sort();
    expect(others).toEqual([
      "dynamodb:BatchGetItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "kms:Decrypt",
      "kms:GenerateDataKey",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "secretsmanager:GetSecretValue",
      "sns:Publish",
      // Async dead-letter queue (unused: the state machine invokes it synchronously; part of every Vigil function).
      "sqs:SendMessage",
      "sts:AssumeRole",
    ]);
    // No queue to consume any more: Step Functions hands it one unit per invocation.
    expect(resourcesFor(roles.sweepWorker, "sqs:ReceiveMessage")).toEqual([]);
  });
});

describe("function roles", () => {
  it("are assumable by Lambda only", () => {
    for (const id of functionRoles()) {
      const role = template.findResources("AWS::IAM::Role")[id] as {
        Properties: { AssumeRolePolicyDocument: { Statement: Statement[] } };
      };
      expect(
        role.Properties.AssumeRolePolicyDocument.Statement.map((statement) => statement.Principal),
      ).toEqual([{ Service: "lambda.amazonaws.com" }]);
    }
  });

  it("read exactly what the checks routed to them need; Config history only where a check reads the past", () => {
    for (const [id, routed] of routedChecks()) {
      const needed = new Set(routed.flatMap((check) => check.iamActions));
      for (const action of needed) expect(resourcesFor(id, action), `${id} ${action}`).toEqual(["*"]);
      const reads = grantedActions(id).filter((action) => /:(Describe|Get|List)/.test(action));
      const others = reads.filter(
        (action) =>
          !needed.has(action) &&
          action !== "secretsmanager:GetSecretValue" &&
          !action.startsWith("dynamodb:") &&
          !(id === roles.config && action === "config:GetResourceConfigHistory"),
      );
      expect(others, id).toEqual([]);
    }
    expect(resourcesFor(roles.config, "config:GetResourceConfigHistory")).toEqual(["*"]);
    for (const [id, routed] of routedChecks()) {
      const readsPast = routed.some((check) => check.iamActions.includes("config:GetResourceConfigHistory"));
      if (id !== roles.config)
        expect(grantedActions(id).includes("config:GetResourceConfigHistory"), id).toBe(readsPast);
    }
  });

  it("may assume the remediation role only where their checks remediate, and no other role", () => {
    for (const id of functionRoles()) {
      const expected = remediatingRoles().includes(id) ? [{ "Fn::GetAtt": [roles.remediation, "Arn"] }] : [];
      expect(resourcesFor(id, "sts:AssumeRole"), id).toEqual(expected);
    }
  });

  it("reach the table and its status index, the topic (and its key), the secret and their logs only", () => {
    for (const id of functionRoles()) {
      const [table, index] = resourcesFor(id, "dynamodb:PutItem") as [
        { "Fn::GetAtt": [string, string] },
        unknown,
      ];
      expect(table["Fn::GetAtt"][0]).toMatch(/^Findings/);
      expect(index).toEqual({ "Fn::Join": ["", [table, "/index/byStatus"]] });
      expect(resourcesFor(id, "sns:Publish")).toEqual([{ Ref: expect.stringMatching(/^AlertsTopic/) }]);
      expect(resourcesFor(id, "kms:GenerateDataKey")).toEqual([
        { "Fn::GetAtt": [expect.stringMatching(/^AlertsKey/), "Arn"] },
      ]);
      expect(resourcesFor(id, "secretsmanager:GetSecretValue")).toEqual([{ Ref: "SlackWebhook" }]);
      expect(resourcesFor(id, "logs:PutLogEvents")).toEqual([
        { "Fn::GetAtt": [expect.stringMatching(/Logs/), "Arn"] },
      ]);
    }
  });
});
