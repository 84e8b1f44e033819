import {
  CreateClusterCommand,
  EKSClient,
  ListTagsForResourceCommand,
  UpdateClusterConfigCommand,
} from "@aws-sdk/client-eks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "../support/cli-harness";
import type { EksDouble } from "../support/local-aws/eks";

/**
 * `vigil replay` in a child process against the local endpoint's EKS: a cluster is created and its
 * audit logging turned off through the SDK the way a user would, then that CloudTrail event is replayed.
 */

const TIMEOUT = 60_000;

interface ClusterEvent {
  detail: { requestParameters: Record<string, unknown> };
}

describe("EKS audit logging through the CLI against the local endpoint", () => {
  let h: CliHarness;
  let eks: EKSClient;
  let double: EksDouble;

  beforeAll(async () => {
    h = await startCliHarness();
    eks = new EKSClient(h.clientConfig);
    double = h.aws.double<EksDouble>("eks");
  }, TIMEOUT);
  afterAll(async () => {
    eks.destroy();
    await h.close();
  });

  /** A cluster logging api, audit and authenticator, whose audit logging is then turned off. */
  async function clusterWithAuditTurnedOff(name: string): Promise<string> {
    await eks.send(
      new CreateClusterCommand({
        name,
        roleArn: "arn:aws:iam::111122223333:role/eks-cluster-role",
        resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
        logging: { clusterLogging: [{ types: ["api", "audit", "authenticator"], enabled: true }] },
      }),
    );
    await eks.send(
      new UpdateClusterConfigCommand({
        name,
        logging: { clusterLogging: [{ types: ["audit"], enabled: false }] },
      }),
    );
    expect([...(double.cluster(name)?.logging ?? [])].sort()).toEqual(["api", "authenticator"]);
    return h.writeEvent<ClusterEvent>("eks/UpdateClusterConfig-disable-audit-logging.json", (event) => {
      event.detail.requestParameters = { ...event.detail.requestParameters, name };
    });
  }

  it(
    "--mode auto turns exactly audit back on (other types untouched); undo turns it off and tags the cluster exempt",
    async () => {
      const file = await clusterWithAuditTurnedOff("orders-prod");
      const bystander = "orders-staging";
      await eks.send(
        new CreateClusterCommand({
          name: bystander,
          roleArn: "arn:aws:iam::111122223333:role/eks-cluster-role",
          resourcesVpcConfig: {},
        }),
      );
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect([...(double.cluster("orders-prod")?.logging ?? [])].sort()).toEqual([
        "api",
        "audit",
        "authenticator",
      ]);
      expect([...(double.cluster(bystander)?.logging ?? [])]).toEqual([]);
      // Vigil's own requests: the tag read (exemptions), then one write naming only `audit`.
      const vigils = h.aws.requests.slice(before).filter((r) => r.service === "eks");
      expect(
        vigils.map((r) => [
          r.action,
          r.action === "ListTagsForResource" ? r.params.resourceArn : r.params.name,
        ]),
      ).toEqual([
        ["ListTagsForResource", "arn:aws:eks:us-east-1:111122223333:cluster/orders-prod"],
        ["UpdateClusterConfig", "orders-prod"],
      ]);
      expect(JSON.parse(vigils[1]?.params.logging ?? "null")).toEqual({
        clusterLogging: [{ types: ["audit"], enabled: true }],
      });
      const finding = (await h.findings()).find(
        (f) => f.checkId === "EKS.8" && f.resourceId === "orders-prod",
      );
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        severity: "MEDIUM",
        actor: { arn: "arn:aws:sts::111122223333:assumed-role/platform-admin/dana.okafor" },
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect(h.alerts().length).toBeGreaterThan(0);

      const undo = await h.vigil(["undo", finding?.id ?? ""]);
      expect(undo, undo.stderr).toMatchObject({ code: 0 });
      expect(undo.stdout).toContain(
        "restored on orders-prod: audit logging off; orders-prod tagged vigil:exempt=EKS.8",
      );
      expect([...(double.cluster("orders-prod")?.logging ?? [])].sort()).toEqual(["api", "authenticator"]);
      const tags = await eks.send(
        new ListTagsForResourceCommand({
          resourceArn: "arn:aws:eks:us-east-1:111122223333:cluster/orders-prod",
        }),
      );
      expect(tags.tags).toMatchObject({
        "vigil:exempt": "EKS.8",
        "vigil:exempt-reason": "restored with vigil undo",
      });
      const undone = (await h.findings()).find((f) => f.id === finding?.id);
      expect(undone).toMatchObject({ status: "SUPPRESSED", remediation: { result: "undone" } });
    },
    TIMEOUT,
  );

  it(
    "dry-run by default: the finding is open with the plan, no write is sent",
    async () => {
      const file = await clusterWithAuditTurnedOff("ledger-prod");
      const writesBefore = h.aws.calls("eks", "UpdateClusterConfig").length;
      const result = await h.vigil(["replay", file]);
      expect(result.code, result.stderr).toBe(0);

      expect(h.aws.calls("eks", "UpdateClusterConfig")).toHaveLength(writesBefore);
      expect([...(double.cluster("ledger-prod")?.logging ?? [])].sort()).toEqual(["api", "authenticator"]);
      const finding = (await h.findings()).find(
        (f) => f.checkId === "EKS.8" && f.resourceId === "ledger-prod",
      );
      expect(finding).toMatchObject({ status: "OPEN", remediation: { mode: "dry-run", result: "planned" } });
      expect(finding?.remediation?.action).toMatch(/UpdateClusterConfig ledger-prod .*"audit".*enabled:true/);
    },
    TIMEOUT,
  );
});
