import {
  EKSClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateClusterConfigCommand,
} from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { remediationGrants } from "../../infra/permissions";
import { isTransient } from "../../shared/pipeline/remediate";
import type { RemediationClients } from "../../shared/remediations/define";
import remediation from "../../shared/remediations/enable-eks-audit-logging";
import type { EksClusterState } from "../../shared/resources/eks-cluster/state";
import { ACCOUNT, CLUSTER, CLUSTER_ARN, REGION, awsError, baseState } from "./support";

const state: EksClusterState = { ...baseState, logTypes: { audit: false } };
const auditOff = {
  summary: "audit off",
  evidence: { clusterName: CLUSTER, setting: "logging", logType: "audit", enabled: false },
};

function client(region = REGION) {
  const eks = new EKSClient({ region });
  return { eks, stub: mockClient(eks), clients: { eks: () => eks } as unknown as RemediationClients };
}
let current = client();
afterEach(() => {
  current.stub.reset();
  current = client();
});

const accepted = {
  update: {
    id: "8a1f0c7e-5d2b-4e6a-9c3f-1b7d2e4a6c8f",
    status: "InProgress" as const,
    type: "LoggingUpdate" as const,
  },
};

describe("enable-eks-audit-logging", () => {
  it("metadata: one write on the cluster, undo with the operator's credentials, not disruptive", () => {
    expect(remediation).toMatchObject({
      resourceType: "AWS::EKS::Cluster",
      iamActions: ["eks:UpdateClusterConfig"],
      undoIamActions: ["eks:ListTagsForResource", "eks:TagResource", "eks:UpdateClusterConfig"],
      disruptive: false,
    });
    expect(remediationGrants([remediation], { partition: "aws", region: REGION, account: ACCOUNT })).toEqual([
      { actions: ["eks:UpdateClusterConfig"], resources: [`arn:aws:eks:${REGION}:${ACCOUNT}:cluster/*`] },
    ]);
  });

  it("dry-run: plans exactly the audit type, calls nothing", async () => {
    const outcome = await remediation.apply({ state, violations: [auditOff], dryRun: true }, current.clients);
    expect(outcome).toEqual({
      result: "planned",
      action: `UpdateClusterConfig ${CLUSTER} logging.clusterLogging=[{types:["audit"],enabled:true}] (other log types unchanged)`,
      awsCalls: 0,
    });
    expect(current.stub.calls()).toEqual([]);
  });

  it("auto: turns audit on, naming no other log type, and keeps what undo needs", async () => {
    current.stub.on(UpdateClusterConfigCommand).resolves(accepted);
    const outcome = await remediation.apply(
      { state, violations: [auditOff], dryRun: false },
      current.clients,
    );
    expect(current.stub.commandCalls(UpdateClusterConfigCommand).map((c) => c.args[0].input)).toEqual([
      { name: CLUSTER, logging: { clusterLogging: [{ types: ["audit"], enabled: true }] } },
    ]);
    expect(outcome).toEqual({
      result: "succeeded",
      action: `${CLUSTER}: audit logging turned on (EKS update ${accepted.update.id}, InProgress); other log types unchanged`,
      undo: {
        remediationId: "enable-eks-audit-logging",
        params: { clusterName: CLUSTER, clusterArn: CLUSTER_ARN, region: REGION },
      },
      awsCalls: 1,
    });
  });

  it("EKS saying there is nothing to change means audit is already on", async () => {
    current.stub
      .on(UpdateClusterConfigCommand)
      .rejects(awsError("InvalidParameterException", "No changes needed for the logging config provided"));
    const outcome = await remediation.apply(
      { state, violations: [auditOff], dryRun: false },
      current.clients,
    );
    expect(outcome).toMatchObject({
      result: "already-gone",
      action: `audit logging is already on for ${CLUSTER}`,
    });
  });

  it("a cluster that is gone: nothing to do", async () => {
    current.stub.on(UpdateClusterConfigCommand).rejects(awsError("ResourceNotFoundException"));
    const outcome = await remediation.apply(
      { state, violations: [auditOff], dryRun: false },
      current.clients,
    );
    expect(outcome).toMatchObject({ result: "already-gone" });
  });

  it("an update in progress (often the one that turned audit off) fails as retryable", async () => {
    current.stub
      .on(UpdateClusterConfigCommand)
      .rejects(awsError("ResourceInUseException", "Update already in progress"));
    const error = await remediation
      .apply({ state, violations: [auditOff], dryRun: false }, current.clients)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/update in progress/);
    expect(isTransient(error)).toBe(true);
  });

  it("other refusals fail as they are (not retryable)", async () => {
    current.stub.on(UpdateClusterConfigCommand).rejects(awsError("AccessDeniedException"));
    const error = await remediation
      .apply({ state, violations: [auditOff], dryRun: false }, current.clients)
      .catch((e: unknown) => e);
    expect(isTransient(error)).toBe(false);
  });

  it("an update EKS marks Failed is reported as failed", async () => {
    current.stub
      .on(UpdateClusterConfigCommand)
      .resolves({ update: { ...accepted.update, status: "Failed" } });
    const outcome = await remediation.apply(
      { state, violations: [auditOff], dryRun: false },
      current.clients,
    );
    expect(outcome).toMatchObject({ result: "failed" });
  });

  it("never acts on a cluster of the same name in another Region", async () => {
    current = client("eu-west-1");
    const outcome = await remediation.apply(
      { state, violations: [auditOff], dryRun: false },
      current.clients,
    );
    expect(outcome).toMatchObject({
      result: "skipped",
      action: expect.stringMatching(/is in us-east-1.*eu-west-1/),
    });
    expect(current.stub.calls()).toEqual([]);
  });

  it("does nothing without an audit-logging violation", async () => {
    const other = { summary: "x", evidence: { setting: "version" } };
    const outcome = await remediation.apply({ state, violations: [other], dryRun: false }, current.clients);
    expect(outcome.result).toBe("skipped");
    expect(current.stub.calls()).toEqual([]);
  });

  it("undo: tags the cluster exempt first (keeping other exemptions), then turns only audit off", async () => {
    current.stub
      .on(ListTagsForResourceCommand)
      .resolves({ tags: { "vigil:exempt": "EKS.1", team: "payments" } });
    current.stub.on(TagResourceCommand).resolves({});
    current.stub.on(UpdateClusterConfigCommand).resolves(accepted);
    const message = await remediation.undo(
      {
        remediationId: "enable-eks-audit-logging",
        params: {
          clusterName: CLUSTER,
          clusterArn: CLUSTER_ARN,
          region: REGION,
          exemptChecks: ["EKS.8"],
          exemptionTagKey: "vigil:exempt",
        },
      },
      current.clients,
    );
    expect(current.stub.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListTagsForResourceCommand",
      "TagResourceCommand",
      "UpdateClusterConfigCommand",
    ]);
    expect(current.stub.commandCalls(TagResourceCommand)[0]?.args[0].input).toEqual({
      resourceArn: CLUSTER_ARN,
      tags: { "vigil:exempt": "EKS.1 EKS.8", "vigil:exempt-reason": "restored with vigil undo" },
    });
    expect(current.stub.commandCalls(UpdateClusterConfigCommand)[0]?.args[0].input).toEqual({
      name: CLUSTER,
      logging: { clusterLogging: [{ types: ["audit"], enabled: false }] },
    });
    expect(message).toBe(
      `restored on ${CLUSTER}: audit logging off; ${CLUSTER} tagged vigil:exempt=EKS.1 EKS.8`,
    );
  });

  it("undo of a cluster that is gone says so", async () => {
    current.stub.on(UpdateClusterConfigCommand).rejects(awsError("ResourceNotFoundException"));
    await expect(
      remediation.undo(
        {
          remediationId: "enable-eks-audit-logging",
          params: { clusterName: CLUSTER, clusterArn: CLUSTER_ARN, region: REGION },
        },
        current.clients,
      ),
    ).rejects.toThrow(/no longer exists/);
  });
});
