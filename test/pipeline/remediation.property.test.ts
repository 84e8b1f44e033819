import { DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from "@aws-sdk/client-ec2";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWorldOpen } from "../../shared/net/cidr";
import { processEvent } from "../../shared/pipeline/process-event";
import { sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join("."));
const ipv6 = fc
  .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
  .map((h) => h.map((x) => x.toString(16)).join(":"));
const source = fc.oneof(
  fc.record({ cidrIpv4: fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`) }),
  fc.record({ cidrIpv4: fc.constant("0.0.0.0/0") }),
  fc.record({ cidrIpv6: fc.tuple(ipv6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`) }),
  fc.record({ cidrIpv6: fc.constant("::/0") }),
  fc.record({ prefixListId: fc.constant("pl-0a1b2c3d4e5f60718") }),
  fc.record({
    referencedGroupInfo: fc.constant({ groupId: "sg-0b93d7e2a5c14f806", userId: "111122223333" }),
  }),
);
const ports = fc.oneof(
  fc.constant([-1, -1]),
  fc
    .tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)]),
  fc.constantFrom([22, 22], [3389, 3389], [443, 443], [0, 65535]),
);
const rule = fc.record({
  ipProtocol: fc.constantFrom("tcp", "udp", "-1", "6", "17", "icmp", "50"),
  ports,
  source,
  description: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
});

/**
 * For any well-formed AuthorizeSecurityGroupIngress event, every rule id Vigil revokes belongs to a
 * rule whose source is the whole IPv4 or IPv6 internet: a private, prefix-list or group source is never touched.
 */
describe("property: remediation never revokes a rule that is not world-open", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
  });
  afterAll(() => t.close());

  it("holds for random CloudTrail security-group events", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rule, { minLength: 1, maxLength: 6 }), async (rules) => {
        run++;
        const groupId = `sg-${run.toString(16).padStart(17, "0")}`;
        const items = rules.map((r, i) => ({
          groupOwnerId: "111122223333",
          groupId,
          securityGroupRuleId: `sgr-${run}-${i}`,
          isEgress: false,
          ipProtocol: r.ipProtocol,
          fromPort: r.ports[0],
          toPort: r.ports[1],
          ...r.source,
          ...(r.description ? { description: r.description } : {}),
        }));
        const event = sg("authorize-ssh-world-ipv4");
        event.id = `property-${run}`;
        event.detail.requestParameters = { groupId, ipPermissions: {} };
        event.detail.responseElements = { requestId: "r", _return: true, securityGroupRuleSet: { items } };
        t.ec2.resetHistory();

        const report = await processEvent(event, t.runtime);

        expect(report.outcome).toBe("processed");
        const revoked = t.ec2
          .commandCalls(RevokeSecurityGroupIngressCommand)
          .flatMap((c) => c.args[0].input.SecurityGroupRuleIds ?? []);
        for (const id of revoked) {
          const item = items.find((x) => x.securityGroupRuleId === id);
          const cidr =
            item && ("cidrIpv4" in item ? item.cidrIpv4 : "cidrIpv6" in item ? item.cidrIpv6 : undefined);
          expect(cidr !== undefined && isWorldOpen(cidr), `revoked ${id}: ${JSON.stringify(item)}`).toBe(
            true,
          );
        }
        // And the converse for the flagship: SSH (TCP or all traffic) from the world is always revoked.
        for (const item of items) {
          const cidr = "cidrIpv4" in item ? item.cidrIpv4 : "cidrIpv6" in item ? item.cidrIpv6 : undefined;
          const tcpish = ["tcp", "6", "-1"].includes(item.ipProtocol);
          const reaches22 =
            item.ipProtocol === "-1" || (item.fromPort <= 22 && item.toPort >= 22 && item.fromPort >= 0);
          if (cidr && isWorldOpen(cidr) && tcpish && reaches22)
            expect(revoked).toContain(item.securityGroupRuleId);
        }
      }),
      { numRuns: 80, seed: 20261126 },
    );
  });
});
