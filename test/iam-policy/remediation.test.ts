import { ConfigServiceClient, GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import { policyViolations } from "../../shared/checks/iam-policy/judge";
import type { RemediationClients } from "../../shared/remediations/define";
import revert from "../../shared/remediations/revert-policy-default-version";
import type { IamPolicyState } from "../../shared/resources/iam-policy/state";
import {
  ADMIN_STATEMENT,
  POLICY_ARN,
  POLICY_ID,
  READ_STATEMENT,
  awsError,
  encoded,
  policyState,
} from "./support";

const iamMock = mockClient(IAMClient);
const configMock = mockClient(ConfigServiceClient);
const clients = {
  iam: () => new IAMClient({ region: "us-east-1" }),
  configService: () => new ConfigServiceClient({ region: "us-east-1" }),
} as unknown as RemediationClients;
afterEach(() => {
  iamMock.reset();
  configMock.reset();
});

const SET_DEFAULT_AT = "2025-03-15T09:02:44Z";
/** reporting-ops after SetDefaultPolicyVersion v3 (an admin document); v1 and v2 remain. */
const setDefaultState = (extra: Partial<IamPolicyState> = {}) =>
  policyState([ADMIN_STATEMENT], {
    defaultVersionId: "v3",
    change: { source: "SetDefaultPolicyVersion", versionId: "v3", at: SET_DEFAULT_AT },
    ...extra,
  });
const violationsOf = (state: IamPolicyState): Violation[] => policyViolations("IAM.1", state);
const apply = (state: IamPolicyState, dryRun = false) =>
  revert.apply({ state, violations: violationsOf(state), dryRun }, clients);

function live(defaultVersionId: string, versions: string[]) {
  iamMock
    .on(GetPolicyCommand)
    .resolves({ Policy: { PolicyId: POLICY_ID, DefaultVersionId: defaultVersionId } });
  iamMock.on(ListPolicyVersionsCommand).resolves({ Versions: versions.map((VersionId) => ({ VersionId })) });
  iamMock.on(SetDefaultPolicyVersionCommand).resolves({});
}
const version = (versionId: string, ...statements: object[]) =>
  iamMock
    .on(GetPolicyVersionCommand, { PolicyArn: POLICY_ARN, VersionId: versionId })
    .resolves({ PolicyVersion: { VersionId: versionId, Document: encoded(...statements) } });

/** A Config history item as the SDK returns it (configuration as JSON text, URL-encoded documents). */
function recorded(defaultVersionId: string, versions: string[], capturedAt = "2025-03-15T08:58:12.771Z") {
  configMock.on(GetResourceConfigHistoryCommand).resolves({
    configurationItems: [
      {
        configurationItemStatus: "OK",
        configurationItemCaptureTime: new Date(capturedAt),
        resourceType: "AWS::IAM::Policy",
        resourceId: POLICY_ID,
        configuration: JSON.stringify({
          policyName: "reporting-ops",
          arn: POLICY_ARN,
          defaultVersionId,
          policyVersionList: versions.map((versionId) => ({
            versionId,
            isDefaultVersion: versionId === defaultVersionId,
            document: encoded(READ_STATEMENT),
          })),
        }),
      },
    ],
  });
}

describe("revert-policy-default-version: apply", () => {
  it("is disruptive, asks only for what it calls, and scopes its write to policies", () => {
    expect(revert).toMatchObject({
      disruptive: true,
      iamActions: [
        "iam:GetPolicy",
        "iam:ListPolicyVersions",
        "iam:GetPolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "config:GetResourceConfigHistory",
      ],
      undoIamActions: ["iam:ListPolicyTags", "iam:TagPolicy", "iam:SetDefaultPolicyVersion"],
    });
  });

  it("dry-run calls nothing and says what it would do", async () => {
    expect(await apply(policyState([ADMIN_STATEMENT]), true)).toEqual({
      result: "planned",
      action: `set the default version of ${POLICY_ARN} from v2 back to v1; v2 would be kept`,
      awsCalls: 0,
    });
    expect((await apply(setDefaultState(), true)).action).toBe(
      `set the default version of ${POLICY_ARN} from v3 back to the version that was default before it (from AWS Config's history, checked when applied); v3 would be kept`,
    );
    expect(iamMock.calls()).toHaveLength(0);
    expect(configMock.calls()).toHaveLength(0);
  });

  it("SetDefaultPolicyVersion: the previous default comes from Config's last record before the call", async () => {
    live("v3", ["v3", "v2", "v1"]);
    recorded("v1", ["v1", "v2", "v3"]);
    version("v1", READ_STATEMENT);
    const outcome = await apply(setDefaultState());
    expect(outcome).toEqual({
      result: "succeeded",
      action: `${POLICY_ARN}: default version set back from v3 to v1; v3 is kept`,
      detail:
        "v1 was the default in AWS Config's last record before the change (2025-03-15T08:58:12.771Z); undo makes v3 the default again",
      undo: {
        remediationId: "revert-policy-default-version",
        params: { policyArn: POLICY_ARN, versionId: "v3", revertedTo: "v1" },
      },
      awsCalls: 5,
    });
    expect(configMock.commandCalls(GetResourceConfigHistoryCommand)[0]?.args[0].input).toEqual({
      resourceType: "AWS::IAM::Policy",
      resourceId: POLICY_ID,
      laterTime: new Date(Date.parse(SET_DEFAULT_AT) - 1),
      limit: 1,
    });
    expect(iamMock.commandCalls(SetDefaultPolicyVersionCommand)[0]?.args[0].input).toEqual({
      PolicyArn: POLICY_ARN,
      VersionId: "v1",
    });
  });

  const skips: [string, () => void, IamPolicyState, RegExp][] = [
    [
      "CreatePolicy (v1 only): nothing to revert",
      () => {},
      policyState([ADMIN_STATEMENT], {
        defaultVersionId: "v1",
        change: { source: "CreatePolicy", versionId: "v1", at: SET_DEFAULT_AT },
      }),
      /nothing to revert .* created with this document/,
    ],
    [
      "the default changed since the call",
      () => live("v2", ["v3", "v2", "v1"]),
      setDefaultState(),
      /default of .* is now v2, not v3: changed since/,
    ],
    [
      "Config does not record IAM policies",
      () => {
        live("v3", ["v3", "v2", "v1"]);
        configMock.on(GetResourceConfigHistoryCommand).rejects(awsError("ResourceNotDiscoveredException"));
      },
      setDefaultState(),
      /AWS Config has not recorded this policy/,
    ],
    [
      "Config has nothing from before the call",
      () => {
        live("v3", ["v3", "v2", "v1"]);
        configMock.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
      },
      setDefaultState(),
      /no record of the policy from before 2025-03-15T09:02:44Z/,
    ],
    [
      "the risky version was already the default in Config's record",
      () => {
        live("v3", ["v3", "v2", "v1"]);
        recorded("v3", ["v1", "v2", "v3"]);
      },
      setDefaultState(),
      /v3 was already the default/,
    ],
    [
      "the previous default was deleted since",
      () => {
        live("v3", ["v3", "v2"]);
        recorded("v1", ["v1", "v2", "v3"]);
      },
      setDefaultState(),
      /v1, the default in .*, has been deleted since/,
    ],
    [
      "versions changed after Config's record (a change Config may have missed)",
      () => {
        live("v3", ["v3", "v2", "v1"]);
        recorded("v1", ["v1", "v3"]);
      },
      setDefaultState(),
      /versions changed after .* can't be known exactly/,
    ],
    [
      "the previous default is just as risky",
      () => {
        live("v3", ["v3", "v2", "v1"]);
        recorded("v1", ["v1", "v2", "v3"]);
        version("v1", ADMIN_STATEMENT);
      },
      setDefaultState(),
      /v1 \(the previous default\) fails IAM.1 too/,
    ],
    [
      "CreatePolicyVersion of v4: not obviously v3's successor, and Config is needed",
      () => {
        live("v4", ["v4", "v3"]);
        configMock.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
      },
      policyState([ADMIN_STATEMENT], {
        defaultVersionId: "v4",
        change: { source: "CreatePolicyVersion", versionId: "v4", at: SET_DEFAULT_AT },
      }),
      /no record of the policy/,
    ],
  ];
  it.each(skips)("skipped with the reason: %s", async (_name, arrange, state, reason) => {
    arrange();
    const outcome = await apply(state);
    expect(outcome.result).toBe("skipped");
    expect(outcome.action).toMatch(reason);
    expect(outcome.undo).toBeUndefined();
    expect(iamMock.commandCalls(SetDefaultPolicyVersionCommand)).toHaveLength(0);
  });

  it("a policy deleted since is already gone", async () => {
    iamMock.on(GetPolicyCommand).rejects(awsError("NoSuchEntityException"));
    expect(await apply(setDefaultState())).toMatchObject({ result: "already-gone", awsCalls: 1 });
  });

  it("throttling on Config's history is thrown (the event is retried), not taken for 'unknown'", async () => {
    live("v3", ["v3", "v2", "v1"]);
    configMock
      .on(GetResourceConfigHistoryCommand)
      .rejects(awsError("ThrottlingException", { $retryable: {} }));
    await expect(apply(setDefaultState())).rejects.toThrow("ThrottlingException");
  });
});

describe("revert-policy-default-version: undo", () => {
  const payload = {
    remediationId: "revert-policy-default-version",
    params: {
      policyArn: POLICY_ARN,
      versionId: "v2",
      revertedTo: "v1",
      exemptChecks: ["IAM.1", "KMS.1"],
      exemptionTagKey: "vigil:exempt",
    },
  };

  it("tags the policy exempt first (keeping other exemptions), then makes the risky version default again", async () => {
    iamMock.on(ListPolicyTagsCommand).resolves({ Tags: [{ Key: "vigil:exempt", Value: "IAM.21" }] });
    iamMock.on(TagPolicyCommand).resolves({});
    iamMock.on(SetDefaultPolicyVersionCommand).resolves({});
    const message = await revert.undo(payload, clients);
    expect(iamMock.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListPolicyTagsCommand",
      "TagPolicyCommand",
      "SetDefaultPolicyVersionCommand",
    ]);
    expect(iamMock.commandCalls(TagPolicyCommand)[0]?.args[0].input).toEqual({
      PolicyArn: POLICY_ARN,
      Tags: [
        { Key: "vigil:exempt", Value: "IAM.21 IAM.1 KMS.1" },
        { Key: "vigil:exempt-reason", Value: "restored with vigil undo" },
      ],
    });
    expect(iamMock.commandCalls(SetDefaultPolicyVersionCommand)[0]?.args[0].input).toEqual({
      PolicyArn: POLICY_ARN,
      VersionId: "v2",
    });
    expect(message).toBe(
      `${POLICY_ARN}: default version set back to v2 (Vigil had reverted to v1); policy tagged vigil:exempt=IAM.21 IAM.1 KMS.1`,
    );
  });

  it("a version deleted since can't be made default again: says so", async () => {
    iamMock.on(ListPolicyTagsCommand).resolves({ Tags: [] });
    iamMock.on(TagPolicyCommand).resolves({});
    iamMock.on(SetDefaultPolicyVersionCommand).rejects(awsError("NoSuchEntityException"));
    await expect(revert.undo(payload, clients)).rejects.toThrow(/version v2 no longer exists/);
  });
});
