import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListPolicyTagsCommand,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configChangeDetailSchema } from "../../shared/events/config-item";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/iam-policy/adapter";
import { parsePolicyArn } from "../../shared/resources/iam-policy/ref";
import {
  ACCOUNT,
  ADMIN_STATEMENT,
  BREAK_GLASS_ARN,
  POLICY_ARN,
  POLICY_ID,
  READ_STATEMENT,
  awsError,
  doc,
  encoded,
  policyEvent,
} from "./support";

const iamMock = mockClient(IAMClient);
const clients = { iam: () => new IAMClient({ region: "us-east-1" }) } as unknown as ReadClients;
afterEach(() => iamMock.reset());

function fromTrail(name: string, edit?: (detail: Record<string, unknown>) => void) {
  const event = policyEvent(name);
  edit?.(event.detail);
  return adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
}

function configItem(name: string) {
  const detail = configChangeDetailSchema.parse(policyEvent(name).detail);
  if (detail.messageType !== "ConfigurationItemChangeNotification")
    throw new Error("not a change notification");
  return detail.configurationItem;
}

describe("policy ARNs", () => {
  it("reads paths, partitions and AWS managed policies; rejects other ARNs", () => {
    expect(parsePolicyArn(BREAK_GLASS_ARN)).toEqual({
      arn: BREAK_GLASS_ARN,
      partition: "aws",
      account: ACCOUNT,
      name: "ops-break-glass",
      awsManaged: false,
    });
    expect(parsePolicyArn("arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess")).toMatchObject({
      partition: "aws-us-gov",
      name: "ViewOnlyAccess",
      awsManaged: true,
    });
    expect(parsePolicyArn("arn:aws:iam::111122223333:role/reporting")).toBeUndefined();
  });
});

describe("IAM policy adapter: CloudTrail", () => {
  it("CreatePolicy: the request's JSON text is the whole v1, keyed by the answer's ARN (path included), global", () => {
    const [observation] = fromTrail("CreatePolicy-admin");
    expect(observation).toMatchObject({
      resource: {
        type: "AWS::IAM::Policy",
        id: BREAK_GLASS_ARN,
        arn: BREAK_GLASS_ARN,
        account: ACCOUNT,
        region: "global",
        name: "ops-break-glass",
      },
      complete: true,
      tagsKnown: false,
      observedAt: "2025-03-15T08:40:12Z",
      state: {
        policyArn: BREAK_GLASS_ARN,
        policyId: "ANPAXMPLQ2W7N6ZB3YT4K",
        defaultVersionId: "v1",
        attachmentCount: 0,
        permissionsBoundaryUsageCount: 0,
        documentSource: "CreatePolicy request",
        change: { source: "CreatePolicy", versionId: "v1", at: "2025-03-15T08:40:12Z" },
      },
    });
    expect(observation?.needsRefresh).toBeUndefined();
    expect(observation?.state?.document).toEqual(doc(ADMIN_STATEMENT));
  });

  it("CreatePolicy without an answer: the ARN is built from the request's path and name", () => {
    const [observation] = fromTrail("CreatePolicy-admin", (d) => {
      d.responseElements = null;
    });
    expect(observation?.resource.id).toBe(BREAK_GLASS_ARN);
  });

  it("CreatePolicy with an unreadable document asks for a live read instead of guessing", () => {
    const [observation] = fromTrail("CreatePolicy-admin", (d) => {
      (d.requestParameters as Record<string, unknown>).policyDocument = "{not json";
    });
    expect(observation?.needsRefresh).toBe(true);
    expect(observation?.state?.documentProblem).toBe(
      "CreatePolicy policyDocument: the policy text is not valid JSON",
    );
    expect(observation?.state?.document).toBeUndefined();
  });

  it("CreatePolicyVersion with setAsDefault: the new version, to be confirmed live", () => {
    const [observation] = fromTrail("CreatePolicyVersion-admin-default");
    expect(observation).toMatchObject({
      resource: { id: POLICY_ARN, region: "global" },
      needsRefresh: true,
      state: {
        defaultVersionId: "v2",
        change: { source: "CreatePolicyVersion", versionId: "v2", at: "2025-03-15T08:51:37Z" },
      },
    });
    expect(observation?.state?.document).toEqual(doc(ADMIN_STATEMENT));
  });

  it("not applicable: CreatePolicyVersion without setAsDefault changes nothing the policy grants", () => {
    expect(fromTrail("CreatePolicyVersion-admin-not-default")).toEqual([]);
    expect(
      fromTrail("CreatePolicyVersion-admin-default", (d) => {
        (d.requestParameters as Record<string, unknown>).setAsDefault = false;
      }),
    ).toEqual([]);
  });

  it("SetDefaultPolicyVersion names only the version: the document is read by the refresh", () => {
    const [observation] = fromTrail("SetDefaultPolicyVersion");
    expect(observation).toMatchObject({
      needsRefresh: true,
      state: {
        defaultVersionId: "v3",
        documentProblem: "v3's document is not in the event and was not read",
        change: { source: "SetDefaultPolicyVersion", versionId: "v3" },
      },
    });
  });

  it("DeletePolicy: the policy is gone (resolves its findings)", () => {
    expect(fromTrail("DeletePolicy")).toEqual([
      {
        resource: expect.objectContaining({ id: POLICY_ARN }),
        state: undefined,
        complete: true,
        observedAt: "2025-03-15T09:30:05Z",
        tagsKnown: false,
      },
    ]);
  });

  it("not applicable: calls on AWS managed policies", () => {
    const managed = "arn:aws:iam::aws:policy/AdministratorAccess";
    expect(
      fromTrail("SetDefaultPolicyVersion", (d) => {
        (d.requestParameters as Record<string, unknown>).policyArn = managed;
      }),
    ).toEqual([]);
  });

  it("bad input: missing fields or a non-policy ARN are unusable", () => {
    expect(() =>
      fromTrail("SetDefaultPolicyVersion", (d) => {
        d.requestParameters = { policyArn: POLICY_ARN };
      }),
    ).toThrow(UnusableEventError);
    expect(() =>
      fromTrail("DeletePolicy", (d) => {
        d.requestParameters = { policyArn: "arn:aws:iam::111122223333:role/x" };
      }),
    ).toThrow(/not a managed policy ARN/);
  });
});

describe("IAM policy adapter: Config items", () => {
  it("the default version's URL-encoded document, the usage counts, keyed by ARN like CloudTrail", () => {
    const observation = adapter.fromConfigItem(configItem("Config-policy-admin-version"));
    expect(observation).toMatchObject({
      resource: { id: POLICY_ARN, region: "global", account: ACCOUNT, name: "reporting-ops" },
      complete: true,
      tagsKnown: false,
      observedAt: "2025-03-15T08:58:12.771Z",
      state: {
        policyId: POLICY_ID,
        defaultVersionId: "v2",
        attachmentCount: 1,
        permissionsBoundaryUsageCount: 0,
        documentSource: "AWS Config item of 2025-03-15T08:58:12.771Z",
        change: { source: "ConfigItem", versionId: "v2", at: "2025-03-15T08:58:12.771Z" },
      },
    });
    expect(observation.state?.document?.statements).toMatchObject([
      { effect: "Allow", action: { not: false, values: ["*"] }, resource: { not: false, values: ["*"] } },
    ]);
  });

  it("an AWS managed policy's item is marked as such", () => {
    expect(adapter.fromConfigItem(configItem("Config-aws-managed-policy")).state?.awsManaged).toBe(true);
  });

  it("a deleted item is the policy gone; an item without configuration is unusable", () => {
    const item = configItem("Config-policy-admin-version");
    expect(
      adapter.fromConfigItem({ ...item, configurationItemStatus: "ResourceDeleted", configuration: null }),
    ).toMatchObject({
      resource: { id: POLICY_ARN },
      state: undefined,
    });
    expect(() => adapter.fromConfigItem({ ...item, configuration: {} })).toThrow(UnusableEventError);
  });
});

describe("IAM policy adapter: refresh and tags", () => {
  it("keeps the event's document when the version is still the default; adds the usage counts", async () => {
    iamMock.on(GetPolicyCommand).resolves({
      Policy: {
        PolicyId: POLICY_ID,
        DefaultVersionId: "v2",
        AttachmentCount: 0,
        PermissionsBoundaryUsageCount: 3,
      },
    });
    const [observation] = fromTrail("CreatePolicyVersion-admin-default");
    const refreshed = await adapter.refresh!(observation!, clients);
    expect(refreshed.needsRefresh).toBe(false);
    expect(refreshed.state).toMatchObject({
      policyId: POLICY_ID,
      attachmentCount: 0,
      permissionsBoundaryUsageCount: 3,
      documentSource: "CreatePolicyVersion request",
    });
    expect(iamMock.commandCalls(GetPolicyVersionCommand)).toHaveLength(0);
  });

  it("reads the live default's document (URL-encoded) when the event has none or is out of date", async () => {
    iamMock.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: "v4", AttachmentCount: 2 } });
    iamMock.on(GetPolicyVersionCommand, { PolicyArn: POLICY_ARN, VersionId: "v4" }).resolves({
      PolicyVersion: { VersionId: "v4", IsDefaultVersion: true, Document: encoded(READ_STATEMENT) },
    });
    const [observation] = fromTrail("SetDefaultPolicyVersion");
    const refreshed = await adapter.refresh!(observation!, clients);
    expect(refreshed.state).toMatchObject({
      defaultVersionId: "v4",
      documentSource: "GetPolicyVersion v4",
      change: { versionId: "v3" },
    });
    expect(refreshed.state?.documentProblem).toBeUndefined();
    expect(refreshed.state?.document).toEqual(doc(READ_STATEMENT));
  });

  it("a policy deleted since the call leaves nothing to judge", async () => {
    iamMock.on(GetPolicyCommand).rejects(awsError("NoSuchEntityException"));
    const [observation] = fromTrail("SetDefaultPolicyVersion");
    expect((await adapter.refresh!(observation!, clients)).state).toBeUndefined();
  });

  it("throttling is not taken for a deleted policy", async () => {
    iamMock.on(GetPolicyCommand).rejects(awsError("Throttling"));
    const [observation] = fromTrail("SetDefaultPolicyVersion");
    await expect(adapter.refresh!(observation!, clients)).rejects.toThrow("Throttling");
  });

  it("readTags: ListPolicyTags by ARN; a deleted policy has none", async () => {
    iamMock.on(ListPolicyTagsCommand).resolves({ Tags: [{ Key: "vigil:exempt", Value: "IAM.1" }] });
    const [observation] = fromTrail("CreatePolicyVersion-admin-default");
    expect(await adapter.readTags(observation!, clients)).toEqual({ "vigil:exempt": "IAM.1" });
    expect(iamMock.commandCalls(ListPolicyTagsCommand)[0]?.args[0].input).toEqual({ PolicyArn: POLICY_ARN });
    iamMock.on(ListPolicyTagsCommand).rejects(awsError("NoSuchEntityException"));
    expect(await adapter.readTags(observation!, clients)).toEqual({});
  });
});
