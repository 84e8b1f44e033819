import type { Ec2InstanceState, PublicIpv4 } from "../../resources/ec2-instance/state";
import { defineCheck, type Violation } from "../define";
import { instanceReadActions, publicIpTriggers } from "./triggers";

function violation(state: Ec2InstanceState, ip: PublicIpv4): Violation {
  const instanceId = state.instanceId;
  switch (ip.source) {
    case "instance":
      return {
        summary: `instance ${instanceId} has public IPv4 address ${ip.address}`,
        evidence: { instanceId, publicIp: ip.address, source: ip.source },
      };
    case "launch-request":
      return {
        summary: `instance ${instanceId} was launched with a public IPv4 address (AssociatePublicIpAddress=true)`,
        evidence: { instanceId, associatePublicIpAddress: true, source: ip.source },
      };
    case "subnet-auto-assign":
      return {
        summary: `instance ${instanceId} gets a public IPv4 address from subnet ${ip.subnetId}, which auto-assigns them (MapPublicIpOnLaunch)`,
        evidence: { instanceId, subnetId: ip.subnetId, mapPublicIpOnLaunch: true, source: ip.source },
      };
  }
}

/** Detect only: taking an address away means a stop/start, a re-launch or releasing an Elastic IP. */
export default defineCheck({
  id: "EC2.9",
  title: "Amazon EC2 instances should not have a public IPv4 address",
  severity: "HIGH",
  resourceType: "AWS::EC2::Instance",
  controls: ["FSBP EC2.9"],
  description:
    "The instance can be reached from the internet at a public IPv4 address, guarded only by its security groups. Launch it without one (AssociatePublicIpAddress=false, a subnet that doesn't auto-assign) and reach it through a load balancer, NAT or Session Manager.",
  triggers: publicIpTriggers,
  iamActions: instanceReadActions,
  undecided: (state) =>
    state.publicIpv4 === undefined
      ? "this source does not say whether the instance has a public IPv4 address"
      : undefined,
  evaluate: (state) => (state.publicIpv4 ? [violation(state, state.publicIpv4)] : []),
});
