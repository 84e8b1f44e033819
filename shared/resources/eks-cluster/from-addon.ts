import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { observe, parse } from "./from-cloudtrail";
import { networkPolicyOf } from "./network-policy";
import type { VpcCniState } from "./state";

type ClusterObservation = Observation<"AWS::EKS::Cluster">;

/** The only add-on whose configuration Vigil judges: the Amazon VPC CNI (network-policy enforcement). */
export const VPC_CNI = "vpc-cni";

/** Add-on calls name the cluster by their URI label: `clusterName` in the API model, `name` in older records. */
const requestSchema = z.looseObject({
  clusterName: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  addonName: z.string().min(1),
  configurationValues: z.string().nullish(),
});

const responseSchema = z
  .looseObject({
    addon: z
      .looseObject({ clusterName: z.string().min(1).nullish(), configurationValues: z.string().nullish() })
      .nullish(),
  })
  .nullish();

function vpcCniOf(configurationValues: string | null | undefined): {
  vpcCni: VpcCniState;
  pending?: { vpcCni: true };
} {
  const setting = networkPolicyOf(configurationValues);
  if ("networkPolicy" in setting) return { vpcCni: { managed: true, networkPolicy: setting.networkPolicy } };
  // Hidden or unparseable here: DescribeAddon may still say (an unreadable answer leaves the check undecided).
  return { vpcCni: { managed: true, unreadable: setting.unreadable }, pending: { vpcCni: true } };
}

/**
 * `CreateAddon`/`UpdateAddon`/`DeleteAddon` of `vpc-cni`, as an observation of its cluster (other
 * add-ons say nothing Vigil judges). UpdateAddon without configuration values keeps the ones the
 * add-on had, so they are read with DescribeAddon. DeleteAddon (even with `preserve`, which leaves
 * the CNI running unmanaged) only hides the configuration: it proves nothing about enforcement.
 */
export function fromAddonCall(detail: CloudTrailDetail, account: string): ClusterObservation[] {
  const req = parse(requestSchema, detail.requestParameters, `${detail.eventName} requestParameters`);
  if (req.addonName !== VPC_CNI) return [];
  const addon = parse(responseSchema, detail.responseElements, `${detail.eventName} responseElements`)?.addon;
  const cluster = req.clusterName ?? req.name ?? addon?.clusterName;
  if (!cluster) throw new UnusableEventError(`${detail.eventName} requestParameters name no cluster`);
  switch (detail.eventName) {
    case "CreateAddon":
      return [
        observe(detail, account, cluster, vpcCniOf(req.configurationValues ?? addon?.configurationValues)),
      ];
    case "UpdateAddon":
      return [
        observe(
          detail,
          account,
          cluster,
          req.configurationValues === undefined || req.configurationValues === null
            ? { pending: { vpcCni: true } }
            : vpcCniOf(req.configurationValues),
        ),
      ];
    default:
      return [observe(detail, account, cluster, { vpcCni: { managed: false } })];
  }
}
