import { defineCheck } from "../define";

/** Detect only: turning auto-assign off changes how every later launch in the subnet is reachable. */
export default defineCheck({
  id: "EC2.15",
  title: "Amazon EC2 subnets should not automatically assign public IP addresses",
  severity: "MEDIUM",
  resourceType: "AWS::EC2::Subnet",
  controls: ["FSBP EC2.15"],
  description:
    "Every instance launched into the subnet gets a public IPv4 address unless its launch says otherwise. Turn it off (ModifySubnetAttribute --no-map-public-ip-on-launch); launches that need an address can still ask for one.",
  triggers: {
    cloudTrail: [
      {
        eventSource: "ec2.amazonaws.com",
        eventNames: ["ModifySubnetAttribute", "CreateSubnet", "CreateDefaultSubnet", "DeleteSubnet"],
      },
    ],
    config: ["AWS::EC2::Subnet"],
  },
  // DescribeSubnets reads the subnet's tags (exemptions).
  iamActions: ["ec2:DescribeSubnets"],
  undecided: (state) =>
    state.mapPublicIpOnLaunch === undefined
      ? "this call did not change whether the subnet auto-assigns public IPv4 addresses"
      : undefined,
  evaluate: (state) =>
    state.mapPublicIpOnLaunch
      ? [
          {
            summary:
              `subnet ${state.subnetId} auto-assigns public IPv4 addresses to new instances (MapPublicIpOnLaunch=true)` +
              (state.defaultForAz
                ? "; it is a default subnet of the default VPC, where AWS turns this on by default"
                : ""),
            evidence: {
              subnetId: state.subnetId,
              mapPublicIpOnLaunch: true,
              ...(state.vpcId ? { vpcId: state.vpcId } : {}),
              ...(state.defaultForAz !== undefined ? { defaultForAz: state.defaultForAz } : {}),
            },
          },
        ]
      : [],
});
