import {
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  EC2Client,
  type CreateNetworkAclEntryCommandInput,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness, type FindingJson } from "../support/cli-harness";
import { networkAcls, type NaclEntry } from "../support/local-aws/ec2-network-acl";

/**
 * `vigil replay` in a child process against the local endpoint, for a network ACL whose new ingress
 * entry opens SSH to the internet: default dry-run writes nothing, `--mode auto` deletes exactly
 * that entry, `vigil undo` puts it back as it was and tags the ACL exempt.
 */

const TIMEOUT = 60_000;
const SAMPLE = "network-acl/create-entry-ssh-world.json";

interface EntryEvent {
  detail: { requestParameters: { networkAclId: string } };
}

describe("vigil replay: EC2.21 network ACL entry open to the internet", () => {
  let h: CliHarness;
  let ec2: EC2Client;
  let aclId: string;
  const forAcl = (event: EntryEvent) => {
    event.detail.requestParameters.networkAclId = aclId;
  };
  /** The ACL's numbered ingress entries as `number action protocol ports cidr`, in rule order. */
  const ingress = () =>
    (networkAcls(h.aws.ec2State).get(aclId)?.entries ?? [])
      .filter((e: NaclEntry) => !e.egress && e.ruleNumber < 32767)
      .sort((a, b) => a.ruleNumber - b.ruleNumber)
      .map(
        (e) =>
          `${e.ruleNumber} ${e.ruleAction} ${e.protocol} ${e.portRange ? `${e.portRange.from}-${e.portRange.to}` : "-"} ${e.cidrBlock ?? e.ipv6CidrBlock}`,
      );
  const finding = async (): Promise<FindingJson | undefined> =>
    (await h.findings()).find((f) => f.resourceId === aclId && f.checkId === "EC2.21");
  const deletes = () => h.aws.calls("ec2", "DeleteNetworkAclEntry");

  beforeAll(async () => {
    h = await startCliHarness();
    ec2 = new EC2Client(h.clientConfig);
    aclId =
      (await ec2.send(new CreateNetworkAclCommand({ VpcId: "vpc-0d4e7a1c9b3f5e268" }))).NetworkAcl
        ?.NetworkAclId ?? "";
    const add = (input: Omit<CreateNetworkAclEntryCommandInput, "NetworkAclId" | "Egress">) =>
      ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, Egress: false, ...input }));
    await add({
      RuleNumber: 90,
      Protocol: "6",
      RuleAction: "allow",
      CidrBlock: "0.0.0.0/0",
      PortRange: { From: 22, To: 22 },
    });
    await add({
      RuleNumber: 100,
      Protocol: "6",
      RuleAction: "allow",
      CidrBlock: "0.0.0.0/0",
      PortRange: { From: 443, To: 443 },
    });
    await add({
      RuleNumber: 110,
      Protocol: "6",
      RuleAction: "allow",
      CidrBlock: "198.51.100.0/24",
      PortRange: { From: 22, To: 22 },
    });
  }, TIMEOUT);
  afterAll(async () => {
    ec2?.destroy();
    await h?.close();
  });

  it(
    "default mode (dry-run): the finding is OPEN with the planned deletion, and no write reaches AWS",
    async () => {
      const file = await h.writeEvent<EntryEvent>(SAMPLE, forAcl);
      const result = await h.vigil(["replay", file]);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain(
        `remediation planned: delete from ${aclId}: ingress rule 90: allow tcp 22 from 0.0.0.0/0`,
      );
      expect(deletes()).toEqual([]);
      expect(h.aws.calls("ec2", "CreateNetworkAclEntry")).toHaveLength(3);
      expect(ingress()).toEqual([
        "90 allow 6 22-22 0.0.0.0/0",
        "100 allow 6 443-443 0.0.0.0/0",
        "110 allow 6 22-22 198.51.100.0/24",
      ]);
      expect(await finding()).toMatchObject({
        status: "OPEN",
        remediation: { mode: "dry-run", result: "planned" },
      });
    },
    TIMEOUT,
  );

  it(
    "--mode auto deletes exactly ingress rule 90 and nothing else; the finding is REMEDIATED and announced",
    async () => {
      const file = await h.writeEvent<EntryEvent>(SAMPLE, forAcl);
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain(
        `remediation succeeded: deleted from ${aclId}: ingress rule 90: allow tcp 22 from 0.0.0.0/0`,
      );
      expect(deletes().map((c) => c.params)).toEqual([
        expect.objectContaining({ NetworkAclId: aclId, RuleNumber: "90", Egress: "false" }),
      ]);
      expect(ingress()).toEqual(["100 allow 6 443-443 0.0.0.0/0", "110 allow 6 22-22 198.51.100.0/24"]);
      expect(await finding()).toMatchObject({
        status: "REMEDIATED",
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect(h.alerts().some((m) => m.Message.includes(aclId))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "vigil undo re-creates the entry exactly and tags the ACL exempt; replaying its event then deletes nothing",
    async () => {
      const id = (await finding())?.id ?? "";
      const result = await h.vigil(["undo", id]);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain(`restored on ${aclId}: ingress rule 90: allow tcp 22 from 0.0.0.0/0`);
      const recreate = h.aws.calls("ec2", "CreateNetworkAclEntry").at(-1)?.params;
      expect(recreate).toMatchObject({
        NetworkAclId: aclId,
        RuleNumber: "90",
        Egress: "false",
        Protocol: "6",
        RuleAction: "allow",
        CidrBlock: "0.0.0.0/0",
        "PortRange.From": "22",
        "PortRange.To": "22",
      });
      expect(ingress()).toEqual([
        "90 allow 6 22-22 0.0.0.0/0",
        "100 allow 6 443-443 0.0.0.0/0",
        "110 allow 6 22-22 198.51.100.0/24",
      ]);
      expect(networkAcls(h.aws.ec2State).get(aclId)?.tags).toMatchObject({ "vigil:exempt": "EC2.21" });

      const again = await h.writeEvent<EntryEvent>(SAMPLE, forAcl);
      const replayed = await h.vigil(["replay", again, "--mode", "auto"]);
      expect(replayed, replayed.stderr).toMatchObject({ code: 0 });
      expect(deletes()).toHaveLength(1);
      expect(await finding()).toMatchObject({ status: "SUPPRESSED" });
    },
    TIMEOUT,
  );
});
